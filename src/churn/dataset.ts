/**
 * From a transaction log to a labelled churn table: features from before a cutoff, label from
 * the churn window after it, optionally at several cutoffs (rolling origin).
 * @module
 */
import { isReturnAmount } from "../core/table.js";
import { groupRowsByCustomer, toTransactionColumns } from "../core/columns.js";
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { dayToDate, toEpochDay } from "../core/time.js";
import type { DateInput, Transaction } from "../core/types.js";
import type { DictionaryColumn, TransactionTable } from "../core/table.js";
import type { ChurnRow, ChurnValue } from "./table.js";

/**
 * Options of {@link churnDataset}.
 * @category Churn
 */
export interface ChurnDatasetOptions {
  /** Cutoff day (inclusive: features use transactions on or before it), or several cutoffs for a rolling-origin table. Required. */
  cutoff: DateInput | readonly DateInput[];
  /** Churn window in days after the cutoff: label = no purchase on days cutoff+1 .. cutoff+churnWindowDays. Default 180. */
  churnWindowDays?: number;
  /** Compute labels. `false` builds features only (scoring today's customers, whose window has not passed). Default true. */
  labels?: boolean;
  /** Last day covered by the log; a churn window ending after it is refused. Default: the last transaction day. */
  dataEnd?: DateInput;
  /** Length in days of the recent-activity windows. Default 90. */
  windowDays?: number;
  /** Number of recent windows compared with the same number before them. Default 1. */
  trendWindows?: number;
  /** Extra per-customer columns passed through into each row (for example a plan, a region or a cluster). Default none. */
  attributes?: ReadonlyMap<string, Readonly<Record<string, ChurnValue>>>;
}

const DATASET_DEFAULTS = Object.freeze({ churnWindowDays: 180, labels: true, windowDays: 90, trendWindows: 1 });

/**
 * Accounting of {@link churnDataset}.
 * @category Churn
 */
export interface ChurnDatasetReport {
  /** The cutoffs used (ISO dates, ascending). */
  cutoffs: string[];
  /** Rows produced (customers summed over cutoffs). */
  rows: number;
  /** Churned rows (0 when labels are off). */
  churned: number;
  /** Per cutoff: customers first seen after it, excluded. */
  excludedNotYetCustomers: number[];
  /** Per cutoff: customers with lines before it but no purchase (returns only), excluded. */
  excludedNoPurchase: number[];
  /** Transactions in the log. */
  transactions: number;
}

/**
 * Result of {@link churnDataset}.
 * @category Churn
 */
export interface ChurnDatasetResult {
  /** One row per customer and cutoff: `customerId`, `cutoff`, the features, attributes, and `churned` (when labelled). */
  rows: ChurnRow[];
  /** Names of the feature columns (inputs for `trainChurnModel`), attributes included. */
  features: string[];
  /** Accounting. */
  report: ChurnDatasetReport;
}

/**
 * Build a labelled churn table from a transaction log.
 *
 * @remarks
 * A purchase is a customer's day with at least one non-negative line (same-day lines merge,
 * as in `calibrationSummary`); negative lines are returns. For each cutoff c, only lines on or
 * before c are read for features, so changing anything after c changes no feature:
 * - `recency_days` = c - last purchase day; `frequency` = purchase days;
 *   `tenure_days` = c - first purchase day;
 * - `monetary_total` = net amount of all lines (returns subtract); `monetary_avg` =
 *   monetary_total / frequency; `return_share` = returned amount / purchased amount;
 * - `gap_mean` = (last - first) / (frequency - 1) and `gap_sd` = sample sd of the gaps
 *   (null below 2 and 3 purchases); `recency_ratio` = recency_days / gap_mean, the sources'
 *   "change in recent purchase time" (null below 2 purchases);
 * - with W = windowDays and k = trendWindows: `orders_recent` / `spend_recent` = purchase days
 *   and net spend on days (c - kW, c]; `orders_before` / `spend_before` on (c - 2kW, c - kW];
 *   `orders_change` = orders_recent - orders_before and `spend_change` likewise (the
 *   "change in purchase frequency").
 *
 * Label `churned` = no purchase on days c+1 .. c+churnWindowDays. Customers first seen after
 * c (or with returns only by c) are excluded and counted in the report. With several cutoffs
 * the rows are stacked (rolling origin): each keeps its `cutoff`, and a customer appears once
 * per cutoff, so split by customer or by cutoff, not by row, when testing.
 *
 * @param transactions - validated transactions (not modified).
 * @param options - see {@link ChurnDatasetOptions}.
 * @returns the rows, the feature names and a report.
 * @throws {@link InvalidOptionError} for a bad option, or a churn window ending after `dataEnd` (its labels would be unknown).
 * @throws {@link InvalidRecordError} for an invalid transaction or attribute value.
 * @example
 * ```ts
 * const tx = [
 *   { customerId: "a", date: new Date("2024-01-01"), amount: 10 },
 *   { customerId: "a", date: new Date("2024-01-21"), amount: 20 },
 *   { customerId: "b", date: new Date("2024-01-05"), amount: 5 },
 *   { customerId: "b", date: new Date("2024-02-20"), amount: 5 },
 * ];
 * const { rows } = churnDataset(tx, { cutoff: "2024-01-31", churnWindowDays: 30, dataEnd: "2024-03-01" });
 * rows.map((r) => [r.customerId, r.recency_days, r.frequency, r.churned]);
 * //=> [["a", 10, 2, true], ["b", 26, 1, false]]
 * ```
 * @category Churn
 */
export function churnDataset(transactions: Iterable<Transaction> | TransactionTable, options: ChurnDatasetOptions): ChurnDatasetResult {
  // The record form is the columnar core's rows, plus the customer attributes.
  const prep = prepareDataset(transactions, options, "churnDataset");
  const d = datasetColumns(prep);
  const { o, attrNames } = prep;
  const rows: ChurnRow[] = new Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const row: Record<string, ChurnValue> = { customerId: d.customerIds[i], cutoff: d.cutoff.values[d.cutoff.codes[i]] };
    for (const f of FEATURES) row[f] = Number.isNaN(d.columns[f][i]) ? null : d.columns[f][i];
    if (o.attributes) {
      const rec = o.attributes.get(d.customerIds[i]);
      for (const a of attrNames) row[a] = rec?.[a] ?? null;
    }
    if (d.churned) row.churned = d.churned[i] === 1;
    rows[i] = row;
  }
  return { rows, features: [...FEATURES, ...attrNames], report: d.report };
}

/**
 * Result of {@link churnDatasetColumns}: the rows of {@link churnDataset} as columns.
 * @category Churn
 */
export interface ChurnDatasetColumns {
  /** Number of rows (customers summed over cutoffs). */
  length: number;
  /** Customer id per row (sorted by id within each cutoff, as `churnDataset`). */
  customerIds: string[];
  /** Cutoff (ISO date) per row, dictionary-encoded. */
  cutoff: DictionaryColumn;
  /** One `Float64Array` per feature (`NaN` where `churnDataset` has `null`), by name. */
  columns: Record<string, Float64Array>;
  /** Names of the feature columns, in `churnDataset`'s order. */
  features: string[];
  /** 1 = churned per row; `null` when labels are off. */
  churned: Uint8Array | null;
  /** Accounting. */
  report: ChurnDatasetReport;
}

/**
 * The columnar form of {@link churnDataset}: the same rows, features and labels, as typed
 * columns (one `Float64Array` per feature, `NaN` for missing), ready for
 * `trainChurnModelColumns` and `scoreChurnColumns`; nothing is built per customer.
 *
 * @remarks
 * Definitions, options and row order are those of {@link churnDataset}; customer attributes
 * (`attributes`) are records and are only supported there. O(rows log rows per customer).
 *
 * @param transactions - a `TransactionTable` (or validated transactions).
 * @param options - see {@link ChurnDatasetOptions} (without `attributes`).
 * @returns the columns and the report.
 * @throws {@link InvalidOptionError} as {@link churnDataset}, and for `attributes`.
 * @example
 * ```ts
 * const d = (s: string) => new Date(s);
 * const tx = [
 *   { customerId: "a", date: d("2024-01-01"), amount: 10 },
 *   { customerId: "a", date: d("2024-01-21"), amount: 20 },
 *   { customerId: "b", date: d("2024-01-05"), amount: 15 },
 *   { customerId: "b", date: d("2024-02-20"), amount: 5 },
 * ];
 * const c = churnDatasetColumns(toTransactionTable(tx), { cutoff: "2024-01-31", churnWindowDays: 30, dataEnd: "2024-03-01" });
 * [c.customerIds, [...c.columns.recency_days], [...c.churned!]];
 * //=> [["a", "b"], [10, 26], [1, 0]]
 * ```
 * @category Churn
 */
export function churnDatasetColumns(transactions: TransactionTable | Iterable<Transaction>, options: Omit<ChurnDatasetOptions, "attributes">): ChurnDatasetColumns {
  const fn = "churnDatasetColumns";
  if ((options as ChurnDatasetOptions)?.attributes !== undefined) throw new InvalidOptionError(fn, "attributes", "(a Map)", "no attributes: use churnDataset (records) for customer attributes");
  return datasetColumns(prepareDataset(transactions, options, fn));
}

/** The rows of the dataset as columns, from the prepared, day-sorted log (the shared core). */
function datasetColumns(prep: ReturnType<typeof prepareDataset>): ChurnDatasetColumns {
  const { o, cutoffs, cols, start, sortedDay, sortedAmt, byId } = prep;
  const W = o.windowDays * o.trendWindows;
  const cap = byId.length * cutoffs.length;
  const feats = FEATURES.map(() => new Float64Array(cap));
  const churnedCol = o.labels ? new Uint8Array(cap) : null;
  const cutCodes = new Int32Array(cap);
  const customerIds: string[] = [];
  const feat = new Float64Array(FEATURES.length);
  const excludedNotYet: number[] = [];
  const excludedNoPurchase: number[] = [];
  let churned = 0;
  let n = 0;
  cutoffs.forEach((cut, ci) => {
    let notYet = 0;
    let noPurchase = 0;
    for (const c of byId) {
      const from = start[c];
      const to = start[c + 1];
      if (from === to || sortedDay[from] > cut) {
        notYet++;
        continue;
      }
      const k = customerFeatures(sortedDay, sortedAmt, from, to, cut, W, feat);
      if (k < 0) {
        noPurchase++;
        continue;
      }
      for (let j = 0; j < FEATURES.length; j++) feats[j][n] = feat[j];
      customerIds.push(cols.ids[c]);
      cutCodes[n] = ci;
      if (churnedCol && !activeAfter(sortedDay, sortedAmt, k, to, cut + o.churnWindowDays)) {
        churnedCol[n] = 1;
        churned++;
      }
      n++;
    }
    excludedNotYet.push(notYet);
    excludedNoPurchase.push(noPurchase);
  });
  const columns: Record<string, Float64Array> = Object.create(null);
  FEATURES.forEach((name, j) => (columns[name] = feats[j].slice(0, n)));
  return {
    length: n,
    customerIds,
    cutoff: { codes: cutCodes.slice(0, n), values: cutoffs.map(iso) },
    columns,
    features: [...FEATURES],
    churned: churnedCol ? churnedCol.slice(0, n) : null,
    report: { cutoffs: cutoffs.map(iso), rows: n, churned, excludedNotYetCustomers: excludedNotYet, excludedNoPurchase, transactions: cols.length },
  };
}

/**
 * The features of one customer at a cutoff, from their rows sorted by day
 * (`day[from..to)`, `amount[from..to)`), into `out` in {@link FEATURES} order (`NaN` where the
 * record form has `null`). Returns the index of the first row after the cutoff, or -1 when the
 * customer made no purchase by the cutoff.
 */
function customerFeatures(day: Int32Array, amount: Float64Array, from: number, to: number, cut: number, W: number, out: Float64Array): number {
  let first = -1;
  let last = -1;
  let freq = 0;
  let net = 0;
  let bought = 0;
  let returned = 0;
  let ordRecent = 0;
  let ordBefore = 0;
  let spendRecent = 0;
  let spendBefore = 0;
  let sumSq = 0;
  let prevDay = -1;
  let gaps = 0;
  let gapSum = 0;
  let k = from;
  while (k < to && day[k] <= cut) {
    const d = day[k];
    let dayNet = 0;
    let purchase = false;
    while (k < to && day[k] === d) {
      const a = amount[k];
      dayNet += a;
      if (a >= 0) {
        purchase = true;
        bought += a;
      } else returned -= a;
      k++;
    }
    net += dayNet;
    if (d > cut - W) spendRecent += dayNet;
    else if (d > cut - 2 * W) spendBefore += dayNet;
    if (!purchase) continue;
    freq++;
    if (first < 0) first = d;
    if (prevDay >= 0) {
      const g = d - prevDay;
      gaps++;
      gapSum += g;
      sumSq += g * g;
    }
    prevDay = d;
    last = d;
    if (d > cut - W) ordRecent++;
    else if (d > cut - 2 * W) ordBefore++;
  }
  if (freq === 0) return -1;
  const recency = cut - last;
  const gapMean = gaps > 0 ? gapSum / gaps : NaN;
  const gapSd = gaps >= 2 ? Math.sqrt(Math.max(0, (sumSq - gaps * gapMean * gapMean) / (gaps - 1))) : NaN;
  out[0] = recency;
  out[1] = freq;
  out[2] = net;
  out[3] = net / freq;
  out[4] = cut - first;
  out[5] = gapMean;
  out[6] = gapSd;
  out[7] = gaps > 0 && gapMean > 0 ? recency / gapMean : NaN;
  out[8] = ordRecent;
  out[9] = ordBefore;
  out[10] = ordRecent - ordBefore;
  out[11] = spendRecent;
  out[12] = spendBefore;
  out[13] = spendRecent - spendBefore;
  out[14] = bought > 0 ? returned / bought : 0;
  return k;
}

/** Whether the customer bought (a day with a non-negative line) in rows `k..to` up to day `end`. */
function activeAfter(day: Int32Array, amount: Float64Array, k: number, to: number, end: number): boolean {
  let active = false;
  let j = k;
  while (j < to && day[j] <= end) {
    const d = day[j];
    while (j < to && day[j] === d) {
      if (!isReturnAmount(amount[j])) active = true;
      j++;
    }
    if (active) break;
  }
  return active;
}

/** The built-in feature columns, in row order. */
const FEATURES: readonly string[] = Object.freeze([
  "recency_days",
  "frequency",
  "monetary_total",
  "monetary_avg",
  "tenure_days",
  "gap_mean",
  "gap_sd",
  "recency_ratio",
  "orders_recent",
  "orders_before",
  "orders_change",
  "spend_recent",
  "spend_before",
  "spend_change",
  "return_share",
]);

function iso(day: number): string {
  return dayToDate(day).toISOString().slice(0, 10);
}

/** Validation and the per-customer day-sorted rows shared by the record and column forms. */
function prepareDataset(transactions: Iterable<Transaction> | TransactionTable, options: ChurnDatasetOptions, fn: string) {
  if (options === null || typeof options !== "object" || options.cutoff === undefined) throw new InvalidOptionError(fn, "cutoff", options?.cutoff, "a cutoff date or an array of them");
  const o = withDefaults(DATASET_DEFAULTS, options);
  if (!(Number.isInteger(o.churnWindowDays) && o.churnWindowDays >= 1)) throw new InvalidOptionError(fn, "churnWindowDays", o.churnWindowDays, "an integer >= 1");
  if (!(Number.isInteger(o.windowDays) && o.windowDays >= 1)) throw new InvalidOptionError(fn, "windowDays", o.windowDays, "an integer >= 1");
  if (!(Number.isInteger(o.trendWindows) && o.trendWindows >= 1)) throw new InvalidOptionError(fn, "trendWindows", o.trendWindows, "an integer >= 1");
  if (typeof o.labels !== "boolean") throw new InvalidOptionError(fn, "labels", o.labels, "true or false");
  const cutoffInputs = Array.isArray(o.cutoff) ? (o.cutoff as readonly DateInput[]) : [o.cutoff as DateInput];
  if (cutoffInputs.length === 0) throw new InvalidOptionError(fn, "cutoff", o.cutoff, "at least one cutoff");
  const cutoffs = [...new Set(cutoffInputs.map((c) => toEpochDay(c, fn, "cutoff")))].sort((a, b) => a - b);

  const cols = toTransactionColumns(transactions, fn);
  let lastDay = -Infinity;
  for (let i = 0; i < cols.length; i++) if (cols.day[i] > lastDay) lastDay = cols.day[i];
  const dataEnd = o.dataEnd !== undefined ? toEpochDay(o.dataEnd, fn, "dataEnd") : lastDay;
  if (o.labels) {
    for (const c of cutoffs) {
      if (!(c + o.churnWindowDays <= dataEnd)) {
        throw new InvalidOptionError(
          fn,
          "churnWindowDays",
          o.churnWindowDays,
          `a window ending by the end of the data (${Number.isFinite(dataEnd) ? iso(dataEnd) : "no transactions"}); cutoff ${iso(c)} + ${o.churnWindowDays} days ends ${iso(c + o.churnWindowDays)}. Use an earlier cutoff, a shorter window, or labels: false`,
        );
      }
    }
  }
  // attributes: names and value check
  const attrNames: string[] = [];
  if (o.attributes !== undefined) {
    if (!(o.attributes instanceof Map)) throw new InvalidOptionError(fn, "attributes", o.attributes, "a Map from customer id to a record of values");
    const seen = new Set<string>();
    for (const [id, rec] of o.attributes) {
      for (const [k, v] of Object.entries(rec)) {
        if (!(v === null || v === undefined || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && !Number.isNaN(v) && Number.isFinite(v)))) {
          throw new InvalidRecordError(fn, { row: id, field: k, value: v, expected: "a finite number, string, boolean or null" });
        }
        if (!seen.has(k)) {
          seen.add(k);
          attrNames.push(k);
        }
      }
    }
    for (const k of attrNames) {
      if (FEATURES.includes(k) || k === "customerId" || k === "cutoff" || k === "churned") throw new InvalidOptionError(fn, "attributes", k, "attribute names other than the built-in columns");
    }
  }

  const { start, rows } = groupRowsByCustomer(cols);
  // sort each customer's rows by day once
  const sortedDay = new Int32Array(rows.length);
  const sortedAmt = new Float64Array(rows.length);
  const nc = cols.ids.length;
  const order: number[] = [];
  for (let c = 0; c < nc; c++) {
    const from = start[c];
    const to = start[c + 1];
    order.length = 0;
    for (let k = from; k < to; k++) order.push(rows[k]);
    order.sort((a, b) => cols.day[a] - cols.day[b]);
    for (let k = 0; k < order.length; k++) {
      sortedDay[from + k] = cols.day[order[k]];
      sortedAmt[from + k] = cols.amount[order[k]];
    }
  }

  // order output by customer id for stable results
  const byId = Array.from({ length: nc }, (_, c) => c).sort((a, b) => (cols.ids[a] < cols.ids[b] ? -1 : cols.ids[a] > cols.ids[b] ? 1 : 0));
  return { o, cutoffs, cols, attrNames, start, sortedDay, sortedAmt, byId };
}
