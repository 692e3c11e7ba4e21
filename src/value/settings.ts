/**
 * The settings every future value of `src/value` states in its result, so that figures from
 * different models (3D CLV, Monte Carlo, BG/NBD + Gamma-Gamma) can be put side by side and
 * checked to be on the same horizon, margin and discount rate.
 * @module
 */

/** Days in a month, the library's month (the default period of `summarizeCustomers` and `clv3d`, and the pipeline's month). */
export const MONTH_DAYS = 30;

/** Days in a year, for the effective annual discount rate. */
export const YEAR_DAYS = 365.25;

/**
 * The settings a future value was computed with: horizon, margin and discount rate, each in
 * the unit it was given and in calendar terms.
 * @category Customer value
 */
export interface FutureValueSettings {
  /** Horizon in periods (the `horizon` / `periods` option). */
  horizonPeriods: number;
  /** Length of a period in days. */
  periodDays: number;
  /** Horizon in days: `horizonPeriods * periodDays`. */
  horizonDays: number;
  /** Horizon in months of 30 days (the library's month): `horizonDays / 30`. */
  horizonMonths: number;
  /** Margin as a share of spend (1: the values are revenue). */
  marginRate: number;
  /** Discount rate per period, as given. */
  discountRatePerPeriod: number;
  /** The same discount as an effective annual rate: `(1 + discountRatePerPeriod)^(365.25 / periodDays) - 1`. */
  annualDiscountRate: number;
}

/**
 * The settings record of a result (see {@link FutureValueSettings}).
 * @internal
 */
export function futureValueSettings(horizonPeriods: number, periodDays: number, marginRate: number, discountRatePerPeriod: number): FutureValueSettings {
  const horizonDays = horizonPeriods * periodDays;
  return {
    horizonPeriods,
    periodDays,
    horizonDays,
    horizonMonths: horizonDays / MONTH_DAYS,
    marginRate,
    discountRatePerPeriod,
    annualDiscountRate: Math.expm1((YEAR_DAYS / periodDays) * Math.log1p(discountRatePerPeriod)),
  };
}
