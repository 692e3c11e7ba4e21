/**
 * Numerical integration with an error estimate: tanh-sinh (double-exponential) quadrature for
 * smooth integrands with possible endpoint singularities, and adaptive Simpson for the
 * probability integrals. Both say whether they met their tolerance; callers turn a miss into
 * an `AnalyticsError` with code `NOT_CONVERGED` rather than return a wrong number.
 * @module
 */

/**
 * The result of a quadrature: the value, an estimate of its absolute error, and whether the
 * estimate met the requested tolerance.
 * @category Numeric
 */
export interface QuadratureResult {
  /** The integral (the first component for vector integrands). */
  readonly value: number;
  /** Estimated absolute error of `value`. */
  readonly error: number;
  /** Whether the error estimate met the tolerance within the work limit. */
  readonly converged: boolean;
  /** Integrand evaluations used. */
  readonly evaluations: number;
}

/**
 * A vector integrand: writes its components at `x` into `out`. `xa = x - a` and `xb = b - x`
 * are passed computed without cancellation (so a factor like (1 - p)^c near p = 1 is accurate).
 * @category Numeric
 */
export type VectorIntegrand = (x: number, xa: number, xb: number, out: Float64Array) => void;

/**
 * Options of {@link tanhSinh} and {@link tanhSinhVector}.
 * @category Numeric
 */
export interface TanhSinhOptions {
  /** Relative tolerance on each component (relative to the integral of its absolute value). Default `1e-13`. */
  tolerance?: number;
  /** Largest level (step 2^-level); each level doubles the work. Default `10`. */
  maxLevel?: number;
}

const T_MAX = 6.5; // (π/2) sinh(6.5) ≈ 521: the nodes reach e^-1000 of the endpoints

/**
 * Tanh-sinh quadrature of a vector integrand on [a, b] (several integrals on the same nodes,
 * e.g. a function and its parameter derivatives): x = c + d·tanh((π/2) sinh t) on the
 * grid t = k h, h halved each level until two levels agree.
 *
 * @remarks
 * Takahasi & Mori (1974); Bailey, Jeyabalan & Li (2005). The doubly exponential clustering of
 * nodes at the ends integrates algebraic endpoint singularities (p^-0.2, (1-p)^-0.5) and
 * features at 1e-8 of an endpoint to full double precision; the number of correct digits about
 * doubles with each level, so the difference between the last two levels bounds the error of
 * the last one (returned as `error`). Component j has converged when that difference is at most
 * `tolerance` × ∫|f_j| (the natural scale of a rounding error).
 *
 * @param f - the integrand (writes `dim` components).
 * @param dim - number of components.
 * @param a - lower limit (finite).
 * @param b - upper limit (finite, > a).
 * @param options - see {@link TanhSinhOptions}.
 * @returns the components' integrals in `out` (length `dim`) and the {@link QuadratureResult} of the first.
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * const r = tanhSinhVector((x, xa, xb, o) => { o[0] = 1 / Math.sqrt(xa); o[1] = x; }, 2, 0, 1, out);
 * [r.converged, Math.abs(out[0] - 2) < 1e-13, Math.abs(out[1] - 0.5) < 1e-15];
 * //=> [true, true, true]
 * ```
 * @category Numeric
 */
export function tanhSinhVector(f: VectorIntegrand, dim: number, a: number, b: number, out: Float64Array, options: TanhSinhOptions = {}): QuadratureResult {
  const tol = options.tolerance ?? 1e-13;
  const maxLevel = options.maxLevel ?? 10;
  const c = 0.5 * (a + b);
  const d = 0.5 * (b - a);
  const buf = new Float64Array(dim);
  const sum = new Float64Array(dim); // Σ w f over all nodes so far (unscaled by h)
  const abs = new Float64Array(dim);
  const prev = new Float64Array(dim);
  let evaluations = 0;
  const addNode = (t: number): boolean => {
    const sh = Math.sinh(t);
    const u = 0.5 * Math.PI * sh;
    const e2 = Math.exp(-2 * Math.abs(u));
    // tanh u = (1 - e2)/(1 + e2) for u >= 0; distances to the ends without cancellation
    const near = (2 * e2) / (1 + e2); // 1 - |tanh u|
    const w = (0.5 * Math.PI * Math.cosh(t) * 4 * e2) / ((1 + e2) * (1 + e2)); // (π/2) cosh t / cosh² u
    if (w === 0 || near === 0) return false;
    const xa = u >= 0 ? d * (2 - near) : d * near;
    const xb = u >= 0 ? d * near : d * (2 - near);
    if (xa <= 0 || xb <= 0) return false;
    const x = u >= 0 ? b - xb : a + xa;
    f(x, xa, xb, buf);
    evaluations++;
    for (let j = 0; j < dim; j++) {
      const v = w * buf[j];
      if (v === v) {
        sum[j] += v;
        abs[j] += Math.abs(v);
      } else sum[j] = NaN;
    }
    return true;
  };
  // level 0: t = k, k = 0, ±1, ... up to T_MAX
  addNode(0);
  for (let k = 1; k <= T_MAX; k++) {
    addNode(k);
    addNode(-k);
  }
  let h = 1;
  for (let j = 0; j < dim; j++) prev[j] = sum[j] * h * d;
  let error = Infinity;
  for (let level = 1; level <= maxLevel; level++) {
    h /= 2;
    for (let t = h; t <= T_MAX; t += 2 * h) {
      addNode(t);
      addNode(-t);
    }
    let ok = true;
    for (let j = 0; j < dim; j++) {
      const cur = sum[j] * h * d;
      const diff = Math.abs(cur - prev[j]);
      if (j === 0) error = diff;
      if (!(diff <= tol * abs[j] * h * d)) ok = false;
      prev[j] = cur;
    }
    if (ok && level >= 3) {
      for (let j = 0; j < dim; j++) out[j] = prev[j];
      return { value: prev[0], error, converged: true, evaluations };
    }
  }
  for (let j = 0; j < dim; j++) out[j] = prev[j];
  return { value: prev[0], error, converged: false, evaluations };
}

/**
 * Tanh-sinh quadrature of f on [a, b] with an error estimate (see {@link tanhSinhVector} for the
 * method). `f` receives x and its distances to the ends, x - a and b - x, computed without
 * cancellation, so a factor like (1 - p)^-0.5 near p = 1 is evaluated accurately.
 *
 * @param f - the integrand, `(x, x - a, b - x) => f(x)`.
 * @param a - lower limit (finite).
 * @param b - upper limit (finite, > a).
 * @param options - see {@link TanhSinhOptions}.
 * @returns the {@link QuadratureResult}.
 * @example
 * ```ts
 * const r = tanhSinh((x, xa) => 1 / Math.sqrt(xa), 0, 1);
 * [r.converged, Math.abs(r.value - 2) < 1e-13];
 * //=> [true, true]
 * ```
 * @category Numeric
 */
export function tanhSinh(f: (x: number, xa: number, xb: number) => number, a: number, b: number, options: TanhSinhOptions = {}): QuadratureResult {
  const out = new Float64Array(1);
  return tanhSinhVector((x, xa, xb, o) => {
    o[0] = f(x, xa, xb);
  }, 1, a, b, out, options);
}

/**
 * Options of {@link adaptiveSimpson}.
 * @category Numeric
 */
export interface AdaptiveSimpsonOptions {
  /** Absolute error target for the whole interval. Default `1e-12`. */
  tolerance?: number;
  /** Largest bisection depth. Default `40`. */
  maxDepth?: number;
}

/**
 * Adaptive Simpson integration of a smooth function on [a, b], with Richardson's correction.
 *
 * @remarks
 * Each panel is bisected until |S(left) + S(right) - S(whole)| <= 15 × its share of the
 * tolerance. A panel that reaches `maxDepth` without meeting it is accepted and its difference
 * added to `error`; when those differences sum to more than the tolerance (or a value is not
 * finite) the result is marked `converged: false`, so a caller can refuse it.
 *
 * @param f - the integrand.
 * @param a - lower limit.
 * @param b - upper limit.
 * @param options - see {@link AdaptiveSimpsonOptions}.
 * @returns the {@link QuadratureResult}.
 * @example
 * ```ts
 * const r = adaptiveSimpson(Math.sin, 0, Math.PI);
 * [r.converged, Math.abs(r.value - 2) < 1e-12];
 * //=> [true, true]
 * ```
 * @category Numeric
 */
export function adaptiveSimpson(f: (t: number) => number, a: number, b: number, options: AdaptiveSimpsonOptions = {}): QuadratureResult {
  const tol0 = options.tolerance ?? 1e-12;
  const maxDepth = options.maxDepth ?? 40;
  let evaluations = 3;
  let error = 0;
  let converged = true;
  let hitLimit = false;
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
    evaluations += 2;
    const left = ((m - a) / 6) * (fa + 4 * flm + fm);
    const right = ((b - m) / 6) * (fm + 4 * frm + fb);
    const diff = left + right - whole;
    if (Math.abs(diff) <= 15 * tol) {
      error += Math.abs(diff) / 15;
      return left + right + diff / 15;
    }
    if (depth <= 0 || !Number.isFinite(diff)) {
      hitLimit = true;
      error += Math.abs(diff);
      if (!Number.isFinite(diff)) converged = false;
      return left + right + diff / 15;
    }
    return rec(a, m, fa, flm, fm, left, tol / 2, depth - 1) + rec(m, b, fm, frm, fb, right, tol / 2, depth - 1);
  };
  const value = rec(a, b, fa, fm, fb, whole, tol0, maxDepth);
  // panels at the depth limit are accepted while their summed error stays within the target
  if (hitLimit && !(error <= tol0)) converged = false;
  return { value, error, converged: converged && Number.isFinite(value), evaluations };
}
