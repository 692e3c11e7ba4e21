/**
 * Public surface of the `clv` analytic (work in progress; see the open issue).
 * @module
 */
export {};
