import { parseTransactions, type IngestionReport, type IngestionResult, type ParseTransactionsOptions } from "../core/ingest.js";
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { toEpochDay } from "../core/time.js";
import type { DateInput } from "../core/types.js";
import type { TransactionTable } from "../core/table.js";
import { groupByCustomer, isTransactionTable, toTransactionTable } from "../core/columns.js";
import { summarizeCustomersTable, type SummaryReport } from "../summary/summarize.js";
import { SkipStep, type AnalysisSettings, type StepContext } from "./context.js";
import { aggregateOnly, privacyLine, resolvePrivacy, type PrivacyModeOptions, type PrivacyReport } from "./privacy.js";
import { STEPS, type StepResults } from "./steps.js";
import { createResultStore, tableRows, type AnalysisTable } from "./table.js";
import { valueSummary, valueSummaryLines, type ValueSummary } from "./valueSummary.js";
import type { MonteCarloStepOutput, ValueStepOutput } from "./valueSteps.js";
import type { Clv3dColumnsOptions } from "../value/index.js";

/**
 * The value step's scoring options: the subset of `clv3dColumns` options about scores.
 * @category Pipeline
 */
export type ValueScoringOptions = Pick<Clv3dColumnsOptions, "scoreBy" | "intervals" | "scoring" | "dimensionWeights" | "dimensionMatrix">;

/**
 * A transaction table with its ingestion report, as `readTransactionTable` returns it.
 * @category Pipeline
 */
export interface TableInput {
  /** The validated log. */
  table: TransactionTable;
  /** Its ingestion accounting. */
  report: IngestionReport;
}

/**
 * The steps of {@link analyze}, in the order they run; each can be switched off with `skip`.
 * @example
 * ```ts
 * const rfmOnly = await analyze(generateTransactions({ customers: 50, seed: 1 }), { skip: STEP_NAMES.filter((s) => s !== "rfm") });
 * rfmOnly.steps.filter((s) => s.status === "ok").map((s) => s.step);
 * //=> ["summaries", "rfm"]
 * ```
 * @category Pipeline
 */
export const STEP_NAMES = ["rfm", "matrix", "abc", "value", "clv", "montecarlo", "churn", "rules", "cluster", "survival", "profitability", "cohorts", "lifecycle", "migration", "campaign"] as const;

/**
 * A step of {@link analyze}.
 * @category Pipeline
 */
export type StepName = (typeof STEP_NAMES)[number];

/**
 * What happened to one step.
 * @category Pipeline
 */
export interface StepStatus {
  /** Step name. */
  step: StepName | "summaries";
  /** `"ok"`, `"skipped"` (switched off, or its input is missing: see `reason`). */
  status: "ok" | "skipped";
  /** Why the step was skipped. */
  reason?: string;
  /** Wall time of the step in seconds. */
  seconds: number;
}

/**
 * Options of {@link analyze}.
 * @category Pipeline
 */
export interface AnalyzeOptions {
  /** Analysis day. Default: the last transaction day. */
  asOf?: DateInput;
  /** Seed of every stochastic step. Default 42. */
  seed?: number;
  /** Steps to switch off. Default none. */
  skip?: readonly StepName[];
  /** Ingestion options, used when `analyze` is given raw rows. Default strict. */
  ingest?: ParseTransactionsOptions;
  /**
   * Gross margin as a share of spend, applied to every money value looking forward (3D CLV,
   * BG/NBD + Gamma-Gamma CLV, Monte Carlo CLV). Default 1: values are revenue, as in `lifetimes`.
   */
  margin?: number;
  /** Horizon of the forward-looking values, in months of 30 days. Default 12. */
  horizonMonths?: number;
  /** Discount rate per month. Default 0.01. */
  discountRate?: number;
  /** Days without a purchase that count as churn (shortened to half the history when the log is shorter). Default 180. */
  churnWindowDays?: number;
  /** Model behind the churn risk column. Default `"logistic"` (a depth-3 tree is always fitted too, for readable rules). */
  churnModel?: "logistic" | "tree" | "forest" | "boosting";
  /**
   * Monte Carlo draws per customer, 10 to 1,000,000. Default 1000, lowered for large bases to keep the step's
   * work within `MONTE_CARLO_BUDGET` (5e7) customer-draws (never below 100 draws; the step's
   * result and the report say when). A number given here is always used as it is.
   */
  draws?: number;
  /** Worker threads for Monte Carlo: a number, or `"auto"` (all cores for large runs). Default `"auto"`; results do not depend on it. */
  threads?: number | "auto";
  /**
   * Range of k tried by the clustering step, the best by mean silhouette kept. Default [3, 8]
   * (k = 2 nearly always wins on customer data by splitting active repeat buyers from lapsed
   * one-time buyers, which recency already says; see docs/clustering.md).
   */
  kRange?: readonly [number, number];
  /** A fixed number of clusters (2..50) instead of choosing k in `kRange`. Default: chosen. */
  k?: number;
  /** Minimum support of the association rules (fraction of baskets; at least 5 baskets). Default 0.01. */
  rulesMinSupport?: number;
  /** Minimum confidence of the association rules. Default 0.3. */
  rulesMinConfidence?: number;
  /** Cost to serve per order (profitability step; the same currency as the amounts). Default 0. */
  costPerOrder?: number;
  /** Cost to serve per return line (profitability step). Default 0. */
  costPerReturnLine?: number;
  /** Cohort length of the cohorts step: `"month"`, `"quarter"` or `"week"`, or `"auto"` (months for logs up to three years, quarters beyond). Default `"auto"`. */
  cohortGrain?: "auto" | "month" | "quarter" | "week";
  /** An earlier analysis day: the migration step compares RFM segments then and at `asOf`. Default: none (step skipped). */
  compareAsOf?: DateInput;
  /** Cost per contact of a retention campaign: when given, the campaign step plans whom to contact. Default: none (step skipped). */
  contactCost?: number;
  /** Cost per offer (e.g. a voucher) on top of the contact. Default 0. */
  offerCost?: number;
  /** Campaign budget. Default: none (every contact worth its cost). */
  campaignBudget?: number;
  /** Assumed share of would-be churners a contact keeps (an assumption, stated in the result). Default 0.3. */
  successRate?: number;
  /**
   * Transaction model of the clv step: `"auto"` picks BG/NBD, MBG/NBD or Pareto/NBD by a
   * back-test on the holdout window (up to 50,000 customers; above, and for logs too short for a
   * holdout window, BG/NBD), or name one. Default `"auto"`.
   */
  transactionModel?: "auto" | "bg-nbd" | "mbg-nbd" | "pareto-nbd";
  /**
   * How the value step scores customers on CV, PV (= SV) and IV and combines them into the
   * overall `valueScore` (0-100): `scoreBy: "quantiles"` (percentile scores, the default) or
   * `"intervals"` with the telecom study's preset business interval tables per indicator
   * (`intervals`), and the weights of the three dimensions (`dimensionWeights`, or an AHP
   * `dimensionMatrix`; default equal). Passed to `clv3dColumns` (see docs/value.md). Default: quantiles, equal weights.
   */
  valueScoring?: ValueScoringOptions;
  /**
   * Privacy mode: `true` (minimum group size 10) or `{ minGroupSize }`. Every output becomes a
   * summary: customer-level lists (at-risk list, campaign contacts, movers) are emptied, summary
   * rows of fewer than `minGroupSize` customers or baskets are dropped, both counted in
   * `result.privacy`; `analysisFiles` and the CLI write no `customers.csv` and the report no
   * customer rows. `result.table` still holds the per-customer columns in memory (the caller's
   * own data). Default false. See docs/privacy.md.
   */
  privacy?: boolean | PrivacyModeOptions;
  /** Called as each step starts and ends (for progress display). Default: nothing. */
  onProgress?: (step: string, status: "start" | "done" | "skipped", detail?: string) => void;
}

/**
 * One row per customer with every score the analysis produced. Fields of steps that were
 * skipped (or that did not score this customer) are absent.
 * @category Pipeline
 */
export interface CustomerRow {
  /** Customer id. */
  customerId: string;
  /** Days since the last purchase. */
  recencyDays: number;
  /** Purchase orders. */
  frequency: number;
  /** Net spend to the analysis day (past, net of returns), rounded to cents; absent when the log has no amounts. */
  totalSpend?: number;
  /** Average order value, rounded to cents; absent when the log has no amounts. */
  averageOrderValue?: number;
  /** Days since the first purchase. */
  tenureDays: number;
  /** RFM recency score (5 = most recent). */
  rfmR?: number;
  /** RFM frequency score. */
  rfmF?: number;
  /** RFM monetary score. */
  rfmM?: number;
  /** RFM cell, e.g. `"555"`. */
  rfmCell?: string;
  /** RFM segment name. */
  rfmSegment?: string;
  /** Behaviour-matrix quadrant. */
  behaviorQuadrant?: string;
  /** ABC class by spend. */
  abcClass?: string;
  /** 3D CLV: past value to date (CV). */
  cv?: number;
  /** 3D CLV: future value of the current spending level over the horizon (SV). */
  sv?: number;
  /** 3D CLV: future value of the spending trend over the horizon (IV). */
  iv?: number;
  /** 3D CLV total, CV + SV + IV (past plus future). */
  clv3d?: number;
  /** 3D CLV group code (H/L on CV, SV, IV). */
  clv3dGroup?: string;
  /** 3D CLV group name. */
  clv3dGroupName?: string;
  /** Overall customer value score, 0-100: the weighted CV, PV (= SV) and IV scores (`valueScoring`). */
  valueScore?: number;
  /** BG/NBD probability that the customer is still active. */
  pAlive?: number;
  /** BG/NBD expected purchases over the horizon. */
  expectedPurchases?: number;
  /** BG/NBD + Gamma-Gamma future value over the horizon (discounted, at the margin). */
  predictedClv?: number;
  /** Monte Carlo mean future value over the horizon. */
  mcClvMean?: number;
  /** Monte Carlo 5th percentile of future value. */
  mcClvP5?: number;
  /** Monte Carlo 95th percentile of future value. */
  mcClvP95?: number;
  /** Probability of churn (no purchase within the churn window). */
  churnRisk?: number;
  /** Expected future value lost to churn: churnRisk x future value. */
  valueAtRisk?: number;
  /** Next best item from the association rules (the item key, e.g. a stock code). */
  nextBestItem?: string;
  /** Its human-readable name, when the log had an item label column. */
  nextBestItemName?: string;
  /** Confidence of the next best item's rule. */
  nextBestItemConfidence?: number;
  /** Cluster number (0 = highest value). */
  cluster?: number;
  /** Cluster label. */
  clusterLabel?: string;
  /** Profit to date: revenue minus product cost minus cost to serve (profitability step). */
  profit?: number;
  /** Profit zone: profitable, potentially profitable (a loss now, positive future value), unprofitable. */
  profitZone?: string;
  /** ABC class by profit. */
  abcByProfit?: string;
  /** Acquisition cohort (period of the first purchase). */
  cohort?: string;
  /** Lifecycle stage (new, growth, maturity, decline, churned). */
  lifecycleStage?: string;
}

/** The numeric fields of {@link CustomerRow}. @category Pipeline */
export type CustomerNumberField = { [K in keyof CustomerRow]-?: NonNullable<CustomerRow[K]> extends number ? K : never }[keyof CustomerRow];
/** The text fields of {@link CustomerRow} other than the id. @category Pipeline */
export type CustomerTextField = Exclude<{ [K in keyof CustomerRow]-?: NonNullable<CustomerRow[K]> extends string ? K : never }[keyof CustomerRow], "customerId">;

/**
 * The result of {@link analyze}: plain, serialisable data.
 * @category Pipeline
 */
export interface AnalysisResult {
  /** Analysis day (ISO). */
  asOf: string;
  /** Seed used. */
  seed: number;
  /** The options with every default filled in. */
  settings: AnalysisSettings;
  /** Ingestion accounting (null when given validated transactions without a report). */
  ingestion: IngestionReport | null;
  /** Summary accounting. */
  summary: SummaryReport;
  /** What each step did. */
  steps: StepStatus[];
  /** Every per-customer output as columns (row k = customer `table.ids[k]`, sorted by id). */
  table: AnalysisTable;
  /**
   * One plain object per customer, built from `table` on first access (and kept). For large
   * bases prefer `table`: this builds one object per customer.
   */
  readonly customers: CustomerRow[];
  /** Per-step outputs (model fits, summaries, tables), keyed by step; a skipped step has none. */
  results: Partial<StepResults>;
  /**
   * Every money total of the analysis, labelled: past value (realised to date) and future value
   * over the horizon from each model that ran, all at the same margin, discount and horizon.
   */
  value: ValueSummary;
  /** Things about the data worth checking (say, a few rows dated long after the rest, which set the analysis day). Empty when none. */
  warnings: string[];
  /** A short readable summary for a console. */
  summaryText: string;
  /** Privacy mode's accounting (what was withheld and suppressed); absent when privacy mode is off. */
  privacy?: PrivacyReport;
}

/**
 * Run the whole analysis in one call: ingestion accounting, customer summaries, RFM, behaviour
 * matrix, ABC/Pareto, 3D CLV, BG/NBD + Gamma-Gamma CLV with a holdout check, Monte Carlo CLV,
 * churn risk, association rules and clustering.
 *
 * @remarks
 * Each step can be switched off (`skip`); a step whose input is missing (no items → no rules,
 * too little history → no holdout check) is skipped with the reason in `steps`, not an error.
 * The result is plain data: one customer table plus each step's model fits and summaries.
 *
 * @param input - a {@link TransactionTable} or `{ table, report }` from `readTransactionTable` (the
 *   columnar path: nothing is built per transaction), validated transactions, an
 *   {@link IngestionResult} from `readTransactions`, or raw rows.
 * @param options - see {@link AnalyzeOptions}.
 * @returns the {@link AnalysisResult}.
 * @throws {@link InvalidOptionError} for an unknown step or bad option; ingestion errors in strict mode.
 * @example
 * ```ts
 * const result = await analyze(generateTransactions({ customers: 500, seed: 1 }), { seed: 1 });
 * result.customers.length;
 * //=> 500
 * ```
 * @category Pipeline
 */
export async function analyze(input: TableInput | TransactionTable | IngestionResult | Iterable<object>, options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const fn = "analyze";
  const seed = options.seed ?? 42;
  if (!Number.isFinite(seed)) throw new InvalidOptionError(fn, "seed", seed, "a finite number");
  const skip = new Set(options.skip ?? []);
  for (const s of skip) if (!STEP_NAMES.includes(s)) throw new InvalidOptionError(fn, "skip", s, `one of ${STEP_NAMES.join(", ")}`);
  const progress = options.onProgress ?? (() => {});
  const resolved = resolveOptions(options);

  let table: TransactionTable;
  let ingestion: IngestionReport | null;
  if (isTransactionTable(input)) {
    table = input;
    ingestion = null;
  } else if (isTableInput(input)) {
    table = input.table;
    ingestion = input.report;
  } else {
    const ingested: IngestionResult = isIngestion(input) ? input : parseTransactions(input, options.ingest);
    table = toTransactionTable(ingested.transactions, fn);
    ingestion = ingested.report;
  }
  // Rows grouped by customer once, so every per-customer pass reads consecutive memory (the
  // ungrouped table is released here unless the caller still holds it).
  table = groupByCustomer(table);
  input = undefined as unknown as typeof input;
  const steps: StepStatus[] = [];
  const warnings: string[] = [];
  const late = options.asOf === undefined ? lateDates(table.day) : null;
  if (late) warnings.push(late);
  let t = performance.now();
  progress("summaries", "start");
  const { customers, report: summary } = summarizeCustomersTable(table, options.asOf === undefined ? {} : { asOf: options.asOf });
  steps.push({ step: "summaries", status: "ok", seconds: (performance.now() - t) / 1000 });
  progress("summaries", "done", `${customers.length} customers`);

  const out = createResultStore(customers.ids);
  // The base columns of the customer table (money rounded to cents for display).
  const f64 = (a: ArrayLike<number>, map: (x: number) => number = (x) => x) => Float64Array.from(a, map);
  out.setColumn("recencyDays", f64(customers.recencyDays));
  out.setColumn("frequency", f64(customers.frequency));
  const amounts = table.amountSource !== "none";
  if (amounts) {
    out.setColumn("totalSpend", f64(customers.totalSpend, (x) => round(x, 2)));
    out.setColumn("averageOrderValue", f64(customers.averageOrderValue, (x) => round(x, 2)));
  }
  out.setColumn("tenureDays", f64(customers.tenureDays));
  const ctx: StepContext = {
    table,
    customers,
    asOf: summary.asOf,
    seed,
    out,
    results: {},
    lines: [],
    options: resolved,
    amounts,
    drawsGiven: options.draws !== undefined,
    // Test hook (not public): a smaller Monte Carlo budget.
    monteCarloBudget: (options as { monteCarloBudget?: number }).monteCarloBudget,
  };
  // Steps running in the background (the Monte Carlo step); awaited before the result is built.
  const background: Promise<void>[] = [];
  for (const name of STEP_NAMES) {
    const step = STEPS[name];
    t = performance.now();
    if (skip.has(name)) {
      steps.push({ step: name, status: "skipped", reason: "switched off", seconds: 0 });
      progress(name, "skipped", "switched off");
      continue;
    }
    if (!step) {
      steps.push({ step: name, status: "skipped", reason: "not available in this version", seconds: 0 });
      progress(name, "skipped", "not available in this version");
      continue;
    }
    if (customers.length === 0) {
      steps.push({ step: name, status: "skipped", reason: "no customers", seconds: 0 });
      progress(name, "skipped", "no customers");
      continue;
    }
    if (!ctx.amounts && MONEY_STEPS.has(name)) {
      steps.push({ step: name, status: "skipped", reason: NO_AMOUNTS, seconds: 0 });
      progress(name, "skipped", NO_AMOUNTS);
      continue;
    }
    progress(name, "start");
    if (name === "montecarlo") {
      // The Monte Carlo step runs on worker threads: start it and go on with the next steps on
      // this thread. Its place in the steps, the summary lines, the results and the columns is
      // reserved now, so the output is the same as a run one step after the other.
      const status: StepStatus = { step: name, status: "ok", seconds: 0 };
      steps.push(status);
      const lineAt = ctx.lines.length;
      ctx.results[name] = undefined;
      out.reserve(MONTE_CARLO_COLUMNS);
      const own = Object.create(ctx) as StepContext;
      own.lines = [];
      const started = t;
      const finish = (fields: Partial<StepStatus>, lines: readonly string[]) => {
        Object.assign(status, fields, { seconds: (performance.now() - started) / 1000 });
        ctx.lines.splice(lineAt, 0, ...lines);
      };
      background.push(
        Promise.resolve(step(own)).then(
          (value) => {
            (ctx.results as Record<StepName, unknown>)[name] = value;
            finish({}, own.lines);
            progress(name, "done");
          },
          (e: unknown) => {
            if (!(e instanceof SkipStep) && !isDataFailure(e)) throw e;
            delete ctx.results[name];
            out.drop(MONTE_CARLO_COLUMNS);
            finish({ status: "skipped", reason: e.message }, []);
            progress(name, "skipped", e.message);
          },
        ),
      );
      continue;
    }
    try {
      (ctx.results as Record<StepName, unknown>)[name] = await step(ctx);
      steps.push({ step: name, status: "ok", seconds: (performance.now() - t) / 1000 });
      progress(name, "done");
    } catch (e) {
      if (!(e instanceof SkipStep) && !isDataFailure(e)) throw e;
      steps.push({ step: name, status: "skipped", reason: e.message, seconds: (performance.now() - t) / 1000 });
      progress(name, "skipped", e.message);
    }
  }
  await Promise.all(background);
  const value = summarizeValue(ctx.results, resolved, customers.length);
  const priv = resolved.privacy ? aggregateOnly(ctx.results, resolved.privacy.minGroupSize) : null;
  if (priv) ctx.lines.push(privacyLine(priv.report));
  const head = `${customers.length.toLocaleString("en-US")} customers, ${summary.used.toLocaleString("en-US")} transactions as of ${summary.asOf}`;
  let rows: CustomerRow[] | null = null;
  const result = {
    asOf: summary.asOf,
    seed,
    settings: resolved,
    // Privacy mode keeps the rejection counts but not the example rows (raw values, ids among them).
    ingestion: priv && ingestion ? { ...ingestion, rejectedByReason: ingestion.rejectedByReason.map((r) => ({ ...r, examples: [] })) } : ingestion,
    summary,
    steps,
    table: out as AnalysisTable,
    results: priv ? priv.results : ctx.results,
    value,
    warnings,
    summaryText: [head, ...warnings.map((w) => `Warning: ${w}`), ...ctx.lines, ...valueSummaryLines(value)].join("\n"),
  };
  if (priv) (result as { privacy?: PrivacyReport }).privacy = priv.report;
  // Built on first access only: a large analysis never makes one object per customer.
  Object.defineProperty(result, "customers", { enumerable: true, configurable: true, get: () => (rows ??= tableRows(out)) });
  return result as AnalysisResult;
}

/** An option date as an ISO day, through the library's one strict date parser. */
function dayText(d: DateInput): string {
  return new Date(toEpochDay(d, "analyze", "compareAsOf") * 86_400_000).toISOString().slice(0, 10);
}

function transactionModel(m: AnalyzeOptions["transactionModel"]): AnalysisSettings["transactionModel"] {
  if (m === undefined) return "auto";
  if (!["auto", "bg-nbd", "mbg-nbd", "pareto-nbd"].includes(m)) throw new InvalidOptionError("analyze", "transactionModel", m, '"auto", "bg-nbd", "mbg-nbd" or "pareto-nbd"');
  return m;
}

function valueScoring(v: ValueScoringOptions | undefined): ValueScoringOptions | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "object" || Array.isArray(v)) throw new InvalidOptionError("analyze", "valueScoring", v, "an object with scoreBy, intervals, scoring, dimensionWeights or dimensionMatrix");
  const allowed = new Set(["scoreBy", "intervals", "scoring", "dimensionWeights", "dimensionMatrix"]);
  for (const k of Object.keys(v)) if (!allowed.has(k)) throw new InvalidOptionError("analyze", `valueScoring.${k}`, (v as Record<string, unknown>)[k], `one of ${[...allowed].join(", ")}`);
  return v;
}

function cohortGrain(g: AnalyzeOptions["cohortGrain"]): AnalysisSettings["cohortGrain"] {
  if (g === undefined) return "auto";
  if (!["auto", "month", "quarter", "week"].includes(g)) throw new InvalidOptionError("analyze", "cohortGrain", g, '"auto", "month", "quarter" or "week"');
  return g;
}

/** The labelled value totals from the value, clv and Monte Carlo steps' outputs. */
function summarizeValue(results: StepContext["results"], settings: AnalysisSettings, customers: number): ValueSummary {
  const v = results.value as ValueStepOutput | undefined;
  const c = results.clv as { clvTotal: number | null; valued?: number; notValued: number; choice: { label: string } } | undefined;
  const m = results.montecarlo as MonteCarloStepOutput | undefined;
  return valueSummary({
    settings,
    customers,
    clv3d: v ? { past: v.past, future: v.future } : undefined,
    bgnbd:
      c && c.clvTotal !== null
        ? { label: c.choice.label, total: c.clvTotal, valued: c.valued ?? customers - c.notValued, leftOut: c.notValued, leftOutReason: "no positive mean repeat spend (returns net their spend to zero or below)" }
        : undefined,
    monteCarlo: m ? { mean: m.portfolio.mean, p5: m.portfolio.p5, p95: m.portfolio.p95, customers: m.customers } : undefined,
  });
}

function resolveOptions(o: AnalyzeOptions): AnalysisSettings {
  const fn = "analyze";
  const num = (name: keyof AnalyzeOptions, v: number | undefined, dflt: number, ok: (x: number) => boolean, expected: string): number => {
    if (v === undefined) return dflt;
    if (typeof v !== "number" || !Number.isFinite(v) || !ok(v)) throw new InvalidOptionError(fn, name, v, expected);
    return v;
  };
  const churnModel = o.churnModel ?? "logistic";
  if (!["logistic", "tree", "forest", "boosting"].includes(churnModel)) throw new InvalidOptionError(fn, "churnModel", churnModel, '"logistic", "tree", "forest" or "boosting"');
  const threads = o.threads ?? "auto";
  if (threads !== "auto" && !(Number.isInteger(threads) && threads >= 1)) throw new InvalidOptionError(fn, "threads", threads, '"auto" or a whole number >= 1');
  if (o.k !== undefined && o.kRange !== undefined) throw new InvalidOptionError(fn, "k", o.k, "either k or kRange, not both");
  if (o.k !== undefined && !(Number.isInteger(o.k) && o.k >= 2 && o.k <= 50)) throw new InvalidOptionError(fn, "k", o.k, "a whole number in 2..50");
  const kRange = o.k !== undefined ? [o.k, o.k] : (o.kRange ?? [3, 8]);
  if (!Array.isArray(kRange) || kRange.length !== 2 || !kRange.every((k) => Number.isInteger(k) && k >= 2 && k <= 50) || kRange[0] > kRange[1]) {
    throw new InvalidOptionError(fn, "kRange", kRange, "[kMin, kMax] with whole numbers 2 <= kMin <= kMax <= 50");
  }
  return {
    margin: num("margin", o.margin, 1, (x) => x > 0 && x <= 1, "a number in (0, 1]"),
    horizonMonths: num("horizonMonths", o.horizonMonths, 12, (x) => Number.isInteger(x) && x >= 1 && x <= 600, "a whole number in 1..600"),
    discountRate: num("discountRate", o.discountRate, 0.01, (x) => x >= 0 && x < 1, "a number in [0, 1)"),
    churnWindowDays: num("churnWindowDays", o.churnWindowDays, 180, (x) => Number.isInteger(x) && x >= 1, "a whole number of days >= 1"),
    churnModel,
    draws: num("draws", o.draws, 1000, (x) => Number.isInteger(x) && x >= 10 && x <= 1_000_000, "a whole number in 10..1,000,000"),
    threads,
    kRange: [kRange[0], kRange[1]],
    rulesMinSupport: num("rulesMinSupport", o.rulesMinSupport, 0.01, (x) => x > 0 && x <= 1, "a number in (0, 1]"),
    rulesMinConfidence: num("rulesMinConfidence", o.rulesMinConfidence, 0.3, (x) => x >= 0 && x <= 1, "a number in [0, 1]"),
    costPerOrder: num("costPerOrder", o.costPerOrder, 0, (x) => x >= 0, "a number >= 0"),
    costPerReturnLine: num("costPerReturnLine", o.costPerReturnLine, 0, (x) => x >= 0, "a number >= 0"),
    cohortGrain: cohortGrain(o.cohortGrain),
    compareAsOf: o.compareAsOf === undefined ? null : dayText(o.compareAsOf),
    contactCost: o.contactCost === undefined ? null : num("contactCost", o.contactCost, 0, (x) => x >= 0, "a number >= 0"),
    offerCost: num("offerCost", o.offerCost, 0, (x) => x >= 0, "a number >= 0"),
    campaignBudget: o.campaignBudget === undefined ? null : num("campaignBudget", o.campaignBudget, 0, (x) => x >= 0, "a number >= 0"),
    successRate: num("successRate", o.successRate, 0.3, (x) => x > 0 && x <= 1, "a number in (0, 1]"),
    privacy: resolvePrivacy(o.privacy),
    valueScoring: valueScoring(o.valueScoring),
    transactionModel: transactionModel(o.transactionModel),
  };
}

/** Steps that need amounts: skipped, with {@link NO_AMOUNTS} as the reason, for a log without them. */
const MONEY_STEPS: ReadonlySet<StepName> = new Set(["matrix", "abc", "value", "montecarlo"]);
const NO_AMOUNTS = "the log has no amounts (frequency-only analysis: RFM on R and F, BG/NBD purchases and P(alive), churn, rules, clusters on recency and frequency, survival, cohorts and lifecycle stages)";

/** The per-customer columns of the Monte Carlo step, in the order it writes them. */
const MONTE_CARLO_COLUMNS = ["mcClvMean", "mcClvP5", "mcClvP95"] as const;

/**
 * A warning when a few rows are dated long after the rest of the log (a typo such as 2099 for
 * 2019 would otherwise silently become the analysis day): more than a year after the 99.9th
 * percentile of the days (from a sample of at most 100,000 rows, taken at a fixed stride).
 */
function lateDates(day: Int32Array): string | null {
  const n = day.length;
  if (n < 100) return null;
  const m = Math.min(n, 100_000);
  const sample = new Int32Array(m);
  for (let k = 0; k < m; k++) sample[k] = day[Math.floor((k * n) / m)];
  sample.sort();
  const q = sample[Math.floor(0.999 * (m - 1))];
  let max = -Infinity;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (day[i] > max) max = day[i];
    if (day[i] > q + 365) count++;
  }
  if (count === 0) return null;
  const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
  return `${count.toLocaleString("en-US")} of ${n.toLocaleString("en-US")} rows are dated more than a year after 99.9% of the log (latest ${iso(max)}; 99.9% by ${iso(q)}), and the latest sets the analysis day: check those dates, or set asOf (--as-of)`;
}

/**
 * An analytic that cannot work on these data (nothing to fit, a fit that did not converge, values
 * beyond the largest double): the
 * step is skipped with the error's message as the reason, not the whole analysis lost.
 */
function isDataFailure(e: unknown): e is AnalyticsError {
  return e instanceof AnalyticsError && (e.code === "EMPTY_INPUT" || e.code === "NOT_CONVERGED" || e.code === "TOO_LARGE" || e.code === "OVERFLOW");
}

function isTableInput(x: unknown): x is TableInput {
  return typeof x === "object" && x !== null && isTransactionTable((x as TableInput).table) && typeof (x as TableInput).report === "object";
}

function isIngestion(x: unknown): x is IngestionResult {
  return typeof x === "object" && x !== null && Array.isArray((x as IngestionResult).transactions) && typeof (x as IngestionResult).report === "object";
}

/** Round to `d` decimals (for display columns; model outputs keep full precision). @internal */
export function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
