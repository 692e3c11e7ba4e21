/**
 * The churn step of `analyze`: a labelled table from the log (features up to a cutoff, churn =
 * no purchase in the window after it), a model evaluated on a held-out 30%, a depth-3 tree for
 * readable rules, and today's churn risk for every customer.
 * @module
 */
import {
  applyChurnCalibration,
  calibrateChurnModel,
  type CalibrationReport,
  type ChurnCalibrator,
  atRiskByValue,
  atRiskCustomers,
  churnDatasetColumns,
  churnRules,
  evaluateChurn,
  scoreChurnColumns,
  stratifiedSplit,
  trainChurnModelColumns,
  type ChurnDatasetColumns,
  type AtRiskCustomer,
  type AtRiskByValueCustomer,
  type ChurnDatasetReport,
  type ChurnEvaluation,
  type ChurnModel,
  type ChurnRow,
  type ChurnValue,
} from "../churn/index.js";
import { futureValueByRow, logSpan, round4, rowsOfSortedIds, SkipStep, type StepContext } from "./context.js";
import { fsum } from "../core/columns.js";

const DAY = 86_400_000;
/** Smallest labelled table the step trains on. */
const MIN_ROWS = 50;

/** Output of the `churn` step (`result.results.churn`). @category Pipeline */
export interface ChurnStepOutput {
  /** Day up to which features were computed for training (asOf minus the window). */
  cutoff: string;
  /** Churn window used, days (shortened to half the log on short logs). */
  windowDays: number;
  /** Model behind `churnRisk`. */
  model: "logistic" | "tree" | "forest" | "boosting";
  /**
   * How `churnRisk` was calibrated: a map from the model's score to a probability, fitted (with
   * 5-fold cross-fitting) on the held-out 30%'s scores and labels, isotonic when that holds at
   * least 1,000 customers, else sigmoid (Platt); with the held-out reliability before and after.
   * The map is applied only when it lowers the held-out Brier score (`applied`).
   */
  calibration: {
    /** `"isotonic"` or `"sigmoid"`. */
    method: "isotonic" | "sigmoid";
    /** Whether `churnRisk` went through the map: only when it lowers the held-out (cross-fitted) Brier score. */
    applied: boolean;
    /** The map, as plain data (apply with `applyChurnCalibration`). */
    calibrator: ChurnCalibrator;
    /** Brier score, expected calibration error and reliability bins of the raw held-out scores. */
    before: CalibrationReport | null;
    /** The same of the cross-fitted calibrated probabilities. */
    after: CalibrationReport;
    /** One sentence for the report. */
    description: string;
  };
  /** Accounting of the labelled table (customers, churned, features). */
  dataset: ChurnDatasetReport;
  /** Evaluation on the held-out 30%. */
  evaluation: Pick<ChurnEvaluation, "rocAuc" | "prAuc" | "brier" | "topLift" | "churnRate" | "gains" | "calibration"> & {
    /** Held-out customers. */
    testCustomers: number;
  };
  /** The same evaluation of recency alone, as a baseline. */
  recencyBaseline: Pick<ChurnEvaluation, "rocAuc" | "gains">;
  /** Rules of a depth-3 tree, highest churn first. */
  treeRules: string[];
  /**
   * The at-risk list to act on: customers still plausibly alive, ranked by expected future value
   * lost (P(churn) x future value), with reasons in words. Null when no future value was
   * estimated (the value steps did not run): then see `highestRisk`.
   */
  atRisk: {
    /** The ranked customers (at most 20). */
    customers: AtRiskByValueCustomer[];
    /** Which future value was used. */
    futureValueSource: string;
    /** Which customers were ranked, in one sentence. */
    rule: string;
    /** Customers left out: no positive future value, or no longer plausibly alive. */
    excluded: {
      /** Customers without a positive future value. */
      noFutureValue: number;
      /** Customers silent for longer than the rule allows: probably gone already. */
      notPlausiblyAlive: number;
    };
  } | null;
  /** The 20 customers with the highest P(churn), whatever their value (the model's raw ranking). */
  highestRisk: AtRiskCustomer[];
}

export const churnStep = (ctx: StepContext): ChurnStepOutput => {
  const { churnModel, seed } = { ...ctx.options, seed: ctx.seed };
  const { first, last } = logSpan(ctx);
  const span = last - first;
  // The window must leave history before the cutoff: at most half the log.
  const window = Math.min(ctx.options.churnWindowDays, Math.floor(span / 2));
  if (window < 14) throw new SkipStep(`the log spans ${span} days: too short for a churn window of at least 14 days with history before it`);
  const cutoff = new Date((last - window) * DAY).toISOString().slice(0, 10);
  // The labelled table as columns (one Float64Array per feature, NaN = missing): no row objects.
  const ds = churnDatasetColumns(ctx.table, { cutoff, churnWindowDays: window, dataEnd: ctx.asOf });
  const report = ds.report;
  const labels = ds.churned as Uint8Array;
  if (ds.length < MIN_ROWS) throw new SkipStep(`only ${ds.length} customers before the cutoff ${cutoff} (at least ${MIN_ROWS} needed)`);
  if (report.churned === 0 || report.churned === ds.length) throw new SkipStep(`every customer before ${cutoff} has the same label: nothing to learn`);

  // Honest evaluation: train on 70%, score the held-out 30% (the split looks at the labels only).
  const { train, test } = stratifiedSplit(Array.from(labels, (y, i) => ({ churned: y === 1, i })), { testFraction: 0.3, seed });
  const trainIdx = train.map((r) => r.i);
  const testIdx = test.map((r) => r.i);
  const y = testIdx.map((i) => labels[i] === 1);
  const minLeaf = Math.max(20, Math.round(trainIdx.length / 40));
  const fit = (idx: readonly number[] | null, kind: "logistic" | "tree" | "forest" | "boosting"): ChurnModel => {
    const columns = idx ? pick(ds.columns, idx) : ds.columns;
    const yy = idx ? Uint8Array.from(idx, (i) => labels[i]) : labels;
    const base = { features: ds.features };
    return kind === "tree"
      ? trainChurnModelColumns({ columns }, yy, { ...base, model: "tree", maxDepth: 3, minSamplesLeaf: minLeaf })
      : kind === "forest"
        ? trainChurnModelColumns({ columns }, yy, { ...base, model: "forest", trees: 100, minSamplesLeaf: 5, seed })
        : kind === "boosting"
          ? trainChurnModelColumns({ columns }, yy, { ...base, model: "boosting", seed })
          : trainChurnModelColumns({ columns }, yy, { ...base, model: "logistic" });
  };
  const testColumns = pick(ds.columns, testIdx);
  const evalModel = fit(trainIdx, churnModel);
  const heldScores = scoreChurnColumns(evalModel, { columns: testColumns });
  const evaluation = evaluateChurn(y, heldScores);
  // Calibrated probabilities: a map from score to probability fitted on the held-out customers
  // (cross-fitted, so its own reliability figures are honest), applied to today's scores.
  const method = testIdx.length >= 1000 ? "isotonic" : "sigmoid";
  const cal = calibrateChurnModel(heldScores, Uint8Array.from(y, (b) => (b ? 1 : 0)), { method, folds: 5, seed });
  const tree = churnModel === "tree" ? evalModel : fit(trainIdx, "tree");
  const baseline = evaluateChurn(y, testColumns.recency_days);

  // Today's risk: the model refitted on every labelled row, applied to features as of asOf.
  const final = fit(null, churnModel);
  const today = churnDatasetColumns(ctx.table, { cutoff: ctx.asOf, labels: false });
  // The map is used only when it improves the held-out Brier score (cross-fitted): a model whose
  // scores are already calibrated (logistic regression usually is) keeps them.
  const applied = cal.before !== null && cal.after.brier < cal.before.brier;
  const rawToday = scoreChurnColumns(final, { columns: today.columns });
  const risk = applied ? applyChurnCalibration(cal.calibrator, rawToday) : rawToday;
  const rows = rowsOfSortedIds(ctx, today.customerIds);
  const riskOut = new Float64Array(ctx.customers.length).fill(NaN);
  for (let i = 0; i < risk.length; i++) if (rows[i] >= 0) riskOut[rows[i]] = round4(risk[i]);
  ctx.out.setColumn("churnRisk", riskOut);
  const highestRisk = atRiskCustomers(final, topRows(today, risk, 20), { top: 20 });
  // The list to act on: expected future value lost, among customers still plausibly alive.
  const future = futureValueByRow(ctx);
  let atRisk: ChurnStepOutput["atRisk"] = null;
  ctx.churnToday = { ids: today.customerIds, columns: today.columns, risk, futureValue: null };
  if (future) {
    const fv = new Float64Array(today.length).fill(NaN);
    for (let i = 0; i < today.length; i++) if (rows[i] >= 0) fv[i] = future.values[rows[i]];
    ctx.churnToday.futureValue = fv;
    const list = atRiskByValue(risk, { customerIds: today.customerIds, columns: today.columns }, { futureValue: fv, top: 20 });
    atRisk = { customers: list.customers, futureValueSource: future.source, rule: list.rule, excluded: list.excluded };
    const lost = new Float64Array(ctx.customers.length).fill(NaN);
    for (let k = 0; k < lost.length; k++) if (!Number.isNaN(riskOut[k]) && future.values[k] > 0) lost[k] = Math.round(riskOut[k] * future.values[k] * 100) / 100;
    ctx.out.setColumn("valueAtRisk", lost);
  }
  const meanRisk = fsum(risk) / Math.max(1, risk.length);
  ctx.lines.push(
    `Churn (no purchase within ${window} days): ${churnModel} model, held-out ROC AUC ${evaluation.rocAuc?.toFixed(3) ?? "n/a"} (recency alone ${baseline.rocAuc?.toFixed(3) ?? "n/a"}); ` +
      `mean risk today ${(meanRisk * 100).toFixed(1)}%`,
  );
  if (atRisk && atRisk.customers.length > 0) {
    const top = atRisk.customers[0];
    ctx.lines.push(
      ctx.options.privacy
        ? `At risk (P(churn) x future value, among customers still plausibly alive): ${atRisk.customers.length} listed (the list is withheld in privacy mode)`
        : `At risk (P(churn) x future value, among customers still plausibly alive): ${atRisk.customers.length} listed; top ${top.customerId}, expected loss ${top.expectedLoss.toFixed(2)} (${top.reason})`,
    );
  }
  ctx.lines.push(
    applied
      ? `Churn calibration: ${cal.description}`
      : `Churn calibration: scores kept as the model gives them, already calibrated (held-out Brier ${cal.before?.brier.toFixed(3) ?? "n/a"}; after ${method} calibration ${cal.after.brier.toFixed(3)}, no better)`,
  );
  return {
    cutoff,
    windowDays: window,
    model: churnModel,
    calibration: { method, applied, calibrator: cal.calibrator, before: cal.before, after: cal.after, description: cal.description },
    dataset: report,
    evaluation: { rocAuc: evaluation.rocAuc, prAuc: evaluation.prAuc, brier: evaluation.brier, topLift: evaluation.topLift, churnRate: evaluation.churnRate, testCustomers: evaluation.n, gains: evaluation.gains, calibration: evaluation.calibration },
    recencyBaseline: { rocAuc: baseline.rocAuc, gains: baseline.gains },
    treeRules: churnRules(tree).slice(0, 8).map((r) => r.text),
    atRisk,
    highestRisk,
  };
};

/** The rows `idx` of every column. */
function pick(columns: Record<string, Float64Array>, idx: readonly number[]): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = Object.create(null);
  for (const name in columns) {
    const c = columns[name];
    const o = new Float64Array(idx.length);
    for (let k = 0; k < idx.length; k++) o[k] = c[idx[k]];
    out[name] = o;
  }
  return out;
}

/**
 * The `top` rows of highest risk (ties: larger total spend, then row order, as
 * `atRiskCustomers` ranks) as records, in row order: `atRiskCustomers` on them returns what it
 * returns on every row, since it ranks by the same keys and explains each row by itself.
 */
function topRows(d: ChurnDatasetColumns, risk: Float64Array, top: number): ChurnRow[] {
  const value = d.columns.monetary_total;
  const v = (i: number) => (Number.isNaN(value[i]) ? 0 : value[i]);
  const best: number[] = [];
  for (let i = 0; i < d.length; i++) {
    best.push(i);
    if (best.length > 4 * top) {
      best.sort((a, b) => risk[b] - risk[a] || v(b) - v(a) || a - b);
      best.length = top;
    }
  }
  best.sort((a, b) => risk[b] - risk[a] || v(b) - v(a) || a - b);
  best.length = Math.min(best.length, top);
  best.sort((a, b) => a - b);
  return best.map((i) => {
    const row: Record<string, ChurnValue> = { customerId: d.customerIds[i], cutoff: d.cutoff.values[d.cutoff.codes[i]] };
    for (const f of d.features) row[f] = Number.isNaN(d.columns[f][i]) ? null : d.columns[f][i];
    return row;
  });
}
