/**
 * PLS path modelling (Wold's algorithm with Lohmöller's weighting schemes), as in R's `plspm`
 * and `seminr`: outer weights and loadings, standardised construct scores, path coefficients,
 * R², reliability and validity measures, HTMT, and total and indirect effects.
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { solveSpd } from "../numeric/linalg.js";
import { checkModel, type CheckedModel, type PlsModel } from "./model.js";
import type { SurveyData, SurveyScale, SurveyTable } from "./types.js";

/**
 * Inner weighting scheme: how neighbouring constructs are combined into the inner estimate.
 * `"path"` (Lohmöller): regression coefficients for predecessors, correlations for successors;
 * `"centroid"`: signs of the correlations; `"factorial"`: the correlations.
 * @category Survey
 */
export type PlsScheme = "path" | "centroid" | "factorial";

/**
 * How missing answers are treated. `"mean"`: each missing answer is replaced by the item's mean
 * over the respondents who answered it (seminr's default); `"casewise"`: respondents with any
 * missing answer on a model item are left out.
 * @category Survey
 */
export type PlsMissing = "mean" | "casewise";

/**
 * Options of {@link plsPathModel}.
 * @category Survey
 */
export interface PlsPathModelOptions {
  /** Inner weighting scheme. Default `"path"` (seminr's default; plspm's is `"centroid"`). */
  scheme?: PlsScheme;
  /** Stop when the summed absolute change of the outer weights is below this. Default `1e-7` (seminr's). */
  tolerance?: number;
  /** Iterations allowed before the run is reported as not converged. Default `300` (seminr's). */
  maxIterations?: number;
  /** Missing-answer treatment. Default `"mean"`. */
  missing?: PlsMissing;
}

/** Defaults of {@link plsPathModel}. */
const PLS_DEFAULTS = Object.freeze({ scheme: "path" as PlsScheme, tolerance: 1e-7, maxIterations: 300, missing: "mean" as PlsMissing });

/**
 * A structural path with its estimated coefficient.
 * @category Survey
 */
export interface PlsPathCoefficient {
  /** Predecessor construct. */
  readonly from: string;
  /** Endogenous construct. */
  readonly to: string;
  /** Standardised OLS coefficient of `from` in the regression of `to` on its predecessors. */
  readonly coefficient: number;
}

/**
 * The effect of one construct on another through the structural model.
 * @category Survey
 */
export interface PlsEffect {
  /** Cause. */
  readonly from: string;
  /** Effect. */
  readonly to: string;
  /** Path coefficient, 0 when there is no direct path. */
  readonly direct: number;
  /** Sum over all paths of length ≥ 2 of the products of their coefficients. */
  readonly indirect: number;
  /** `direct + indirect`. */
  readonly total: number;
}

/**
 * Heterotrait–monotrait ratio of one pair of constructs.
 * @category Survey
 */
export interface PlsHtmt {
  /** First construct (earlier in the block order). */
  readonly a: string;
  /** Second construct. */
  readonly b: string;
  /** The ratio; values above 0.85–0.90 signal poor discriminant validity (Henseler et al. 2015). */
  readonly value: number;
}

/**
 * A fitted PLS path model (plain data). Per-item and per-construct numbers are null-prototype
 * records keyed by name.
 * @category Survey
 */
export interface PlsResult {
  /** Construct names in block order. */
  readonly constructs: readonly string[];
  /** Item names in block order. */
  readonly items: readonly string[];
  /** The items of each construct. */
  readonly blocks: Readonly<Record<string, readonly string[]>>;
  /** Weighting scheme used. */
  readonly scheme: PlsScheme;
  /** Respondents used (after case-wise deletion). */
  readonly n: number;
  /** 0-based positions in the input of the respondents used, ascending. */
  readonly rows: Int32Array;
  /** Missing answers replaced by item means (`"mean"`), 0 otherwise. */
  readonly imputed: number;
  /** Respondents left out for missing answers (`"casewise"`), 0 otherwise. */
  readonly dropped: number;
  /** Iterations until the weights converged. */
  readonly iterations: number;
  /** Outer weights of the standardised items (each construct's score has variance 1). */
  readonly weights: Readonly<Record<string, number>>;
  /** Outer loadings: correlation of each item with its construct's score. */
  readonly loadings: Readonly<Record<string, number>>;
  /** Construct scores: mean 0, variance 1 (divisor n), one per respondent used. */
  readonly scores: ReadonlyMap<string, Float64Array>;
  /** Path coefficients, in the order of `model.paths`. */
  readonly paths: readonly PlsPathCoefficient[];
  /** R² of each endogenous construct. */
  readonly r2: Readonly<Record<string, number>>;
  /** Average variance extracted (mean squared loading), reflective blocks only. */
  readonly ave: Readonly<Record<string, number>>;
  /** Composite reliability ρ_c (Jöreskog / Dillon–Goldstein), reflective blocks only. */
  readonly rhoC: Readonly<Record<string, number>>;
  /** Dijkstra–Henseler ρ_A, reflective blocks only. */
  readonly rhoA: Readonly<Record<string, number>>;
  /** Cronbach's alpha of the standardised items, reflective blocks only. */
  readonly alpha: Readonly<Record<string, number>>;
  /** HTMT for every pair of constructs. */
  readonly htmt: readonly PlsHtmt[];
  /** Direct, indirect and total effects for every pair joined by a directed path. */
  readonly effects: readonly PlsEffect[];
  /** Item means of the answers used (after missing-answer treatment), on the answer scale. */
  readonly itemMeans: Readonly<Record<string, number>>;
  /** Item standard deviations (divisor n) of the answers used. */
  readonly itemSds: Readonly<Record<string, number>>;
  /** Answer scales when the input was a {@link SurveyTable}, else `null`. */
  readonly scales: ReadonlyMap<string, SurveyScale> | null;
}

/** A null-prototype record. */
function record(): Record<string, number> {
  return Object.create(null) as Record<string, number>;
}

/** Missing-answer markers in row objects. */
function cellValue(v: unknown): number | null {
  if (v === null || v === undefined) return NaN;
  if (typeof v === "number") return Number.isFinite(v) || Number.isNaN(v) ? v : null;
  if (typeof v === "string") {
    const t = v.trim();
    if (t === "" || t === "NA" || t === "na" || t === "NaN") return NaN;
    const x = Number(t);
    return Number.isFinite(x) ? x : null;
  }
  return null;
}

/**
 * The raw answer columns of the named items (NaN = missing).
 * @internal
 */
export function itemColumns(fn: string, data: SurveyData, items: readonly string[]): { cols: Float64Array[]; n: number; scales: ReadonlyMap<string, SurveyScale> | null } {
  if (data === null || typeof data !== "object") throw new InvalidOptionError(fn, "data", data, "a SurveyTable, columns by item, or row objects");
  const cols: Float64Array[] = [];
  let scales: ReadonlyMap<string, SurveyScale> | null = null;
  if (Array.isArray(data)) {
    const rows = data as readonly Readonly<Record<string, unknown>>[];
    for (const item of items) {
      const c = new Float64Array(rows.length);
      let present = false;
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r];
        if (row === null || typeof row !== "object") throw new InvalidRecordError(fn, { row: r + 1, field: "(row)", value: row, expected: "an object of answers" });
        // a key absent from one row is a missing answer there (as in parseSurvey)
        const has = Object.prototype.hasOwnProperty.call(row, item);
        present ||= has;
        const v = has ? cellValue(row[item]) : NaN;
        if (v === null) throw new InvalidRecordError(fn, { row: r + 1, field: item, value: row[item], expected: "a finite number or a missing marker (null, empty, NA)" });
        c[r] = v;
      }
      if (!present) throw new InvalidOptionError(fn, "model", item, "an item present in the data (no row has it)");
      cols.push(c);
    }
    return { cols, n: rows.length, scales };
  }
  let get: (item: string) => ArrayLike<number> | undefined;
  if ((data as SurveyTable).kind === "survey" && (data as SurveyTable).answers instanceof Map) {
    const t = data as SurveyTable;
    scales = t.scales;
    get = (item) => t.answers.get(item);
  } else if (data instanceof Map) {
    const m = data as ReadonlyMap<string, ArrayLike<number>>;
    get = (item) => m.get(item);
  } else {
    const o = data as Readonly<Record<string, ArrayLike<number>>>;
    get = (item) => (Object.prototype.hasOwnProperty.call(o, item) ? o[item] : undefined);
  }
  let n = -1;
  for (const item of items) {
    const src = get(item);
    if (src === undefined || src === null || typeof src.length !== "number") throw new InvalidOptionError(fn, "model", item, "an item present in the data");
    if (n >= 0 && src.length !== n) throw new InvalidOptionError(fn, "data", item, `columns of equal length (${n} answers before, ${src.length} here)`);
    n = src.length;
    const c = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const v = src[r];
      if (typeof v !== "number" || v === Infinity || v === -Infinity) {
        if (v === null || v === undefined) c[r] = NaN;
        else throw new InvalidRecordError(fn, { row: r + 1, field: item, value: v, expected: "a finite number or NaN for a missing answer" });
      } else c[r] = v;
    }
    cols.push(c);
  }
  return { cols, n: Math.max(n, 0), scales };
}

/** Answers after missing-answer treatment. */
interface Prepared {
  cols: Float64Array[];
  rows: Int32Array;
  imputed: number;
  dropped: number;
}

/**
 * Apply the missing-answer treatment.
 * @internal
 */
export function treatMissing(fn: string, cols: Float64Array[], n: number, items: readonly string[], missing: PlsMissing): Prepared {
  const p = cols.length;
  const keep: number[] = [];
  for (let r = 0; r < n; r++) {
    let nMissing = 0;
    for (let i = 0; i < p; i++) if (Number.isNaN(cols[i][r])) nMissing++;
    if (nMissing === p) throw new InvalidRecordError(fn, { row: r + 1, field: "(all model items)", value: null, expected: "at least one answer (this respondent answered none of the model's items)" });
    if (missing === "mean" || nMissing === 0) keep.push(r);
  }
  const rows = Int32Array.from(keep);
  if (missing === "casewise") {
    const out = cols.map((c) => Float64Array.from(rows, (r) => c[r]));
    return { cols: out, rows, imputed: 0, dropped: n - rows.length };
  }
  let imputed = 0;
  const out = cols.map((c, i) => {
    let s = 0;
    let m = 0;
    for (let r = 0; r < n; r++) if (!Number.isNaN(c[r])) { s += c[r]; m++; }
    if (m === 0) throw new InvalidRecordError(fn, { row: 1, field: items[i], value: null, expected: "at least one answer to every model item (this item has none)" });
    const mean = s / m;
    const d = Float64Array.from(c);
    for (let r = 0; r < n; r++) if (Number.isNaN(d[r])) { d[r] = mean; imputed++; }
    return d;
  });
  return { cols: out, rows, imputed, dropped: 0 };
}

/**
 * Means, population standard deviations and the item correlation matrix of answer columns.
 * @internal
 */
export interface Moments {
  means: Float64Array;
  sds: Float64Array;
  /** `p × p` correlation matrix. */
  s: number[][];
}

/**
 * Moments of the columns over the rows `idx` (every row when `idx` is null). Returns the index
 * of a constant column instead when there is one.
 * @internal
 */
export function moments(cols: Float64Array[], idx: Int32Array | null): Moments | number {
  const p = cols.length;
  const n = idx === null ? cols[0].length : idx.length;
  const means = new Float64Array(p);
  const sds = new Float64Array(p);
  const z: Float64Array[] = [];
  for (let i = 0; i < p; i++) {
    const c = cols[i];
    let s = 0;
    for (let k = 0; k < n; k++) s += c[idx === null ? k : idx[k]];
    const mean = s / n;
    const d = new Float64Array(n);
    let ss = 0;
    for (let k = 0; k < n; k++) {
      const v = c[idx === null ? k : idx[k]] - mean;
      d[k] = v;
      ss += v * v;
    }
    const sd = Math.sqrt(ss / n);
    if (!(sd > 1e-12 * Math.max(1, Math.abs(mean)))) return i;
    for (let k = 0; k < n; k++) d[k] /= sd;
    means[i] = mean;
    sds[i] = sd;
    z.push(d);
  }
  const s: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let i = 0; i < p; i++) {
    s[i][i] = 1;
    for (let j = 0; j < i; j++) {
      let acc = 0;
      const a = z[i];
      const b = z[j];
      for (let k = 0; k < n; k++) acc += a[k] * b[k];
      s[i][j] = s[j][i] = acc / n;
    }
  }
  return { means, sds, s };
}

/**
 * The estimates of one PLS run on a correlation matrix.
 * @internal
 */
export interface Core {
  /** Outer weights per construct (composite variance 1). */
  w: number[][];
  /** Loadings per construct. */
  load: number[][];
  /** Construct correlation matrix. */
  r: number[][];
  /** `beta[to][from]`. */
  beta: number[][];
  r2: number[];
  /** `total[to][from]`. */
  total: number[][];
  iterations: number;
}

/**
 * Failure of a PLS run on a correlation matrix.
 * @internal
 */
export type CoreFailure = { kind: "not-converged"; iterations: number } | { kind: "singular"; construct: number; what: "block" | "structure" | "scheme" };

/**
 * Wold's PLS algorithm on an item correlation matrix: everything PLS estimates is a function of
 * the correlations of the standardised items, so each iteration costs O(p²), not O(n p).
 * @internal
 */
export function plsCore(cm: CheckedModel, s: number[][], scheme: PlsScheme, tolerance: number, maxIterations: number): Core | CoreFailure {
  const k = cm.names.length;
  // item positions of each block in the p × p matrix (blocks are stored consecutively)
  const pos: number[][] = [];
  let at = 0;
  for (const its of cm.items) {
    pos.push(its.map((_, q) => at + q));
    at += its.length;
  }
  const sub = (a: number[], b: number[]): number[][] => a.map((i) => b.map((j) => s[i][j]));
  const blockS = pos.map((a) => sub(a, a));
  const blockInv: (number[][] | null)[] = pos.map(() => null);
  const normalise = (j: number, w: number[]): number[] => {
    const sb = blockS[j];
    let v = 0;
    for (let a = 0; a < w.length; a++) for (let b = 0; b < w.length; b++) v += w[a] * sb[a][b] * w[b];
    const f = 1 / Math.sqrt(v);
    return w.map((x) => x * f);
  };
  const corr = (w: number[][], i: number, j: number): number => {
    let acc = 0;
    const pi = pos[i];
    const pj = pos[j];
    for (let a = 0; a < pi.length; a++) {
      const row = s[pi[a]];
      let t = 0;
      for (let b = 0; b < pj.length; b++) t += row[pj[b]] * w[j][b];
      acc += w[i][a] * t;
    }
    return acc;
  };
  const corrMatrix = (w: number[][]): number[][] => {
    const r = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < k; i++) {
      r[i][i] = 1;
      for (let j = 0; j < i; j++) r[i][j] = r[j][i] = corr(w, i, j);
    }
    return r;
  };
  let w = pos.map((a, j) => normalise(j, a.map(() => 1)));
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const r = corrMatrix(w);
    // inner weights: e[j][i] = weight of construct i in the inner estimate of j
    const e = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let j = 0; j < k; j++) {
      if (scheme === "path") {
        const pr = cm.pred[j];
        if (pr.length > 0) {
          const b = solveSpd(pr.map((a) => pr.map((c) => r[a][c])), pr.map((a) => r[a][j]));
          if (b === null) return { kind: "singular", construct: j, what: "scheme" };
          pr.forEach((a, q) => (e[j][a] = b[q]));
        }
        for (const c of cm.succ[j]) e[j][c] = r[j][c];
      } else {
        for (const c of [...cm.pred[j], ...cm.succ[j]]) e[j][c] = scheme === "centroid" ? Math.sign(r[j][c]) : r[j][c];
      }
    }
    const next: number[][] = [];
    for (let j = 0; j < k; j++) {
      // covariance of each item of block j with the inner estimate Z_j = sum_i e[j][i] Y_i
      const cov = pos[j].map((ia) => {
        let acc = 0;
        for (let i = 0; i < k; i++) {
          if (e[j][i] === 0) continue;
          let t = 0;
          const row = s[ia];
          const pi = pos[i];
          for (let b = 0; b < pi.length; b++) t += row[pi[b]] * w[i][b];
          acc += e[j][i] * t;
        }
        return acc;
      });
      let wj: number[] | null = cov;
      if (cm.modes[j] === "B" && cov.length > 1) {
        wj = solveSpd(blockS[j], cov);
        if (wj === null) return { kind: "singular", construct: j, what: "block" };
      }
      next.push(normalise(j, wj));
    }
    let change = 0;
    for (let j = 0; j < k; j++) for (let a = 0; a < next[j].length; a++) change += Math.abs(next[j][a] - w[j][a]);
    w = next;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  if (!converged) return { kind: "not-converged", iterations };
  // loadings, then the sign convention of plspm: a block whose items mostly correlate
  // negatively with its score is flipped
  const loadingsOf = (wt: number[][]): number[][] => pos.map((a, j) => a.map((ia) => {
    let t = 0;
    const pj = pos[j];
    for (let b = 0; b < pj.length; b++) t += s[ia][pj[b]] * wt[j][b];
    return t;
  }));
  let load = loadingsOf(w);
  w = w.map((wj, j) => {
    const signs = load[j].reduce((acc, l) => acc + Math.sign(l), 0);
    return signs > 0 ? wj : wj.map((x) => -x);
  });
  load = loadingsOf(w);
  const r = corrMatrix(w);
  const beta = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const r2 = new Array<number>(k).fill(0);
  for (let j = 0; j < k; j++) {
    const pr = cm.pred[j];
    if (pr.length === 0) continue;
    const rhs = pr.map((a) => r[a][j]);
    const b = solveSpd(pr.map((a) => pr.map((c) => r[a][c])), rhs);
    if (b === null) return { kind: "singular", construct: j, what: "structure" };
    pr.forEach((a, q) => (beta[j][a] = b[q]));
    r2[j] = b.reduce((acc, x, q) => acc + x * rhs[q], 0);
  }
  // total effects: sum of the powers of the (nilpotent) path matrix
  const total = beta.map((row) => [...row]);
  let power = beta.map((row) => [...row]);
  for (let m = 2; m < k; m++) {
    const nextPower = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) {
      let t = 0;
      for (let b = 0; b < k; b++) t += power[a][b] * beta[b][c];
      nextPower[a][c] = t;
    }
    power = nextPower;
    for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) total[a][c] += power[a][c];
  }
  return { w, load, r, beta, r2, total, iterations };
}

/**
 * Turn a failed run into a typed error.
 * @internal
 */
export function coreError(fn: string, cm: CheckedModel, f: CoreFailure, maxIterations: number): AnalyticsError {
  if (f.kind === "not-converged") {
    return new AnalyticsError("NOT_CONVERGED", `${fn}: the outer weights did not converge in ${maxIterations} iterations; raise maxIterations or try the "centroid" scheme`);
  }
  const name = cm.names[f.construct];
  const what = f.what === "block"
    ? `the items of formative block "${name}" are collinear (their correlation matrix is singular)`
    : `the predecessors of "${name}" are collinear (their score correlation matrix is singular)`;
  return new AnalyticsError("INVALID_RECORD", `${fn}: ${what}; drop or merge the redundant items or constructs`);
}

/**
 * Check the options of the PLS functions.
 * @internal
 */
export function checkPlsOptions(fn: string, o: Required<PlsPathModelOptions>): void {
  if (o.scheme !== "path" && o.scheme !== "centroid" && o.scheme !== "factorial") throw new InvalidOptionError(fn, "scheme", o.scheme, '"path", "centroid" or "factorial"');
  if (!(typeof o.tolerance === "number" && o.tolerance > 0 && Number.isFinite(o.tolerance))) throw new InvalidOptionError(fn, "tolerance", o.tolerance, "a positive finite number");
  if (!(Number.isInteger(o.maxIterations) && o.maxIterations >= 1)) throw new InvalidOptionError(fn, "maxIterations", o.maxIterations, "an integer >= 1");
  if (o.missing !== "mean" && o.missing !== "casewise") throw new InvalidOptionError(fn, "missing", o.missing, '"mean" or "casewise"');
}

/**
 * Read, treat and standardise the model's items.
 * @internal
 */
export function prepare(fn: string, data: SurveyData, cm: CheckedModel, missing: PlsMissing): Prepared & { items: string[]; scales: ReadonlyMap<string, SurveyScale> | null } {
  const items = cm.items.flat();
  const { cols, n, scales } = itemColumns(fn, data, items);
  const prepared = treatMissing(fn, cols, n, items, missing);
  if (prepared.rows.length < 3) throw new AnalyticsError("EMPTY_INPUT", `${fn}: ${prepared.rows.length} respondents with usable answers; PLS needs at least 3`);
  return { ...prepared, items, scales };
}

/**
 * Estimate a PLS path model (Wold's iterative algorithm) on survey answers.
 *
 * @remarks
 * Items are standardised (divisor n). Starting from equal weights, each iteration (1) forms the
 * construct scores Y_j = X_j w_j with variance 1; (2) forms the inner estimate Z_j = Σ_i e_ji Y_i
 * over the constructs adjacent to j, with e_ji the regression coefficient of Y_j on its
 * predecessors or the correlation with a successor (`"path"`), sign(cor) (`"centroid"`), or cor
 * (`"factorial"`); (3) updates the weights: mode A, w_j ∝ X_jᵀZ_j / n; mode B,
 * w_j ∝ (X_jᵀX_j)⁻¹X_jᵀZ_j; until the summed absolute weight change is below `tolerance`
 * (Lohmöller 1989; Tenenhaus et al. 2005). Then: loadings = cor(item, score); a block whose items
 * mostly load negatively is flipped (plspm's convention); path coefficients by OLS of each
 * endogenous score on its predecessors' scores, with R²; total effects = Σ_{m≥1} Bᵐ.
 * Reflective-block quality: AVE = mean λ²; ρ_c = (Σλ)² / ((Σλ)² + Σ(1 − λ²)); Cronbach's α on
 * standardised items = p/(p−1) · (1 − p / Σ_ab S_ab); ρ_A = (wᵀw)² · wᵀ(S − diag S)w /
 * wᵀ(wwᵀ − diag wwᵀ)w (Dijkstra & Henseler 2015); one-item blocks get 1 for all four. HTMT =
 * mean heterotrait item correlation / √(product of the mean monotrait correlations), a one-item
 * block counting 1 (Henseler, Ringle & Sarstedt 2015). Agrees with plspm 0.4.9 to 1e-10 on the
 * ECSI `mobi` model (test/reference/survey_mobi.R). Cost O(n p²) once, then O(p²) per iteration.
 *
 * @param data - the answers ({@link SurveyData}); only the model's items are read.
 * @param model - blocks and paths ({@link PlsModel}; see {@link ecsiModel}, {@link acsiModel}).
 * @param options - {@link PlsPathModelOptions}.
 * @returns the estimates ({@link PlsResult}).
 * @throws {@link InvalidOptionError} for a malformed model (unknown construct, cycle, ...),
 *   an item missing from the data, or a bad option.
 * @throws {@link InvalidRecordError} for a non-numeric answer (row, item, value) or a
 *   respondent without any answer.
 * @throws {@link AnalyticsError} `INVALID_RECORD` for a constant item or collinear formative
 *   items or predecessors; `EMPTY_INPUT` for fewer than 3 usable respondents; `NOT_CONVERGED`
 *   when the weights do not converge in `maxIterations`.
 * @example
 * ```ts
 * const data = {
 *   x1: [1, 2, 3, 4, 5, 6], x2: [2, 1, 4, 3, 6, 5],
 *   y1: [1, 3, 2, 5, 4, 6], y2: [2, 2, 3, 4, 6, 5],
 * };
 * const fit = plsPathModel(data, {
 *   blocks: [{ name: "X", items: ["x1", "x2"] }, { name: "Y", items: ["y1", "y2"] }],
 *   paths: [{ from: "X", to: "Y" }],
 * });
 * // one predecessor: the path coefficient is the correlation of the scores, R² its square
 * Math.abs(fit.r2.Y - fit.paths[0].coefficient ** 2) < 1e-12;
 * //=> true
 * ```
 * @category Survey
 */
export function plsPathModel(data: SurveyData, model: PlsModel, options: PlsPathModelOptions = {}): PlsResult {
  const fn = "plsPathModel";
  const o = withDefaults(PLS_DEFAULTS, options) as Required<PlsPathModelOptions>;
  checkPlsOptions(fn, o);
  const cm = checkModel(fn, model);
  const prep = prepare(fn, data, cm, o.missing);
  const mom = moments(prep.cols, null);
  if (typeof mom === "number") throw constantItem(fn, prep.items[mom], prep.cols[mom][0]);
  const core = plsCore(cm, mom.s, o.scheme, o.tolerance, o.maxIterations);
  if ("kind" in core) throw coreError(fn, cm, core, o.maxIterations);
  return assemble(cm, core, mom, prep, o.scheme);
}

/**
 * The error for an item with one answer value.
 * @internal
 */
export function constantItem(fn: string, item: string, value: number): AnalyticsError {
  return new AnalyticsError("INVALID_RECORD", `${fn}: item "${item}" has the same answer (${value}) from every respondent used; a constant item carries no information, remove it from the model`);
}

/** Build the public result. */
function assemble(cm: CheckedModel, core: Core, mom: Moments, prep: ReturnType<typeof prepare>, scheme: PlsScheme): PlsResult {
  const k = cm.names.length;
  const n = prep.rows.length;
  const weights = record();
  const loadings = record();
  const itemMeans = record();
  const itemSds = record();
  const scores = new Map<string, Float64Array>();
  let at = 0;
  const pos: number[][] = [];
  for (let j = 0; j < k; j++) {
    const its = cm.items[j];
    const y = new Float64Array(n);
    const pj: number[] = [];
    its.forEach((item, q) => {
      const i = at + q;
      pj.push(i);
      weights[item] = core.w[j][q];
      loadings[item] = core.load[j][q];
      itemMeans[item] = mom.means[i];
      itemSds[item] = mom.sds[i];
      const c = prep.cols[i];
      const f = core.w[j][q] / mom.sds[i];
      const m = mom.means[i];
      for (let r = 0; r < n; r++) y[r] += f * (c[r] - m);
    });
    pos.push(pj);
    at += its.length;
    scores.set(cm.names[j], y);
  }
  const r2 = record();
  for (let j = 0; j < k; j++) if (cm.pred[j].length > 0) r2[cm.names[j]] = core.r2[j];
  const ave = record();
  const rhoC = record();
  const rhoA = record();
  const alpha = record();
  for (let j = 0; j < k; j++) {
    if (cm.modes[j] !== "A") continue;
    const name = cm.names[j];
    const l = core.load[j];
    const p = l.length;
    if (p === 1) {
      ave[name] = rhoC[name] = rhoA[name] = alpha[name] = 1;
      continue;
    }
    const sl = l.reduce((a, x) => a + x, 0);
    const sl2 = l.reduce((a, x) => a + x * x, 0);
    ave[name] = sl2 / p;
    rhoC[name] = (sl * sl) / (sl * sl + (p - sl2));
    let total = 0;
    let offW = 0;
    let ww = 0;
    let offWW = 0;
    const w = core.w[j];
    for (let a = 0; a < p; a++) {
      ww += w[a] * w[a];
      for (let b = 0; b < p; b++) {
        const sab = mom.s[pos[j][a]][pos[j][b]];
        total += sab;
        if (a !== b) {
          offW += w[a] * sab * w[b];
          offWW += w[a] * w[a] * w[b] * w[b];
        }
      }
    }
    alpha[name] = (p / (p - 1)) * (1 - p / total);
    rhoA[name] = (ww * ww * offW) / offWW;
  }
  const mono = pos.map((pj) => {
    if (pj.length === 1) return 1;
    let acc = 0;
    let m = 0;
    for (let a = 0; a < pj.length; a++) for (let b = 0; b < a; b++) { acc += mom.s[pj[a]][pj[b]]; m++; }
    return acc / m;
  });
  const htmt: PlsHtmt[] = [];
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let acc = 0;
      for (const ia of pos[a]) for (const ib of pos[b]) acc += mom.s[ia][ib];
      const hetero = acc / (pos[a].length * pos[b].length);
      htmt.push({ a: cm.names[a], b: cm.names[b], value: hetero / Math.sqrt(mono[a] * mono[b]) });
    }
  }
  const effects: PlsEffect[] = [];
  const reach = reachability(cm);
  for (const a of cm.order) {
    for (const b of cm.order) {
      if (!reach[a][b]) continue;
      const direct = core.beta[b][a];
      const total = core.total[b][a];
      effects.push({ from: cm.names[a], to: cm.names[b], direct, indirect: total - direct, total });
    }
  }
  return {
    constructs: [...cm.names],
    items: prep.items,
    blocks: Object.assign(Object.create(null) as Record<string, readonly string[]>, Object.fromEntries(cm.names.map((c, j) => [c, [...cm.items[j]]]))),
    scheme,
    n,
    rows: prep.rows,
    imputed: prep.imputed,
    dropped: prep.dropped,
    iterations: core.iterations,
    weights,
    loadings,
    scores,
    paths: cm.paths.map((p) => ({ from: cm.names[p.from], to: cm.names[p.to], coefficient: core.beta[p.to][p.from] })),
    r2,
    ave,
    rhoC,
    rhoA,
    alpha,
    htmt,
    effects,
    itemMeans,
    itemSds,
    scales: prep.scales,
  };
}

/**
 * `reach[a][b]`: a directed path leads from construct a to construct b.
 * @internal
 */
export function reachability(cm: CheckedModel): boolean[][] {
  const k = cm.names.length;
  const reach = Array.from({ length: k }, () => new Array<boolean>(k).fill(false));
  for (const a of [...cm.order].reverse()) {
    for (const s of cm.succ[a]) {
      reach[a][s] = true;
      for (let b = 0; b < k; b++) if (reach[s][b]) reach[a][b] = true;
    }
  }
  return reach;
}
