/**
 * Public surface of the `cluster` analytic (work in progress; see the open issue).
 * @module
 */
export {};
