/**
 * Public surface of the `value` analytic (work in progress; see the open issue).
 * @module
 */
export {};
