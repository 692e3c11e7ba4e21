/**
 * The scaled exponential integral e^z E_n(z) for real n > 1: the Laplace transform of
 * (1+s)^-n, which the BG/NBD and MBG/NBD DERT integrate over the dropout probability.
 * @module
 */
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { tanhSinh } from "./quadrature.js";

/** Continued-fraction terms {@link scaledExpint} spends before it switches to the integral form. */
const CF_MAX_TERMS = 2000;

/**
 * e^z E_n(z) = ∫_0^∞ e^(−zs) (1+s)^(−n) ds for real n > 1 and z ≥ 0.
 *
 * @remarks
 * For z > 0, by the modified Lentz evaluation (Press et al., Numerical Recipes 3rd ed., §6.3;
 * valid for real n) of the continued fraction
 * e^z E_n(z) = 1/(z+n−) 1·n/(z+n+2−) 2(n+1)/(z+n+4−) …, stopped when a factor is within 1e-15
 * of 1. It needs about 25·z^−0.85 terms for n near 1 (550 at z = 0.1), fewer for a large n
 * (25 at n = 30). When 2,000 terms do not suffice (z below about 0.01 for n near 1), by the
 * integral form (1/(n−1)) ∫_0^1 exp(−z (t^(−1/(n−1)) − 1)) dt (t = (1+s)^−(n−1)), whose
 * integrand rises from 0 to 1 and is integrated by {@link tanhSinh} to 1e-13.
 * Limits: z = 0 gives 1/(n−1) (the integral of (1+s)^−n); z = +Infinity gives 0; for large z
 * the value is about 1/(z+n). Against mpmath (`expint(n, z)·exp(z)` at 50 digits, n 1.0001 to
 * 500, z 1e-12 to 1e4; `test/reference/numeric_expint.py`): see `docs/numerics.md`.
 *
 * @param n - the order, a finite number > 1.
 * @param z - the argument, ≥ 0 (+Infinity allowed).
 * @returns e^z E_n(z): decreasing in z, from 1/(n−1) at z = 0 to 0 at z = +Infinity.
 * @throws {@link InvalidOptionError} when n is not a finite number > 1 or z is not a number ≥ 0.
 * @throws {@link AnalyticsError} `NOT_CONVERGED` when neither the continued fraction nor the quadrature meets its tolerance.
 * @example
 * ```ts
 * // n = 2: e^z E_2(z) = 1 − z e^z E_1(z); at z = 1, e·E_1(1) = 0.596347362323194…
 * scaledExpint(2, 1).toFixed(12);
 * //=> "0.403652637677"
 * [scaledExpint(3, 0), scaledExpint(1.5, Infinity)];
 * //=> [0.5, 0]
 * ```
 * @category Numeric
 */
export function scaledExpint(n: number, z: number): number {
  const fn = "scaledExpint";
  if (typeof n !== "number" || !Number.isFinite(n) || !(n > 1)) throw new InvalidOptionError(fn, "n", n, "a finite number > 1");
  if (typeof z !== "number" || !(z >= 0)) throw new InvalidOptionError(fn, "z", z, "a number >= 0 (Infinity allowed)");
  if (z === 0) return 1 / (n - 1);
  if (z === Infinity) return 0;
  const v = scaledExpintOrNull(n, z);
  if (v === null) throw new AnalyticsError("NOT_CONVERGED", `${fn}: neither the continued fraction nor the quadrature converged for n = ${n}, z = ${z}`);
  return v;
}

/**
 * {@link scaledExpint} for checked n > 1 and finite z > 0, `null` instead of a
 * `NOT_CONVERGED` throw (the BG/NBD DERT then falls back to its nested integral).
 * `m` is n − 1 as the caller has it (the DERT knows r + x, and (r + x + 1) − 1 may differ
 * from it in the last bit): the integral form uses it. @internal
 */
export function scaledExpintOrNull(n: number, z: number, m: number = n - 1): number | null {
  const cf = scaledExpintCf(n, z, CF_MAX_TERMS);
  if (cf !== null) return cf;
  const q = tanhSinh((t) => (t === 0 ? 0 : Math.exp(-z * Math.expm1(-Math.log(t) / m))), 0, 1, { tolerance: 1e-13 });
  if (!q.converged || !Number.isFinite(q.value)) return null;
  return q.value / m;
}

/** The modified Lentz continued fraction; `null` when it needs more than `maxTerms`. */
function scaledExpintCf(n: number, z: number, maxTerms: number): number | null {
  const tiny = 1e-300;
  let b = z + n;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= maxTerms; i++) {
    const an = -i * (n - 1 + i);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    d = 1 / d;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    const del = c * d;
    h *= del;
    if (Math.abs(del - 1) <= 1e-15) return h;
  }
  return null;
}
