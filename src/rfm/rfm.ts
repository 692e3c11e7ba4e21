import { withDefaults } from "../core/options.js";
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import type { CustomerTable, DictionaryColumn } from "../core/table.js";
import type { CustomerSummary } from "../core/types.js";
import { scoreDimension, type DimensionScoring } from "./score.js";
import { checkRules, resolveBins, ruleTable, segmentRulesPreset, type RfmBinsOption, type ScoreBins, type SegmentPreset, type SegmentRule } from "./segments.js";
import { checkCustomerIds, customerColumn } from "./util.js";

/**
 * The fields of a {@link CustomerSummary} that RFM reads (a full summary works).
 * @category RFM
 */
export type RfmInput = Pick<CustomerSummary, "customerId" | "recencyDays" | "frequency" | "totalSpend" | "averageOrderValue">;

/**
 * An RFM dimension: recency, frequency, monetary.
 * @category RFM
 */
export type RfmDimension = "r" | "f" | "m";

/**
 * Fixed business thresholds per dimension: ascending cut values in raw units.
 * @category RFM
 */
export interface RfmThresholdsOption {
  /** Recency cuts in days, e.g. `[30, 90, 180, 365]`. Default: quantile cuts. */
  r?: readonly number[];
  /** Frequency cuts in orders. Default: quantile cuts. */
  f?: readonly number[];
  /** Monetary cuts in currency. Default: quantile cuts. */
  m?: readonly number[];
}

/**
 * Customers in one segment.
 * @category RFM
 */
export interface SegmentCount {
  /** Segment name. */
  segment: string;
  /** Customers in it. */
  count: number;
}

/**
 * Options of {@link rfm}.
 * @category RFM
 */
export interface RfmOptions {
  /** Scores per dimension (quantile bins), one number or per dimension `{ r, f, m }`, each 2..100. Default 5. */
  bins?: number | RfmBinsOption;
  /** Fixed business thresholds (ascending cuts) replacing the quantile cuts of a dimension, e.g. `{ r: [30, 90, 180, 365] }`. A dimension with k cuts gets k + 1 scores. Default: none (quantiles). */
  thresholds?: RfmThresholdsOption;
  /** M = `"total"` spend or `"average"` order value. Default `"total"`. */
  monetary?: "total" | "average";
  /** `"standard"`: score = 1 + cuts strictly below (empty scores stay empty); `"dense"`: the scores that occur are renumbered 1..k. Default `"standard"`. */
  ties?: "standard" | "dense";
  /** `"none"`, or `"rfm-package"` to reproduce the R `rfm` package: quantile cuts + 1 and `cut <= value`. Default `"none"`. */
  compatibility?: "none" | "rfm-package";
  /** Weights `[r, f, m]` of the composite score (normalised to sum 1), e.g. `ahpWeights(m).weights`. Default `[1, 1, 1]` (the mean score). */
  weights?: readonly number[];
  /** Segment rules (first match wins) or a preset name. Default `"grid"` (needs 5 R and F scores). */
  segments?: readonly SegmentRule[] | SegmentPreset;
  /** Name given to customers no rule matches. Default `"Others"`. */
  otherSegment?: string;
}

/**
 * One customer's RFM record.
 * @category RFM
 */
export interface RfmRecord {
  /** Customer id. */
  customerId: string;
  /** Raw R: days since the last purchase. */
  recencyDays: number;
  /** Raw F: number of orders. */
  frequency: number;
  /** Raw M: total spend or average order value (option `monetary`). */
  monetary: number;
  /** Total spend (revenue), whatever M is. */
  totalSpend: number;
  /** Recency score, 1..bins (high = recent). */
  r: number;
  /** Frequency score. */
  f: number;
  /** Monetary score. */
  m: number;
  /** `"r-f-m"`, e.g. `"5-4-3"`. */
  cell: string;
  /** `100 r + 10 f + m` (a readable code for up to 9 scores). */
  rfmScore: number;
  /** Weighted mean of the scores with the normalised weights. */
  composite: number;
  /** Segment name (first matching rule, else `otherSegment`). */
  segment: string;
}

/**
 * A note in the RFM result about how the scores came out.
 * @category RFM
 */
export interface RfmWarning {
  /** `EMPTY_SCORES`: some scores have no customer; `FEW_DISTINCT_VALUES`: fewer distinct values than bins. */
  code: "EMPTY_SCORES" | "FEW_DISTINCT_VALUES";
  /** The dimension concerned. */
  dimension: RfmDimension;
  /** For `EMPTY_SCORES`: the empty scores (before dense renumbering). */
  scores: number[];
  /** Human-readable explanation. */
  message: string;
}

/**
 * Result of {@link rfm}.
 * @category RFM
 */
export interface RfmResult {
  /** One record per input summary, in input order. */
  customers: RfmRecord[];
  /** Realised cuts per dimension (ascending, in raw units; in compatibility mode the +1 is included). Score = 1 + cuts below the value (reversed for R). */
  thresholds: Record<RfmDimension, number[]>;
  /** Number of possible scores per dimension (before dense renumbering). */
  bins: Record<RfmDimension, number>;
  /** `scoreCounts.f[s - 1]` = customers with F score s (after dense renumbering when chosen). */
  scoreCounts: Record<RfmDimension, number[]>;
  /** Scores that no customer received, per dimension (before dense renumbering). */
  emptyScores: Record<RfmDimension, number[]>;
  /** Empty scores and too few distinct values, spelled out. Empty when all is well. */
  warnings: RfmWarning[];
  /** Customers per segment, in rule order (then `otherSegment`), zero counts included. */
  segmentCounts: SegmentCount[];
  /** The composite weights used (normalised to sum 1), `[r, f, m]`. */
  weights: [number, number, number];
  /** The rules used. */
  rules: readonly SegmentRule[];
}

const RFM_DEFAULTS = Object.freeze({
  bins: 5 as number | RfmBinsOption,
  monetary: "total" as "total" | "average",
  ties: "standard" as "standard" | "dense",
  compatibility: "none" as "none" | "rfm-package",
  weights: Object.freeze([1, 1, 1]) as readonly number[],
  segments: "grid" as readonly SegmentRule[] | SegmentPreset,
  otherSegment: "Others",
});

/**
 * RFM scores, cells, composite scores and named segments for every customer.
 *
 * @remarks
 * R = `recencyDays`, F = `frequency` (orders), M = `totalSpend` (or `averageOrderValue`).
 * Each dimension gets n - 1 cuts (default n = 5): the type-7 quantiles (R's default, linear
 * interpolation between order statistics) of the customer base at k / n, k = 1..n-1, or fixed
 * `thresholds`. **Score = 1 + number of cuts strictly below the value**; for recency the score
 * is reversed (`n - cuts below`, so the most recent customers get n). Equal values therefore
 * always get equal scores, and a value equal to a cut goes to the lower bin. When cuts coincide
 * (F, where most customers have one order) some scores stay empty: they are listed in
 * `emptyScores` and `warnings`, never hidden; `ties: "dense"` renumbers the scores that occur
 * to 1..k instead. `compatibility: "rfm-package"` reproduces the R `rfm` package
 * (`rfm:::bins` adds 1 to every quantile cut, and a value equal to a cut goes up); fixed
 * thresholds are used as given in that mode, as the package does.
 * The composite is `sum(w_d * score_d) / sum(w_d)`; the segment comes from the first matching
 * rule (see {@link segmentRulesPreset}, {@link validateSegmentRules}).
 * Sources: course notes 001 (RFM); R package `rfm` 0.3 (Hebbali); Hyndman & Fan (1996) type 7.
 * Complexity O(n) expected (the cuts by quickselect, no sort); the input is read once into typed arrays.
 *
 * @param summaries - customer summaries (from `summarizeCustomers`), or any records with the {@link RfmInput} fields.
 * @param options - see {@link RfmOptions}.
 * @returns per-customer records in input order, thresholds, score counts, warnings and segment counts.
 * @throws {@link InvalidRecordError} for a non-finite R, F or M or a missing id (`row` is the customer id, or the 1-based position when the id is bad).
 * @throws {@link InvalidOptionError} for a bad option, unsorted thresholds, or rules that do not fit the bins.
 * @example
 * ```ts
 * const s = [
 *   { customerId: "a", recencyDays: 5, frequency: 9, totalSpend: 900, averageOrderValue: 100 },
 *   { customerId: "b", recencyDays: 40, frequency: 3, totalSpend: 120, averageOrderValue: 40 },
 *   { customerId: "c", recencyDays: 300, frequency: 1, totalSpend: 30, averageOrderValue: 30 },
 * ];
 * const res = rfm(s, { bins: 3, segments: [] });
 * res.customers.map((c) => c.cell);
 * //=> ["3-3-3", "2-2-2", "1-1-1"]
 * rfm(s).customers.map((c) => c.segment);
 * //=> ["Champions", "Need Attention", "Lost"]
 * ```
 * @category RFM
 */
export function rfm(summaries: readonly RfmInput[], options: RfmOptions = {}): RfmResult {
  const fn = "rfm";
  const settings = rfmSettings(options, fn);
  if (!Array.isArray(summaries)) throw new InvalidOptionError(fn, "summaries", summaries, "an array of customer summaries");
  const n = summaries.length;
  const rec = new Float64Array(n);
  const freq = new Float64Array(n);
  const mon = new Float64Array(n);
  const spend = new Float64Array(n);
  const ids = new Array<string>(n);
  const avg = settings.monetary === "average";
  for (let i = 0; i < n; i++) {
    const s = summaries[i];
    const id = s?.customerId;
    if (typeof id !== "string" || id.length === 0) throw new InvalidRecordError(fn, { row: i + 1, field: "customerId", value: id, expected: "a non-empty string" });
    ids[i] = id;
    const r = s.recencyDays;
    const f = s.frequency;
    const t = s.totalSpend;
    const m = avg ? s.averageOrderValue : t;
    if (typeof r !== "number" || !Number.isFinite(r)) throw new InvalidRecordError(fn, { row: id, field: "recencyDays", value: r, expected: EXPECTED.recencyDays });
    if (typeof f !== "number" || !Number.isFinite(f)) throw new InvalidRecordError(fn, { row: id, field: "frequency", value: f, expected: EXPECTED.frequency });
    if (typeof m !== "number" || !Number.isFinite(m)) throw new InvalidRecordError(fn, { row: id, field: avg ? "averageOrderValue" : "totalSpend", value: m, expected: EXPECTED.amount });
    if (avg && (typeof t !== "number" || !Number.isFinite(t))) throw new InvalidRecordError(fn, { row: id, field: "totalSpend", value: t, expected: EXPECTED.amount });
    rec[i] = r;
    freq[i] = f;
    mon[i] = m;
    spend[i] = t;
  }
  const res = scoreRfm(settings, rec, freq, mon);
  const cellCodes = res.cell.codes;
  const cellNames = res.cell.values;
  const segCodes = res.segment.codes;
  const segNames = res.segment.values;
  const customers = new Array<RfmRecord>(n);
  for (let i = 0; i < n; i++) {
    customers[i] = {
      customerId: ids[i],
      recencyDays: rec[i],
      frequency: freq[i],
      monetary: mon[i],
      totalSpend: spend[i],
      r: res.r[i],
      f: res.f[i],
      m: res.m[i],
      cell: cellNames[cellCodes[i]],
      rfmScore: res.rfmScore[i],
      composite: res.composite[i],
      segment: segNames[segCodes[i]],
    };
  }
  return {
    customers,
    thresholds: res.thresholds,
    bins: res.bins,
    scoreCounts: res.scoreCounts,
    emptyScores: res.emptyScores,
    warnings: res.warnings,
    segmentCounts: res.segmentCounts,
    weights: res.weights,
    rules: res.rules,
  };
}

const EXPECTED = Object.freeze({ recencyDays: "a finite number of days", frequency: "a finite number of orders", amount: "a finite amount" });

/**
 * The columns {@link rfmColumns} reads: a `CustomerTable` is one (its `Int32Array` recency and
 * frequency are read as they are; `Float64Array` columns are checked for finite values).
 * @category RFM
 */
export interface RfmColumnsInput {
  /** Customer id per row; when given, errors name the customer instead of the 1-based row. Optional. */
  readonly ids?: readonly string[];
  /** R: days since the last purchase. */
  readonly recencyDays: Int32Array | Float64Array;
  /** F: number of orders. */
  readonly frequency: Int32Array | Float64Array;
  /** M with `monetary: "total"` (the default). */
  readonly totalSpend: Float64Array;
  /** M with `monetary: "average"`; not read otherwise. */
  readonly averageOrderValue?: Float64Array;
}

/**
 * Options of {@link rfmColumns}: those of {@link rfm}.
 * @category RFM
 */
export type RfmColumnsOptions = RfmOptions;

/**
 * Result of {@link rfmColumns}: the per-customer scores as typed columns (row `i` = input row
 * `i`) and the same table-level fields as {@link RfmResult}.
 * @category RFM
 */
export interface RfmColumnsResult extends Omit<RfmResult, "customers"> {
  /** Number of customers (rows). */
  length: number;
  /** Recency score per row, 1..bins (high = recent). */
  r: Uint8Array;
  /** Frequency score per row. */
  f: Uint8Array;
  /** Monetary score per row. */
  m: Uint8Array;
  /** `100 r + 10 f + m` per row. */
  rfmScore: Int32Array;
  /** Weighted mean of the scores per row. */
  composite: Float64Array;
  /** `"r-f-m"` cell per row, dictionary-encoded; the labels are the cells that occur, in order of first appearance. */
  cell: DictionaryColumn<string>;
  /** Segment per row, dictionary-encoded; `segment.values` is in the order of `segmentCounts` (rule order, then `otherSegment`), so `segmentCounts[k]` counts code `k`. */
  segment: DictionaryColumn<string>;
}

/**
 * RFM scores, cells, composite scores and segments of a customer table, as columns: the
 * columnar form of {@link rfm}, same numbers.
 *
 * @remarks
 * The definitions are those of {@link rfm} (type-7 quantile cuts, score = 1 + cuts strictly
 * below, recency reversed, first matching segment rule). Scores come back as `Uint8Array`s,
 * cells and segments dictionary-encoded (`codes` + labels), so nothing is allocated per
 * customer. `Int32Array` columns (a `CustomerTable`'s recency and frequency) need no checking;
 * `Float64Array` columns are checked for finite values in one pass. Complexity O(n) plus the
 * order statistics of the cuts.
 *
 * @param table - a `CustomerTable` (from `summarizeCustomersTable`) or any {@link RfmColumnsInput}.
 * @param options - see {@link RfmOptions}.
 * @returns score, cell and segment columns, thresholds, score counts, warnings and segment counts.
 * @throws {@link InvalidRecordError} for a non-finite value (`row` = `table.ids[i]`, or the 1-based row without ids; `field`, `value`).
 * @throws {@link InvalidOptionError} for a bad option, or columns of different lengths.
 * @example
 * ```ts
 * const table = {
 *   ids: ["a", "b", "c"],
 *   recencyDays: Int32Array.of(5, 40, 300),
 *   frequency: Int32Array.of(9, 3, 1),
 *   totalSpend: Float64Array.of(900, 120, 30),
 * };
 * const res = rfmColumns(table, { bins: 3, segments: [] });
 * [[...res.r], [...res.f], [...res.m], [...res.cell.codes], res.cell.values];
 * //=> [[3, 2, 1], [3, 2, 1], [3, 2, 1], [0, 1, 2], ["3-3-3", "2-2-2", "1-1-1"]]
 * const seg = rfmColumns(table).segment;
 * Array.from(seg.codes, (k) => seg.values[k]);
 * //=> ["Champions", "Need Attention", "Lost"]
 * ```
 * @category RFM
 */
export function rfmColumns(table: RfmColumnsInput | CustomerTable, options: RfmColumnsOptions = {}): RfmColumnsResult {
  const fn = "rfmColumns";
  const settings = rfmSettings(options, fn);
  if (table === null || typeof table !== "object") throw new InvalidOptionError(fn, "table", table, "a CustomerTable or { recencyDays, frequency, totalSpend } columns");
  const ids = table.ids;
  const avg = settings.monetary === "average";
  const rec = customerColumn(table.recencyDays, fn, "recencyDays", EXPECTED.recencyDays, ids);
  const n = rec.length;
  const length = { n, from: "recencyDays" };
  const freq = customerColumn(table.frequency, fn, "frequency", EXPECTED.frequency, ids, length);
  const mon = customerColumn(avg ? table.averageOrderValue : table.totalSpend, fn, avg ? "averageOrderValue" : "totalSpend", EXPECTED.amount, ids, length);
  if (avg) customerColumn(table.totalSpend, fn, "totalSpend", EXPECTED.amount, ids, length);
  checkCustomerIds(fn, ids, n);
  return scoreRfm(settings, rec, freq, mon);
}

/** Checked options of rfm / rfmColumns. */
interface RfmSettings {
  monetary: "total" | "average";
  dense: boolean;
  compat: boolean;
  otherSegment: string;
  weights: [number, number, number];
  fixed: RfmThresholdsOption;
  bins: ScoreBins;
  rules: readonly SegmentRule[];
}

function rfmSettings(options: RfmOptions, fn: string): RfmSettings {
  const o = withDefaults(RFM_DEFAULTS, options);
  if (o.monetary !== "total" && o.monetary !== "average") throw new InvalidOptionError(fn, "monetary", o.monetary, '"total" or "average"');
  if (o.ties !== "standard" && o.ties !== "dense") throw new InvalidOptionError(fn, "ties", o.ties, '"standard" or "dense"');
  if (o.compatibility !== "none" && o.compatibility !== "rfm-package") throw new InvalidOptionError(fn, "compatibility", o.compatibility, '"none" or "rfm-package"');
  if (typeof o.otherSegment !== "string") throw new InvalidOptionError(fn, "otherSegment", o.otherSegment, "a string");
  const weights = normaliseWeights(o.weights, fn);
  const quantileBins = resolveBins(o.bins, fn);
  const fixed = checkThresholds(o.thresholds, fn);
  const bins: ScoreBins = {
    r: fixed.r ? fixed.r.length + 1 : quantileBins.r,
    f: fixed.f ? fixed.f.length + 1 : quantileBins.f,
    m: fixed.m ? fixed.m.length + 1 : quantileBins.m,
  };
  const rules = resolveRules(o.segments, bins, fn);
  return { monetary: o.monetary, dense: o.ties === "dense", compat: o.compatibility === "rfm-package", otherSegment: o.otherSegment, weights, fixed, bins, rules };
}

/** The shared scoring core of rfm and rfmColumns, on validated columns. */
function scoreRfm(o: RfmSettings, rec: Float64Array, freq: Float64Array, mon: Float64Array): RfmColumnsResult {
  const n = rec.length;
  const { bins, rules, dense, compat, fixed, weights } = o;
  const dims: Record<RfmDimension, DimensionScoring> = {
    r: scoreDimension(rec, bins.r, true, fixed.r, compat, dense),
    f: scoreDimension(freq, bins.f, false, fixed.f, compat, dense),
    m: scoreDimension(mon, bins.m, false, fixed.m, compat, dense),
  };

  // Segment per score cell from the rule table; cell labels made once per cell that occurs.
  const table = ruleTable(rules, bins);
  const nf = bins.f;
  const nm = bins.m;
  const segNames = rules.map((ru) => ru.name);
  const other = o.otherSegment;
  const segIndex = new Map<string, number>();
  for (const name of [...segNames, other]) if (!segIndex.has(name)) segIndex.set(name, segIndex.size);
  const segCounts = new Array<number>(segIndex.size).fill(0);
  const ruleSeg = Int32Array.from(segNames, (name) => segIndex.get(name) as number);
  const otherIdx = segIndex.get(other) as number;
  const cellSeg = new Int32Array(table.length);
  for (let code = 0; code < table.length; code++) cellSeg[code] = table[code] >= 0 ? ruleSeg[table[code]] : otherIdx;
  const cellCodeOf = new Int32Array(table.length).fill(-1);
  const cellLabels: string[] = [];
  const [wr, wf, wm] = weights;
  const rs = dims.r.scores;
  const fs = dims.f.scores;
  const ms = dims.m.scores;
  const rfmScore = new Int32Array(n);
  const composite = new Float64Array(n);
  const cellCodes = new Int32Array(n);
  const segCodes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rs[i];
    const f = fs[i];
    const m = ms[i];
    const code = ((r - 1) * nf + (f - 1)) * nm + (m - 1);
    let cc = cellCodeOf[code];
    if (cc < 0) {
      cc = cellCodeOf[code] = cellLabels.length;
      cellLabels.push(`${r}-${f}-${m}`);
    }
    cellCodes[i] = cc;
    const si = cellSeg[code];
    segCodes[i] = si;
    segCounts[si]++;
    rfmScore[i] = 100 * r + 10 * f + m;
    composite[i] = wr * r + wf * f + wm * m;
  }

  const warnings: RfmWarning[] = [];
  const label: Record<RfmDimension, string> = { r: "R (recency)", f: "F (frequency)", m: "M (monetary)" };
  for (const d of ["r", "f", "m"] as const) {
    const s = dims[d];
    if (s.distinct >= 0 && n > 0 && s.distinct < s.bins) {
      warnings.push({ code: "FEW_DISTINCT_VALUES", dimension: d, scores: [], message: `${label[d]} has ${s.distinct} distinct value(s) for ${s.bins} bins: some scores cannot be used` });
    }
    if (s.empty.length) {
      warnings.push({
        code: "EMPTY_SCORES",
        dimension: d,
        scores: s.empty,
        message: `${label[d]}: no customer has score ${s.empty.join(", ")} (cuts ${s.cuts.map((c) => +c.toPrecision(6)).join(", ")} coincide or leave a bin empty)${dense ? "; scores renumbered densely to 1.." + s.used : ""}`,
      });
    }
  }
  const segLabels = [...segIndex.keys()];
  const segmentCounts = segLabels.map((segment, i) => ({ segment, count: segCounts[i] }));
  return {
    length: n,
    r: rs,
    f: fs,
    m: ms,
    rfmScore,
    composite,
    cell: { codes: cellCodes, values: cellLabels },
    segment: { codes: segCodes, values: segLabels },
    thresholds: { r: dims.r.cuts, f: dims.f.cuts, m: dims.m.cuts },
    bins: { r: bins.r, f: bins.f, m: bins.m },
    scoreCounts: { r: dims.r.counts, f: dims.f.counts, m: dims.m.counts },
    emptyScores: { r: dims.r.empty, f: dims.f.empty, m: dims.m.empty },
    warnings,
    segmentCounts,
    weights,
    rules,
  };
}

function normaliseWeights(w: readonly number[], fn: string): [number, number, number] {
  if (!Array.isArray(w) || w.length !== 3 || !w.every((x) => typeof x === "number" && Number.isFinite(x) && x >= 0) || w[0] + w[1] + w[2] <= 0) {
    throw new InvalidOptionError(fn, "weights", w, "three finite weights [r, f, m] >= 0 with a positive sum");
  }
  const s = w[0] + w[1] + w[2];
  return [w[0] / s, w[1] / s, w[2] / s];
}

function checkThresholds(t: RfmOptions["thresholds"], fn: string): RfmThresholdsOption {
  if (t === undefined) return {};
  if (t === null || typeof t !== "object") throw new InvalidOptionError(fn, "thresholds", t, "{ r?, f?, m? } with ascending cut values");
  for (const d of ["r", "f", "m"] as const) {
    const c = t[d];
    if (c === undefined) continue;
    const ok = Array.isArray(c) && c.length >= 1 && c.length <= 99 && c.every((x, i) => typeof x === "number" && Number.isFinite(x) && (i === 0 || x > c[i - 1]));
    if (!ok) throw new InvalidOptionError(fn, `thresholds.${d}`, c, "1 to 99 finite cut values in strictly ascending order");
  }
  return t;
}

function resolveRules(seg: readonly SegmentRule[] | SegmentPreset, bins: ScoreBins, fn: string): readonly SegmentRule[] {
  if (typeof seg === "string") {
    const rules = segmentRulesPreset(seg);
    if (bins.r !== 5 || bins.f !== 5 || (bins.m !== 5 && (seg === "rfm-0.3" || seg === "rfm-0.2"))) {
      throw new InvalidOptionError(fn, "segments", seg, `rules for ${bins.r} x ${bins.f} x ${bins.m} scores (the "${seg}" preset is for 5 scores per dimension; pass your own rules, or [] for no segments)`);
    }
    return rules;
  }
  checkRules(seg, fn, bins);
  return seg;
}
