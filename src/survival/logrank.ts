/**
 * The log-rank test between groups of survival times (R's `survdiff` with rho = 0).
 * @module
 */
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { groupCodes, orderByTime, survivalRows, type GroupColumn, type NumericColumn } from "./data.js";
import { chiSquareUpperTail } from "./distributions.js";
import { quadFormInverse } from "./linalg.js";

/**
 * Result of {@link logRankTest}: per-group counts in R's factor order and the test.
 * @category Survival
 */
export interface LogRankTest {
  /** Group labels (as strings), in R's factor order. */
  readonly groups: readonly string[];
  /** Rows per group. */
  readonly n: Float64Array;
  /** Observed events per group. */
  readonly observed: Float64Array;
  /** Expected events per group under equal hazards: Σ d·n_g / n over event times. */
  readonly expected: Float64Array;
  /** Covariance matrix of observed - expected, k x k row-major. */
  readonly variance: Float64Array;
  /** Chi-square statistic (O - E)ᵀ V⁻ (O - E); 0 when fewer than two groups expect events. */
  readonly chisq: number;
  /** Degrees of freedom: groups with expected events > 0, minus 1. */
  readonly df: number;
  /** P(χ²_df > chisq); 1 when df = 0. */
  readonly p: number;
  /** Input indices (0-based) left out for a missing value. */
  readonly omittedRows: readonly number[];
}

/**
 * The log-rank (Mantel–Haenszel) test that the groups share one survival curve.
 *
 * @remarks
 * At each distinct event time with n at risk and d events (n_g and d_g in group g):
 * E_g += d·n_g/n and V_gh += d (n - d) / (n² (n - 1)) · n_g (n δ_gh - n_h) (Mantel 1966;
 * R `survdiff`, rho = 0). The statistic drops the first group with E > 0 (V is singular) and is
 * chi-square with (groups with E > 0) - 1 degrees of freedom. Matches R on `lung` by sex and by
 * ph.ecog to 1e-10. O(n log n + T k) for T event times and k groups.
 *
 * @param time - follow-up time per row (finite, >= 0).
 * @param status - 1 = event, 0 = censored.
 * @param group - a label per row; `null`/`undefined` = missing (row left out).
 * @returns the per-group counts and the test.
 * @throws {@link InvalidRecordError} for a bad time or status; {@link InvalidOptionError} when
 *   fewer than two groups are present; `AnalyticsError` `EMPTY_INPUT` when no row is left.
 * @example
 * ```ts
 * // two groups of two; hand computation in test/survival/logrank.test.ts
 * const t = logRankTest([1, 2, 3, 4], [1, 1, 1, 1], ["a", "b", "a", "b"]);
 * [t.observed[0], +t.expected[0].toFixed(6), +t.chisq.toFixed(6)];
 * //=> [2, 1.333333, 0.615385]
 * ```
 * @category Survival
 */
export function logRankTest(time: NumericColumn, status: NumericColumn, group: GroupColumn): LogRankTest {
  const fn = "logRankTest";
  const rows = survivalRows(fn, time, status, [{ name: "group", values: group }]);
  const { levels, code } = groupCodes(group, rows.index);
  const k = levels.length;
  if (k < 2) throw new InvalidOptionError(fn, "group", levels[0], "at least two distinct groups");
  const T = rows.time;
  const S = rows.status;
  const order = orderByTime(T);
  const nG = new Float64Array(k);
  const atRisk = new Float64Array(k);
  for (let i = 0; i < code.length; i++) {
    nG[code[i]]++;
    atRisk[code[i]]++;
  }
  const obs = new Float64Array(k);
  const exp = new Float64Array(k);
  const V = new Float64Array(k * k);
  const dG = new Float64Array(k);
  let nTotal = code.length;
  for (let a = 0; a < order.length; ) {
    const t = T[order[a]];
    let b = a;
    dG.fill(0);
    let d = 0;
    for (; b < order.length && T[order[b]] === t; b++) {
      if (S[order[b]] === 1) {
        dG[code[order[b]]]++;
        d++;
      }
    }
    if (d > 0) {
      const n = nTotal;
      for (let g = 0; g < k; g++) {
        obs[g] += dG[g];
        exp[g] += (d * atRisk[g]) / n;
      }
      if (n > 1) {
        const kt = (d * (n - d)) / (n * n * (n - 1));
        for (let g = 0; g < k; g++) {
          for (let h = 0; h < k; h++) V[g * k + h] += kt * atRisk[g] * ((g === h ? n : 0) - atRisk[h]);
        }
      }
    }
    for (let c = a; c < b; c++) atRisk[code[order[c]]]--;
    nTotal -= b - a;
    a = b;
  }
  const used: number[] = [];
  for (let g = 0; g < k; g++) if (exp[g] > 0) used.push(g);
  let chisq = 0;
  const df = Math.max(0, used.length - 1);
  if (used.length >= 2) {
    const sub = used.slice(1);
    const m = sub.length;
    const vv = new Float64Array(m * m);
    const u = new Float64Array(m);
    sub.forEach((g, i) => {
      u[i] = obs[g] - exp[g];
      sub.forEach((h, j) => (vv[i * m + j] = V[g * k + h]));
    });
    const q = quadFormInverse(vv, m, u);
    if (q === null) throw new AnalyticsError("NOT_CONVERGED", `${fn}: the variance matrix of observed - expected is singular (a group has no one at risk at any event time); merge or drop that group`);
    chisq = q;
  }
  return { groups: levels, n: nG, observed: obs, expected: exp, variance: V, chisq, df, p: df === 0 ? 1 : chiSquareUpperTail(chisq, df), omittedRows: rows.omittedRows };
}
