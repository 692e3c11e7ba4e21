/**
 * A small BFGS minimiser with a backtracking Armijo line search, plus finite-difference
 * Hessians and a symmetric inverse, for fitting the BG/NBD family on log parameters.
 * Private to `src/clv`.
 * @module
 */

/** Objective: returns f(u) and writes ∇f(u) into `grad`. Non-finite f means "outside the domain". */
export type Objective = (u: Float64Array, grad: Float64Array) => number;

/**
 * The objective of a four-parameter model fitted on ln θ (BG/NBD, MBG/NBD): the mean negative
 * log-likelihood plus `penalizer · Σθ²`, with its gradient in ln θ from `core`'s gradient in θ.
 * `core(r, α, a, b, grad)` returns the total log-likelihood and, when `grad` is given, writes
 * ∂LL/∂θ into it. A point outside the domain, or a non-finite value, is `Infinity`.
 * @internal
 */
export function penalizedLogObjective(core: (r: number, alpha: number, a: number, b: number, grad: Float64Array | null) => number, N: number, penalizer: number): Objective {
  const g4 = new Float64Array(4);
  const th = new Float64Array(4);
  return (u, grad) => {
    for (let j = 0; j < 4; j++) th[j] = Math.exp(u[j]);
    for (let j = 0; j < 4; j++) if (!(th[j] > 0 && Number.isFinite(th[j]))) return Infinity;
    const ll = core(th[0], th[1], th[2], th[3], g4);
    let pen = 0;
    for (let j = 0; j < 4; j++) {
      pen += th[j] * th[j];
      grad[j] = (-g4[j] * th[j]) / N + 2 * penalizer * th[j] * th[j];
    }
    const f = -ll / N + penalizer * pen;
    return Number.isFinite(f) ? f : Infinity;
  };
}

/** How the optimiser ended (part of every fitted model). */
export interface Convergence {
  /** `true` when the gradient test was met within `maxIterations`. */
  readonly converged: boolean;
  /** BFGS iterations used. */
  readonly iterations: number;
  /** Objective (value + gradient) evaluations used. */
  readonly evaluations: number;
  /** Largest absolute gradient component of the mean negative log-likelihood (log parameters) at the end. */
  readonly gradientNorm: number;
  /** Why it stopped, in words. */
  readonly message: string;
}

/** Options of {@link bfgs}. */
export interface BfgsOptions {
  maxIterations: number;
  gradientTolerance: number;
  /** Largest step in any log parameter per iteration. */
  maxStep: number;
  /**
   * Largest number of objective evaluations (line-search trials included). {@link minimize}
   * counts its final gradient, Hessian and Newton polish in it too. Default unbounded.
   */
  maxEvaluations?: number;
  /**
   * A box on u, both ends given or neither (lower < upper, the start inside). A step is
   * shortened so that no coordinate leaves the box, and the run stops, not converged, as soon as
   * an accepted iterate lies on it (see {@link BfgsResult.atBound}): a bound far from every
   * sensible estimate that the iterates reach means the likelihood rises towards infinity along
   * a ridge, where each evaluation gets costlier and no optimum exists. Default: no box.
   */
  lower?: ArrayLike<number>;
  /** Upper ends of the box; see `lower`. */
  upper?: ArrayLike<number>;
}

/** Result of {@link bfgs}. */
export interface BfgsResult {
  u: Float64Array;
  f: number;
  convergence: Convergence;
  /** The coordinate of u on the box when the run stopped there (j on its upper end, ~j = -j-1 on its lower end), else empty. */
  atBound: number[];
}

function infNorm(g: Float64Array): number {
  let m = 0;
  for (let i = 0; i < g.length; i++) m = Math.max(m, Math.abs(g[i]));
  return m;
}

/**
 * Minimise `fg` from `u0` by BFGS (inverse-Hessian update, Nocedal & Wright 2006, eq. 6.17)
 * with an Armijo backtracking line search (c1 = 1e-4, quadratic interpolation, halving
 * fallback). The update is skipped when the curvature condition s·y > 0 fails.
 * @internal
 */
export function bfgs(fg: Objective, u0: ArrayLike<number>, opts: BfgsOptions): BfgsResult {
  const n = u0.length;
  let u = Float64Array.from(u0);
  let g = new Float64Array(n);
  let f = fg(u, g);
  let evaluations = 1;
  if (!Number.isFinite(f)) {
    return { u, f, convergence: { converged: false, iterations: 0, evaluations, gradientNorm: Infinity, message: "objective is not finite at the starting point" }, atBound: [] };
  }
  const maxEvaluations = opts.maxEvaluations ?? Infinity;
  const lower = opts.lower;
  const upper = opts.upper;
  let atBound: number[] = [];
  const H = new Float64Array(n * n);
  const resetH = (scale: number) => {
    H.fill(0);
    for (let i = 0; i < n; i++) H[i * n + i] = scale;
  };
  resetH(1 / Math.max(1, infNorm(g)));
  const p = new Float64Array(n);
  const uNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);
  let iterations = 0;
  let message = "maximum iterations reached";
  let converged = false;
  for (; iterations < opts.maxIterations; iterations++) {
    if (infNorm(g) <= opts.gradientTolerance) {
      converged = true;
      message = "gradient below tolerance";
      break;
    }
    if (evaluations >= maxEvaluations) {
      message = "maximum evaluations reached";
      break;
    }
    // p = -H g
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= H[i * n + j] * g[j];
      p[i] = v;
      slope += v * g[i];
    }
    if (!(slope < 0)) {
      resetH(1 / Math.max(1, infNorm(g)));
      for (let i = 0; i < n; i++) p[i] = -H[i * n + i] * g[i];
      slope = 0;
      for (let i = 0; i < n; i++) slope += p[i] * g[i];
    }
    const pmax = infNorm(p);
    let step = pmax > opts.maxStep ? opts.maxStep / pmax : 1;
    // the largest step that stays in the box, and the coordinate that limits it
    let boxStep = Infinity;
    let boxHit = 0;
    if (lower && upper) {
      for (let i = 0; i < n; i++) {
        // (a start a rounding step outside its end counts as on it)
        const room = p[i] > 0 ? Math.max(0, (upper[i] - u[i]) / p[i]) : p[i] < 0 ? Math.max(0, (lower[i] - u[i]) / p[i]) : Infinity;
        if (room < boxStep) {
          boxStep = room;
          boxHit = p[i] > 0 ? i : ~i;
        }
      }
      step = Math.min(step, boxStep);
    }
    let fNew = Infinity;
    let accepted = false;
    for (let ls = 0; ls < 60 && evaluations < maxEvaluations; ls++) {
      for (let i = 0; i < n; i++) uNew[i] = u[i] + step * p[i];
      if (step === boxStep) uNew[boxHit < 0 ? ~boxHit : boxHit] = boxHit < 0 ? lower![~boxHit] : upper![boxHit]; // exactly on the box
      fNew = fg(uNew, gNew);
      evaluations++;
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      // quadratic interpolation of phi(step) from phi(0), phi'(0), phi(step), safeguarded
      let next = 0.5 * step;
      if (Number.isFinite(fNew)) {
        const q = (-slope * step * step) / (2 * (fNew - f - slope * step));
        if (q > 0.1 * step && q < 0.5 * step) next = q;
      }
      step = next;
    }
    if (!accepted && evaluations >= maxEvaluations) {
      message = "maximum evaluations reached";
      break;
    }
    if (accepted && step === boxStep && step * pmax < 1e-12) {
      // already on the box, and the step points out of it
      atBound = [boxHit];
      message = "an accepted step reached the parameter box";
      break;
    }
    if (!accepted || step * pmax < 1e-12) {
      if (accepted) {
        u = Float64Array.from(uNew);
        const tmp = g;
        g = gNew;
        gNew = tmp;
        f = fNew;
      }
      const gn = infNorm(g);
      converged = gn <= opts.gradientTolerance * 100;
      message = converged ? "line search stalled at a point with a near-zero gradient" : "line search could not decrease the objective further (precision limit)";
      break;
    }
    for (let i = 0; i < n; i++) {
      s[i] = uNew[i] - u[i];
      y[i] = gNew[i] - g[i];
    }
    let sy = 0;
    for (let i = 0; i < n; i++) sy += s[i] * y[i];
    if (iterations === 0 && sy > 0) {
      let yy = 0;
      for (let i = 0; i < n; i++) yy += y[i] * y[i];
      resetH(sy / yy);
    }
    if (sy > 1e-14) {
      const rho = 1 / sy;
      let yHy = 0;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j] * y[j];
        Hy[i] = v;
        yHy += y[i] * v;
      }
      // H += (1 + rho yHy) rho s s' - rho (Hy s' + s yH')
      const c = (1 + rho * yHy) * rho;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) H[i * n + j] += c * s[i] * s[j] - rho * (Hy[i] * s[j] + s[i] * Hy[j]);
      }
    }
    const tmpU = u;
    u = Float64Array.from(uNew);
    void tmpU;
    const tmpG = g;
    g = gNew;
    gNew = tmpG;
    const fOld = f;
    f = fNew;
    if (step === boxStep) {
      iterations++;
      atBound = [boxHit];
      message = "an accepted step reached the parameter box";
      break;
    }
    if (Math.abs(fOld - f) <= 1e-16 * Math.max(1, Math.abs(f)) && infNorm(g) <= opts.gradientTolerance * 100) {
      iterations++;
      converged = true;
      message = "objective stopped changing at a near-zero gradient";
      break;
    }
  }
  return { u, f, convergence: { converged, iterations, evaluations, gradientNorm: infNorm(g), message }, atBound };
}

/**
 * Hessian of a function by central differences of its gradient (symmetrised).
 * @internal
 */
export function hessianFromGradient(fg: Objective, u: Float64Array, h = 1e-4): Float64Array {
  const n = u.length;
  const Hm = new Float64Array(n * n);
  const up = Float64Array.from(u);
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    up[j] = u[j] + h;
    fg(up, gp);
    up[j] = u[j] - h;
    fg(up, gm);
    up[j] = u[j];
    for (let i = 0; i < n; i++) Hm[i * n + j] = (gp[i] - gm[i]) / (2 * h);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (Hm[i * n + j] + Hm[j * n + i]);
      Hm[i * n + j] = v;
      Hm[j * n + i] = v;
    }
  }
  return Hm;
}

/**
 * Inverse of a symmetric positive-definite matrix by Cholesky; `null` when it is not positive
 * definite (the fit is then not at a strict local minimum, or a parameter is not identified).
 * @internal
 */
export function invertSpd(A: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let v = A[i * n + j];
      for (let k = 0; k < j; k++) v -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(v > 0)) return null;
        L[i * n + i] = Math.sqrt(v);
      } else L[i * n + j] = v / L[j * n + j];
    }
  }
  // inverse of L, then L^-T L^-1
  const Li = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    Li[i * n + i] = 1 / L[i * n + i];
    for (let j = 0; j < i; j++) {
      let v = 0;
      for (let k = j; k < i; k++) v -= L[i * n + k] * Li[k * n + j];
      Li[i * n + j] = v / L[i * n + i];
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let v = 0;
      for (let k = Math.max(i, j); k < n; k++) v += Li[k * n + i] * Li[k * n + j];
      inv[i * n + j] = v;
    }
  }
  return inv;
}

/**
 * BFGS, then up to `polish` Newton steps with a central-difference Hessian of the gradient
 * (BFGS alone can stall a little above a tight gradient tolerance when the objective is only
 * accurate to ~1e-14; a Newton step from there lands on the optimum). Returns the Hessian at
 * the solution too.
 * @internal
 */
export function minimize(fg: Objective, u0: ArrayLike<number>, opts: BfgsOptions, hessianStep = 1e-4, polish = 4): BfgsResult & { hessian: Float64Array } {
  // the final gradient and Hessian (1 + 2n evaluations) are kept out of BFGS's share of maxEvaluations
  const maxEvaluations = opts.maxEvaluations ?? Infinity;
  const reserve = 1 + 2 * u0.length;
  const res = bfgs(fg, u0, opts.maxEvaluations === undefined ? opts : { ...opts, maxEvaluations: opts.maxEvaluations - reserve });
  const n = res.u.length;
  let u = res.u;
  let f = res.f;
  const g = new Float64Array(n);
  fg(u, g);
  let gn = infNorm(g);
  let H = hessianFromGradient(fg, u, hessianStep);
  let evaluations = res.convergence.evaluations + 1 + 2 * n;
  let iterations = res.convergence.iterations;
  let message = res.convergence.message;
  // no polish on the box: the Newton step would only walk on along the ridge
  const polishSteps = res.atBound.length > 0 ? 0 : Math.min(polish, opts.maxIterations - iterations);
  for (let k = 0; k < polishSteps && Number.isFinite(f) && gn > opts.gradientTolerance && evaluations + reserve <= maxEvaluations; k++) {
    const inv = invertSpd(H, n);
    if (!inv) break;
    const un = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v += inv[i * n + j] * g[j];
      un[i] = u[i] - v;
    }
    const gnew = new Float64Array(n);
    const fn = fg(un, gnew);
    evaluations++;
    const gnn = infNorm(gnew);
    if (!(Number.isFinite(fn) && gnn < gn && fn <= f + 1e-12 * Math.max(1, Math.abs(f)))) break;
    u = un;
    f = fn;
    g.set(gnew);
    gn = gnn;
    iterations++;
    H = hessianFromGradient(fg, u, hessianStep);
    evaluations += 2 * n;
    message = "Newton polish after BFGS";
  }
  const converged = gn <= opts.gradientTolerance && res.atBound.length === 0;
  if (converged && !res.convergence.converged) message = `${message}; gradient below tolerance`;
  else if (converged) message = "gradient below tolerance";
  return { u, f, hessian: H, convergence: { converged, iterations, evaluations, gradientNorm: gn, message }, atBound: res.atBound };
}
