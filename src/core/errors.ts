/**
 * Typed errors shared by every analytic.
 *
 * Every error thrown on purpose by this library is an {@link AnalyticsError} with a stable
 * `code`; errors about one input record are {@link InvalidRecordError}s that name the row, the
 * field and the offending value. Messages start with the name of the function that threw.
 *
 * @module
 */

/**
 * Stable machine-readable error codes. `TOO_LARGE`: the input would not fit in this process's
 * memory (the message names the size and points to the out-of-core engine). `OVERFLOW`: a
 * result would exceed the range of a finite double (sums of extreme but finite inputs); the
 * message names the customer or field.
 * @category Errors
 */
export type AnalyticsErrorCode =
  | "INVALID_RECORD"
  | "INVALID_OPTION"
  | "EMPTY_INPUT"
  | "BUDGET_EXCEEDED"
  | "NOT_CONVERGED"
  | "DEPENDENCY_FAILED"
  | "IO_ERROR"
  | "TOO_LARGE"
  | "OVERFLOW";

/**
 * Base class of every error this library throws on purpose.
 *
 * @example
 * ```ts
 * try { bergerNasrClv({ margin: 1, retention: 1.2, discountRate: 0.1 }); }
 * catch (e) { if (e instanceof AnalyticsError) console.log(e.code); }
 * //=> "INVALID_OPTION"
 * ```
 * @category Errors
 */
export class AnalyticsError extends Error {
  /** Stable code, safe to branch on. */
  readonly code: AnalyticsErrorCode;

  /**
   * @param code - stable error code.
   * @param message - human-readable message, starting with the function name.
   * @param options - standard `ErrorOptions`; `cause` wraps a dependency's error.
   */
  constructor(code: AnalyticsErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "AnalyticsError";
    this.code = code;
  }
}

/**
 * One input record (row) is invalid: names the row, the field and the raw value.
 *
 * `row` is the 1-based position of the record in its source (for files: the data row, not
 * counting the header line), or the customer id where the input is keyed by customer.
 *
 * @example
 * ```ts
 * const e = new InvalidRecordError("readTransactions", { row: 7, field: "date", value: "31/02/2020", expected: "a valid calendar date" });
 * e.message;
 * //=> 'readTransactions: row 7, field "date": got "31/02/2020", expected a valid calendar date'
 * ```
 * @category Errors
 */
export class InvalidRecordError extends AnalyticsError {
  /** 1-based row number in the source, or the customer id for keyed inputs. */
  readonly row: number | string;
  /** The field (column) that was invalid. */
  readonly field: string;
  /** The raw value as received. */
  readonly value: unknown;
  /** What was expected instead. */
  readonly expected: string;

  /**
   * @param fn - name of the function that found the problem.
   * @param detail - the row, field, raw value and what was expected.
   * @param options - standard `ErrorOptions`.
   */
  constructor(
    fn: string,
    detail: { row: number | string; field: string; value: unknown; expected: string },
    options?: ErrorOptions,
  ) {
    const where = typeof detail.row === "number" ? `row ${detail.row}` : `customer ${JSON.stringify(detail.row)}`;
    super(
      "INVALID_RECORD",
      `${fn}: ${where}, field "${detail.field}": got ${formatValue(detail.value)}, expected ${detail.expected}`,
      options,
    );
    this.name = "InvalidRecordError";
    this.row = detail.row;
    this.field = detail.field;
    this.value = detail.value;
    this.expected = detail.expected;
  }
}

/**
 * An option (argument) is out of its allowed range or of the wrong type.
 *
 * @example
 * ```ts
 * new InvalidOptionError("rfm", "bins", 0, "an integer >= 2").message;
 * //=> 'rfm: option "bins" got 0, expected an integer >= 2'
 * ```
 * @category Errors
 */
export class InvalidOptionError extends AnalyticsError {
  /** The option name. */
  readonly option: string;
  /** The value received. */
  readonly value: unknown;
  /** What was expected. */
  readonly expected: string;

  /**
   * @param fn - name of the function that was called.
   * @param option - option or argument name.
   * @param value - the value received.
   * @param expected - what would have been valid.
   */
  constructor(fn: string, option: string, value: unknown, expected: string) {
    super("INVALID_OPTION", `${fn}: option "${option}" got ${formatValue(value)}, expected ${expected}`);
    this.name = "InvalidOptionError";
    this.option = option;
    this.value = value;
    this.expected = expected;
  }
}

/**
 * Render a raw value for an error message: strings quoted, long values shortened.
 * @internal
 */
export function formatValue(value: unknown): string {
  let s: string;
  if (value === undefined) s = "undefined";
  else if (typeof value === "number") s = Number.isNaN(value) ? "NaN" : String(value);
  else if (value instanceof Date) s = Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = String(value);
    }
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
