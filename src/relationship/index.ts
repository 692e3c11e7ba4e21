/**
 * Public surface of the `relationship` analytic: relationship value in four dimensions
 * (profitability, lifecycle, capability, referral), scored 0..100 and combined with given or
 * AHP weights. See `docs/relationship.md`.
 * @module
 */
export { relationshipValue, DEFAULT_STAGE_POINTS, RELATIONSHIP_DIMENSIONS } from "./value.js";
export type { Referral, ReferralReport, RelationshipDimension, RelationshipDimensionSummary, RelationshipIntervals, RelationshipTopRow, RelationshipValueInputs, RelationshipValueOptions, RelationshipValueResult } from "./value.js";
export { validateScoreIntervals } from "./intervals.js";
export type { ScoreInterval } from "./intervals.js";
