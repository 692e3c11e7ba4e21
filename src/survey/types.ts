/**
 * Shared survey types: answer scales and the survey response table.
 * @module
 */

/**
 * The answer scale of an item: answers are numbers in `[min, max]`, whole numbers when
 * `integer` is true.
 * @category Survey
 */
export interface SurveyScale {
  /** Lowest allowed answer (for example 1). */
  readonly min: number;
  /** Highest allowed answer (for example 10); greater than `min`. */
  readonly max: number;
  /** Whether answers must be whole numbers. Default `true`. */
  readonly integer?: boolean;
}

/**
 * A survey response table: one row per respondent, one `Float64Array` column per item (`NaN` =
 * no answer), in the columnar style of the transaction table.
 * @category Survey
 */
export interface SurveyTable {
  /** Discriminant. */
  readonly kind: "survey";
  /** Respondent ids, one per row, unique. */
  readonly respondents: readonly string[];
  /** Customer id per row for joining with transactions, `null` where none was given. */
  readonly customers: readonly (string | null)[];
  /** Item names in column order. */
  readonly items: readonly string[];
  /** Answers per item; `NaN` marks a missing answer. */
  readonly answers: ReadonlyMap<string, Float64Array>;
  /** The answer scale of each item. */
  readonly scales: ReadonlyMap<string, SurveyScale>;
}

/**
 * Survey answers accepted by the PLS functions: a {@link SurveyTable}; columns by item name (a
 * `Map` or an object of arrays, `NaN` = missing); or row objects (`{ IMAG1: 7, ... }`, where
 * `null`, `undefined`, `""` and `"NA"` are missing and numeric strings are read as numbers).
 * @category Survey
 */
export type SurveyData =
  | SurveyTable
  | ReadonlyMap<string, ArrayLike<number>>
  | Readonly<Record<string, ArrayLike<number>>>
  | readonly Readonly<Record<string, unknown>>[];
