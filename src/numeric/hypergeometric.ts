/**
 * The Gauss hypergeometric function 2F1 and the BG/NBD expectation built on it. Every series
 * here reports convergence: it stops when the remaining tail is below 1e-16 of the sum, and
 * throws an `AnalyticsError` with code `NOT_CONVERGED` when the term budget runs out first;
 * arguments where a series would be slow go to quadrature instead.
 * @module
 */
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { expm1Ratio, lgamma } from "./special.js";
import { tanhSinh } from "./quadrature.js";

/** Term budget of every series: far above what any argument routed to a series needs (a few thousand). */
export const MAX_SERIES_TERMS = 2_000_000;

function notConverged(fn: string, what: string): AnalyticsError {
  return new AnalyticsError("NOT_CONVERGED", `${fn}: ${what} did not converge within ${MAX_SERIES_TERMS.toLocaleString("en-US")} terms; the arguments are too close to the singular point z = 1`);
}

/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) = Σ (a)_n (b)_n / ((c)_n n!) z^n for real
 * arguments, -∞ < z < 1.
 *
 * @remarks
 * The power series for |z| <= 0.75 (and for any z in (-1, 1) that converges within the term
 * budget); for z < -0.75 the Pfaff transformation 2F1(a, b; c; z) = (1-z)^-a 2F1(a, c-b; c; z/(z-1))
 * maps the argument into [0.43, 1). The series stops when the bound on the remaining tail is
 * below 1e-16 of the sum. Relative error about 1e-15 when the terms do not cancel (all
 * parameters positive); with cancelling terms the error grows with the largest term over the
 * sum, and a sum whose largest term is over 1e6 times the result is refused (`NOT_CONVERGED`)
 * rather than returned with fewer than 10 correct digits. Checked against mpmath in `test/reference/numeric_mpmath.py`.
 *
 * @param a - first numerator parameter.
 * @param b - second numerator parameter.
 * @param c - denominator parameter (not 0, -1, -2, ...).
 * @param z - the argument, < 1.
 * @returns 2F1(a, b; c; z).
 * @throws {@link InvalidOptionError} for z >= 1 or c a non-positive integer.
 * @throws {@link AnalyticsError} `NOT_CONVERGED` when z is so close to 1 that the series does not converge within {@link MAX_SERIES_TERMS} terms, or when its terms cancel.
 * @example
 * ```ts
 * Math.abs(hyp2f1(1, 1, 2, 0.5) - 2 * Math.LN2) < 1e-15;
 * //=> true
 * ```
 * @category Numeric
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  const fn = "hyp2f1";
  if (!(z < 1)) throw new InvalidOptionError(fn, "z", z, "a number < 1");
  if (c <= 0 && Number.isInteger(c)) throw new InvalidOptionError(fn, "c", c, "not 0 or a negative integer");
  if (z < -0.75) return Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, z / (z - 1));
  let term = 1;
  let sum = 1;
  let maxAbs = 1;
  // a sum that cancelled more than 6 of its 16 digits is refused rather than returned
  const checked = (v: number) => {
    if (maxAbs > 1e6 * Math.abs(v)) {
      throw new AnalyticsError("NOT_CONVERGED", `${fn}: the series for (${a}, ${b}; ${c}; ${z}) cancels (largest term ${maxAbs.toExponential(2)}, sum ${v.toExponential(2)}), so fewer than 10 digits would be right`);
    }
    return v;
  };
  for (let n = 0; n < MAX_SERIES_TERMS; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    if (term === 0) return checked(sum);
    const at = Math.abs(term);
    if (at > maxAbs) maxAbs = at;
    if (at !== at) throw new InvalidOptionError(fn, "a, b, c, z", [a, b, c, z], "finite numbers");
    if (at <= 1e-17 * Math.abs(sum)) {
      // once the ratio is below 1 in size and falling, the tail is below |term| r / (1 - r)
      const r = Math.abs((((a + n + 1) * (b + n + 1)) / ((c + n + 1) * (n + 2))) * z);
      if (r < 1 && n + 1 > Math.abs(a) + Math.abs(b) && (at * r) / (1 - r) <= 1e-16 * Math.abs(sum)) return checked(sum);
    }
  }
  throw notConverged(fn, "the power series");
}

/**
 * C·S where S = Σ_{n>=1} (A)_n (e+1)_{n-1} / ((C)_n n!) z^n for 0 <= z < 1 and C > -1: the part
 * of 2F1(A, e; C; z) = 1 + e·S that survives e -> 0, times C so that C -> 0 is harmless
 * ((C)_n = C·(C+1)_{n-1}). Throws `NOT_CONVERGED` when the series runs out of terms.
 * @internal
 */
export function hyp2f1TailTimesC(A: number, e: number, C: number, z: number): number {
  return tailSeries(A, e, C, z, null);
}

/** {@link hyp2f1TailTimesC}, writing the largest |term| into `big[0]` when given (to judge cancellation). */
function tailSeries(A: number, e: number, C: number, z: number, big: Float64Array | null): number {
  if (big) big[0] = 0;
  if (z === 0) return 0;
  let term = A * z; // n = 1: C · A z / C
  let sum = term;
  let maxAbs = Math.abs(term);
  for (let n = 1; n < MAX_SERIES_TERMS; n++) {
    // term_{n+1} / term_n = (A + n)(e + n) / ((C + n)(n + 1)) z
    const ratio = (((A + n) * (e + n)) / ((C + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    const abst = Math.abs(term);
    if (abst > maxAbs) maxAbs = abst;
    if (term === 0) break;
    if (abst === Infinity) {
      // the terms overflow (a huge negative A): no answer in doubles; the caller integrates instead
      if (big) big[0] = Infinity;
      return NaN;
    }
    // NaN parameters (a degenerate fit) give NaN at once: the caller names the customer
    if (abst !== abst) return NaN;
    if (abst <= 1e-17 * Math.abs(sum)) {
      // remaining tail is below abst * ratio / (1 - ratio) once ratio < 1
      const r = Math.abs(ratio);
      if (r < 1 && (abst * r) / (1 - r) <= 1e-16 * Math.abs(sum)) {
        if (big) big[0] = maxAbs;
        return sum;
      }
    }
    if (n === MAX_SERIES_TERMS - 1) throw notConverged("hyp2f1TailTimesC", "the BG/NBD 2F1 series");
  }
  if (big) big[0] = maxAbs;
  return sum;
}

/**
 * The BG/NBD expectation C·(1 - (1-z)^(a-1)·2F1(A', a-1; C; z)) / (a - 1), with A' = a+b-1-r
 * and C = a+b+x-1, written so that it is continuous at a = 1 and at C = 0:
 * -C·expm1((a-1)·ln(1-z))/(a-1) - (1-z)^(a-1)·C·S.
 * @internal
 */
export function bgBracketTimesC(Ap: number, e: number, C: number, z: number): number {
  return bgBracket(Ap, e, C, z, null);
}

/** {@link bgBracketTimesC}; with `big`, writes the size of the largest piece it added (cancellation check). */
function bgBracket(Ap: number, e: number, C: number, z: number, big: Float64Array | null): number {
  const L = Math.log1p(-z);
  const first = -C * expm1Ratio(e, L);
  const w = Math.exp(e * L);
  const v = first - w * tailSeries(Ap, e, C, z, big);
  if (big) big[0] = Math.max(Math.abs(first), w * big[0]);
  return v;
}

/** Above this z = u/(1+u) the BG/NBD expectation is integrated instead of summed. */
const BG_SERIES_MAX_Z = 0.99;

/**
 * E[Y(t) | x, T, alive at T] under the BG/NBD model (Fader, Hardie & Lee 2005, eq. 10 without
 * P(alive)), for any horizon.
 *
 * @remarks
 * With m = r + x, b' = b + x and u = t/(α + T):
 * E = (a+b'-1)/(a-1) · [1 - (1+u)^-m 2F1(m, b'; a+b'-1; z)], z = u/(1+u).
 * For z <= 0.99 by the Euler-transformed series (small numerator parameters, continuous at
 * a = 1), unless its terms cancel (largest term over 1e4 times the result, which happens for a
 * large r with b + x < 1). Above z = 0.99, where the series would need ~40/(1-z) terms (4e9 at
 * t = 1e6 weeks), and where it cancels, by its integral form: given alive, λ ~ Gamma(m, α+T) and p ~ Beta(a, b'), and a customer buying at
 * rate λ who drops out with probability p after each purchase makes (1 - e^(-λpt))/p purchases
 * on average, so E = ∫0^1 p^(a-2) (1-p)^(b'-1) (1 - (1+pu)^-m) dp / B(a, b'), integrated by
 * tanh-sinh (whose nodes reach the p^(a-1) and (1-p)^(b'-1) endpoint behaviour and the bend at
 * p ≈ 1/u). Both forms agree with mpmath to 1e-12 relative (`test/reference/numeric_mpmath.py`).
 *
 * @param m - r + x.
 * @param a - the BG/NBD a.
 * @param bx - b + x.
 * @param u - t / (α + T), >= 0.
 * @returns the expected number of purchases in the next t time units, given alive.
 * @throws {@link AnalyticsError} `NOT_CONVERGED` when neither form meets its tolerance.
 * @example
 * ```ts
 * // r = 0.243, α = 4.414, a = 0.793, b = 2.426 (CDNOW): E[X(39)] of a new customer
 * bgExpectationGivenAlive(0.243, 0.793, 2.426, 39 / 4.414).toFixed(4);
 * //=> "1.1967"
 * ```
 * @category Numeric
 */
export function bgExpectationGivenAlive(m: number, a: number, bx: number, u: number): number {
  if (u === 0) return 0;
  const z = u / (1 + u);
  const C = a + bx - 1;
  // the series' length: its terms grow while |A + n| z > n, so about (|A| + |e| + 40)/(1 - z)
  if (z <= BG_SERIES_MAX_Z && (Math.abs(C - m) + Math.abs(a - 1) + 40) / (1 - z) <= 20_000) {
    const big = new Float64Array(1);
    let v = NaN;
    try {
      v = bgBracket(C - m, a - 1, C, z, big);
    } catch (e) {
      if (!(e instanceof AnalyticsError && e.code === "NOT_CONVERGED")) throw e;
    }
    // the series is used when it has not cancelled away more than 4 of its 16 digits (it does
    // for large r with b + x < 1, e.g. m 103, a 0.12, b' 0.11: terms of 1e19 for a result of 2)
    if (v > 0 && big[0] <= 1e4 * v) return v;
  }
  const lB = lgamma(a) + lgamma(bx) - lgamma(a + bx);
  // h(p)/p = (1 - (1+pu)^-m)/p, which tends to m u as p -> 0 (its series there)
  const hOverP = (p: number) => {
    const pu = p * u;
    return pu < 1e-8 ? m * u * (1 - 0.5 * (m + 1) * pu) : -Math.expm1(-m * Math.log1p(pu)) / p;
  };
  // ∫0^1 p^(a-1) (1-p)^(b'-1) h(p)/p dp / B, split at 1/2; v = p^a on the left and
  // w = (1-p)^b' on the right remove the endpoint singularities (p^(a-1) dp = dv / a), so even
  // a = 0.01, where half the mass lies below p = 1e-30, is integrated to full precision
  const opts = { tolerance: 1e-12, maxLevel: 12 };
  const left = tanhSinh(
    (_v, v) => {
      const p = Math.exp(Math.log(v) / a);
      return Math.exp((bx - 1) * Math.log1p(-p) - lB) * (p === 0 ? m * u : hOverP(p));
    },
    0,
    Math.pow(0.5, a),
    opts,
  );
  const right = tanhSinh(
    (_w, w) => {
      const q = Math.exp(Math.log(w) / bx); // 1 - p
      const p = 1 - q;
      return Math.exp((a - 1) * Math.log(p) - lB) * hOverP(p);
    },
    0,
    Math.pow(0.5, bx),
    opts,
  );
  const value = left.value / a + right.value / bx;
  // judged on the whole: one half may be negligible (1e-301) and stuck in subnormal rounding
  const error = left.error / a + right.error / bx;
  const ok = (left.converged && right.converged) || error <= 1e-12 * value;
  if (!ok || !Number.isFinite(value)) {
    throw new AnalyticsError("NOT_CONVERGED", `bgExpectationGivenAlive: the integral did not converge (m ${m}, a ${a}, b+x ${bx}, u ${u}; estimated error ${error.toExponential(2)})`);
  }
  return value;
}
