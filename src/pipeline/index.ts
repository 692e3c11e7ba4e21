/**
 * Public surface of the `pipeline` analytic (work in progress; see the open issue).
 * @module
 */
export {};
