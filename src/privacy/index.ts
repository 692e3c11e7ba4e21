/**
 * Public surface of the `privacy` helpers: keyed pseudonyms of customer ids (HMAC-SHA-256
 * through WebCrypto, so they also run in browsers), aggregate-only outputs with a minimum group
 * size (small groups suppressed or merged, and counted), and a checker that finds raw ids in
 * output texts. See `docs/privacy.md`.
 * @module
 */
export { hmacSha256, pseudonymizeIds, pseudonymizeTable, PSEUDONYMIZE_DEFAULTS, MIN_KEY_BYTES } from "./pseudonymize.js";
export type { PseudonymizeOptions } from "./pseudonymize.js";
export { suppressSmallGroups, suppressCube, SUPPRESS_DEFAULTS } from "./aggregate.js";
export type { AggregateGroup, SuppressSmallGroupsOptions, SuppressSmallGroupsResult, SuppressCubeOptions, SuppressCubeResult } from "./aggregate.js";
export { findRawIds, FIND_RAW_IDS_DEFAULTS } from "./scan.js";
export type { FindRawIdsOptions, FindRawIdsResult, RawIdHit } from "./scan.js";
