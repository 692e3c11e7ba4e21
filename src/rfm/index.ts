/**
 * Public surface of the `rfm` analytic (work in progress; see the open issue).
 * @module
 */
export {};
