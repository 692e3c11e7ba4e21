import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { CubeResult, CubeRow } from "../cube/cube.js";

/**
 * One group of an aggregate output: a key, its number of members (customers) and additive
 * values (sums and counts; not means, which cannot be merged by adding).
 * @category Privacy
 */
export interface AggregateGroup {
  /** Group label. */
  readonly key: string;
  /** Members (customers) in the group. */
  readonly size: number;
  /** Additive values by name. Default: none. */
  readonly values?: Readonly<Record<string, number>>;
}

/**
 * Options of {@link suppressSmallGroups}.
 * @category Privacy
 */
export interface SuppressSmallGroupsOptions {
  /** Smallest group size shown. Default 10. */
  minSize?: number;
  /** `"suppress"`: small groups are dropped; `"merge"`: they are added into one `mergedKey` group (itself dropped if still smaller than `minSize`). Default `"suppress"`. */
  mode?: "suppress" | "merge";
  /** Key of the merged group. Default `"(other)"`. */
  mergedKey?: string;
}

/** Defaults of {@link SuppressSmallGroupsOptions}. */
export const SUPPRESS_DEFAULTS: Readonly<Required<SuppressSmallGroupsOptions>> = Object.freeze({ minSize: 10, mode: "suppress", mergedKey: "(other)" });

/**
 * Result of {@link suppressSmallGroups}.
 * @category Privacy
 */
export interface SuppressSmallGroupsResult {
  /** The groups shown, in input order (the merged group last). */
  groups: AggregateGroup[];
  /** Input groups smaller than `minSize` (merged or dropped). */
  smallGroups: number;
  /** Groups dropped from the output (small groups in `"suppress"` mode; in `"merge"` mode 0, or all the small ones when their merge is still too small). */
  suppressedGroups: number;
  /** Members in the dropped groups. */
  suppressedMembers: number;
  /** Input groups added into the merged group (0 in `"suppress"` mode or when the merge was dropped). */
  mergedGroups: number;
}

/**
 * Aggregate-only output: the groups smaller than a minimum size are suppressed or merged,
 * and the suppression is counted.
 *
 * @remarks
 * The minimum-group-size rule of the source's privacy guidance (aggregate data where possible;
 * no group small enough to single people out); 10 is a common statistical-disclosure threshold.
 * This is primary suppression only: when totals are also published, a suppressed cell can be
 * recovered as the total minus the shown cells. Publish totals computed from the shown groups
 * (sum `groups`), or use `"merge"`, whose merged group keeps the total without showing the small
 * cells. Sizes must be whole numbers >= 0; a group of size 0 is small (dropped) too.
 *
 * @param groups - the groups (not changed).
 * @param options - see {@link SuppressSmallGroupsOptions}.
 * @returns the groups shown and the counts of what was suppressed or merged.
 * @throws {@link InvalidRecordError} for a size that is not a whole number >= 0 or a non-finite value (`row` = the group key).
 * @throws {@link InvalidOptionError} for a bad `minSize`, `mode` or a `mergedKey` that is also a group key.
 * @example
 * ```ts
 * const groups = [
 *   { key: "north", size: 40, values: { revenue: 4000 } },
 *   { key: "south", size: 6, values: { revenue: 500 } },
 *   { key: "east", size: 5, values: { revenue: 300 } },
 * ];
 * const s = suppressSmallGroups(groups);
 * [s.groups.map((g) => g.key), s.suppressedGroups, s.suppressedMembers];
 * //=> [["north"], 2, 11]
 * suppressSmallGroups(groups, { mode: "merge" }).groups[1];
 * //=> { key: "(other)", size: 11, values: { revenue: 800 } }
 * ```
 * @category Privacy
 */
export function suppressSmallGroups(groups: readonly AggregateGroup[], options: SuppressSmallGroupsOptions = {}): SuppressSmallGroupsResult {
  const fn = "suppressSmallGroups";
  const o = withDefaults(SUPPRESS_DEFAULTS, options);
  if (!(Number.isInteger(o.minSize) && o.minSize >= 1)) throw new InvalidOptionError(fn, "minSize", o.minSize, "a whole number >= 1");
  if (o.mode !== "suppress" && o.mode !== "merge") throw new InvalidOptionError(fn, "mode", o.mode, '"suppress" or "merge"');
  if (!Array.isArray(groups)) throw new InvalidOptionError(fn, "groups", groups, "a list of { key, size, values }");
  const shown: AggregateGroup[] = [];
  const small: AggregateGroup[] = [];
  for (const g of groups) {
    if (!(Number.isInteger(g.size) && g.size >= 0)) throw new InvalidRecordError(fn, { row: String(g.key), field: "size", value: g.size, expected: "a whole number >= 0" });
    for (const [name, v] of Object.entries(g.values ?? {})) {
      if (!Number.isFinite(v)) throw new InvalidRecordError(fn, { row: String(g.key), field: name, value: v, expected: "a finite number" });
    }
    if (o.mode === "merge" && g.key === o.mergedKey) throw new InvalidOptionError(fn, "mergedKey", o.mergedKey, "a key that no group has");
    (g.size >= o.minSize ? shown : small).push(g);
  }
  const sizeOf = (list: AggregateGroup[]) => list.reduce((s, g) => s + g.size, 0);
  if (o.mode === "merge" && small.length > 0) {
    const size = sizeOf(small);
    if (size >= o.minSize) {
      const values: Record<string, number> = Object.create(null);
      for (const g of small) for (const [name, v] of Object.entries(g.values ?? {})) values[name] = (values[name] ?? 0) + v;
      shown.push({ key: o.mergedKey, size, values: { ...values } });
      return { groups: shown, smallGroups: small.length, suppressedGroups: 0, suppressedMembers: 0, mergedGroups: small.length };
    }
  }
  return { groups: shown, smallGroups: small.length, suppressedGroups: small.length, suppressedMembers: sizeOf(small), mergedGroups: 0 };
}

/**
 * Options of {@link suppressCube}.
 * @category Privacy
 */
export interface SuppressCubeOptions {
  /** Smallest number of customers in a cell shown. Default 10. */
  minSize?: number;
}

/**
 * Result of {@link suppressCube}.
 * @category Privacy
 */
export interface SuppressCubeResult {
  /** The cube with the small cells removed from `rows`. */
  cube: CubeResult;
  /** Cells removed. */
  suppressedCells: number;
  /** Subtotal cells among them (grouping > 0). */
  suppressedSubtotals: number;
}

/**
 * A {@link CubeResult} without the cells that have fewer than `minSize` customers.
 *
 * @remarks
 * The cube must have been computed with the `"customers"` measure (the size of a cell). Only
 * primary suppression: a removed cell can be recovered from its subtotal minus its shown
 * siblings; compute the cube with `subtotals: "none"` for an aggregate-only release, or coarser
 * dimensions.
 *
 * @param result - a cube result with the `customers` measure.
 * @param options - see {@link SuppressCubeOptions}.
 * @returns the filtered cube and the counts.
 * @throws {@link InvalidOptionError} when the cube has no `customers` measure or `minSize` is bad.
 * @example
 * ```ts
 * // the shape cube(log, { dimensions: ["region"], measures: ["customers"] }) returns
 * const result = {
 *   dimensions: ["region"], measures: ["customers"], groupingSets: [["region"], []], lines: 12,
 *   unknownLines: new Map([["region", 0]]), profitMissingLines: 0,
 *   rows: [
 *     { key: ["north"], grouping: 0, values: { customers: 11 } },
 *     { key: ["south"], grouping: 0, values: { customers: 1 } },
 *     { key: [null], grouping: 1, values: { customers: 12 } },
 *   ],
 * };
 * const s = suppressCube(result);
 * [s.cube.rows.map((r) => r.key[0]), s.suppressedCells];
 * //=> [["north", null], 1]
 * ```
 * @category Privacy
 */
export function suppressCube(result: CubeResult, options: SuppressCubeOptions = {}): SuppressCubeResult {
  const fn = "suppressCube";
  const o = withDefaults({ minSize: 10 }, options);
  if (!(Number.isInteger(o.minSize) && o.minSize >= 1)) throw new InvalidOptionError(fn, "minSize", o.minSize, "a whole number >= 1");
  if (!result || !Array.isArray(result.measures) || !result.measures.includes("customers")) throw new InvalidOptionError(fn, "result", result?.measures, 'a cube computed with the "customers" measure');
  const rows: CubeRow[] = [];
  let suppressedCells = 0;
  let suppressedSubtotals = 0;
  for (const r of result.rows) {
    if ((r.values.customers ?? 0) >= o.minSize) rows.push(r);
    else {
      suppressedCells++;
      if (r.grouping > 0) suppressedSubtotals++;
    }
  }
  return { cube: { ...result, rows }, suppressedCells, suppressedSubtotals };
}
