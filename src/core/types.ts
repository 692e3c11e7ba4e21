/**
 * The typed records every analytic starts from (see `docs/data.md`).
 *
 * Conventions:
 * - A purchase date is a **calendar day in UTC**: `Date` values at 00:00:00.000Z. Ingestion
 *   turns timestamps into calendar days (in UTC unless a `timeZone` is given).
 * - Money is a plain `number` in the data's currency; a negative `amount` is a return or refund.
 * - Customer ids are arbitrary strings; results keyed by id use `Map`, never plain objects.
 *
 * @module
 */

/**
 * A date as accepted on input: a `Date`, an ISO-8601 string, a `YYYYMMDD` string, or epoch
 * milliseconds.
 * @category Records
 */
export type DateInput = Date | string | number;

/**
 * One transaction line (validated). Produced by `readTransactions` / `parseTransactions`,
 * accepted by every analytic.
 *
 * @example
 * ```ts
 * const t: Transaction = { customerId: "c1", date: new Date("2024-03-01"), amount: 42.5, orderId: "o1", items: ["milk", "bread"] };
 * ```
 * @category Records
 */
export interface Transaction {
  /** Customer id: any non-empty string. */
  readonly customerId: string;
  /** Purchase day, a `Date` at UTC midnight. */
  readonly date: Date;
  /** Revenue of the line; negative for a return or refund. Always finite. */
  readonly amount: number;
  /** Order (basket) id; lines sharing it form one order. Absent: the customer's day is the order. */
  readonly orderId?: string;
  /** Items bought on this line (trimmed labels). */
  readonly items?: readonly string[];
  /** Cost of goods for the line, when known. */
  readonly cost?: number;
  /** Margin (profit) of the line, when known. */
  readonly margin?: number;
  /** Sales channel, when known. */
  readonly channel?: string;
  /** Any other columns of the source row, passed through untouched. */
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/**
 * A transaction as a user may write it before validation: the same fields with a looser date.
 * @category Records
 */
export interface TransactionInput {
  /** Customer id; numbers are converted to strings. */
  readonly customerId: string | number;
  /** Purchase date or timestamp. */
  readonly date: DateInput;
  /** Revenue of the line (number, or numeric string). */
  readonly amount: number | string;
  /** Order id. */
  readonly orderId?: string | number;
  /** Items on the line. */
  readonly items?: readonly string[] | string;
  /** Cost of goods. */
  readonly cost?: number | string;
  /** Margin. */
  readonly margin?: number | string;
  /** Channel. */
  readonly channel?: string;
  /** Extra attributes. */
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/**
 * Per-customer summary as of an `asOf` day, produced by `summarizeCustomers`.
 *
 * Orders are distinct `orderId`s of the customer, or distinct purchase days for lines without
 * an order id. An order counts as a purchase when at least one of its lines is not a return;
 * pure-return orders (e.g. a cancelled invoice) only reduce `totalSpend`.
 *
 * @category Records
 */
export interface CustomerSummary {
  /** Customer id. */
  readonly customerId: string;
  /** Day of the first purchase order. */
  readonly firstPurchase: Date;
  /** Day of the last purchase order. */
  readonly lastPurchase: Date;
  /** Number of purchase orders (F of RFM). At least 1. */
  readonly frequency: number;
  /** `frequency - 1`. */
  readonly repeatPurchases: number;
  /** Net revenue of all the customer's lines up to `asOf` (returns subtracted). */
  readonly totalSpend: number;
  /** `totalSpend / frequency`. */
  readonly averageOrderValue: number;
  /** Whole days from the last purchase to `asOf` (R of RFM). */
  readonly recencyDays: number;
  /** Whole days from the first purchase to `asOf`. */
  readonly tenureDays: number;
  /** Mean days between consecutive purchase orders; `null` with fewer than 2 orders. */
  readonly meanGapDays: number | null;
  /** Sample standard deviation (n - 1) of the gaps; `null` with fewer than 3 orders. */
  readonly sdGapDays: number | null;
  /** `totalSpend` divided by the number of periods from first purchase to `asOf` (at least 1). */
  readonly spendPerPeriod: number;
  /** Number of return lines (a negative amount, or `-0` for a return of no value such as a cancelled line priced 0). */
  readonly returnLines: number;
  /** Sum of the return lines' amounts, as a positive number. */
  readonly returnAmount: number;
}

/**
 * The calibration-period summary used by BG/NBD, Pareto/NBD and Gamma-Gamma.
 * Times are in the chosen time unit (e.g. weeks).
 * @category Records
 */
export interface CalibrationSummary {
  /** Customer id. */
  readonly customerId: string;
  /** Repeat purchases: purchase periods (days) after the first one, in the calibration period. */
  readonly x: number;
  /** Time from the first purchase to the last repeat purchase (0 when x = 0). */
  readonly t_x: number;
  /** Time from the first purchase to the end of the calibration period. */
  readonly T: number;
  /** Mean value of the repeat purchases (0 when x = 0), for Gamma-Gamma. */
  readonly monetaryValue: number;
  /** Day of the first purchase. */
  readonly firstPurchase: Date;
}

/**
 * A time unit for model time: `"days"`, `"weeks"` (7 days), or a number of days per unit.
 * @category Records
 */
export type TimeUnit = "days" | "weeks" | number;
