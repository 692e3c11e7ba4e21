/**
 * Penalised logistic regression by Newton's method on standardised columns, with an optional
 * L1 term solved by coordinate descent inside each Newton step (proximal Newton).
 *
 * Cost (n rows, q used columns): one pass over the columns gives the objective and the full
 * gradient together (rows are taken in blocks of {@link BLOCK} so the block's linear predictor
 * stays in cache; a `Float64Array` column without missing values is not copied: the
 * standardisation (x - mean) / sd is folded into the coefficients). A Hessian costs n q^2 / 2
 * multiply-adds against 2 n q for a pass (about four passes' time at q = 30), and Newton needs
 * about six. So on tables of more than 2 {@link HESSIAN_SAMPLE} rows the fit first solves the
 * same problem on systematic row samples (2,048 then 16,384 rows, weights scaled up) by Newton
 * with the sample's exact Hessian, to within the samples' sampling error, then continues on the
 * full table by quasi-Newton from the last sample Hessian (BFGS updates from exact gradient
 * changes). The full table's gradient decides every step and the stop, so the optimum is the
 * same; only the rate differs (linear, steps shrinking about 20x each at 30 columns, instead of
 * quadratic). If that ever stalls (40 steps) the fit switches to Newton with the exact Hessian.
 * @module
 */

/** Fitted logistic regression (standardised scale), plain JSON. @internal */
export interface LogisticFit {
  /** Column means used for standardising (and imputing missing values). */
  mean: number[];
  /** Column standard deviations (population); 0 marks a constant column, left out of the fit. */
  sd: number[];
  /** Intercept on the standardised scale. */
  intercept: number;
  /** Coefficients on the standardised scale. */
  coef: number[];
  /** Newton (or quasi-Newton) iterations over the full table. */
  iterations: number;
  /** Whether the convergence test passed before `maxIter`. */
  converged: boolean;
}

/** Fit parameters. @internal */
export interface LogisticParams {
  l2: number;
  l1: number;
  maxIter: number;
  tol: number;
  /**
   * Rows of the Hessian sample: the Hessian is exact when the table has at most twice this
   * many rows. Default {@link HESSIAN_SAMPLE}; `Infinity` forces the exact Hessian.
   */
  hessianRows?: number;
}

/** Rows per block of a pass (a block of 30 columns is 120 KiB). */
const BLOCK = 512;
/** Default Hessian sample size (see the module comment). */
export const HESSIAN_SAMPLE = 16_384;
/** Quasi-Newton iterations on the full table after which the fit switches to the exact Hessian. */
const SAMPLED_MAX_ITER = 40;

/** Any numeric column the fit reads (NaN = missing). @internal */
export type NumericArrayLike = ArrayLike<number>;

/**
 * The design as the fit reads it: q `Float64Array` columns with no missing value (a missing
 * value is replaced by the column mean) and, per column, the mean and 1 / sd that standardise
 * it: z = (x - mu) * inv. The intercept is implicit.
 */
interface View {
  n: number;
  q: number;
  x: Float64Array[];
  mu: Float64Array;
  inv: Float64Array;
}

/** The view of the active columns: a column is copied only if it is not a `Float64Array` or has a missing value. */
function fullView(cols: readonly NumericArrayLike[], active: readonly number[], mean: readonly number[], sd: readonly number[], hasMissing: readonly boolean[], n: number): View {
  const q = active.length;
  const x: Float64Array[] = [];
  const mu = new Float64Array(q);
  const inv = new Float64Array(q);
  for (let a = 0; a < q; a++) {
    const j = active[a];
    const c = cols[j];
    mu[a] = mean[j];
    inv[a] = 1 / sd[j];
    if (c instanceof Float64Array && !hasMissing[j] && c.length === n) {
      x.push(c);
      continue;
    }
    const out = new Float64Array(n);
    const m = mean[j];
    for (let i = 0; i < n; i++) {
      const v = c[i];
      out[i] = v === v ? v : m;
    }
    x.push(out);
  }
  return { n, q, x, mu, inv };
}

/** The view of the given rows, standardised (mu 0, inv 1). */
function sampleView(full: View, rows: Int32Array): View {
  const m = rows.length;
  const x: Float64Array[] = [];
  for (let a = 0; a < full.q; a++) {
    const c = full.x[a];
    const u = full.mu[a];
    const s = full.inv[a];
    const out = new Float64Array(m);
    for (let k = 0; k < m; k++) out[k] = (c[rows[k]] - u) * s;
    x.push(out);
  }
  return { n: m, q: full.q, x, mu: new Float64Array(full.q), inv: new Float64Array(full.q).fill(1) };
}

/**
 * Objective (weighted log loss + penalty) at beta, the gradient of the log loss into `g` (the
 * caller adds the penalty's), and the linear predictor of every row into `eta`: one pass.
 * With c_a = beta_a * inv_a: eta = beta_0 - sum c_a mu_a + sum c_a x_a, and
 * g_a = inv_a (sum r x_a - mu_a sum r).
 */
function lossGrad(V: View, beta: Float64Array, y: Uint8Array, weight: Float64Array, l2: number, l1: number, g: Float64Array, eta: Float64Array, e: Float64Array, withLoss = true): number {
  const { n, q, x, mu, inv } = V;
  const c = new Float64Array(q);
  let b0 = beta[0];
  for (let a = 0; a < q; a++) {
    c[a] = beta[a + 1] * inv[a];
    b0 -= c[a] * mu[a];
  }
  const raw = new Float64Array(q);
  let f = 0;
  let g0 = 0;
  for (let s = 0; s < n; s += BLOCK) {
    const len = Math.min(BLOCK, n - s);
    const end = s + len;
    e.fill(b0, 0, len);
    // four columns per sweep: one load and store of e[i] per four multiply-adds
    let a = 0;
    for (; a + 3 < q; a += 4) {
      const c0 = c[a];
      const c1 = c[a + 1];
      const c2 = c[a + 2];
      const c3 = c[a + 3];
      const x0 = x[a];
      const x1 = x[a + 1];
      const x2 = x[a + 2];
      const x3 = x[a + 3];
      for (let i = s, k = 0; i < end; i++, k++) e[k] += c0 * x0[i] + c1 * x1[i] + (c2 * x2[i] + c3 * x3[i]);
    }
    for (; a < q; a++) {
      const c0 = c[a];
      const x0 = x[a];
      for (let i = s, k = 0; i < end; i++, k++) e[k] += c0 * x0[i];
    }
    if (withLoss) {
      for (let i = s, k = 0; i < end; i++, k++) {
        const t = e[k];
        const w = weight[i];
        const yi = y[i];
        eta[i] = t;
        let sp: number;
        let pr: number;
        if (t >= 0) {
          const ex = Math.exp(-t);
          sp = t + Math.log1p(ex);
          pr = 1 / (1 + ex);
        } else {
          const ex = Math.exp(t);
          sp = Math.log1p(ex);
          pr = ex / (1 + ex);
        }
        f += w * (sp - (yi ? t : 0));
        const r = w * (pr - yi);
        e[k] = r;
        g0 += r;
      }
    } else {
      // the gradient only (the quasi-Newton phase accepts steps on directional derivatives)
      for (let i = s, k = 0; i < end; i++, k++) {
        const t = e[k];
        eta[i] = t;
        const pr = t >= 0 ? 1 / (1 + Math.exp(-t)) : 1 - 1 / (1 + Math.exp(t));
        const r = weight[i] * (pr - y[i]);
        e[k] = r;
        g0 += r;
      }
    }
    a = 0;
    for (; a + 3 < q; a += 4) {
      const x0 = x[a];
      const x1 = x[a + 1];
      const x2 = x[a + 2];
      const x3 = x[a + 3];
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = s, k = 0; i < end; i++, k++) {
        const r = e[k];
        s0 += r * x0[i];
        s1 += r * x1[i];
        s2 += r * x2[i];
        s3 += r * x3[i];
      }
      raw[a] += s0;
      raw[a + 1] += s1;
      raw[a + 2] += s2;
      raw[a + 3] += s3;
    }
    for (; a < q; a++) {
      const x0 = x[a];
      let s0 = 0;
      for (let i = s, k = 0; i < end; i++, k++) s0 += e[k] * x0[i];
      raw[a] += s0;
    }
  }
  g[0] = g0;
  for (let a = 0; a < q; a++) g[a + 1] = inv[a] * (raw[a] - mu[a] * g0);
  if (!withLoss) return Number.NaN;
  for (let k = 1; k <= q; k++) f += 0.5 * l2 * beta[k] * beta[k] + l1 * Math.abs(beta[k]);
  return f;
}

/**
 * Hessian of the weighted log loss, sum_i v_i z_i z_i' with v_i = w_i p_i (1 - p_i), times
 * `scale`; full symmetric matrix into `H` ((q + 1) x (q + 1), intercept first). Per block,
 * u_a = v (x_a - mu_a) inv_a is formed once, then sum u_a x_b in 2 x 4 register tiles (6 loads
 * per 8 multiply-adds); H_ab = inv_b (sum u_a x_b - mu_b sum u_a).
 */
function hessian(V: View, v: Float64Array, scale: number, H: Float64Array, va: Float64Array): void {
  const { n, q, x, mu, inv } = V;
  const d = q + 1;
  H.fill(0);
  for (let s = 0; s < n; s += BLOCK) {
    const len = Math.min(BLOCK, n - s);
    const end = s + len;
    let v0 = 0;
    for (let i = s; i < end; i++) v0 += v[i];
    H[0] += v0;
    for (let a = 0; a < q; a++) {
      const xa = x[a];
      const u = mu[a];
      const sa = inv[a];
      const oa = a * BLOCK;
      let h = 0;
      for (let i = s, k = oa; i < end; i++, k++) {
        const t = v[i] * (xa[i] - u) * sa;
        va[k] = t;
        h += t;
      }
      H[a + 1] += h;
    }
    let a = 0;
    for (; a + 1 < q; a += 2) {
      const pa = a * BLOCK;
      const pb = pa + BLOCK;
      let b = a;
      for (; b + 3 < q; b += 4) {
        const x0 = x[b];
        const x1 = x[b + 1];
        const x2 = x[b + 2];
        const x3 = x[b + 3];
        let h00 = 0, h01 = 0, h02 = 0, h03 = 0, h10 = 0, h11 = 0, h12 = 0, h13 = 0;
        for (let i = s, k = 0; i < end; i++, k++) {
          const p0 = va[pa + k];
          const p1 = va[pb + k];
          const z0 = x0[i];
          const z1 = x1[i];
          const z2 = x2[i];
          const z3 = x3[i];
          h00 += p0 * z0;
          h01 += p0 * z1;
          h02 += p0 * z2;
          h03 += p0 * z3;
          h10 += p1 * z0;
          h11 += p1 * z1;
          h12 += p1 * z2;
          h13 += p1 * z3;
        }
        const r0 = (a + 1) * d + b + 1;
        const r1 = r0 + d;
        H[r0] += h00;
        H[r0 + 1] += h01;
        H[r0 + 2] += h02;
        H[r0 + 3] += h03;
        H[r1] += h10;
        H[r1 + 1] += h11;
        H[r1 + 2] += h12;
        H[r1 + 3] += h13;
      }
      for (; b < q; b++) {
        const x0 = x[b];
        let h0 = 0;
        let h1 = 0;
        for (let i = s, k = 0; i < end; i++, k++) {
          const z0 = x0[i];
          h0 += va[pa + k] * z0;
          h1 += va[pb + k] * z0;
        }
        H[(a + 1) * d + b + 1] += h0;
        H[(a + 2) * d + b + 1] += h1;
      }
    }
    for (; a < q; a++) {
      const pa = a * BLOCK;
      for (let b = a; b < q; b++) {
        const x0 = x[b];
        let h0 = 0;
        for (let i = s, k = 0; i < end; i++, k++) h0 += va[pa + k] * x0[i];
        H[(a + 1) * d + b + 1] += h0;
      }
    }
  }
  // the raw sums sum u_a x_b sit in the upper triangle (plus, in a 2-row tile's second row, one
  // entry left of the diagonal, unused): centre and scale them, then mirror the upper triangle
  for (let a = 0; a < q; a++) for (let b = a; b < q; b++) H[(a + 1) * d + b + 1] = inv[b] * (H[(a + 1) * d + b + 1] - mu[b] * H[a + 1]);
  for (let r = 0; r < d; r++) for (let c = 0; c < r; c++) H[r * d + c] = H[c * d + r];
  if (scale !== 1) for (let k = 0; k < d * d; k++) H[k] *= scale;
}

/**
 * Mean of the present values of a column, sum of squared deviations of the mean-imputed column
 * (missing rows add 0) and the count of present values, in one pass: sums of x - K and
 * (x - K)^2 shifted by the first present value K, so the variance does not cancel when the mean
 * is large against the spread; two interleaved sums per moment halve the add-latency chain.
 */
function columnStats(c: NumericArrayLike, n: number): { mu: number; ss: number; present: number } {
  let i0 = 0;
  while (i0 < n && Number.isNaN(c[i0])) i0++;
  if (i0 === n) return { mu: 0, ss: 0, present: 0 };
  const K = c[i0];
  let s = 0;
  let s2 = 0;
  let t = 0;
  let t2 = 0;
  let nan = i0;
  let i = i0;
  for (; i + 1 < n; i += 2) {
    const x0 = c[i];
    const x1 = c[i + 1];
    if (x0 === x0 && x1 === x1) {
      const d0 = x0 - K;
      const d1 = x1 - K;
      s += d0;
      s2 += d0 * d0;
      t += d1;
      t2 += d1 * d1;
    } else {
      if (x0 === x0) {
        s += x0 - K;
        s2 += (x0 - K) * (x0 - K);
      } else nan++;
      if (x1 === x1) {
        t += x1 - K;
        t2 += (x1 - K) * (x1 - K);
      } else nan++;
    }
  }
  if (i < n) {
    const x = c[i];
    if (x === x) {
      s += x - K;
      s2 += (x - K) * (x - K);
    } else nan++;
  }
  s += t;
  s2 += t2;
  const m = n - nan;
  return { mu: K + s / m, ss: Math.max(0, s2 - (s * s) / m), present: m };
}

/**
 * Fit on design columns (NaN = missing, imputed by the column mean), labels and row weights.
 * Objective: sum_i w_i * logloss_i + l2/2 * |beta|^2 + l1 * |beta|_1 (intercept not penalised),
 * on standardised columns, as scikit-learn's `LogisticRegression(C = 1 / l2)` after
 * `StandardScaler`. Stops when no coefficient moves more than `tol` in a step (or, with the
 * exact Hessian, when the objective's relative change falls below 1e-14); in the quasi-Newton
 * phase, whose steps shrink by a ratio of about 0.05, the distance left is then about 0.05 `tol`.
 * @internal
 */
export function fitLogistic(cols: readonly NumericArrayLike[], y: Uint8Array, weight: Float64Array, params: LogisticParams): LogisticFit {
  const n = y.length;
  const p = cols.length;
  const mean = new Array<number>(p).fill(0);
  const sd = new Array<number>(p).fill(0);
  const hasMissing = new Array<boolean>(p).fill(false);
  const active: number[] = [];
  for (let j = 0; j < p; j++) {
    const { mu, ss, present } = columnStats(cols[j], n);
    mean[j] = mu;
    hasMissing[j] = present < n;
    sd[j] = n > 0 ? Math.sqrt(ss / n) : 0;
    if (sd[j] > 1e-12 * Math.max(1, Math.abs(mu))) active.push(j);
    else sd[j] = 0;
  }
  const qa = active.length;
  const d = qa + 1; // intercept first
  const full = fullView(cols, active, mean, sd, hasMissing, n);

  const beta = new Float64Array(d);
  // start the intercept at the weighted base rate
  let sw = 0;
  let sw1 = 0;
  for (let i = 0; i < n; i++) {
    sw += weight[i];
    if (y[i]) sw1 += weight[i];
  }
  const base = Math.min(1 - 1e-9, Math.max(1e-9, sw1 / sw));
  beta[0] = Math.log(base / (1 - base));

  const m = params.hessianRows ?? HESSIAN_SAMPLE;
  const work = workspace(d, Math.max(n, 1));
  if (!(n > 2 * m)) {
    const r = newton(full, y, weight, beta, params, "exact", null, work);
    return result(r.iterations, r.converged);
  }
  // warm start: the same problem on systematic samples (row floor((k + 1/2) n / m), weights
  // scaled by n / m), by Newton with the sample's exact Hessian: first m / 8 rows to get near,
  // then m rows. The last optimum is within sampling error (~1 / sqrt(m)) of the full one, and
  // its last Hessian approximates the full Hessian there
  for (const [size, tol] of [[m >> 3, WARM_TOL_FIRST], [m, WARM_TOL]] as const) {
    if (size < 8 * d) continue; // too few rows for a useful Hessian
    const rows = new Int32Array(size);
    for (let k = 0; k < size; k++) rows[k] = Math.floor(((k + 0.5) * n) / size);
    const sample = sampleView(full, rows);
    const ys = new Uint8Array(size);
    const ws = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      ys[k] = y[rows[k]];
      ws[k] = (weight[rows[k]] * n) / size;
    }
    newton(sample, ys, ws, beta, { ...params, maxIter: WARM_MAX_ITER, tol }, "exact", null, work);
  }
  // then the full table: quasi-Newton from that Hessian (BFGS updates with exact gradients),
  // or Newton with the exact Hessian if that has not converged after SAMPLED_MAX_ITER steps
  const r = newton(full, y, weight, beta, { ...params, maxIter: Math.min(params.maxIter, SAMPLED_MAX_ITER) }, "bfgs", work.H, work);
  if (r.converged || params.maxIter <= SAMPLED_MAX_ITER) return result(r.iterations, r.converged);
  const e = newton(full, y, weight, beta, { ...params, maxIter: params.maxIter - r.iterations }, "exact", null, work);
  return result(r.iterations + e.iterations, e.converged);

  function result(iterations: number, converged: boolean): LogisticFit {
    const coef = new Array<number>(p).fill(0);
    for (let a = 0; a < qa; a++) coef[active[a]] = beta[a + 1];
    return { mean, sd, intercept: beta[0], coef, iterations, converged };
  }
}

/** Iterations of the warm start on the sample (it only needs to land near the optimum). */
const WARM_MAX_ITER = 20;
/** Step tolerance of the warm start: below its sampling error, far above the final `tol`. */
const WARM_TOL = 5e-2;
/** Step tolerance of the warm start's first, 8x smaller sample. */
const WARM_TOL_FIRST = 1e-1;

interface Workspace {
  g: Float64Array;
  gTrial: Float64Array;
  H: Float64Array;
  step: Float64Array;
  trial: Float64Array;
  eta: Float64Array;
  v: Float64Array;
  scratch: Float64Array;
  va: Float64Array;
  Bs: Float64Array;
}

function workspace(d: number, n: number): Workspace {
  return {
    g: new Float64Array(d),
    gTrial: new Float64Array(d),
    H: new Float64Array(d * d),
    step: new Float64Array(d),
    trial: new Float64Array(d),
    eta: new Float64Array(n),
    v: new Float64Array(n),
    scratch: new Float64Array(BLOCK),
    va: new Float64Array(BLOCK * Math.max(1, d - 1)),
    Bs: new Float64Array(d),
  };
}

/**
 * Newton iterations from `beta` (updated in place) on the panels `P`. `"exact"`: the Hessian
 * of `P` at every iterate (its last one is left in `work.H`). `"bfgs"`: start from the matrix
 * `B` (penalty included) and apply a BFGS update with each step and exact gradient change.
 * Each step is damped by halving until the objective does not increase; stops when no
 * coefficient moves more than `tol` (or the objective's relative change is below 1e-14).
 */
function newton(P: View, y: Uint8Array, weight: Float64Array, beta: Float64Array, params: LogisticParams, mode: "exact" | "bfgs", B: Float64Array | null, work: Workspace): { iterations: number; converged: boolean } {
  const { l2, l1, maxIter, tol } = params;
  const d = P.q + 1;
  const n = P.n;
  const { g, gTrial, H, step, trial, eta, v, scratch, va, Bs } = work;
  // the quasi-Newton phase of an L2 fit needs no objective values (see below)
  const quasi = mode === "bfgs" && l1 === 0;
  let fOld = lossGrad(P, beta, y, weight, l2, l1, g, eta, scratch, !quasi);
  for (let k = 1; k < d; k++) g[k] += l2 * beta[k];
  let iter = 0;
  while (iter < maxIter) {
    iter++;
    if (mode === "exact") {
      for (let i = 0; i < n; i++) {
        const t = eta[i];
        const pr = t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
        v[i] = weight[i] * pr * (1 - pr);
      }
      hessian(P, v, 1, H, va);
      for (let k = 1; k < d; k++) H[k * d + k] += l2;
      H[0] += 1e-12; // keeps the factorisation defined when every weight underflows
    }
    const M = mode === "exact" ? H : B!;
    if (l1 > 0) proxNewtonStep(M, g, beta, l1, d, step);
    else solveCholesky(M, g, d, step);
    let fNew = Number.NaN;
    let accepted = false;
    if (quasi) {
      // a step already below tol is the last one: take it without evaluating the new point
      // (its gradient would only feed a step that is not taken)
      let largest = 0;
      for (let k = 0; k < d; k++) largest = Math.max(largest, Math.abs(step[k]));
      if (largest < tol) {
        for (let k = 0; k < d; k++) beta[k] -= step[k];
        return { iterations: iter, converged: true };
      }
      // the full step, accepted on derivatives alone: along phi(t) = f(beta - t step), the
      // trapezoid phi(1) - phi(0) ~ (phi'(0) + phi'(1)) / 2 is exact for a quadratic and this
      // objective is one to third order near the optimum, where this phase runs
      for (let k = 0; k < d; k++) trial[k] = beta[k] - step[k];
      lossGrad(P, trial, y, weight, l2, l1, gTrial, eta, scratch, false);
      for (let k = 1; k < d; k++) gTrial[k] += l2 * trial[k];
      let d0 = 0;
      let d1 = 0;
      for (let k = 0; k < d; k++) {
        d0 += g[k] * step[k];
        d1 += gTrial[k] * step[k];
      }
      accepted = d0 > 0 && d0 + d1 > 0;
      if (!accepted && Number.isNaN(fOld)) fOld = lossGrad(P, beta, y, weight, l2, l1, gTrial, eta, scratch);
    }
    if (!accepted) {
      // line search on the objective; the accepted trial's gradient comes with it
      let t = 1;
      for (let ls = 0; ls < 30; ls++) {
        for (let k = 0; k < d; k++) trial[k] = beta[k] - t * step[k];
        fNew = lossGrad(P, trial, y, weight, l2, l1, gTrial, eta, scratch);
        if (fNew <= fOld + 1e-12 * Math.abs(fOld)) break;
        t /= 2;
      }
      for (let k = 1; k < d; k++) gTrial[k] += l2 * trial[k];
    }
    let maxStep = 0;
    for (let k = 0; k < d; k++) maxStep = Math.max(maxStep, Math.abs(trial[k] - beta[k]));
    if (mode === "bfgs") bfgsUpdate(B!, beta, trial, g, gTrial, d, Bs);
    beta.set(trial);
    g.set(gTrial);
    const rel = Math.abs(fOld - fNew) / Math.max(1, Math.abs(fOld));
    fOld = fNew;
    // the objective test is for Newton's quadratic convergence (and for coefficients drifting
    // off on separable classes without a penalty); in the linear quasi-Newton phase the objective
    // stalls at rounding level while the coefficients are still 1e-7 away, so only steps count
    if (maxStep < tol || (mode === "exact" && rel < 1e-14)) return { iterations: iter, converged: true };
  }
  return { iterations: iter, converged: false };
}

/**
 * BFGS update of the Hessian approximation B with the step s = next - prev and the gradient
 * change u = gNext - gPrev: B + u u' / (u's) - (Bs)(Bs)' / (s'Bs). Skipped unless u's > 0 (it
 * always is for this strictly convex objective, except for rounding at the optimum).
 */
function bfgsUpdate(B: Float64Array, prev: Float64Array, next: Float64Array, gPrev: Float64Array, gNext: Float64Array, d: number, Bs: Float64Array): void {
  let us = 0;
  let uu = 0;
  let ss = 0;
  for (let k = 0; k < d; k++) {
    const s = next[k] - prev[k];
    const u = gNext[k] - gPrev[k];
    us += u * s;
    uu += u * u;
    ss += s * s;
  }
  if (!(us > 1e-10 * Math.sqrt(uu * ss))) return;
  let sBs = 0;
  for (let r = 0; r < d; r++) {
    let acc = 0;
    for (let c = 0; c < d; c++) acc += B[r * d + c] * (next[c] - prev[c]);
    Bs[r] = acc;
    sBs += acc * (next[r] - prev[r]);
  }
  if (!(sBs > 0)) return;
  for (let r = 0; r < d; r++) {
    const ur = gNext[r] - gPrev[r];
    for (let c = 0; c < d; c++) B[r * d + c] += (ur * (gNext[c] - gPrev[c])) / us - (Bs[r] * Bs[c]) / sBs;
  }
}

/** Solve H x = g by Cholesky (H symmetric positive definite), writing x into `out`. */
function solveCholesky(H: Float64Array, g: Float64Array, q: number, out: Float64Array): void {
  const L = new Float64Array(q * q);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j <= i; j++) {
      let s = H[i * q + j];
      for (let k = 0; k < j; k++) s -= L[i * q + k] * L[j * q + k];
      if (i === j) L[i * q + i] = Math.sqrt(Math.max(s, 1e-300));
      else L[i * q + j] = s / L[j * q + j];
    }
  }
  const z = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    let s = g[i];
    for (let k = 0; k < i; k++) s -= L[i * q + k] * z[k];
    z[i] = s / L[i * q + i];
  }
  for (let i = q - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < q; k++) s -= L[k * q + i] * out[k];
    out[i] = s / L[i * q + i];
  }
}

/**
 * Proximal Newton direction for the L1 term: minimise g'd + d'Hd/2 + l1 |beta - d|_1 over d by
 * cyclic coordinate descent (intercept unpenalised). The step returned is subtracted from beta.
 */
function proxNewtonStep(H: Float64Array, g: Float64Array, beta: Float64Array, l1: number, q: number, out: Float64Array): void {
  // work with u = beta - d (the new point); quadratic model in u.
  const u = Float64Array.from(beta);
  for (let sweep = 0; sweep < 200; sweep++) {
    let change = 0;
    for (let j = 0; j < q; j++) {
      const hjj = H[j * q + j];
      // gradient of the quadratic model at u, coordinate j: g_j + sum_k H_jk (u_k - beta_k)
      let grad = g[j];
      for (let k = 0; k < q; k++) grad += H[j * q + k] * (u[k] - beta[k]);
      const z = u[j] - grad / hjj;
      let next: number;
      if (j === 0) next = z;
      else {
        const thr = l1 / hjj;
        next = z > thr ? z - thr : z < -thr ? z + thr : 0;
      }
      change = Math.max(change, Math.abs(next - u[j]));
      u[j] = next;
    }
    if (change < 1e-12) break;
  }
  for (let k = 0; k < q; k++) out[k] = beta[k] - u[k];
}

/**
 * Churn probabilities of design columns under a fit, column by column: eta_i = intercept +
 * sum_j coef_j (x_ij - mean_j) / sd_j over present values (a missing value is the mean, adding
 * 0), then 1 / (1 + exp(-eta)). Each row's sum runs over j in the same order whatever the
 * layout, so every caller gets identical numbers. `rowMajor` reads x_ij at `data[i * p + j]`.
 * @internal
 */
export function logisticScores(fit: LogisticFit, cols: readonly NumericArrayLike[] | { data: Float64Array; p: number; n: number }, out: Float64Array): Float64Array {
  const rowMajor = !Array.isArray(cols);
  const n = out.length;
  const eta = out; // the linear predictor is built in place, then mapped to probabilities
  eta.fill(fit.intercept);
  const p = fit.coef.length;
  for (let j = 0; j < p; j++) {
    const sd = fit.sd[j];
    const c = fit.coef[j];
    if (sd === 0 || c === 0) continue;
    const mu = fit.mean[j];
    const a = c / sd;
    if (rowMajor) {
      const { data, p: stride } = cols as { data: Float64Array; p: number };
      for (let i = 0, k = j; i < n; i++, k += stride) {
        const x = data[k];
        if (x === x) eta[i] += a * (x - mu);
      }
    } else {
      const col = (cols as readonly NumericArrayLike[])[j];
      for (let i = 0; i < n; i++) {
        const x = col[i];
        if (x === x) eta[i] += a * (x - mu);
      }
    }
  }
  for (let i = 0; i < n; i++) eta[i] = sigmoid(eta[i]);
  return out;
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Linear predictor of row i of design columns (for per-customer reasons). @internal */
export function logisticEta(fit: LogisticFit, cols: readonly NumericArrayLike[], i: number): number {
  let z = fit.intercept;
  for (let j = 0; j < fit.coef.length; j++) {
    if (fit.sd[j] === 0 || fit.coef[j] === 0) continue;
    const x = cols[j][i];
    if (Number.isNaN(x)) continue;
    z += (fit.coef[j] / fit.sd[j]) * (x - fit.mean[j]);
  }
  return z;
}

/** Probability from a linear predictor. @internal */
export const logisticProb = sigmoid;
