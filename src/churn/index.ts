/**
 * Public surface of the `churn` analytic (work in progress; see the open issue).
 * @module
 */
export {};
