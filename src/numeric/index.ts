/**
 * Numerics: the one shared kernel per numeric concept (exact sum, order statistics, ranks,
 * special functions, the scaled exponential integral, the hypergeometric and Pareto/NBD series, quadrature, small symmetric
 * positive-definite solves, seeded samplers).
 * Every analytic imports these; none keeps a private copy. See `docs/numerics.md`.
 * @module
 */
export { fsum, fsumGroups, ExactSum } from "./sum.js";
export { quickselect, selectPositions, quantile, quantiles, quantileSorted, equalQuantiles, median } from "./quantile.js";
export { rank, spearman } from "./rank.js";
export { cholesky, choleskySolve, solveSpd } from "./linalg.js";
export { lgamma, digamma, logAddExp, expm1Ratio } from "./special.js";
export { scaledExpint } from "./expint.js";
export { hyp2f1, bgExpectationGivenAlive, MAX_SERIES_TERMS } from "./hypergeometric.js";
export { logParetoIntegral, logParetoIntegralScaled } from "./pareto.js";
export { tanhSinh, tanhSinhVector, adaptiveSimpson, type QuadratureResult, type VectorIntegrand, type TanhSinhOptions, type AdaptiveSimpsonOptions } from "./quadrature.js";
export { StreamRng, streamKey } from "./stream.js";
export { createRng, sampleBeta, sampleExponential, sampleGamma, sampleInt, sampleNormal, samplePoisson, poissonSampler, sampleUniform, type Rng, type Seed } from "./random.js";
export { isotonicRegression } from "./isotonic.js";
export { validateScoreIntervals, intervalScore, type ScoreInterval } from "./intervals.js";
