/**
 * Public surface of the `rfm` analytic: RFM scores and named segments, segment summaries and
 * plot-ready tables, AHP weights, and ABC / Pareto customer classes.
 * @module
 */
export { ahpWeights } from "./ahp.js";
export type { AhpWeightsOptions, AhpWeightsResult } from "./ahp.js";
export { abcClasses, abcClassesColumns, paretoAnalysis } from "./pareto.js";
export type { AbcClass, AbcClassesColumnsOptions, AbcClassesColumnsResult, AbcClassesOptions, AbcClassesResult, AbcGroup, AbcThresholds, LorenzPoint, NegativeValuePolicy, ParetoAnalysisOptions, ParetoAnalysisResult } from "./pareto.js";
export { rfm, rfmColumns } from "./rfm.js";
export type { RfmColumnsInput, RfmColumnsOptions, RfmColumnsResult, RfmDimension, RfmInput, RfmOptions, RfmRecord, RfmResult, RfmThresholdsOption, RfmWarning, SegmentCount } from "./rfm.js";
export { segmentRulesPreset, validateSegmentRules } from "./segments.js";
export type { RfmBinsOption, RuleCells, RuleOverlap, ScoreCell, ScoreRange, SegmentPreset, SegmentRule, SegmentRulesReport, UnreachableRule, ValidateSegmentRulesOptions } from "./segments.js";
export { rfmHeatmap, rfmHeatmapColumns, rfmScoreHistogram, segmentSummary, segmentSummaryColumns } from "./summary.js";
export type { RfmHeatmapCell, RfmHeatmapResult, RfmHistogramRow, SegmentSummaryOptions, SegmentSummaryColumnsOptions, SegmentSummaryRow } from "./summary.js";
