/**
 * Linking survey respondents to customer records.
 * @module
 */
import type { CustomerTable } from "../core/table.js";
import type { SurveyTable } from "./types.js";

/**
 * Result of {@link joinSurveyCustomers}.
 * @category Survey
 */
export interface SurveyCustomerJoin {
  /** For each survey row, the matching row of the customer table, or −1. */
  readonly customerRow: Int32Array;
  /** Survey rows with a customer id found in the customer table. */
  readonly matched: number;
  /** Survey rows with a customer id not in the customer table. */
  readonly unmatched: number;
  /** Survey rows without a customer id. */
  readonly withoutCustomer: number;
  /** Customer ids given by more than one respondent (each such respondent is matched). */
  readonly repeatedCustomers: readonly string[];
}

/**
 * Match each survey respondent to the customer table row of their customer id, so survey
 * answers can be set beside behaviour (frequency, spend, recency, churn).
 *
 * @remarks
 * Exact string match of the survey's customer id against `customers.ids`; O(n + m).
 * `matched + unmatched + withoutCustomer` equals the survey's rows.
 *
 * @param survey - a {@link SurveyTable} with customer ids.
 * @param customers - a {@link CustomerTable} (or anything with its `ids`).
 * @returns the row mapping and the accounting.
 * @example
 * ```ts
 * const survey = parseSurvey([{ r: "1", c: "b", q: 3 }, { r: "2", c: "z", q: 4 }, { r: "3", q: 5 }],
 *   { scale: { min: 1, max: 5 }, respondentColumn: "r", customerColumn: "c" }).table;
 * const j = joinSurveyCustomers(survey, { ids: ["a", "b"] });
 * [Array.from(j.customerRow), j.matched, j.unmatched, j.withoutCustomer];
 * //=> [[1, -1, -1], 1, 1, 1]
 * ```
 * @category Survey
 */
export function joinSurveyCustomers(survey: SurveyTable, customers: Pick<CustomerTable, "ids">): SurveyCustomerJoin {
  const index = new Map<string, number>();
  customers.ids.forEach((id, i) => index.set(id, i));
  const customerRow = new Int32Array(survey.respondents.length).fill(-1);
  const seen = new Map<string, number>();
  let matched = 0;
  let unmatched = 0;
  let withoutCustomer = 0;
  survey.customers.forEach((c, r) => {
    if (c === null) {
      withoutCustomer++;
      return;
    }
    seen.set(c, (seen.get(c) ?? 0) + 1);
    const i = index.get(c);
    if (i === undefined) unmatched++;
    else {
      customerRow[r] = i;
      matched++;
    }
  });
  const repeatedCustomers = [...seen].filter(([, k]) => k > 1).map(([c]) => c);
  return { customerRow, matched, unmatched, withoutCustomer, repeatedCustomers };
}
