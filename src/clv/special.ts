/**
 * The special functions the BG/NBD family uses. They live in `src/numeric` (one kernel per
 * concept); this module only re-exports them for the CLV files (and for `src/value/simulate.ts`,
 * which imports `lgamma` from here until it switches to `src/numeric`). Private to `src/clv`.
 * @module
 */
export { lgamma, digamma, logAddExp, expm1Ratio } from "../numeric/special.js";
export { MAX_SERIES_TERMS, hyp2f1TailTimesC, bgBracketTimesC, bgExpectationGivenAlive } from "../numeric/hypergeometric.js";
export { logParetoIntegral, logParetoIntegralGrad } from "../numeric/pareto.js";
