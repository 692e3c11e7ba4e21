/**
 * Public surface of the `matrix` analytic (work in progress; see the open issue).
 * @module
 */
export {};
