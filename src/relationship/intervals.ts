/**
 * The score interval tables of relationship value. The one implementation lives in
 * `src/numeric/intervals.ts` (shared with `clv3d`); this module re-exports it so the relationship
 * API is unchanged.
 * @module
 */
export { intervalScore, validateScoreIntervals, type ScoreInterval } from "../numeric/intervals.js";
