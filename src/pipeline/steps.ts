/**
 * The analytic steps of `analyze`, each a thin adapter from the shared context to one
 * analytic's public function. Each step writes its per-customer fields into `ctx.rows` and
 * returns its model/summary output (plain data).
 * @module
 */
import {
  backtestTransactionModels,
  conditionalExpectedPurchasesColumn,
  customerLifetimeValueColumns,
  purchaseCountFit,
  type PurchaseCountFit,
  fitBgNbd,
  fitGammaGamma,
  fitMbgNbd,
  fitParetoNbd,
  holdoutValidation,
  probabilityAliveColumn,
  type BacktestResult,
  type Convergence,
  type GammaGammaParams,
  type HoldoutValidationRow,
  type TransactionModel,
} from "../clv/index.js";
import { AnalyticsError } from "../core/errors.js";
import { calibrationTable } from "../summary/summarize.js";
import type { CalibrationTable } from "../core/table.js";
import { behaviorMatrixColumns, type BehaviorQuadrantSummary, type BehaviorThresholds } from "../matrix/index.js";
import { clusterCustomers, explainClusters, profileClusters, type ChooseKResult, type ClusterModel } from "../cluster/index.js";
import {
  abcClassesColumns,
  paretoAnalysis,
  rfmColumns,
  rfmHeatmapColumns,
  segmentSummaryColumns,
  type AbcGroup,
  type AbcThresholds,
  type ParetoAnalysisResult,
  type RfmDimension,
  type RfmHeatmapCell,
  type RfmWarning,
  type SegmentSummaryRow,
} from "../rfm/index.js";
import { associationRuleSet, type AssociationRule } from "../rules/rules.js";
import { buildRecommender } from "../rules/recommend.js";
import { formatRule } from "../rules/format.js";
import { frequentItemsetTable } from "../rules/table.js";
import { basketsFromTable, nextBestItems } from "../rules/fromTable.js";
import type { StepName } from "./analyze.js";
import { churnStep, type ChurnStepOutput } from "./churnStep.js";
import { survivalStep, type SurvivalStepOutput } from "./survivalStep.js";
import { migrationStep, type MigrationStepOutput } from "./migrationStep.js";
import { campaignStep, type CampaignStepOutput } from "./campaignStep.js";
import { cohortsStep, lifecycleStep, profitabilityStep, type CohortsStepOutput, type LifecycleStepOutput, type ProfitabilityStepOutput } from "./crmSteps.js";
import { monteCarloStep, valueStep, type MonteCarloStepOutput, type ValueStepOutput } from "./valueSteps.js";
import { MONTH_DAYS } from "./valueSummary.js";
import { customerRows, logSpan, round4, rowsOfSortedIds, SkipStep, type StepContext } from "./context.js";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Output of the `rfm` step (`result.results.rfm`). @category Pipeline */
export interface RfmStepOutput {
  /** One row per segment: counts, shares of customers and revenue, mean R, F, M. */
  segments: SegmentSummaryRow[];
  /** Score cut points per dimension. */
  thresholds: Record<RfmDimension, number[]>;
  /** Customers per score, per dimension. */
  scoreCounts: Record<RfmDimension, number[]>;
  /** Scores no customer received (tied values), per dimension. */
  emptyScores: Record<RfmDimension, number[]>;
  /** Data problems met while scoring (few distinct values, empty scores). */
  warnings: RfmWarning[];
  /** The R x F grid: customers and mean spend per cell. */
  heatmap: RfmHeatmapCell[];
}

/** Output of the `matrix` step. @category Pipeline */
export interface MatrixStepOutput {
  /** Customers, revenue and shares per quadrant. */
  summary: BehaviorQuadrantSummary[];
  /** The purchase-count and average-amount splits used. */
  thresholds: BehaviorThresholds;
}

/** Output of the `abc` step. @category Pipeline */
export interface AbcStepOutput {
  /** Customers and value share per ABC class. */
  groups: AbcGroup[];
  /** The spend at which each class starts. */
  thresholds: AbcThresholds;
  /** Lorenz curve, Gini and the 80/20 check of spend. */
  pareto: ParetoAnalysisResult;
}

/** The holdout check of the `clv` step (the chosen transaction model): calibrated on the first half of the log. @category Pipeline */
export interface HoldoutCheck {
  /** Last day of the calibration period. */
  calibrationEnd: string;
  /** The calibration fit. */
  model: {
    /** Fitted parameters (r, alpha, a, b for BG/NBD and MBG/NBD; r, alpha, s, beta for Pareto/NBD). */
    params: Record<string, number>;
    /** Log-likelihood at the optimum. */
    logLikelihood: number;
    /** Whether the optimiser converged. */
    converged: boolean;
  };
  /** Actual and predicted mean holdout purchases by repeat purchases in the calibration period. */
  rows: HoldoutValidationRow[];
  /** Actual repeat purchases in the holdout period. */
  totalActual: number;
  /** Predicted repeat purchases in the holdout period. */
  totalPredicted: number;
}

/** A fitted model as the `clv` step reports it. @category Pipeline */
export interface FitSummary<P> {
  /** Fitted parameters. */
  params: P;
  /** Standard errors (null when the Hessian could not be inverted). */
  standardErrors: P | null;
  /** Log-likelihood at the optimum. */
  logLikelihood: number;
  /** Optimiser status. */
  convergence: Convergence;
}

/**
 * Which buy-till-you-die model the `clv` step used, and why: the one `backtestTransactionModels`
 * recommends on the holdout window (BG/NBD, MBG/NBD or Pareto/NBD), or BG/NBD by default when the
 * log is too short for a holdout window or the back-test could not run.
 * @category Pipeline
 */
export interface TransactionModelChoice {
  /** `"bg-nbd"`, `"mbg-nbd"` or `"pareto-nbd"`. */
  model: TransactionModel["model"];
  /** The model's name for people: "BG/NBD", "MBG/NBD" or "Pareto/NBD". */
  label: string;
  /** `"back-test"` (chosen by it), `"option"` (`transactionModel` named it) or `"default"` (BG/NBD, no back-test). */
  by: "back-test" | "option" | "default";
  /** The back-test's plain-language reason, or why there was none. */
  reason: string;
  /** The back-test's per-model mean errors (BG/NBD, MBG/NBD, Pareto/NBD, naive last period), when it ran. */
  summary?: BacktestResult["summary"];
  /** The Gamma-Gamma independence check (correlation of repeat count and mean spend), when the back-test ran. */
  spendIndependence?: BacktestResult["spendIndependence"];
}

/** Output of the `clv` step (a transaction model + Gamma-Gamma). @category Pipeline */
export interface ClvStepOutput {
  /** Which transaction model was used, and why. */
  choice: TransactionModelChoice;
  /** The holdout check, or null when the log spans less than 8 weeks. */
  holdout: HoldoutCheck | null;
  /** The chosen transaction model fitted on the whole history (`model` names it). */
  fit: FitSummary<Record<string, number>> & {
    /** `"bg-nbd"`, `"mbg-nbd"` or `"pareto-nbd"`. */
    model: TransactionModel["model"];
  };
  /** Does the model fit? Observed vs expected customers by repeat purchases (0..7+) with a chi-square, and the longest observation (weeks) for the P(alive) matrix. */
  fitCheck: {
    /** Observed and expected counts per bin, chi-square and degrees of freedom. */
    purchaseCounts: PurchaseCountFit;
    /** Longest customer observation period T, weeks. */
    longestObservationWeeks: number;
  };
  /** Gamma-Gamma fit, or null when it was not fitted (no amounts, no positive repeat spend, no convergence). */
  gammaGamma: FitSummary<GammaGammaParams> | null;
  /** Horizon of the future values, months of 30 days. */
  horizonMonths: number;
  /** Future value over the horizon, summed over the customers valued; null without Gamma-Gamma. */
  clvTotal: number | null;
  /** Expected purchases over the horizon, summed (logs without amounts). */
  expectedPurchasesTotal?: number;
  /** Customers valued. */
  valued?: number;
  /** Customers not valued (no positive mean repeat spend, or no Gamma-Gamma). */
  notValued: number;
}

/** Output of the `rules` step. @category Pipeline */
export interface RulesStepOutput {
  /** Baskets mined (orders, return lines left out). */
  baskets: number;
  /** Distinct items in them. */
  items: number;
  /** Minimum support used (at least 5 baskets). */
  minSupport: number;
  /** Minimum confidence used. */
  minConfidence: number;
  /** Minimum lift used. */
  minLift: number;
  /** Frequent itemsets found. */
  itemsets: number;
  /** Rules passing every threshold, before the cap. */
  found: number;
  /** Rules kept: the `kept` with the highest lift. */
  kept: number;
  /** The kept rules, highest lift first (item keys, and names when the log had an item label column). */
  rules: AssociationRule[];
}

/** One cluster as the `cluster` step reports it. @category Pipeline */
export interface ClusterStepProfile {
  /** Cluster number (0 = highest value). */
  cluster: number;
  /** Readable label from the centre's features. */
  label: string;
  /** Customers. */
  size: number;
  /** Share of customers. */
  share: number;
  /** Total spend of its customers. */
  value: number;
  /** Share of total spend. */
  valueShare: number;
  /** Per feature: mean, median and centre in the feature's units. */
  features: {
    /** Feature name. */
    feature: string;
    /** Mean. */
    mean: number;
    /** Median. */
    median: number;
    /** Centre of the cluster. */
    centroid: number;
  }[];
}

/** Output of the `cluster` step. @category Pipeline */
export interface ClusterStepOutput {
  /** Number of clusters. */
  k: number;
  /** Features clustered on. */
  features: string[];
  /** How k was chosen (every candidate's scores), or null when k was given. */
  choice: ChooseKResult | null;
  /** Within-cluster sum of squares. */
  inertia: number;
  /** One profile per cluster. */
  profiles: ClusterStepProfile[];
  /** A shallow tree's rule picking out each cluster's members. */
  rules: {
    /** Cluster number. */
    cluster: number;
    /** The rule as text. */
    rule: string;
    /** Customers the rule selects. */
    customers: number;
    /** Share of them in the cluster. */
    precision: number;
  }[];
  /** Share of customers the rules assign to their own cluster. */
  ruleAccuracy: number;
  /** The fitted model, to assign new customers. */
  model: ClusterModel;
}


const rfmStep = (ctx: StepContext): RfmStepOutput => {
  // Without amounts the composite score leaves M out (weight 0); the segments (an R x F grid) are the same.
  const result = rfmColumns(ctx.customers, ctx.amounts ? {} : { weights: [1, 1, 0] });
  ctx.out.setColumn("rfmR", Float64Array.from(result.r));
  ctx.out.setColumn("rfmF", Float64Array.from(result.f));
  if (ctx.amounts) ctx.out.setColumn("rfmM", Float64Array.from(result.m));
  ctx.out.setDictionary("rfmCell", result.cell);
  ctx.out.setDictionary("rfmSegment", result.segment);
  const segments = segmentSummaryColumns(result, ctx.customers);
  if (ctx.amounts) {
    const top = segments[0];
    if (top) ctx.lines.push(`RFM: ${segments.length} segments; largest revenue share: ${top.key} (${top.count} customers, ${pct(top.revenueShare)} of revenue)`);
  } else {
    const top = [...segments].sort((a, b) => b.count - a.count)[0];
    if (top) ctx.lines.push(`RFM on recency and frequency (no amounts): ${segments.length} segments; largest: ${top.key} (${top.count} customers, ${pct(top.customerShare)})`);
  }
  return {
    segments,
    thresholds: result.thresholds,
    scoreCounts: result.scoreCounts,
    emptyScores: result.emptyScores,
    warnings: result.warnings,
    heatmap: rfmHeatmapColumns(result, ctx.customers.totalSpend).cells,
  };
};

const matrixStep = (ctx: StepContext): MatrixStepOutput => {
  const result = behaviorMatrixColumns(ctx.customers);
  ctx.out.setDictionary("behaviorQuadrant", result.quadrant);
  const best = result.summary.find((q) => q.quadrant === "best");
  if (best) ctx.lines.push(`Behaviour matrix: best customers ${best.count} (${pct(best.customerShare)}) hold ${pct(best.revenueShare)} of revenue`);
  return { summary: result.summary, thresholds: result.thresholds };
};

const abcStep = (ctx: StepContext): AbcStepOutput => {
  const values = ctx.customers.totalSpend;
  const abc = abcClassesColumns(values, { negatives: "zero" });
  ctx.out.setDictionary("abcClass", abc.classes);
  const pareto = paretoAnalysis(values, { negatives: "zero" });
  ctx.lines.push(`Pareto: top 20% of customers hold ${pct(pareto.topShare)} of revenue; Gini ${pareto.gini.toFixed(3)}`);
  return { groups: abc.groups, thresholds: abc.thresholds, pareto };
};

/**
 * Weeks in a CLV month: months of {@link MONTH_DAYS} days, the same month as the 3D CLV and Monte
 * Carlo steps, so the three future values cover the same horizon (`lifetimes` uses 4.345 weeks, a
 * 1.4% longer month; `customerLifetimeValue` keeps that default).
 */
export const WEEKS_PER_MONTH = MONTH_DAYS / 7;


/** Fewest customers for which the clv step back-tests the models (below: BG/NBD unless `transactionModel` says otherwise). */
export const BACKTEST_MIN_CUSTOMERS = 500;

/** Most customers for which the clv step back-tests the models (above: BG/NBD unless `transactionModel` says otherwise). */
export const BACKTEST_MAX_CUSTOMERS = 50_000;

/** Fewest repeat purchases in the holdout window for the clv step's back-test. */
const MIN_BACKTEST_PURCHASES = 30;

/** The three transaction models the clv step chooses from: name and fit. */
const TRANSACTION_MODELS = {
  "bg-nbd": { label: "BG/NBD", fit: fitBgNbd },
  "mbg-nbd": { label: "MBG/NBD", fit: fitMbgNbd },
  "pareto-nbd": { label: "Pareto/NBD", fit: fitParetoNbd },
} as const satisfies Record<TransactionModel["model"], { label: string; fit: (c: CalibrationTable) => TransactionModel }>;

/**
 * The transaction model of the clv step: the back-test's recommendation on the holdout window
 * (calibration to `calibrationEnd`, holdout to the analysis day), or BG/NBD when there is no
 * window or the back-test cannot run (say, no purchase in the holdout).
 */
function chooseTransactionModel(ctx: StepContext, calibrationEnd: string | null, holdoutPurchases: number): TransactionModelChoice {
  const asked = ctx.options.transactionModel;
  if (asked !== "auto") return { model: asked, label: TRANSACTION_MODELS[asked].label, by: "option", reason: `${TRANSACTION_MODELS[asked].label} as asked (transactionModel)` };
  const bg = { model: "bg-nbd" as const, label: "BG/NBD", by: "default" as const };
  if (ctx.customers.length < BACKTEST_MIN_CUSTOMERS) {
    return { ...bg, reason: `${ctx.customers.length.toLocaleString("en-US")} customers: fewer than ${BACKTEST_MIN_CUSTOMERS} are too few to tell the models apart on one holdout window: BG/NBD by default (set transactionModel to choose)` };
  }
  // The Pareto/NBD fit costs about 7 CPU s per 100,000 customers (its likelihood is a 2F1 per
  // distinct history): above the bound the back-test is left out, and said so.
  if (ctx.customers.length > BACKTEST_MAX_CUSTOMERS) {
    return { ...bg, reason: `${ctx.customers.length.toLocaleString("en-US")} customers: above ${BACKTEST_MAX_CUSTOMERS.toLocaleString("en-US")} the back-test (three fits, Pareto/NBD's the costliest) is left out: BG/NBD by default (set transactionModel to choose)` };
  }
  if (calibrationEnd === null) return { ...bg, reason: "the log spans less than 8 weeks, too short for a back-test: BG/NBD by default" };
  // Too few holdout purchases to score models on (and a degenerate window can send the
  // Pareto/NBD fit far out along a flat ridge): no back-test.
  if (holdoutPurchases < MIN_BACKTEST_PURCHASES) return { ...bg, reason: `only ${holdoutPurchases} repeat purchase${holdoutPurchases === 1 ? "" : "s"} in the holdout window after ${calibrationEnd} (a back-test needs ${MIN_BACKTEST_PURCHASES}): BG/NBD by default` };
  try {
    const bt = backtestTransactionModels(ctx.table, { windows: [{ calibrationEnd, holdoutEnd: ctx.asOf }] });
    return { model: bt.recommended, label: TRANSACTION_MODELS[bt.recommended].label, by: "back-test", reason: bt.reason, summary: bt.summary, spendIndependence: bt.spendIndependence };
  } catch (e) {
    if (!(e instanceof AnalyticsError)) throw e;
    return { ...bg, reason: `the back-test could not run (${e.message}): BG/NBD by default` };
  }
}

const clvStep = (ctx: StepContext): ClvStepOutput => {
  const { first, last } = logSpan(ctx);
  const out: { holdout: HoldoutCheck | null } = { holdout: null };
  // Summaries at asOf: used for the refit below and as the end of the holdout period.
  const summary = calibrationTable(ctx.table, { calibrationEnd: ctx.asOf, timeUnit: "weeks" });
  let repeaters = 0;
  for (let k = 0; k < summary.length; k++) if (summary.x[k] > 0) repeaters++;
  if (repeaters < 10) throw new SkipStep("fewer than 10 repeat buyers: too little history for the buy-till-you-die models");
  // Which model: BG/NBD, MBG/NBD or Pareto/NBD, by a back-test on the first half of the history
  // against the second half (backtestTransactionModels; naive last-period baseline included).
  const window = last - first >= 56 ? first + Math.floor((last - first) / 2) : null;
  const calibrationEnd = window === null ? null : new Date(window * 86_400_000).toISOString().slice(0, 10);
  // The holdout window's rows: same as calibrationHoldout(tx, { calibrationEnd, holdoutEnd: asOf }), reusing `summary`.
  const cal = calibrationEnd === null ? null : calibrationTable(ctx.table, { calibrationEnd, timeUnit: "weeks" });
  const rows = cal === null || window === null ? null : holdoutRows(cal, summary, (last - window) / 7);
  let holdoutPurchases = 0;
  for (const r of rows ?? []) holdoutPurchases += r.holdoutPurchases;
  let choice = chooseTransactionModel(ctx, calibrationEnd, holdoutPurchases);
  // The chosen model must converge on the whole history; a back-test pick that does not falls back to BG/NBD.
  let bg = TRANSACTION_MODELS[choice.model].fit(summary);
  if (!bg.convergence.converged && choice.model !== "bg-nbd" && choice.by === "back-test") {
    choice = { ...choice, model: "bg-nbd", label: "BG/NBD", by: "default", reason: `the back-test picked ${choice.label}, but its fit on the whole history did not converge (${bg.convergence.message}): BG/NBD instead` };
    bg = fitBgNbd(summary);
  }
  const { label } = choice;
  const fitModel = TRANSACTION_MODELS[choice.model].fit;
  ctx.lines.push(`Transaction model: ${label}, ${choice.by === "back-test" ? `chosen by a back-test on the holdout window (${choice.reason.replace(/\.$/, "")})` : choice.reason}`);
  // Holdout check of the chosen model: calibrated on the first half of the history, compared with the second half.
  if (cal !== null && rows !== null && calibrationEnd !== null) {
    const model = fitModel(cal);
    const v = holdoutValidation(model, rows);
    out.holdout = { calibrationEnd, model: { params: { ...model.params }, logLikelihood: model.logLikelihood, converged: model.convergence.converged }, rows: v.rows, totalActual: v.totalActual, totalPredicted: v.totalPredicted };
    ctx.lines.push(`${label} holdout check (calibration to ${calibrationEnd}): predicted ${v.totalPredicted.toFixed(0)} vs actual ${v.totalActual.toFixed(0)} repeat purchases`);
  }
  // The whole-history fit (above) scores: P(alive), purchases and CLV over the horizon.
  const fitOut = { model: bg.model, params: { ...bg.params } as Record<string, number>, standardErrors: bg.standardErrors ? ({ ...bg.standardErrors } as Record<string, number>) : null, logLikelihood: bg.logLikelihood, convergence: bg.convergence };
  // Behaviour for the Monte Carlo step, by customer-table row: P(alive) now, the purchase rate
  // while alive (posterior mean of lambda given x and T: (r + x) / (alpha + T) per week) and the
  // expected spend.
  // λ's posterior mean (r + x) / (alpha + T) per week: the same Gamma update in all three models.
  const { r, alpha } = bg.params;
  const alive = probabilityAliveColumn(bg, summary);
  const rowOf = rowsOfSortedIds(ctx, summary.ids);
  const n = ctx.customers.length;
  const behaviour = { pAlive: new Float64Array(n).fill(NaN), purchasesPerMonth: new Float64Array(n).fill(NaN), spend: new Float64Array(n).fill(NaN) };
  const pAliveOut = new Float64Array(n).fill(NaN);
  for (let k = 0; k < summary.length; k++) {
    const row = rowOf[k];
    if (row < 0) continue;
    pAliveOut[row] = round4(alive[k]);
    behaviour.pAlive[row] = alive[k];
    behaviour.purchasesPerMonth[row] = ((r + summary.x[k]) / (alpha + summary.T[k])) * WEEKS_PER_MONTH;
  }
  ctx.out.setColumn("pAlive", pAliveOut);
  ctx.behaviour = behaviour;
  // Does the model fit? Observed vs expected customers by repeat purchases in the whole history.
  let maxT = 0;
  for (let k = 0; k < summary.length; k++) if (summary.T[k] > maxT) maxT = summary.T[k];
  const fitCheck = { purchaseCounts: purchaseCountFit(bg, summary, { maxX: 7 }), longestObservationWeeks: maxT };
  const { horizonMonths, discountRate, margin } = ctx.options;
  if (!ctx.amounts) {
    // Frequency only: expected purchases over the horizon, no money value.
    const purchases = conditionalExpectedPurchasesColumn(bg, summary, { t: horizonMonths * WEEKS_PER_MONTH });
    const expected = new Float64Array(n).fill(NaN);
    let total = 0;
    for (let k = 0; k < summary.length; k++) {
      total += purchases[k];
      if (rowOf[k] >= 0) expected[rowOf[k]] = round4(purchases[k]);
    }
    ctx.out.setColumn("expectedPurchases", expected);
    ctx.lines.push(`${label}: ${Math.round(total).toLocaleString("en-US")} purchases expected over the next ${horizonMonths} months; no amounts, so no Gamma-Gamma spend and no value`);
    return { choice, ...out, fit: fitOut, fitCheck, gammaGamma: null, horizonMonths, expectedPurchasesTotal: total, clvTotal: null, valued: 0, notValued: summary.length };
  }
  // Gamma-Gamma needs a positive mean repeat spend (a day netted by returns can be <= 0).
  const keep: number[] = [];
  for (let k = 0; k < summary.length; k++) if (summary.x[k] === 0 || summary.monetaryValue[k] > 0) keep.push(k);
  const pick = (a: Float64Array) => Float64Array.from(keep, (k) => a[k]);
  const spendable = { ids: keep.map((k) => summary.ids[k]), x: pick(summary.x), t_x: pick(summary.t_x), T: pick(summary.T), monetaryValue: pick(summary.monetaryValue) };
  // No repeat buyer with a positive mean spend (say every amount is 0), or a Gamma-Gamma fit that
  // did not converge (say every repeat purchase has the same value): P(alive) only, no CLV.
  const gg = spendable.x.some((x) => x > 0) ? fitGammaGamma(spendable) : null;
  if (gg === null || !gg.convergence.converged) {
    const why = gg === null ? "no repeat buyer with a positive mean spend" : `the fit did not converge: ${gg.convergence.message}`;
    ctx.lines.push(`${label}: P(alive) only; Gamma-Gamma not fitted (${why}), so no CLV`);
    return {
      choice,
      ...out,
      fit: fitOut,
      fitCheck,
      gammaGamma: null,
      horizonMonths,
      clvTotal: null,
      notValued: summary.length,
    };
  }
  ctx.btyd = { model: bg, label, spend: gg, table: summary };
  const clv = customerLifetimeValueColumns(bg, gg, spendable, { horizon: horizonMonths, discountRate, margin, periodsPerUnit: WEEKS_PER_MONTH });
  const expected = new Float64Array(n).fill(NaN);
  const predicted = new Float64Array(n).fill(NaN);
  let total = 0;
  for (let j = 0; j < keep.length; j++) {
    const row = rowOf[keep[j]];
    total += clv.clv[j];
    if (row < 0) continue;
    behaviour.spend[row] = clv.expectedSpend[j];
    expected[row] = round4(clv.expectedPurchases[j]);
    predicted[row] = Math.round(clv.clv[j] * 100) / 100;
  }
  ctx.out.setColumn("expectedPurchases", expected);
  ctx.out.setColumn("predictedClv", predicted);
  const notValued = summary.length - keep.length;
  ctx.lines.push(
    `${label} + Gamma-Gamma: future value over the next ${horizonMonths} months ${Math.round(total).toLocaleString("en-US")} (${margin === 1 ? "revenue" : `margin ${+(margin * 100).toFixed(1)}%`}, discounted ${+(discountRate * 100).toFixed(2)}%/month)` +
      (notValued > 0 ? `; ${notValued} customers without a positive mean repeat spend not valued` : ""),
  );
  return {
    choice,
    ...out,
    fit: fitOut,
    fitCheck,
    gammaGamma: { params: gg.params, standardErrors: gg.standardErrors, logLikelihood: gg.logLikelihood, convergence: gg.convergence },
    horizonMonths,
    clvTotal: total,
    valued: keep.length,
    notValued,
  };
};

/**
 * The rows of `calibrationHoldout` from two calibration tables sorted by id (the calibration
 * period, and the same customers' summary to the holdout end): holdout purchases = x at the end
 * minus x at the calibration end. One merge pass; minimal records for `holdoutValidation`.
 */
function holdoutRows(cal: CalibrationTable, full: CalibrationTable, holdoutDuration: number) {
  const out: { customerId: string; x: number; t_x: number; T: number; holdoutPurchases: number; holdoutDuration: number }[] = new Array(cal.length);
  let j = 0;
  for (let k = 0; k < cal.length; k++) {
    const id = cal.ids[k];
    while (j < full.length && full.ids[j] < id) j++;
    const xEnd = j < full.length && full.ids[j] === id ? full.x[j] : cal.x[k];
    out[k] = { customerId: id, x: cal.x[k], t_x: cal.t_x[k], T: cal.T[k], holdoutPurchases: xEnd - cal.x[k], holdoutDuration };
  }
  return out;
}


const clusterStep = (ctx: StepContext): ClusterStepOutput => {
  const c = ctx.customers;
  if (c.length < 20) throw new SkipStep("fewer than 20 customers");
  // k-means needs at least as many distinct customers (R, F, M) as clusters.
  const distinct = countDistinct(c.recencyDays, c.frequency, c.totalSpend, ctx.options.kRange[1]);
  if (distinct < ctx.options.kRange[0]) throw new SkipStep(`only ${distinct} distinct customer${distinct === 1 ? "" : "s"} (recency, frequency, spend): at least ${ctx.options.kRange[0]} needed for clusters`);
  const kRange: [number, number] = [ctx.options.kRange[0], Math.min(ctx.options.kRange[1], distinct)];
  // The clustering functions read records: only the fields they use (id, R, F, M), not whole summaries.
  const rows = Array.from({ length: c.length }, (_, k) => ({ customerId: c.ids[k], recencyDays: c.recencyDays[k], frequency: c.frequency[k], totalSpend: c.totalSpend[k] }));
  // log1p(R, F, M), z-scored; k chosen by silhouette over 2..6 (4 restarts each to keep the one-call run quick).
  const k = kRange[0] === kRange[1] ? { k: kRange[0] } : { kRange };
  const result = clusterCustomers(rows, { ...k, nInit: 4, seed: ctx.seed, transform: "log1p", ...(ctx.amounts ? {} : { features: ["recencyDays", "frequency"] }) });
  const profiles = profileClusters(result, rows);
  const labels = Int32Array.from(result.assignments, (a) => a.cluster);
  const names = Array.from({ length: result.k }, (_, j) => profiles.find((p) => p.cluster === j)?.label ?? "");
  ctx.out.setColumn("cluster", Float64Array.from(labels));
  ctx.out.setDictionary("clusterLabel", { codes: labels, values: names });
  const explanation = explainClusters(result, rows, { seed: ctx.seed });
  ctx.lines.push(`Clusters: k = ${result.k} (${(result.choice?.reason ?? "given").replace(/\.$/, "")}); rules explain them with accuracy ${(explanation.accuracy * 100).toFixed(1)}%`);
  return {
    k: result.k,
    features: result.features,
    choice: result.choice,
    inertia: result.inertia,
    profiles: profiles.map((p) => ({ ...p, features: p.features.map((f) => ({ feature: f.feature, mean: f.mean, median: f.median, centroid: f.centroid })) })),
    rules: explanation.rules.map((r) => ({ cluster: r.cluster, rule: r.text, customers: r.customers, precision: r.precision })),
    ruleAccuracy: explanation.accuracy,
    model: result.model,
  };
};

const rulesStep = (ctx: StepContext): RulesStepOutput => {
  const items = ctx.table.items;
  if (!items || items.codes.length === 0) throw new SkipStep("no items in the transactions");
  const baskets = basketsFromTable(ctx.table);
  // Support of at least 5 baskets: with fewer baskets no itemset can reach it.
  if (baskets.count < 5) throw new SkipStep(`only ${baskets.count} baskets: at least 5 are needed for rules`);
  const minSupport = Math.max(ctx.options.rulesMinSupport, 5 / baskets.count);
  const itemsets = frequentItemsetTable(baskets, { minSupport, maxItemsets: 200_000 });
  const set = associationRuleSet(itemsets, { minConfidence: ctx.options.rulesMinConfidence, minLift: 1.2, sortBy: "lift", top: RULES_KEPT });
  const rules = set.rules;
  if (rules.length === 0) throw new SkipStep(`no rule reaches support ${(minSupport * 100).toFixed(1)}%, confidence ${(ctx.options.rulesMinConfidence * 100).toFixed(0)}% and lift 1.2`);
  // Each customer's next best item from everything they bought (return lines left out).
  const next = nextBestItems(buildRecommender(rules), ctx.table);
  // From customer codes of the table to rows of the customer table.
  const rowOf = customerRows(ctx);
  const item = new Int32Array(ctx.customers.length).fill(-1);
  const confidence = new Float64Array(ctx.customers.length).fill(NaN);
  for (let c = 0; c < next.score.length; c++) {
    const k = rowOf[c];
    if (k < 0 || next.item.codes[c] < 0) continue;
    item[k] = next.item.codes[c];
    confidence[k] = round4(next.score[c]);
  }
  ctx.out.setDictionary("nextBestItem", { codes: item, values: next.item.values });
  if (next.names) ctx.out.setDictionary("nextBestItemName", { codes: item, values: next.names.map((name, k) => name || next.item.values[k]) });
  ctx.out.setColumn("nextBestItemConfidence", confidence);
  const kept = set.found > set.kept ? `, the ${set.kept} with the highest lift kept` : "";
  ctx.lines.push(`Association rules: ${set.found} found from ${baskets.count} baskets${kept}; top: ${formatRule(rules[0])}`);
  return {
    baskets: baskets.count,
    items: baskets.items.length,
    minSupport,
    minConfidence: ctx.options.rulesMinConfidence,
    minLift: 1.2,
    itemsets: itemsets.size,
    found: set.found,
    kept: set.kept,
    rules,
  };
};

/** Rules kept by the rules step (highest lift first); the step reports how many were found. */
const RULES_KEPT = 500;


/** Distinct (a, b, c) rows, counted up to `cap` (then `cap` is returned). */
function countDistinct(a: ArrayLike<number>, b: ArrayLike<number>, c: ArrayLike<number>, cap: number): number {
  const seen: [number, number, number][] = [];
  for (let i = 0; i < a.length && seen.length < cap; i++) {
    if (!seen.some((r) => r[0] === a[i] && r[1] === b[i] && r[2] === c[i])) seen.push([a[i], b[i], c[i]]);
  }
  return seen.length;
}

/**
 * What each step of `analyze` returns, by step name (`result.results`): model fits, summaries
 * and tables, plain data.
 * @category Pipeline
 */
export interface StepResults {
  /** RFM segment summary, score thresholds and the R x F heatmap. */
  rfm: RfmStepOutput;
  /** Behaviour-matrix quadrant summary and thresholds. */
  matrix: MatrixStepOutput;
  /** ABC classes and the Pareto (80/20, Gini) analysis of spend. */
  abc: AbcStepOutput;
  /** The 3D CLV model: groups, weights, retention, past and future totals. */
  value: ValueStepOutput;
  /** The transaction model (chosen by a back-test) + Gamma-Gamma: choice, fits, holdout check, future value total. */
  clv: ClvStepOutput;
  /** Monte Carlo CLV: portfolio distribution and settings. */
  montecarlo: MonteCarloStepOutput;
  /** Churn model evaluation, tree rules and the at-risk list. */
  churn: ChurnStepOutput;
  /** Association rules and basket counts. */
  rules: RulesStepOutput;
  /** Clusters: k, profiles, the choice of k and explaining rules. */
  cluster: ClusterStepOutput;
  /** Time to churn: Kaplan-Meier curves overall, per cohort and per cluster, log-rank tests. */
  survival: SurvivalStepOutput;
  /** Customer profitability: profit zones, the whale curve, ABC by profit. */
  profitability: ProfitabilityStepOutput;
  /** Retention: period retention rates and the acquisition-cohort table. */
  cohorts: CohortsStepOutput;
  /** Lifecycle stages: counts, value and revenue share per stage. */
  lifecycle: LifecycleStepOutput;
  /** RFM segment migration since `compareAsOf`. */
  migration: MigrationStepOutput;
  /** The retention campaign plan (with a contact cost). */
  campaign: CampaignStepOutput;
}

/** The step implementations by name (`analyze` runs them in `STEP_NAMES` order). @internal */
export const STEPS: { [N in StepName]: (ctx: StepContext) => StepResults[N] | Promise<StepResults[N]> } = {
  rfm: rfmStep,
  matrix: matrixStep,
  abc: abcStep,
  clv: clvStep,
  rules: rulesStep,
  cluster: clusterStep,
  value: valueStep,
  montecarlo: monteCarloStep,
  churn: churnStep,
  survival: survivalStep,
  profitability: profitabilityStep,
  cohorts: cohortsStep,
  lifecycle: lifecycleStep,
  migration: migrationStep,
  campaign: campaignStep,
};
