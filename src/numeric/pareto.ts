/**
 * The Pareto/NBD likelihood integral ∫_{t_x}^{T} (α+τ)^-m (β+τ)^-(s+1) dτ, its gradient, and
 * its ratio to the likelihood's other term (for P(alive)): positive-term series where they
 * converge fast, tanh-sinh quadrature where they would not.
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
  // the series runs in the larger of alpha and beta
  const K = alpha >= beta ? alpha : beta;
  const b = alpha >= beta ? s + 1 : m;
  const z = Math.abs(alpha - beta) / (K + tx);
  // ln q = -ln(1 + (T - t_x)/(K + t_x)): T - t_x is exact when they are close, the ratio of the
  // two sums would lose digits (4e-9 relative at T - t_x = 1e-7)
  const lq = -Math.log1p((T - tx) / (K + tx));
  if (lq === 0) return -Infinity; // T - t_x below double resolution relative to K + T
  if (!seriesIsShort(b, z)) return paretoQuadrature(m, s, alpha, beta, tx, T, null);
  const k = m + s;
  return logParetoSeries(k, b, z, lq, -k * Math.log(K + tx), "logParetoIntegral");
}

/**
 * pre + ln Σ_n (b)_n/n! z^n (1 − q^(k+n))/(k+n) (ln q = lq), the positive series of
 * {@link logParetoIntegral}; `fn` names the caller in a `NOT_CONVERGED` error.
 */
function logParetoSeries(k: number, b: number, z: number, lq: number, pre: number, fn: string): number {
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
  if (!done) throw notConverged(fn, `the series did not converge within ${MAX_SERIES_TERMS} terms (z = ${z})`);
  return pre + Math.log(sum) + logScale;
}
/**
 * ln[I · (α+T)^m (β+T)^s], where I = ∫_{t_x}^{T} (α+τ)^-m (β+τ)^-(s+1) dτ is the integral of
 * {@link logParetoIntegral}: the ratio A2/(s·A1) of the Pareto/NBD likelihood's two terms, so
 * P(alive) = 1/(1 + s·e^this). Returns -Infinity when T = t_x.
 *
 * @remarks
 * ln I + m ln(α+T) + s ln(β+T) formed that way subtracts logs near ±m ln(α+T) (about 1200 at
 * x = 300) and keeps only their absolute error: P(alive) came out up to 1.1e-13 relative off
 * at x = 300, 4.8e-13 at x = 1000, 3.4e-12 at x = 5000. Here the large logs are never formed;
 * the result carries terms such as m ln((α+T)/(α+t_x)), the true sensitivity to T − t_x.
 * - α >= β (K = α), or α < β with m < 1 (K = β): the series of {@link logParetoIntegral}, with
 *   the prefactor (K+t_x)^-k (α+T)^m (β+T)^s written through ln q = −log1p((T−t_x)/(K+t_x)):
 *   K = α: −m ln q + s [log1p((β−α)/(α+T)) − ln q]; K = β: m [log1p((α−β)/(β+T)) − ln q] − s ln q.
 * - α < β and m >= 1: the series around β has coefficients (m)_n/n! that grow like (1−z)^-m,
 *   so its logarithm (≈ 80 at x = 300) inherits m times the rounding of z. Euler's
 *   transformation 2F1(k, m; k+1; z) = (1−z)^(1−m) 2F1(1, s+1; k+1; z) (k = m+s) gives the
 *   antiderivative −(α+τ)^(1−m) (β+τ)^-(s+1) G(z_τ)/k with G = 2F1(1, s+1; k+1; ·),
 *   z_τ = (β−α)/(β+τ), so with φ = (m−1) ℓ_α + (s+1) ℓ_β, ℓ_K = log1p((T−t_x)/(K+t_x)):
 *   I (α+T)^m (β+T)^s = (α+T)/((β+T) k) · e^φ [(1 − e^-φ) G(z_T) + G(z_{t_x}) − G(z_T)],
 *   and G(z_{t_x}) − G(z_T) = Σ c_n z_{t_x}^n (1 − e^(−n ℓ_β)), c_n = (s+1)_n/(k+1)_n: every
 *   term positive, the ratio below z, the sensitivity to z about (s+1)z/(k+1).
 * - Where a series would need more than ~20,000 terms: tanh-sinh on [t_x, T] of the integrand
 *   times (α+T)^m (β+T)^s, its logs ln((α+τ)/(α+T)) = log1p(−(T−τ)/(α+T)) (by the node's
 *   distance to T) while (T−τ)/(α+T) < 1/2, else the log of the ratio; likewise for β.
 * Against the 2F1 closed form at 100 digits (test/reference/clv_pareto_pmf.py): within
 * 1.2e-15 × max(1, |value|) on 12 rows, m up to 5002 (ln I plus the logs: 4.1e-12 off there);
 * P(alive) from it within 2e-15 relative at x = 300 and 1000, 1.5e-14 at x = 5000 where
 * P(alive) is 1e-12 to 1e-40.
 *
 * @param m - r + x.
 * @param s - the Pareto/NBD s.
 * @param alpha - α.
 * @param beta - β.
 * @param tx - t_x.
 * @param T - T.
 * @returns ln[I (α+T)^m (β+T)^s].
 * @throws {@link AnalyticsError} `NOT_CONVERGED` when neither form meets its tolerance.
 * @example
 * ```ts
 * // ∫_0^1 (1+τ)^-2 (1+τ)^-1 dτ = (1 - 2^-2)/2 = 0.375, times (1+1)^2 (1+1)^0 = 1.5
 * +Math.exp(logParetoIntegralScaled(2, 0, 1, 1, 0, 1)).toFixed(14);
 * //=> 1.5
 * // α < β: ∫_0^1 (1+τ)^-2 (3+τ)^-1 dτ = [ln((3+τ)/(1+τ))/4 - 1/(2(1+τ))]_0^1 = 1/4 - ln(1.5)/4,
 * // times 2^2 · 4^0 = 1 - ln 1.5 = 0.594534891891835
 * +Math.exp(logParetoIntegralScaled(2, 0, 1, 3, 0, 1)).toFixed(14);
 * //=> 0.59453489189184
 * ```
 * @category Numeric
 */
export function logParetoIntegralScaled(m: number, s: number, alpha: number, beta: number, tx: number, T: number): number {
  if (!(T > tx)) return -Infinity;
  const gap = T - tx;
  if (alpha < beta && m >= 1) {
    const lb = Math.log1p(gap / (beta + tx)); // ℓ_β
    if (lb === 0) return -Infinity; // the same cases as logParetoIntegral (K = β)
    const z = (beta - alpha) / (beta + tx);
    if (!seriesIsShort(s + 1, z)) return paretoQuadrature(m, s, alpha, beta, tx, T, null, true);
    const la = Math.log1p(gap / (alpha + tx)); // ℓ_α
    const k = m + s;
    const phi = (m - 1) * la + (s + 1) * lb;
    // G(z_T) = Σ c_n z^n e^(−n ℓ_β) and D = G(z_tx) − G(z_T) = Σ c_n z^n (1 − e^(−n ℓ_β))
    const e = Math.exp(-lb);
    const em = -Math.expm1(-lb);
    const tail = z / (1 - z);
    let c = 1; // c_n z^n
    let p = 1; // e^(−n ℓ_β)
    let d = 0; // 1 − e^(−n ℓ_β) = (1 − e^−ℓ_β) + e^−ℓ_β (1 − e^(−(n−1) ℓ_β)): positive terms, no cancellation
    let gT = 1;
    let D = 0;
    let done = false;
    for (let n = 1; n < MAX_SERIES_TERMS; n++) {
      c *= ((s + n) / (k + n)) * z;
      p *= e;
      if (c === 0) {
        done = true;
        break;
      }
      const cp = c * p;
      gT += cp;
      d = em + e * d;
      D += c * d;
      // the ratio of the coefficients is below z: the tail is below c z/(1 − z)
      if (c * tail <= 1e-17 * (gT + D)) {
        done = true;
        break;
      }
    }
    if (!done) throw notConverged("logParetoIntegralScaled", `the series did not converge within ${MAX_SERIES_TERMS} terms (z = ${z})`);
    return phi + Math.log(((alpha + T) / ((beta + T) * k)) * (-Math.expm1(-phi) * gT + D));
  }
  // the series runs in the larger of alpha and beta
  const K = alpha >= beta ? alpha : beta;
  const b = alpha >= beta ? s + 1 : m;
  const z = Math.abs(alpha - beta) / (K + tx);
  const lq = -Math.log1p(gap / (K + tx));
  if (lq === 0) return -Infinity;
  if (!seriesIsShort(b, z)) return paretoQuadrature(m, s, alpha, beta, tx, T, null, true);
  const pre = alpha >= beta ? -m * lq + s * (Math.log1p((beta - alpha) / (alpha + T)) - lq) : m * (Math.log1p((alpha - beta) / (beta + T)) - lq) - s * lq;
  return logParetoSeries(m + s, b, z, lq, pre, "logParetoIntegralScaled");
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
 * With `g`, the gradient as in {@link logParetoIntegralGrad}. With `scaled`, ln[I (α+T)^m (β+T)^s]
 * as in {@link logParetoIntegralScaled}: the integrand times that factor, with the node's distance
 * to T. Exported for the tests that compare it with the series on the same arguments.
 * @internal
 */
export function paretoQuadrature(m: number, s: number, alpha: number, beta: number, tx: number, T: number, g: Float64Array | null, scaled = false): number {
  const a0 = alpha + tx;
  const b0 = beta + tx;
  const aT = alpha + T;
  const bT = beta + T;
  const len = T - tx;
  // scaled: the integrand times (α+T)^m (β+T)^s. ln((α+τ)/(α+T)) as log1p(−(T−τ)/(α+T)) by
  // the node's distance to T while that ratio is below 1/2, else as the log of the ratio (whose
  // complement 1 − (T−τ)/(α+T) would cancel when α + t_x is far below α + T)
  const lnRatio = (A: number, db: number, KT: number) => (db < 0.5 * KT ? Math.log1p(-db / KT) : Math.log(A / KT));
  const logF = scaled
    ? (d: number) => -m * lnRatio(a0 + d, len - d, aT) - (s + 1) * lnRatio(b0 + d, len - d, bT)
    : (d: number) => -m * Math.log(a0 + d) - (s + 1) * Math.log(b0 + d);
  let ref = -Infinity;
  // the log-integrand is concave or convex in τ with at most one interior maximum: a geometric
  // grid towards t_x (where the peaks are) and a linear one
  for (let i = 0; i <= 64; i++) ref = Math.max(ref, logF((len * i) / 64), logF(len * Math.pow(2, -i)));
  const dim = g ? 5 : 1;
  const out = new Float64Array(dim);
  const r = tanhSinhVector(
    (_tau, d, db, o) => {
      const A = a0 + d; // α + τ
      const B = b0 + d; // β + τ
      const f = Math.exp((scaled ? -m * lnRatio(A, db, aT) - (s + 1) * lnRatio(B, db, bT) : -m * Math.log(A) - (s + 1) * Math.log(B)) - ref);
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
  return scaled ? ref + Math.log(out[0]) - Math.log(bT) : ref + Math.log(out[0]);
}
