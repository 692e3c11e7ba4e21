/**
 * The churn step of `analyze`: a labelled table from the log (features up to a cutoff, churn =
 * no purchase in the window after it), a model evaluated on a held-out 30%, a depth-3 tree for
 * readable rules, and today's churn risk for every customer.
 * @module
 */
import {
  atRiskCustomers,
  churnDataset,
  churnRules,
  evaluateChurn,
  scoreChurn,
  stratifiedSplit,
  trainChurnModel,
  type AtRiskCustomer,
  type ChurnDatasetReport,
  type ChurnEvaluation,
  type ChurnModel,
  type ChurnRow,
} from "../churn/index.js";
import { asRecords, logSpan, round4, set, SkipStep, type Step } from "./context.js";

const DAY = 86_400_000;
/** Smallest labelled table the step trains on. */
const MIN_ROWS = 50;

/** The churn step's output (what the report reads). @internal */
export interface ChurnStepOutput {
  cutoff: string;
  windowDays: number;
  model: "logistic" | "tree" | "forest";
  dataset: ChurnDatasetReport;
  evaluation: Pick<ChurnEvaluation, "rocAuc" | "prAuc" | "brier" | "topLift" | "churnRate" | "gains" | "calibration"> & { testCustomers: number };
  recencyBaseline: Pick<ChurnEvaluation, "rocAuc" | "gains">;
  treeRules: string[];
  atRisk: AtRiskCustomer[];
}

export const churnStep: Step = (ctx): ChurnStepOutput => {
  const { churnModel, seed } = { ...ctx.options, seed: ctx.seed };
  const { first, last } = logSpan(ctx);
  const span = last - first;
  // The window must leave history before the cutoff: at most half the log.
  const window = Math.min(ctx.options.churnWindowDays, Math.floor(span / 2));
  if (window < 14) throw new SkipStep(`the log spans ${span} days: too short for a churn window of at least 14 days with history before it`);
  const cutoff = new Date((last - window) * DAY).toISOString().slice(0, 10);
  const ds = churnDataset(asRecords(ctx.table), { cutoff, churnWindowDays: window, dataEnd: ctx.asOf });
  const { rows: labelled, report } = ds;
  if (labelled.length < MIN_ROWS) throw new SkipStep(`only ${labelled.length} customers before the cutoff ${cutoff} (at least ${MIN_ROWS} needed)`);
  if (report.churned === 0 || report.churned === labelled.length) throw new SkipStep(`every customer before ${cutoff} has the same label: nothing to learn`);

  // Honest evaluation: train on 70%, score the held-out 30%.
  const { train, test } = stratifiedSplit(labelled, { testFraction: 0.3, seed });
  const y = test.map((r) => r.churned === true);
  const minLeaf = Math.max(20, Math.round(train.length / 40));
  const fit = (rows: readonly ChurnRow[], kind: "logistic" | "tree" | "forest"): ChurnModel =>
    kind === "tree"
      ? trainChurnModel(rows, { model: "tree", maxDepth: 3, minSamplesLeaf: minLeaf })
      : kind === "forest"
        ? trainChurnModel(rows, { model: "forest", trees: 100, minSamplesLeaf: 5, seed })
        : trainChurnModel(rows, { model: "logistic" });
  const evalModel = fit(train, churnModel);
  const evaluation = evaluateChurn(y, scoreChurn(evalModel, test));
  const tree = churnModel === "tree" ? evalModel : fit(train, "tree");
  const baseline = evaluateChurn(y, test.map((r) => r.recency_days as number));

  // Today's risk: the model refitted on every labelled row, applied to features as of asOf.
  const final = fit(labelled, churnModel);
  const today = churnDataset(asRecords(ctx.table), { cutoff: ctx.asOf, labels: false }).rows;
  const risk = scoreChurn(final, today);
  today.forEach((r, i) => set(ctx, r.customerId as string, { churnRisk: round4(risk[i]) }));
  const atRisk = atRiskCustomers(final, today, { top: 20 });
  const meanRisk = risk.reduce((a, b) => a + b, 0) / Math.max(1, risk.length);
  ctx.lines.push(
    `Churn (no purchase within ${window} days): ${churnModel} model, held-out ROC AUC ${evaluation.rocAuc?.toFixed(3) ?? "n/a"} (recency alone ${baseline.rocAuc?.toFixed(3) ?? "n/a"}); ` +
      `mean risk today ${(meanRisk * 100).toFixed(1)}%`,
  );
  return {
    cutoff,
    windowDays: window,
    model: churnModel,
    dataset: report,
    evaluation: { rocAuc: evaluation.rocAuc, prAuc: evaluation.prAuc, brier: evaluation.brier, topLift: evaluation.topLift, churnRate: evaluation.churnRate, testCustomers: evaluation.n, gains: evaluation.gains, calibration: evaluation.calibration },
    recencyBaseline: { rocAuc: baseline.rocAuc, gains: baseline.gains },
    treeRules: churnRules(tree).slice(0, 8).map((r) => r.text),
    atRisk,
  };
};
