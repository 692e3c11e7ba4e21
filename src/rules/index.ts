/**
 * Public surface of the `rules` analytic (work in progress; see the open issue).
 * @module
 */
export {};
