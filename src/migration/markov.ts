import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { fsum } from "../numeric/sum.js";
import type { TransitionMatrix } from "./transitions.js";

/**
 * A customer-migration Markov chain (Pfeifer & Carraway 2000): states, one-period transition
 * probabilities and the margin earned per period in each state.
 * @category Migration
 */
export interface MarkovChainModel {
  /** State names (distinct). */
  states: readonly string[];
  /** `transitions[i][j]` = P(state j next period | state i now); each row sums to 1 (within `tolerance`). */
  transitions: readonly (readonly number[])[];
  /** Net margin per period in each state (the paper's R: contribution minus marketing cost; may be negative). */
  rewards: readonly number[];
  /** Discount rate per period, >= 0 (e.g. 0.2). */
  discountRate: number;
}

/**
 * Options of {@link markovCustomerValue}.
 * @category Migration
 */
export interface MarkovCustomerValueOptions {
  /** Periods of the finite horizon: `finite` sums periods 0..`periods`. Default 10. */
  periods?: number;
  /** Largest allowed |row sum − 1| and how far below 0 or above 1 a probability may be. Default 1e-9. */
  tolerance?: number;
}

/** Defaults of {@link MarkovCustomerValueOptions}. */
export const MARKOV_CUSTOMER_VALUE_DEFAULTS: Readonly<Required<MarkovCustomerValueOptions>> = Object.freeze({ periods: 10, tolerance: 1e-9 });

/**
 * Result of {@link markovCustomerValue}. Values are per state, in `states` order.
 * @category Migration
 */
export interface MarkovCustomerValue {
  /** The state names. */
  states: string[];
  /** Expected present value over periods 0..`periods` by starting state: Σₜ [(1+d)⁻¹P]ᵗ R. */
  finite: number[];
  /** Expected present value per period t = 0..`periods` (row t, by starting state): [(1+d)⁻¹P]ᵗ R; the columns of these rows add up to `finite`. */
  byPeriod: number[][];
  /** The infinite-horizon value (I − (1+d)⁻¹P)⁻¹ R by starting state; `null` when it does not exist (see `limitNote`). */
  limit: number[] | null;
  /** Why `limit` is `null` (discount rate 0 with a closed set of states that earns a non-zero margin forever); absent otherwise. */
  limitNote?: string;
  /** The periods of `finite`. */
  periods: number;
}

/** Validated copy of a model. */
function checkModel(model: MarkovChainModel, tol: number, fn: string): { P: Float64Array[]; R: Float64Array; d: number; states: string[] } {
  if (model === null || typeof model !== "object") throw new InvalidOptionError(fn, "model", model, "{ states, transitions, rewards, discountRate }");
  const { states, transitions, rewards, discountRate } = model;
  if (!Array.isArray(states) || states.length === 0 || states.some((s) => typeof s !== "string") || new Set(states).size !== states.length) {
    throw new InvalidOptionError(fn, "states", states, "a non-empty list of distinct state names");
  }
  const n = states.length;
  if (!(typeof discountRate === "number" && Number.isFinite(discountRate) && discountRate >= 0)) {
    throw new InvalidOptionError(fn, "discountRate", discountRate, "a finite number >= 0 (0.1 = 10% per period)");
  }
  if (!Array.isArray(rewards) || rewards.length !== n) throw new InvalidOptionError(fn, "rewards", rewards, `${n} numbers, one per state`);
  const R = new Float64Array(n);
  rewards.forEach((r, i) => {
    if (!(typeof r === "number" && Number.isFinite(r))) throw new InvalidRecordError(fn, { row: states[i], field: "rewards", value: r, expected: "a finite number" });
    R[i] = r;
  });
  if (!Array.isArray(transitions) || transitions.length !== n) throw new InvalidOptionError(fn, "transitions", transitions, `an ${n} x ${n} matrix`);
  const P = transitions.map((row, i) => {
    if (!row || typeof row.length !== "number" || row.length !== n) throw new InvalidRecordError(fn, { row: states[i], field: "transitions", value: row, expected: `${n} probabilities` });
    const out = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const p = row[j];
      if (!(typeof p === "number" && Number.isFinite(p) && p >= -tol && p <= 1 + tol)) {
        throw new InvalidRecordError(fn, { row: states[i], field: `transitions[${j}]`, value: p, expected: "a probability in [0, 1]" });
      }
      out[j] = Math.min(1, Math.max(0, p));
    }
    const s = fsum(out);
    if (!(Math.abs(s - 1) <= tol)) throw new InvalidRecordError(fn, { row: states[i], field: "transitions", value: s, expected: `a row summing to 1 (within ${tol}); divide the counts by their row total` });
    return out;
  });
  return { P, R, d: discountRate, states: [...states] };
}

/**
 * Solves A x = b by Gaussian elimination with partial pivoting; `null` when A is singular to
 * working precision (a pivot below 1e-12 of the largest entry).
 */
function solve(A: Float64Array[], b: Float64Array): number[] | null {
  const n = b.length;
  const M = A.map((row, i) => Float64Array.from([...row, b[i]]));
  let scale = 0;
  for (const row of A) for (const x of row) scale = Math.max(scale, Math.abs(x));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (!(Math.abs(M[p][c]) > 1e-12 * scale)) return null;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      if (f === 0) continue;
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

/**
 * Expected customer value of the Markov-chain model of Pfeifer & Carraway (2000), over a
 * finite horizon and in the limit, by starting state.
 *
 * @remarks
 * With P the transition matrix, R the per-state margin and d the discount rate per period, the
 * expected present value over periods 0..T is V_T = Σ_{t=0}^{T} [(1+d)⁻¹ P]ᵗ R (period 0 is the
 * current period, undiscounted), and the infinite-horizon value is
 * V = (I − (1+d)⁻¹ P)⁻¹ R (Pfeifer & Carraway 2000, Journal of Interactive Marketing 14(2),
 * 43–55). For d > 0 the matrix is always invertible (the spectral radius of P is 1). For d = 0
 * the limit exists only when the states the chain can stay in forever earn nothing; otherwise
 * `limit` is `null` with a `limitNote`, never `Infinity` or `NaN`. The limit is solved by
 * Gaussian elimination with partial pivoting, O(k³) for k states; the horizon sum is O(T k²).
 * Transition shares from {@link transitionMatrix} (rows of counts divided by their totals) are
 * estimates of P when the two dates are one period apart.
 *
 * @param model - states, transitions, rewards and discount rate.
 * @param options - see {@link MarkovCustomerValueOptions}.
 * @returns finite-horizon, per-period and limiting values by starting state.
 * @throws {@link InvalidRecordError} for a row not summing to 1, a probability outside [0, 1] or a non-finite reward (`row` = the state).
 * @throws {@link InvalidOptionError} for a negative or non-finite discount rate, mismatched sizes or bad `periods`.
 * @example
 * Two states, "active" (margin 100, stays active with probability 0.6) and "lapsed"
 * (margin 0, comes back with probability 0.2), at d = 0.25: (1+d)⁻¹P = [[0.48, 0.32], [0.16, 0.64]],
 * so the limit solves 0.52 a − 0.32 l = 100 and −0.16 a + 0.36 l = 0: l = 4a/9, a = 4500/17,
 * l = 2000/17. Over periods 0..1: R + (1+d)⁻¹P R = [100 + 48, 0 + 16].
 * ```ts
 * const v = markovCustomerValue({
 *   states: ["active", "lapsed"],
 *   transitions: [[0.6, 0.4], [0.2, 0.8]],
 *   rewards: [100, 0],
 *   discountRate: 0.25,
 * }, { periods: 1 });
 * [v.finite, v.limit.map((x) => +x.toFixed(9))];
 * //=> [[148, 16], [264.705882353, 117.647058824]]
 * ```
 * @category Migration
 */
export function markovCustomerValue(model: MarkovChainModel, options: MarkovCustomerValueOptions = {}): MarkovCustomerValue {
  const fn = "markovCustomerValue";
  const o = withDefaults(MARKOV_CUSTOMER_VALUE_DEFAULTS, options);
  if (!(typeof o.tolerance === "number" && o.tolerance >= 0 && o.tolerance < 0.5)) throw new InvalidOptionError(fn, "tolerance", o.tolerance, "a number in [0, 0.5)");
  if (!(Number.isInteger(o.periods) && o.periods >= 0 && o.periods <= 100_000)) throw new InvalidOptionError(fn, "periods", o.periods, "a whole number in 0..100000");
  const { P, R, d, states } = checkModel(model, o.tolerance, fn);
  const n = states.length;
  const q = 1 / (1 + d);
  // byPeriod[t] = (qP)^t R, computed as qP (byPeriod[t-1]).
  const byPeriod: number[][] = [Array.from(R)];
  let prev = R;
  for (let t = 1; t <= o.periods; t++) {
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const terms = new Float64Array(n);
      for (let j = 0; j < n; j++) terms[j] = P[i][j] * prev[j];
      next[i] = q * fsum(terms);
    }
    byPeriod.push(Array.from(next));
    prev = next;
  }
  const finite = states.map((_, i) => fsum(byPeriod.map((row) => row[i])));
  const A = P.map((row, i) => Float64Array.from(row, (p, j) => (i === j ? 1 : 0) - q * p));
  let limit = solve(A, R);
  let limitNote: string | undefined;
  if (limit === null && d === 0) {
    // I − P is singular: the limit exists when the series Σ Pᵗ R converges; find it by the
    // series itself, and report null when it does not settle.
    limit = null;
    limitNote = "discountRate 0: (I − P) is singular and some state keeps earning forever, so the undiscounted value is unbounded; give a positive discount rate";
    let v = Float64Array.from(R);
    let cur = Float64Array.from(R);
    for (let t = 1; t <= 100_000; t++) {
      const next = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) next[i] += P[i][j] * cur[j];
      v = v.map((x, i) => x + next[i]);
      cur = next;
      if (cur.every((x) => x === 0) || Math.max(...cur.map(Math.abs)) <= 1e-15 * Math.max(1, ...v.map(Math.abs))) {
        limit = Array.from(v);
        limitNote = undefined;
        break;
      }
    }
  } else if (limit === null) {
    throw new AnalyticsError("NOT_CONVERGED", `${fn}: I − (1+d)⁻¹P is singular to working precision for discountRate ${d}; check the transitions`);
  }
  return { states, finite, byPeriod, limit, ...(limitNote ? { limitNote } : {}), periods: o.periods };
}

/**
 * The transition matrix of the recency model of Pfeifer & Carraway (2000): state k = "k periods
 * since the last purchase" (k = 1..K); a customer in state k buys with probability `p[k-1]`
 * (back to state 1) or moves to state k+1; the last state is kept (customers stay there when
 * they do not buy).
 *
 * @param purchaseProbability - the purchase probability in each recency state, each in [0, 1].
 * @returns the K × K transition matrix.
 * @throws {@link InvalidOptionError} for an empty list or a value outside [0, 1].
 * @example
 * ```ts
 * recencyTransitions([0.3, 0.2, 0]);
 * //=> [[0.3, 0.7, 0], [0.2, 0, 0.8], [0, 0, 1]]
 * ```
 * @category Migration
 */
export function recencyTransitions(purchaseProbability: readonly number[]): number[][] {
  const fn = "recencyTransitions";
  const p = purchaseProbability;
  if (!Array.isArray(p) || p.length === 0) throw new InvalidOptionError(fn, "purchaseProbability", p, "a non-empty list of probabilities");
  const k = p.length;
  return p.map((x, i) => {
    if (!(typeof x === "number" && x >= 0 && x <= 1)) throw new InvalidOptionError(fn, `purchaseProbability[${i}]`, x, "a probability in [0, 1]");
    const row = new Array<number>(k).fill(0);
    row[0] += x;
    row[Math.min(i + 1, k - 1)] += 1 - x;
    return row;
  });
}

/**
 * Options of {@link markovModelFromTransitions}.
 * @category Migration
 */
export interface MarkovModelFromTransitionsOptions {
  /** Net margin per period by state name; every state of the matrix needs one (the lost state excepted). Required. */
  rewards: ReadonlyMap<string, number>;
  /** Discount rate per period, >= 0. Required. */
  discountRate: number;
  /** Margin per period of a lost customer. Default 0. */
  lostReward?: number;
}

/**
 * Result of {@link markovModelFromTransitions}.
 * @category Migration
 */
export interface MarkovModelFromTransitionsResult {
  /** The model: the states of both dates, then the lost state (absorbing). */
  model: MarkovChainModel;
  /** States with no customer at the first date, whose row was set to "stays in its state" (no data to estimate it). */
  assumedStay: string[];
}

/**
 * A Markov-chain model estimated from a {@link transitionMatrix}: the row shares are the
 * transition probabilities (the two dates should be one model period apart), the lost state is
 * absorbing, and new customers are left out (they are acquisition, not transition).
 *
 * @remarks
 * States are the first date's states, then the second date's states not already listed, then
 * the `(lost)` column as an absorbing state. A state with no customer at the first date has no
 * estimate; its row is set to stay in the state (probability 1) and listed in `assumedStay`.
 *
 * @param matrix - a transition matrix between two dates one period apart.
 * @param options - the margins and discount rate.
 * @returns the model for {@link markovCustomerValue} and the assumed rows.
 * @throws {@link InvalidOptionError} for a state without a reward or a bad discount rate.
 * @example
 * ```ts
 * const from = { ids: ["a", "b", "c"], states: { codes: Int32Array.of(0, 0, 1), values: ["Gold", "Silver"] } };
 * const to = { ids: ["a", "b", "d"], states: { codes: Int32Array.of(0, 1, 1), values: ["Gold", "Silver"] } };
 * const { model } = markovModelFromTransitions(transitionMatrix(from, to), { rewards: new Map([["Gold", 100], ["Silver", 20]]), discountRate: 0.1 });
 * [model.states, model.transitions, model.rewards];
 * //=> [["Gold", "Silver", "(lost)"], [[0.5, 0.5, 0], [0, 0, 1], [0, 0, 1]], [100, 20, 0]]
 * ```
 * @category Migration
 */
export function markovModelFromTransitions(matrix: TransitionMatrix, options: MarkovModelFromTransitionsOptions): MarkovModelFromTransitionsResult {
  const fn = "markovModelFromTransitions";
  if (!matrix || !Array.isArray(matrix.from) || !Array.isArray(matrix.to) || !Array.isArray(matrix.counts)) throw new InvalidOptionError(fn, "matrix", matrix, "a transitionMatrix result");
  if (!options || !(options.rewards instanceof Map)) throw new InvalidOptionError(fn, "rewards", options?.rewards, "a Map from state name to margin per period");
  const lostReward = options.lostReward ?? 0;
  if (!Number.isFinite(lostReward)) throw new InvalidOptionError(fn, "lostReward", lostReward, "a finite number");
  const fromStates = matrix.from.slice(0, -1);
  const toStates = matrix.to.slice(0, -1);
  const lost = matrix.to[matrix.to.length - 1];
  const states = [...fromStates, ...toStates.filter((s) => !fromStates.includes(s)), lost];
  const n = states.length;
  const col = new Map(states.map((s, k) => [s, k]));
  const assumedStay: string[] = [];
  const transitions = states.map((s, i) => {
    const row = new Array<number>(n).fill(0);
    const r = fromStates.indexOf(s);
    const total = r >= 0 ? matrix.counts[r].reduce((a, x) => a + x, 0) : 0;
    if (i === n - 1) row[i] = 1;
    else if (total === 0) {
      row[i] = 1;
      assumedStay.push(s);
    } else matrix.counts[r].forEach((c, j) => (row[col.get(matrix.to[j]) as number] += c / total));
    return row;
  });
  const rewards = states.map((s, i) => {
    if (i === n - 1) return lostReward;
    const v = options.rewards.get(s);
    if (!(typeof v === "number" && Number.isFinite(v))) throw new InvalidOptionError(fn, "rewards", s, `a finite margin for every state (missing or bad for ${JSON.stringify(s)})`);
    return v;
  });
  if (!(typeof options.discountRate === "number" && Number.isFinite(options.discountRate) && options.discountRate >= 0)) {
    throw new InvalidOptionError(fn, "discountRate", options.discountRate, "a finite number >= 0");
  }
  return { model: { states, transitions, rewards, discountRate: options.discountRate }, assumedStay };
}
