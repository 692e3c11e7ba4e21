/**
 * From customer data to survival data: time to churn per customer, with the customers who have
 * not churned yet censored at the analysis day, and cohort labels for curves per cohort.
 * @module
 */
import { InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { CustomerTable, Transaction, TransactionTable } from "../core/index.js";
import { dayToDate } from "../core/time.js";
import { summarizeCustomersTable, type SummarizeCustomersOptions } from "../summary/summarize.js";

/**
 * How the event time of a churned customer is measured from the first purchase: `"windowEnd"`
 * the day the churn window ran out (last purchase + window; consistent with censoring the
 * others at `asOf`), `"lastPurchase"` the last purchase (the active lifetime; then every
 * customer, churned or not, is measured to the last purchase).
 * @category Survival
 */
export type ChurnEventTime = "windowEnd" | "lastPurchase";

/**
 * Options of {@link churnSurvivalData}.
 * @category Survival
 */
export interface ChurnSurvivalOptions {
  /** Days without a purchase after which a customer counts as churned. Default `180` (as `churnDataset`). */
  churnWindowDays?: number;
  /** Event time of a churned customer. Default `"windowEnd"`. */
  eventTime?: ChurnEventTime;
  /** Days per time unit of the output (1 = days, 30 = months of 30 days, 7 = weeks). Default `1`. */
  unitDays?: number;
}

/** The defaults of {@link ChurnSurvivalOptions}. @category Survival */
export const CHURN_SURVIVAL_DEFAULTS: Readonly<Required<ChurnSurvivalOptions>> = Object.freeze({ churnWindowDays: 180, eventTime: "windowEnd", unitDays: 1 });

/**
 * Time-to-churn per customer, keyed by the same row index as the customer table.
 * @category Survival
 */
export interface ChurnSurvivalData {
  /** Customer id per row (the customer table's order). */
  readonly ids: readonly string[];
  /** Follow-up time per customer, in `unitDays` units. */
  readonly time: Float64Array;
  /** 1 = churned (no purchase for `churnWindowDays` by `asOf`), 0 = still active (censored). */
  readonly status: Uint8Array;
  /** The rule applied, in words (for reports). */
  readonly rule: string;
}

function checkOptions(fn: string, options: ChurnSurvivalOptions | undefined): Required<ChurnSurvivalOptions> {
  const o = withDefaults(CHURN_SURVIVAL_DEFAULTS, options) as Required<ChurnSurvivalOptions>;
  if (!(Number.isInteger(o.churnWindowDays) && o.churnWindowDays >= 1)) throw new InvalidOptionError(fn, "churnWindowDays", o.churnWindowDays, "an integer >= 1");
  if (o.eventTime !== "windowEnd" && o.eventTime !== "lastPurchase") throw new InvalidOptionError(fn, "eventTime", o.eventTime, '"windowEnd" or "lastPurchase"');
  if (typeof o.unitDays !== "number" || !(o.unitDays > 0) || !Number.isFinite(o.unitDays)) throw new InvalidOptionError(fn, "unitDays", o.unitDays, "a finite number of days > 0");
  return o;
}

/**
 * Time to churn from a customer table (one row per customer with a purchase by `asOf`).
 *
 * @remarks
 * With F the first purchase day, L the last and `recencyDays` = asOf - L: a customer has
 * churned (status 1) when recencyDays >= W (`churnWindowDays`: the W days after L passed
 * without a purchase, the same rule as `churnDataset`'s label). Default `"windowEnd"` times: a
 * churned customer's time is L + W - F (the day the churn became certain), an active one is
 * censored at asOf - F (`tenureDays`); since an active customer has L + W > asOf, the censoring
 * is honest: the churn, if it comes, comes after asOf. With `"lastPurchase"` every time is
 * L - F (one-time buyers get 0). Times are divided by `unitDays`. Feed `time` and `status` to
 * {@link kaplanMeierByGroup} with a segment or {@link cohortLabels} column, to
 * {@link logRankTest}, or to {@link coxPh} with customer features.
 *
 * @param customers - a `CustomerTable` (from `summarizeCustomersTable`).
 * @param options - see {@link ChurnSurvivalOptions}.
 * @returns ids, times and statuses in the table's row order.
 * @throws {@link InvalidOptionError} for a bad option.
 * @example
 * ```ts
 * const { customers } = summarizeCustomersTable(toTransactionTable([
 *   { customerId: "a", date: new Date("2024-01-01"), amount: 10 },
 *   { customerId: "a", date: new Date("2024-02-01"), amount: 10 },
 *   { customerId: "b", date: new Date("2024-01-01"), amount: 10 },
 *   { customerId: "b", date: new Date("2024-06-20"), amount: 10 },
 * ]), { asOf: "2024-07-01" });
 * const s = churnSurvivalData(customers, { churnWindowDays: 90 });
 * // a: last purchase 151 days before asOf, churned at 31 + 90 days; b: active, censored at 182
 * [Array.from(s.time), Array.from(s.status)];
 * //=> [[121, 182], [1, 0]]
 * ```
 * @category Survival
 */
export function churnSurvivalData(customers: CustomerTable, options?: ChurnSurvivalOptions): ChurnSurvivalData {
  const fn = "churnSurvivalData";
  const o = checkOptions(fn, options);
  if (customers === null || typeof customers !== "object" || !(customers.firstPurchase instanceof Int32Array)) {
    throw new InvalidOptionError(fn, "customers", customers, "a CustomerTable (from summarizeCustomersTable)");
  }
  const n = customers.length;
  const time = new Float64Array(n);
  const status = new Uint8Array(n);
  const W = o.churnWindowDays;
  for (let i = 0; i < n; i++) {
    const active = customers.lastPurchase[i] - customers.firstPurchase[i];
    const churned = customers.recencyDays[i] >= W;
    status[i] = churned ? 1 : 0;
    const days = o.eventTime === "lastPurchase" ? active : churned ? active + W : customers.tenureDays[i];
    time[i] = days / o.unitDays;
  }
  const rule =
    `churned = no purchase in the ${W} days after the last purchase (by asOf); ` +
    (o.eventTime === "windowEnd"
      ? `event time = last purchase - first purchase + ${W} days; active customers censored at asOf - first purchase`
      : "time = last purchase - first purchase for every customer") +
    (o.unitDays === 1 ? "; in days" : `; in units of ${o.unitDays} days`);
  return { ids: customers.ids, time, status, rule };
}

/**
 * {@link churnSurvivalData} straight from transactions: summarises them as of `asOf` first
 * (`summarizeCustomersTable`, same rules).
 *
 * @param transactions - a `TransactionTable` or validated transactions.
 * @param options - churn options plus the summary options (`asOf`, `timeZone`).
 * @returns ids, times and statuses, one per customer with a purchase by `asOf`, sorted by id.
 * @throws as {@link churnSurvivalData} and `summarizeCustomersTable`.
 * @example
 * ```ts
 * const s = churnSurvivalFromTransactions([
 *   { customerId: "a", date: new Date("2024-01-01"), amount: 10 },
 *   { customerId: "b", date: new Date("2024-03-01"), amount: 10 },
 * ], { asOf: "2024-04-01", churnWindowDays: 60 });
 * [s.ids, Array.from(s.time), Array.from(s.status)];
 * //=> [["a", "b"], [60, 31], [1, 0]]
 * ```
 * @category Survival
 */
export function churnSurvivalFromTransactions(transactions: Iterable<Transaction> | TransactionTable, options?: ChurnSurvivalOptions & SummarizeCustomersOptions): ChurnSurvivalData {
  const o = options ?? {};
  checkOptions("churnSurvivalFromTransactions", o);
  const { customers } = summarizeCustomersTable(transactions, { asOf: o.asOf, timeZone: o.timeZone, periodDays: o.periodDays });
  return churnSurvivalData(customers, { churnWindowDays: o.churnWindowDays, eventTime: o.eventTime, unitDays: o.unitDays });
}

/**
 * Acquisition cohort per customer, from the first purchase day: `"2024-01"` (month),
 * `"2024-Q1"` (quarter) or `"2024"` (year). Labels sort in time order as strings.
 *
 * @param customers - a `CustomerTable`.
 * @param unit - cohort length. Default `"month"`.
 * @returns one label per row of the table.
 * @throws {@link InvalidOptionError} for an unknown unit.
 * @example
 * ```ts
 * const { customers } = summarizeCustomersTable(toTransactionTable([
 *   { customerId: "a", date: new Date("2024-01-15"), amount: 10 },
 *   { customerId: "b", date: new Date("2024-05-02"), amount: 10 },
 * ]));
 * [cohortLabels(customers), cohortLabels(customers, "quarter")];
 * //=> [["2024-01", "2024-05"], ["2024-Q1", "2024-Q2"]]
 * ```
 * @category Survival
 */
export function cohortLabels(customers: CustomerTable, unit: "month" | "quarter" | "year" = "month"): string[] {
  if (unit !== "month" && unit !== "quarter" && unit !== "year") throw new InvalidOptionError("cohortLabels", "unit", unit, '"month", "quarter" or "year"');
  const out = new Array<string>(customers.length);
  for (let i = 0; i < customers.length; i++) {
    const d = dayToDate(customers.firstPurchase[i]);
    const y = String(d.getUTCFullYear());
    const m = d.getUTCMonth();
    out[i] = unit === "year" ? y : unit === "quarter" ? `${y}-Q${Math.floor(m / 3) + 1}` : `${y}-${String(m + 1).padStart(2, "0")}`;
  }
  return out;
}
