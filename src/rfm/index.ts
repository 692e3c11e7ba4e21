/**
 * Public surface of the `rfm` analytic: RFM scores and named segments, segment summaries and
 * plot-ready tables, AHP weights, and ABC / Pareto customer classes.
 * @module
 */
export { ahpWeights } from "./ahp.js";
export type { AhpWeightsOptions, AhpWeightsResult } from "./ahp.js";
export { abcClasses, paretoAnalysis } from "./pareto.js";
export type { AbcClass, AbcClassesOptions, AbcClassesResult, AbcGroup, LorenzPoint, NegativeValuePolicy, ParetoAnalysisOptions, ParetoAnalysisResult } from "./pareto.js";
