/**
 * Special functions for the BG/NBD family: log-gamma, digamma, log-sum-exp and the Gauss
 * hypergeometric series in the forms the models need. Private to `src/clv`.
 * @module
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const LN_SQRT_2PI = 0.91893853320467274178;

/**
 * ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error about 1e-15; Stirling series with
 * five terms above 15 where it is as accurate and cheaper).
 * @internal
 */
export function lgamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  if (x > 15) {
    const ix = 1 / x;
    const ix2 = ix * ix;
    return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + ix * (1 / 12 - ix2 * (1 / 360 - ix2 * (1 / 1260 - ix2 * (1 / 1680 - ix2 / 1188))));
  }
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * ψ(x) = d ln Γ(x) / dx for x > 0 (recurrence up to x >= 10, then the asymptotic series).
 * @internal
 */
export function digamma(x: number): number {
  let acc = 0;
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  const ix = 1 / x;
  const ix2 = ix * ix;
  return acc + Math.log(x) - 0.5 * ix - ix2 * (1 / 12 - ix2 * (1 / 120 - ix2 * (1 / 252 - ix2 * (1 / 240 - ix2 / 132))));
}

/** ln(e^a + e^b) without overflow; -Infinity + -Infinity gives -Infinity. @internal */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** (e^(e·L) - 1) / e, continuous at e = 0 (where it is L). @internal */
export function expm1Ratio(e: number, L: number): number {
  const u = e * L;
  if (Math.abs(u) < 1e-10) return L * (1 + 0.5 * u);
  return Math.expm1(u) / e;
}

/** Hard cap on series terms; reached only for arguments within ~1e-6 of the singular point. */
export const MAX_SERIES_TERMS = 2_000_000;

/**
 * C·S where S = Σ_{n>=1} (A)_n (e+1)_{n-1} / ((C)_n n!) z^n for 0 <= z < 1 and C > -1: the part
 * of 2F1(A, e; C; z) = 1 + e·S that survives e -> 0, times C so that C -> 0 is harmless
 * ((C)_n = C·(C+1)_{n-1}). Terms of the Euler-transformed BG/NBD series have small numerator
 * parameters and a large C for large x, so they shrink from the start.
 * @internal
 */
export function hyp2f1TailTimesC(A: number, e: number, C: number, z: number): number {
  if (z === 0) return 0;
  let term = A * z; // n = 1: C · A z / C
  let sum = term;
  for (let n = 1; n < MAX_SERIES_TERMS; n++) {
    // term_{n+1} / term_n = (A + n)(e + n) / ((C + n)(n + 1)) z
    const ratio = (((A + n) * (e + n)) / ((C + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    const abst = Math.abs(term);
    if (abst <= 1e-17 * Math.abs(sum) || term === 0) {
      // remaining tail is below abst * ratio / (1 - ratio) once ratio < 1
      const r = Math.abs(ratio);
      if (r < 1 && (abst * r) / (1 - r) <= 1e-16 * Math.abs(sum)) break;
    }
  }
  return sum;
}

/**
 * The BG/NBD expectation C·(1 - (1-z)^(a-1)·2F1(A', a-1; C; z)) / (a - 1), with A' = a+b-1-r
 * and C = a+b+x-1, written so that it is continuous at a = 1 and at C = 0:
 * -C·expm1((a-1)·ln(1-z))/(a-1) - (1-z)^(a-1)·C·S.
 * @internal
 */
export function bgBracketTimesC(Ap: number, e: number, C: number, z: number): number {
  const L = Math.log1p(-z);
  return -C * expm1Ratio(e, L) - Math.exp(e * L) * hyp2f1TailTimesC(Ap, e, C, z);
}

/**
 * ln of ∫_{t_x}^{T} (α+τ)^-(m) (β+τ)^-(s+1) dτ for the Pareto/NBD likelihood, by the
 * positive-term series (every term is a positive number, so there is no cancellation, unlike
 * the usual difference of two 2F1 values). Returns -Infinity when T = t_x.
 *
 * With K = max(α, β), z = |α-β|/(K+t_x), q = (K+t_x)/(K+T), k = m+s and b = s+1 (α >= β) or
 * b = m (α < β): I = (K+t_x)^-k Σ_n (b)_n/n! z^n (1 - q^(k+n)) / (k+n).
 * Terms are rescaled on the fly so a huge x cannot overflow.
 * @internal
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
  const lq = Math.log((K + tx) / (K + T));
  if (lq === 0) return -Infinity; // T - t_x below double resolution relative to K + T
  const k = m + s;
  let coef = 1; // (b)_n / n! z^n, rescaled
  let logScale = 0;
  // 1 - q^(k+n) by recurrence on p = q^(k+n); by expm1 while p > 0.5 (where 1 - p would cancel)
  let p = Math.exp(k * lq);
  const q = Math.exp(lq);
  let sum = (p > 0.5 ? -Math.expm1(k * lq) : 1 - p) / k;
  for (let n = 1; n < MAX_SERIES_TERMS; n++) {
    const ratio = ((b + n - 1) / n) * z;
    coef *= ratio;
    if (coef === 0) break;
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
      if (r < 1 && (term * r) / (1 - r) <= 1e-16 * sum) break;
    }
  }
  return -k * Math.log(K + tx) + Math.log(sum) + logScale;
}

/**
 * Adaptive Simpson integration of a smooth non-negative function on [a, b].
 * @internal
 */
export function integrate(f: (t: number) => number, a: number, b: number, tol = 1e-12, maxDepth = 40): number {
  const fa = f(a);
  const fb = f(b);
  const m = 0.5 * (a + b);
  const fm = f(m);
  const whole = ((b - a) / 6) * (fa + 4 * fm + fb);
  const rec = (a: number, b: number, fa: number, fm: number, fb: number, whole: number, tol: number, depth: number): number => {
    const m = 0.5 * (a + b);
    const lm = 0.5 * (a + m);
    const rm = 0.5 * (m + b);
    const flm = f(lm);
    const frm = f(rm);
    const left = ((m - a) / 6) * (fa + 4 * flm + fm);
    const right = ((b - m) / 6) * (fm + 4 * frm + fb);
    const diff = left + right - whole;
    if (depth <= 0 || Math.abs(diff) <= 15 * tol) return left + right + diff / 15;
    return rec(a, m, fa, flm, fm, left, tol / 2, depth - 1) + rec(m, b, fm, frm, fb, right, tol / 2, depth - 1);
  };
  return rec(a, b, fa, fm, fb, whole, tol, maxDepth);
}

/**
 * {@link logParetoIntegral} with its gradient: returns ln I and writes ∂ln I/∂m, ∂ln I/∂α,
 * ∂ln I/∂s, ∂ln I/∂β into `g` (m = r + x, so ∂/∂m is ∂/∂r). Differentiates the positive series
 * term by term: with u_n = c_n z^n B_n/(k+n), c_n = (b)_n/n!, B_n = 1 - q^(k+n), ln q = lq,
 * ∂u_n/∂k = -u_n/(k+n) - c_n z^n q^(k+n) lq/(k+n), ∂u_n/∂b = u_n Σ_{j<n} 1/(b+j),
 * ∂u_n/∂z = n c_n z^(n-1) B_n/(k+n), ∂u_n/∂lq = -c_n z^n q^(k+n); then the chain rule through
 * K = max(α, β), b, k = m + s, z and lq. When T = t_x, returns -Infinity and a zero gradient.
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
  const lq = Math.log(Ktx / (K + T));
  if (lq === 0) return -Infinity;
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
  for (let n = 1; n < MAX_SERIES_TERMS; n++) {
    H += 1 / (b + n - 1);
    p *= q;
    B = p > 0.5 ? -Math.expm1((k + n) * lq) : 1 - p;
    const kn = k + n;
    Sz += (d * B) / kn;
    d *= ((b + n) * z) / n;
    coef *= ((b + n - 1) / n) * z;
    if (coef === 0 && d === 0) break;
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
      if (r < 1 && (u * r) / (1 - r) <= 1e-16 * S) break;
    }
  }
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
