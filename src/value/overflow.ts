/**
 * The error for finite inputs whose result does not fit in a double (audit D20).
 * @module
 */
import { AnalyticsError } from "../core/errors.js";

/**
 * The error thrown when every input is finite but a result is beyond the largest double. No
 * input record or option is wrong, so it is neither an `InvalidRecordError` nor an
 * `InvalidOptionError`: its code is `OVERFLOW`.
 * @internal
 */
export function overflowError(fn: string, what: string): AnalyticsError {
  return new AnalyticsError("OVERFLOW", `${fn}: the data overflowed: ${what} is beyond the largest double (1.8e308), though every input is finite; express the money in a larger unit (e.g. thousands) and call again`);
}
