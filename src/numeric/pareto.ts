/**
 * The Pareto/NBD likelihood integral ∫_{t_x}^{T} (α+τ)^-m (β+τ)^-(s+1) dτ and its gradient:
 * a positive-term series where it converges fast, tanh-sinh quadrature where it would not.
 * Both report convergence (`NOT_CONVERGED`), never a silently truncated sum.
 * @module
 */
import { AnalyticsError } from "../core/errors.js";
import { MAX_SERIES_TERMS } from "./hypergeometric.js";
import { tanhSinhVector } from "./quadrature.js";

/** The series is used when its estimated length (b z + 40)/(1 - z) is at most this. */
const SERIES_MAX_TERMS_ESTIMATE = 20_000;

function seriesIsShort(b: number, z: number): boolean {
  return z < 1 && (b * z + 40) / (1 - z) <= SERIES_MAX_TERMS_ESTIMATE;
}

function notConverged(fn: string, what: string): AnalyticsError {
  return new AnalyticsError("NOT_CONVERGED", `${fn}: ${what}`);
}

/**
 * ln of ∫_{t_x}^{T} (α+τ)^-m (β+τ)^-(s+1) dτ, the Pareto/NBD likelihood integral
 * (Schmittlein, Morrison & Colombo 1987; Fader & Hardie 2005, "A note on deriving the
 * Pareto/NBD model"). Returns -Infinity when T = t_x.
 *
 * @remarks
 * Series: with K = max(α, β), z = |α-β|/(K+t_x), q = (K+t_x)/(K+T), k = m+s and b = s+1
 * (α >= β) or b = m (α < β): I = (K+t_x)^-k Σ_n (b)_n/n! z^n (1 - q^(k+n)) / (k+n). Every term
 * is positive (no cancellation, unlike the usual difference of two 2F1 values) and terms are
 * rescaled on the fly so a huge x cannot overflow. Used when it needs at most ~20,000 terms;
 * otherwise (z within ~2e-3 of 1, e.g. α = 0.001 and β = 1e4, where it would need 1e8 terms and
 * the old 2,000,000-term cap returned ln I = -3.56 for the true 1.94) the integral is computed
 * by tanh-sinh on [t_x, T], whose nodes cluster at the ends where the integrand peaks. Either way the relative
 * error of I is about 1e-13 (checked against mpmath).
 *
 * @param m - r + x.
 * @param s - the Pareto/NBD s.
 * @param alpha - α.
 * @param beta - β.
 * @param tx - t_x.
 * @param T - T.
 * @returns ln I.
 * @throws {@link AnalyticsError} `NOT_CONVERGED` when neither form meets its tolerance.
 * @example
 * ```ts
 * // ∫_0^1 (1+τ)^-2 (1+τ)^-1 dτ = (1 - 2^-2)/2 = 0.375
 * Math.exp(logParetoIntegral(2, 0, 1, 1, 0, 1));
 * //=> 0.375
 * ```
 * @category Numeric
 */
export function logParetoIntegral(m: number, s: number, alpha: number, beta: number, tx: number, T: number): number {
  if (!(T > tx)) return -Infinity;
  let K: number;
  let b: number;
  if (alpha >= beta) {
    K = alpha;
    b = s + 1;
  } else {
    K = beta;
    b = m;
  }
  const z = Math.abs(alpha - beta) / (K + tx);
  // ln q = -ln(1 + (T - t_x)/(K + t_x)): T - t_x is exact when they are close, the ratio of the
  // two sums would lose digits (4e-9 relative at T - t_x = 1e-7)
  const lq = -Math.log1p((T - tx) / (K + tx));
  if (lq === 0) return -Infinity; // T - t_x below double resolution relative to K + T
  if (!seriesIsShort(b, z)) return paretoQuadrature(m, s, alpha, beta, tx, T, null);
  const k = m + s;
  let coef = 1; // (b)_n / n! z^n, rescaled
  let logScale = 0;
  // 1 - q^(k+n) by recurrence on p = q^(k+n); by expm1 while p > 0.5 (where 1 - p would cancel)
  let p = Math.exp(k * lq);
  const q = Math.exp(lq);
  let sum = (p > 0.5 ? -Math.expm1(k * lq) : 1 - p) / k;
  let done = false;
  for (let n = 1; n < MAX_SERIES_TERMS; n++) {
    const ratio = ((b + n - 1) / n) * z;
    coef *= ratio;
    if (coef === 0) {
      done = true;
      break;
    }
    p *= q;
    const bracket = p > 0.5 ? -Math.expm1((k + n) * lq) : 1 - p;
    const term = (coef * bracket) / (k + n);
    sum += term;
    if (sum > 1e280 || coef > 1e280) {
      sum *= 1e-280;
      coef *= 1e-280;
      logScale += 280 * Math.LN10;
    }
    if (term <= 1e-17 * sum) {
      const r = ((b + n) / (n + 1)) * z;
      if (r < 1 && (term * r) / (1 - r) <= 1e-16 * sum) {
        done = true;
        break;
      }
    }
  }
  if (!done) throw notConverged("logParetoIntegral", `the series did not converge within ${MAX_SERIES_TERMS} terms (z = ${z})`);
  return -k * Math.log(K + tx) + Math.log(sum) + logScale;
}

/**
 * {@link logParetoIntegral} with its gradient: returns ln I and writes ∂ln I/∂m, ∂ln I/∂α,
 * ∂ln I/∂s, ∂ln I/∂β into `g` (m = r + x, so ∂/∂m is ∂/∂r). Series: differentiated term by term
 * (with u_n = c_n z^n B_n/(k+n), c_n = (b)_n/n!, B_n = 1 - q^(k+n), ln q = lq:
 * ∂u_n/∂k = -u_n/(k+n) - c_n z^n q^(k+n) lq/(k+n), ∂u_n/∂b = u_n Σ_{j<n} 1/(b+j),
 * ∂u_n/∂z = n c_n z^(n-1) B_n/(k+n), ∂u_n/∂lq = -c_n z^n q^(k+n), then the chain rule through
 * K = max(α, β), b, k = m + s, z and lq). Quadrature: the four derivative integrals
 * ∫ f·(-ln(α+τ)), ∫ f·(-m/(α+τ)), ∫ f·(-ln(β+τ)), ∫ f·(-(s+1)/(β+τ)) on the same nodes.
 * When T = t_x, returns -Infinity and a zero gradient.
 * @internal
 */
export function logParetoIntegralGrad(m: number, s: number, alpha: number, beta: number, tx: number, T: number, g: Float64Array): number {
  g[0] = g[1] = g[2] = g[3] = 0;
  if (!(T > tx)) return -Infinity;
  const aGeB = alpha >= beta;
  const K = aGeB ? alpha : beta;
  const b = aGeB ? s + 1 : m;
  const Ktx = K + tx;
  const z = Math.abs(alpha - beta) / Ktx;
  const lq = -Math.log1p((T - tx) / Ktx);
  if (lq === 0) return -Infinity;
  if (!seriesIsShort(b, z)) return paretoQuadrature(m, s, alpha, beta, tx, T, g);
  const k = m + s;
  const q = Math.exp(lq);
  let p = Math.exp(k * lq); // q^(k+n)
  // n = 0
  let coef = 1; // c_n z^n
  let B = p > 0.5 ? -Math.expm1(k * lq) : 1 - p;
  let S = B / k;
  let Sk = -B / (k * k) - (p * lq) / k;
  let Sb = 0;
  let Sq = -p;
  let H = 0; // Σ_{j<n} 1/(b+j)
  let d = b; // n c_n z^(n-1), for n = 1
  let Sz = 0;
  let logScale = 0;
  let done = false;
  for (let n = 1; n < MAX_SERIES_TERMS; n++) {
    H += 1 / (b + n - 1);
    p *= q;
    B = p > 0.5 ? -Math.expm1((k + n) * lq) : 1 - p;
    const kn = k + n;
    Sz += (d * B) / kn;
    d *= ((b + n) * z) / n;
    coef *= ((b + n - 1) / n) * z;
    if (coef === 0 && d === 0) {
      done = true;
      break;
    }
    const u = (coef * B) / kn;
    S += u;
    Sk += -u / kn - (coef * p * lq) / kn;
    Sb += u * H;
    Sq -= coef * p;
    if (S > 1e280 || coef > 1e280 || d > 1e280) {
      const f = 1e-280;
      S *= f;
      Sk *= f;
      Sb *= f;
      Sq *= f;
      Sz *= f;
      coef *= f;
      d *= f;
      logScale += 280 * Math.LN10;
    }
    if (u <= 1e-17 * S && (d * B) / kn <= 1e-17 * Math.abs(Sz) + 1e-300) {
      const r = ((b + n) / (n + 1)) * z;
      if (r < 1 && (u * r) / (1 - r) <= 1e-16 * S) {
        done = true;
        break;
      }
    }
  }
  if (!done) throw notConverged("logParetoIntegralGrad", `the series did not converge within ${MAX_SERIES_TERMS} terms (z = ${z})`);
  const dk = -Math.log(Ktx) + Sk / S; // ∂lnI/∂k (the -k ln(K+t_x) prefactor included)
  const db = Sb / S;
  const dz = Sz / S;
  const dq = Sq / S;
  const dK = -k / Ktx; // through the prefactor (K + t_x)^-k
  if (aGeB) {
    // K = α, b = s + 1, z = (α-β)/(α+t_x), lq = ln(α+t_x) - ln(α+T)
    g[0] = dk;
    g[2] = dk + db;
    g[1] = dK + (dz * (beta + tx)) / (Ktx * Ktx) + dq * (1 / Ktx - 1 / (K + T));
    g[3] = -dz / Ktx;
  } else {
    // K = β, b = m, z = (β-α)/(β+t_x)
    g[0] = dk + db;
    g[2] = dk;
    g[3] = dK + (dz * (alpha + tx)) / (Ktx * Ktx) + dq * (1 / Ktx - 1 / (K + T));
    g[1] = -dz / Ktx;
  }
  return -k * Math.log(Ktx) + Math.log(S) + logScale;
}

/**
 * The integral by tanh-sinh on [t_x, T] in τ: α + τ and β + τ are formed as (α + t_x) + (τ - t_x)
 * with the node's exact distance to t_x, so a short interval or a sharp peak at t_x (α tiny or m
 * huge: width (α + t_x)/m) is resolved by the clustering of the nodes at the ends. Scaled by the
 * integrand's largest value on a coarse grid so that neither a huge m nor a tiny α overflows.
 * With `g`, the gradient as in {@link logParetoIntegralGrad}. Exported for the tests that
 * compare it with the series on the same arguments.
 * @internal
 */
export function paretoQuadrature(m: number, s: number, alpha: number, beta: number, tx: number, T: number, g: Float64Array | null): number {
  const a0 = alpha + tx;
  const b0 = beta + tx;
  const logF = (d: number) => -m * Math.log(a0 + d) - (s + 1) * Math.log(b0 + d);
  let ref = -Infinity;
  const len = T - tx;
  // the log-integrand is concave or convex in τ with at most one interior maximum: a geometric
  // grid towards t_x (where the peaks are) and a linear one
  for (let i = 0; i <= 64; i++) ref = Math.max(ref, logF((len * i) / 64), logF(len * Math.pow(2, -i)));
  const dim = g ? 5 : 1;
  const out = new Float64Array(dim);
  const r = tanhSinhVector(
    (_tau, d, _db, o) => {
      const A = a0 + d; // α + τ
      const B = b0 + d; // β + τ
      const f = Math.exp(-m * Math.log(A) - (s + 1) * Math.log(B) - ref);
      o[0] = f;
      if (dim > 1) {
        o[1] = -f * Math.log(A);
        o[2] = (-f * m) / A;
        o[3] = -f * Math.log(B);
        o[4] = (-f * (s + 1)) / B;
      }
    },
    dim,
    tx,
    T,
    out,
    { tolerance: 1e-12, maxLevel: 12 },
  );
  if (!r.converged || !(out[0] > 0) || !Number.isFinite(out[0])) {
    throw notConverged("logParetoIntegral", `the quadrature did not converge (m ${m}, s ${s}, α ${alpha}, β ${beta}, t_x ${tx}, T ${T}; estimated error ${r.error.toExponential(2)})`);
  }
  if (g) {
    g[0] = out[1] / out[0];
    g[1] = out[2] / out[0];
    g[2] = out[3] / out[0];
    g[3] = out[4] / out[0];
  }
  return ref + Math.log(out[0]);
}
