import { groupRowsByCustomer, toTransactionTable } from "../core/columns.js";
import { InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { isReturnAmount, type DictionaryColumn, type TransactionTable } from "../core/table.js";
import { toEpochDay } from "../core/time.js";
import type { DateInput, Transaction } from "../core/types.js";
import { fsum } from "../numeric/sum.js";
import { checkGrain, periodLabel, periodOf, periodStartDay, type PeriodGrain } from "./periods.js";

/**
 * Options shared by {@link periodRetention} and {@link cohortTable}.
 * @category Retention
 */
export interface RetentionOptions {
  /** Period grain: `"month"`, `"quarter"` or `"week"` (Monday to Sunday). Default `"month"`. */
  grain?: PeriodGrain;
  /** Last day included: later rows are left out and counted; the last period ends at the period containing it. Default: the last transaction day. */
  asOf?: DateInput;
  /** Time zone in which an `asOf` instant becomes a day. Default `"UTC"`. */
  timeZone?: string;
}

const RETENTION_DEFAULTS = Object.freeze({ grain: "month" as PeriodGrain });

/**
 * Accounting of the transactions shared by the retention results.
 * @category Retention
 */
export interface RetentionReport {
  /** Rows of the table. */
  rows: number;
  /** Rows on or before `asOf`. */
  usedRows: number;
  /** Rows after `asOf`, left out. `usedRows + excludedAfterAsOf === rows`. */
  excludedAfterAsOf: number;
  /** Customers with a purchase by `asOf` (each belongs to exactly one cohort). */
  customers: number;
  /** Customers whose used rows are all returns: no purchase, so no cohort; their revenue is in `revenueWithoutCohort`. */
  customersWithoutPurchase: number;
  /** Net revenue of the customers without a purchase (not in any cohort cell). */
  revenueWithoutCohort: number;
  /** Return lines dated before their customer's first purchase period, counted in the cohort's period 0. */
  linesBeforeFirstPurchase: number;
  /** The analysis day (ISO date). */
  asOf: string;
  /** Whether `asOf` is the last day of its period (when false the last period is partial: its activity is understated). */
  lastPeriodComplete: boolean;
}

/** Per-customer activity: sorted distinct purchase periods, in CSR layout. */
interface Activity {
  grain: PeriodGrain;
  asOf: number;
  first: number; // first calendar period (index)
  last: number; // last calendar period (index), >= first unless no purchase at all
  /** customer code -> offset into `periods`; customers without purchase have an empty range. */
  offsets: Int32Array;
  periods: Int32Array;
  rows: Int32Array;
  start: Int32Array;
  /** Period of each grouped row (`rowPeriod[k]` is the period of `rows[k]`). */
  rowPeriod: Int32Array;
  report: Omit<RetentionReport, "revenueWithoutCohort" | "linesBeforeFirstPurchase">;
}

function activity(t: TransactionTable, options: RetentionOptions | undefined, fn: string): Activity {
  const o = withDefaults(RETENTION_DEFAULTS, options);
  const grain = checkGrain(o.grain, fn);
  let asOf: number;
  if (o.asOf !== undefined) asOf = toEpochDay(o.asOf, fn, "asOf", { timeZone: o.timeZone });
  else {
    asOf = -Infinity;
    for (let i = 0; i < t.length; i++) if (t.day[i] > asOf) asOf = t.day[i];
    if (asOf === -Infinity) asOf = 0;
  }
  const { start, rows } = groupRowsByCustomer(t, (i) => t.day[i] <= asOf);
  const nc = t.ids.length;
  const offsets = new Int32Array(nc + 1);
  const buf: number[] = [];
  let first = Infinity;
  let customers = 0;
  let withoutPurchase = 0;
  const scratch: number[] = [];
  const rowPeriod = new Int32Array(rows.length);
  for (let c = 0; c < nc; c++) {
    offsets[c] = buf.length;
    const from = start[c];
    const to = start[c + 1];
    if (from === to) continue;
    scratch.length = 0;
    for (let k = from; k < to; k++) {
      const i = rows[k];
      const p = periodOf(t.day[i], grain);
      rowPeriod[k] = p;
      if (!isReturnAmount(t.amount[i])) scratch.push(p);
    }
    if (scratch.length === 0) {
      withoutPurchase++;
      continue;
    }
    customers++;
    scratch.sort((a, b) => a - b);
    let prev = NaN;
    for (const p of scratch) {
      if (p !== prev) buf.push(p);
      prev = p;
    }
    if (scratch[0] < first) first = scratch[0];
  }
  offsets[nc] = buf.length;
  const lastPeriod = periodOf(asOf, grain);
  const complete = periodStartDay(lastPeriod + 1, grain) - 1 === asOf;
  return {
    grain,
    asOf,
    first: Number.isFinite(first) ? first : lastPeriod,
    last: lastPeriod,
    offsets,
    periods: Int32Array.from(buf),
    rows,
    start,
    rowPeriod,
    report: {
      rows: t.length,
      usedRows: rows.length,
      excludedAfterAsOf: t.length - rows.length,
      customers,
      customersWithoutPurchase: withoutPurchase,
      asOf: new Date(asOf * 86_400_000).toISOString().slice(0, 10),
      lastPeriodComplete: complete,
    },
  };
}

/**
 * Retention of the customer base in one calendar period.
 * @category Retention
 */
export interface PeriodRetentionRow {
  /** Period label (`"2024-01"`, `"2024-Q1"`, or the week's Monday). */
  period: string;
  /** Customers with a purchase in the period. `active = retained + new + reactivated`. */
  active: number;
  /** Customers active in the previous period (0 for the first period). */
  previousActive: number;
  /** Customers active in both the previous period and this one. */
  retained: number;
  /** Customers whose first purchase is in this period. */
  new: number;
  /** Customers active now, not in the previous period, and not new. */
  reactivated: number;
  /** `retained / previousActive`; `null` when nobody was active in the previous period (the first period, or an empty one). */
  rate: number | null;
}

/**
 * Result of {@link periodRetention}.
 * @category Retention
 */
export interface PeriodRetentionResult {
  /** The grain used. */
  grain: PeriodGrain;
  /** One row per calendar period from the first purchase period to the period of `asOf`, empty periods included (none when nobody purchased). */
  periods: PeriodRetentionRow[];
  /** Pooled rate over the periods: Σ retained / Σ previousActive (`null` when Σ previousActive = 0). */
  overallRate: number | null;
  /** Accounting of the input. */
  report: RetentionReport;
}

/**
 * Period-to-period retention of the customer base: of the customers active (with a purchase)
 * in period t − 1, the share also active in period t; with the new and reactivated customers
 * of each period.
 *
 * @remarks
 * A customer is active in a period when at least one of its lines dated in it is not a return
 * (`isReturnAmount`). rate(t) = |active(t − 1) ∩ active(t)| / |active(t − 1)|. Months and
 * quarters are calendar periods (UTC days); weeks run Monday to Sunday. The period of `asOf` is
 * the last one and may be partial (`report.lastPeriodComplete`), which lowers its rate.
 * Complexity O(n log n) (one sort of each customer's purchase periods).
 *
 * @param transactions - the transaction table (or `Transaction` records, converted once).
 * @param options - see {@link RetentionOptions}.
 * @returns one row per period, the pooled rate and the accounting.
 * @throws {@link InvalidOptionError} for an unknown grain or a bad `asOf`.
 * @example
 * ```ts
 * const t = toTransactionTable([
 *   { customerId: "a", date: "2024-01-05", amount: 10 },
 *   { customerId: "b", date: "2024-01-20", amount: 10 },
 *   { customerId: "a", date: "2024-02-03", amount: 10 },
 *   { customerId: "c", date: "2024-02-10", amount: 10 },
 *   { customerId: "b", date: "2024-03-01", amount: 10 },
 * ]);
 * // February keeps a of {a, b}: 1/2; March keeps nobody of {a, c}, b comes back
 * periodRetention(t, { asOf: "2024-03-31" }).periods.map((p) => [p.period, p.rate, p.reactivated]);
 * //=> [["2024-01", null, 0], ["2024-02", 0.5, 0], ["2024-03", 0, 1]]
 * ```
 * @category Retention
 */
export function periodRetention(transactions: TransactionTable | Iterable<Transaction>, options: RetentionOptions = {}): PeriodRetentionResult {
  const fn = "periodRetention";
  const table = toTransactionTable(transactions, fn);
  const a = activity(table, options, fn);
  const width = a.report.customers > 0 ? a.last - a.first + 1 : 0;
  const active = new Float64Array(width);
  const retained = new Float64Array(width);
  const fresh = new Float64Array(width);
  const nc = table.ids.length;
  for (let c = 0; c < nc; c++) {
    const from = a.offsets[c];
    const to = a.offsets[c + 1];
    if (from === to) continue;
    fresh[a.periods[from] - a.first]++;
    for (let k = from; k < to; k++) {
      const p = a.periods[k] - a.first;
      active[p]++;
      if (k > from && a.periods[k - 1] === a.periods[k] - 1) retained[p]++;
    }
  }
  const periods: PeriodRetentionRow[] = [];
  let sumRetained = 0;
  let sumPrev = 0;
  for (let p = 0; p < width; p++) {
    const prev = p > 0 ? active[p - 1] : 0;
    sumRetained += p > 0 ? retained[p] : 0;
    sumPrev += prev;
    periods.push({
      period: periodLabel(a.first + p, a.grain),
      active: active[p],
      previousActive: prev,
      retained: retained[p],
      new: fresh[p],
      reactivated: active[p] - retained[p] - fresh[p],
      rate: prev > 0 ? retained[p] / prev : null,
    });
  }
  return { grain: a.grain, periods, overallRate: sumPrev > 0 ? sumRetained / sumPrev : null, report: fullReport(table, a) };
}

/** The report with the revenue of customers without a cohort and the early return lines. */
function fullReport(t: TransactionTable, a: Activity): RetentionReport {
  const nc = t.ids.length;
  const noCohort: number[] = [];
  let early = 0;
  for (let c = 0; c < nc; c++) {
    const from = a.start[c];
    const to = a.start[c + 1];
    if (from === to) continue;
    const hasCohort = a.offsets[c + 1] > a.offsets[c];
    const firstPeriod = hasCohort ? a.periods[a.offsets[c]] : 0;
    for (let k = from; k < to; k++) {
      const i = a.rows[k];
      if (!hasCohort) noCohort.push(t.amount[i]);
      else if (a.rowPeriod[k] < firstPeriod) early++;
    }
  }
  return { ...a.report, revenueWithoutCohort: fsum(noCohort), linesBeforeFirstPurchase: early };
}

/**
 * One cell of the tidy cohort table: a cohort in its `period`-th period since acquisition.
 * @category Retention
 */
export interface CohortCell {
  /** Cohort label: the period of the first purchase. */
  cohort: string;
  /** Periods since acquisition (0 = the acquisition period). */
  period: number;
  /** Calendar label of the cell's period. */
  calendarPeriod: string;
  /** Customers acquired in the cohort (its size). */
  customers: number;
  /** Cohort customers with a purchase in the period. */
  active: number;
  /** `active / customers`. */
  retention: number;
  /** Cohort customers active in this period and the previous one (0 in period 0). */
  retained: number;
  /** Cohort customers with a purchase in this period or a later observed one ("alive"). */
  alive: number;
  /** Net revenue of the cohort's customers in the period (returns subtracted). */
  revenue: number;
  /** `revenue / revenue in period 0`; `null` when the period-0 revenue is <= 0. */
  revenueRetention: number | null;
}

/**
 * The cohort table as matrices (row-major, `cohorts.length` rows × `width` columns, column =
 * periods since acquisition). Cells a cohort has not reached yet (`period >= observed[row]`)
 * hold 0, as do `revenueRetention` cells whose period-0 revenue is <= 0 (`null` in the tidy table).
 * @category Retention
 */
export interface CohortMatrix {
  /** Cohort labels, oldest first (only periods in which someone was acquired). */
  cohorts: string[];
  /** Columns: the number of calendar periods, so the oldest cohort's full history fits. */
  width: number;
  /** Cohort sizes. */
  size: Int32Array;
  /** Observed periods per cohort: from its acquisition period to the period of `asOf`. */
  observed: Int32Array;
  /** Active customers. */
  active: Int32Array;
  /** Active share of the cohort. */
  retention: Float64Array;
  /** Customers active in the period and the previous one. */
  retained: Int32Array;
  /** Customers with a purchase in the period or later. */
  alive: Int32Array;
  /** Net revenue. */
  revenue: Float64Array;
  /** Revenue over the cohort's period-0 revenue. */
  revenueRetention: Float64Array;
}

/**
 * Each customer's cohort (customers with a purchase, sorted by id: the `CustomerTable` order).
 * @category Retention
 */
export interface CohortMembership {
  /** Customer ids, sorted. */
  ids: string[];
  /** Cohort per customer: `values` = the cohort labels (`matrix.cohorts`). */
  cohort: DictionaryColumn<string>;
}

/**
 * Result of {@link cohortTable}.
 * @category Retention
 */
export interface CohortTableResult {
  /** The grain used. */
  grain: PeriodGrain;
  /** Every observed cell, by cohort then period. */
  tidy: CohortCell[];
  /** The same as matrices. */
  matrix: CohortMatrix;
  /** Each customer's cohort: `ids` sorted (the `CustomerTable` order), `cohort.values` = `matrix.cohorts`. */
  customers: CohortMembership;
  /** Accounting of the input. */
  report: RetentionReport;
}

/**
 * Acquisition cohorts (customers grouped by the period of their first purchase) followed period
 * by period since acquisition: active customers, retention share, revenue and revenue retention,
 * as a tidy table and as matrices (a heatmap's input), with the survivor counts that
 * {@link retentionEstimates} turns into the retention rate of `bergerNasrClv` and the sBG model.
 *
 * @remarks
 * For cohort c (first purchase in calendar period c) and k periods later:
 * active(c, k) = customers of c with a purchase in period c + k; retention = active / size;
 * retained(c, k) = customers active in both c + k − 1 and c + k; alive(c, k) = customers with a
 * purchase in c + k or any later period up to `asOf` (so alive(c, 0) = size and alive never
 * rises); revenue(c, k) = net amount of the lines of c's customers dated in c + k, and revenue
 * retention = revenue(c, k) / revenue(c, 0). Cells run from k = 0 to the period of `asOf`. A
 * cohort of one customer has retention 0 or 1 in every cell. Return lines dated before the
 * customer's first purchase (a data error) are counted in period 0 and reported. Customers
 * whose lines are all returns have no cohort and are counted, with their revenue, in the report.
 * Sums are exact ({@link fsum}). Complexity O(n log n).
 *
 * @param transactions - the transaction table (or `Transaction` records, converted once).
 * @param options - see {@link RetentionOptions}.
 * @returns the tidy table, the matrices, each customer's cohort and the accounting.
 * @throws {@link InvalidOptionError} for an unknown grain or a bad `asOf`.
 * @example
 * ```ts
 * const t = toTransactionTable([
 *   { customerId: "a", date: "2024-01-05", amount: 10 },
 *   { customerId: "b", date: "2024-01-20", amount: 30 },
 *   { customerId: "a", date: "2024-02-03", amount: 20 },
 *   { customerId: "c", date: "2024-02-10", amount: 5 },
 * ]);
 * const c = cohortTable(t, { asOf: "2024-02-29" });
 * c.tidy.map((x) => [x.cohort, x.period, x.active, x.retention, x.revenue, x.revenueRetention]);
 * //=> [["2024-01", 0, 2, 1, 40, 1], ["2024-01", 1, 1, 0.5, 20, 0.5], ["2024-02", 0, 1, 1, 5, 1]]
 * [c.matrix.cohorts, [...c.matrix.active]];
 * //=> [["2024-01", "2024-02"], [2, 1, 1, 0]]
 * ```
 * @category Retention
 */
export function cohortTable(transactions: TransactionTable | Iterable<Transaction>, options: RetentionOptions = {}): CohortTableResult {
  const fn = "cohortTable";
  const table = toTransactionTable(transactions, fn);
  const a = activity(table, options, fn);
  const nc = table.ids.length;
  const width = a.report.customers > 0 ? a.last - a.first + 1 : 0;
  // cohorts: the distinct first periods
  const cohortOfPeriod = new Int32Array(width).fill(-1);
  for (let c = 0; c < nc; c++) if (a.offsets[c + 1] > a.offsets[c]) cohortOfPeriod[a.periods[a.offsets[c]] - a.first] = 1;
  const cohortPeriods: number[] = [];
  for (let p = 0; p < width; p++) if (cohortOfPeriod[p] === 1) {
    cohortOfPeriod[p] = cohortPeriods.length;
    cohortPeriods.push(a.first + p);
  }
  const nco = cohortPeriods.length;
  const cells = nco * width;
  const size = new Int32Array(nco);
  const observed = new Int32Array(nco);
  const active = new Int32Array(cells);
  const retained = new Int32Array(cells);
  const aliveDiff = new Int32Array(nco * (width + 1));
  const customerCohort = new Int32Array(nc).fill(-1);
  for (let j = 0; j < nco; j++) observed[j] = a.last - cohortPeriods[j] + 1;
  for (let c = 0; c < nc; c++) {
    const from = a.offsets[c];
    const to = a.offsets[c + 1];
    if (from === to) continue;
    const p0 = a.periods[from];
    const j = cohortOfPeriod[p0 - a.first];
    customerCohort[c] = j;
    size[j]++;
    for (let k = from; k < to; k++) {
      const off = a.periods[k] - p0;
      active[j * width + off]++;
      if (k > from && a.periods[k - 1] === a.periods[k] - 1) retained[j * width + off]++;
    }
    // alive in offsets 0 .. (last purchase offset)
    aliveDiff[j * (width + 1)]++;
    aliveDiff[j * (width + 1) + (a.periods[to - 1] - p0) + 1]--;
  }
  const alive = new Int32Array(cells);
  for (let j = 0; j < nco; j++) {
    let run = 0;
    for (let k = 0; k < width; k++) {
      run += aliveDiff[j * (width + 1) + k];
      alive[j * width + k] = run;
    }
  }
  // revenue per cell: rows of customers with a cohort, counting-sorted by cell, exact sums
  const cellOfRow = new Int32Array(a.rows.length);
  const cellCount = new Int32Array(cells + 1);
  for (let c = 0; c < nc; c++) {
    const j = customerCohort[c];
    for (let k = a.start[c]; k < a.start[c + 1]; k++) {
      if (j < 0) {
        cellOfRow[k] = -1;
        continue;
      }
      const off = Math.max(0, a.rowPeriod[k] - cohortPeriods[j]);
      cellOfRow[k] = j * width + off;
      cellCount[j * width + off + 1]++;
    }
  }
  for (let q = 0; q < cells; q++) cellCount[q + 1] += cellCount[q];
  const fill = cellCount.slice(0, cells);
  const amounts = new Float64Array(cellCount[cells]);
  for (let k = 0; k < a.rows.length; k++) if (cellOfRow[k] >= 0) amounts[fill[cellOfRow[k]]++] = table.amount[a.rows[k]];
  const revenue = new Float64Array(cells);
  for (let q = 0; q < cells; q++) revenue[q] = fsum(amounts.subarray(cellCount[q], cellCount[q + 1]));

  const retention = new Float64Array(cells);
  const revenueRetention = new Float64Array(cells);
  const labels = cohortPeriods.map((p) => periodLabel(p, a.grain));
  const tidy: CohortCell[] = [];
  for (let j = 0; j < nco; j++) {
    const base = revenue[j * width];
    for (let k = 0; k < observed[j]; k++) {
      const q = j * width + k;
      retention[q] = active[q] / size[j];
      const rr = base > 0 ? revenue[q] / base : null;
      revenueRetention[q] = rr ?? 0;
      tidy.push({
        cohort: labels[j],
        period: k,
        calendarPeriod: periodLabel(cohortPeriods[j] + k, a.grain),
        customers: size[j],
        active: active[q],
        retention: retention[q],
        retained: retained[q],
        alive: alive[q],
        revenue: revenue[q],
        revenueRetention: rr,
      });
    }
  }
  // customers, sorted by id
  const withCohort: number[] = [];
  for (let c = 0; c < nc; c++) if (customerCohort[c] >= 0) withCohort.push(c);
  const ids0 = table.ids;
  withCohort.sort((x, y) => (ids0[x] < ids0[y] ? -1 : ids0[x] > ids0[y] ? 1 : 0));
  return {
    grain: a.grain,
    tidy,
    matrix: { cohorts: labels, width, size, observed, active, retention, retained, alive, revenue, revenueRetention },
    customers: { ids: withCohort.map((c) => ids0[c]), cohort: { codes: Int32Array.from(withCohort, (c) => customerCohort[c]), values: labels } },
    report: fullReport(table, a),
  };
}

/**
 * What "still a customer" means in {@link retentionEstimates}:
 * - `"alive"`: purchased in the period or any later observed one (non-increasing survivor
 *   counts, as the sBG model and a constant-retention model assume);
 * - `"active"`: purchased in the period; a period's survivors are those active in it and in the
 *   previous one.
 * @category Retention
 */
export type SurvivalDefinition = "alive" | "active";

/**
 * Options of {@link retentionEstimates}.
 * @category Retention
 */
export interface RetentionEstimatesOptions {
  /** Survivor definition. Default `"alive"`. */
  survival?: SurvivalDefinition;
  /** Leave out the last calendar period (it is usually partial, and under `"alive"` the most recent periods are understated because later purchases are not seen yet). Default `false`. */
  dropLastPeriod?: boolean;
}

/**
 * One step of the pooled retention curve: from `period − 1` to `period` since acquisition.
 * @category Retention
 */
export interface PooledRetention {
  /** Periods since acquisition (>= 1). */
  period: number;
  /** Customers at risk: survivors at `period − 1` of the cohorts observed at `period`. */
  atRisk: number;
  /** Of those, survivors at `period`. */
  survived: number;
  /** `survived / atRisk`, `null` when nobody was at risk. */
  retention: number | null;
}

/**
 * One transition of a cohort, from period k − 1 to k since acquisition.
 * @category Retention
 */
export interface CohortTransition {
  /** Survivors at k − 1. */
  atRisk: number;
  /** Of those, survivors at k. */
  survived: number;
}

/**
 * A cohort's survivor counts, the input of an sBG fit.
 * @category Retention
 */
export interface CohortSurvivorCounts {
  /** Cohort label. */
  cohort: string;
  /** Survivors at periods 0, 1, ... since acquisition (`survivors[0]` = the cohort size). */
  survivors: number[];
  /** Transitions k − 1 -> k for k = 1, 2, ... */
  transitions: CohortTransition[];
}

/**
 * Result of {@link retentionEstimates}.
 * @category Retention
 */
export interface RetentionEstimates {
  /** The survivor definition used. */
  survival: SurvivalDefinition;
  /** Per cohort: survivor counts for periods 0, 1, ... (the sBG's input; `survivors[0]` = cohort size under `"alive"`, the period-0 actives under `"active"`, the same number). */
  byCohort: CohortSurvivorCounts[];
  /** Retention by periods since acquisition, pooled over the cohorts that reached it. */
  pooled: PooledRetention[];
  /** Constant-retention estimate (for `bergerNasrClv`): Σ survived / Σ atRisk over every cohort and period; `null` when nobody was at risk. */
  retention: number | null;
  /** Σ atRisk behind `retention`. */
  atRisk: number;
  /** Σ survived behind `retention`. */
  survived: number;
}

const ESTIMATES_DEFAULTS = Object.freeze({ survival: "alive" as SurvivalDefinition, dropLastPeriod: false });

/**
 * Retention estimates from a cohort table: per-cohort survivor counts (the input of the sBG
 * model), the pooled retention by period since acquisition, and the constant retention rate
 * that `bergerNasrClv` takes, with the counts behind each.
 *
 * @remarks
 * Each transition from period k − 1 to k of a cohort puts `atRisk` customers at risk and sees
 * `survived` of them survive: under `"alive"` (default) atRisk = alive(k − 1), survived =
 * alive(k); under `"active"` atRisk = active(k − 1), survived = retained(k). The constant
 * retention r̂ = Σ survived / Σ atRisk is the maximum-likelihood estimate of a geometric
 * lifetime (every customer at risk survives each period with the same probability r) and lies
 * in [0, 1]; `bergerNasrClv` needs r < 1, so r̂ = 1 (nobody lapsed) must be capped by the
 * caller. "alive" is the default because it matches the sBG/contractual reading (a customer
 * is lost once, for good) and gives non-increasing survivor counts; its recent periods are
 * understated (right-censoring), which `dropLastPeriod` softens. Complexity O(cells).
 *
 * @param cohorts - a {@link cohortTable} result.
 * @param options - see {@link RetentionEstimatesOptions}.
 * @returns survivor counts, the pooled curve and the constant-retention estimate.
 * @throws {@link InvalidOptionError} for a bad option.
 * @example
 * ```ts
 * // c: the table of the cohortTable example
 * const e = retentionEstimates(c);
 * // 2024-01: alive 2 then 1 (a bought again); 2024-02 has no transition yet: r = 1 / 2
 * [e.byCohort.map((x) => x.survivors), e.retention];
 * //=> [[[2, 1], [1]], 0.5]
 * ```
 * @category Retention
 */
export function retentionEstimates(cohorts: CohortTableResult, options: RetentionEstimatesOptions = {}): RetentionEstimates {
  const fn = "retentionEstimates";
  const o = withDefaults(ESTIMATES_DEFAULTS, options);
  if (o.survival !== "alive" && o.survival !== "active") throw new InvalidOptionError(fn, "survival", o.survival, '"alive" or "active"');
  if (typeof o.dropLastPeriod !== "boolean") throw new InvalidOptionError(fn, "dropLastPeriod", o.dropLastPeriod, "true or false");
  const m = cohorts?.matrix;
  if (!m || !(m.active instanceof Int32Array)) throw new InvalidOptionError(fn, "cohorts", cohorts, "a cohortTable result");
  const w = m.width;
  const risk = new Float64Array(w);
  const surv = new Float64Array(w);
  const byCohort: RetentionEstimates["byCohort"] = [];
  let maxObserved = 0;
  for (let j = 0; j < m.cohorts.length; j++) {
    const obs = Math.max(0, m.observed[j] - (o.dropLastPeriod ? 1 : 0));
    maxObserved = Math.max(maxObserved, obs);
    const s = o.survival === "alive" ? m.alive : m.active;
    const survivors: number[] = [];
    const transitions: CohortTransition[] = [];
    for (let k = 0; k < obs; k++) {
      survivors.push(s[j * w + k]);
      if (k === 0) continue;
      const atRisk = s[j * w + k - 1];
      const survived = o.survival === "alive" ? m.alive[j * w + k] : m.retained[j * w + k];
      transitions.push({ atRisk, survived });
      risk[k] += atRisk;
      surv[k] += survived;
    }
    byCohort.push({ cohort: m.cohorts[j], survivors, transitions });
  }
  const pooled: PooledRetention[] = [];
  let atRisk = 0;
  let survived = 0;
  for (let k = 1; k < maxObserved; k++) {
    pooled.push({ period: k, atRisk: risk[k], survived: surv[k], retention: risk[k] > 0 ? surv[k] / risk[k] : null });
    atRisk += risk[k];
    survived += surv[k];
  }
  return { survival: o.survival, byCohort, pooled, retention: atRisk > 0 ? survived / atRisk : null, atRisk, survived };
}
