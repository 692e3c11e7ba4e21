/**
 * The customer value steps of `analyze`: the three-dimensional CLV model and the per-customer
 * Monte Carlo CLV.
 * @module
 */
import { AnalyticsError } from "../core/errors.js";
import { simulateTransactionClv } from "../clv/index.js";
import { clv3dColumns, monteCarloClvColumns, spendGrowthColumn, weibullSurvival, type ClvDistribution, type Clv3dColumnsResult, type Clv3dResult } from "../value/index.js";
import { round4, SkipStep, type StepContext, wholeText } from "./context.js";
import { MONTH_DAYS } from "./valueSummary.js";

/** Period of the value steps, days (a month). */
const PERIOD_DAYS = MONTH_DAYS;
/** Churn rule of the Weibull lifetimes: silent for more than this many days. */
const CHURN_AFTER_DAYS = 180;
/** Fallback survival when no Weibull curve could be fitted: constant monthly retention. */
const FALLBACK_RETENTION = 0.9;
/** Spend shape when the Gamma-Gamma step did not run (coefficient of variation 0.5). */
const FALLBACK_SPEND_SHAPE = 4;

/**
 * Default work bound of the Monte Carlo step: customers x draws per customer. At 1000 draws it
 * covers 50,000 customers; larger bases get fewer draws (never under 100) unless `draws` is set.
 * At about 12 million customer-draws per CPU second, the step then stays near 4 CPU s.
 * @category Pipeline
 */
export const MONTE_CARLO_BUDGET = 5e7;
const MIN_BUDGET_DRAWS = 100;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const money = (x: number) => Math.round(x * 100) / 100;

/** Output of the `value` step (the 3D CLV model; `result.results.value`). @category Pipeline */
export interface ValueStepOutput {
  /** Survival used for SV and IV: a Weibull lifetime curve, or the constant fallback. */
  retention: {
    /** Which curve. */
    source: "weibull" | "constant";
    /** Weibull shape. */
    shape?: number;
    /** Weibull scale, months. */
    scale?: number;
    /** Constant monthly retention. */
    rate?: number;
    /** Why the fallback was used. */
    note?: string;
  };
  /** The eight value groups with counts, shares, means, rule and suggested action. */
  groups: Clv3dResult["groups"];
  /** How the indicators were scored: percentile scores or preset interval tables. */
  scoreBy: "quantiles" | "intervals";
  /** Weights of the CV, PV (= SV) and IV scores in the overall `valueScore` column. */
  valueWeights: Clv3dColumnsResult["valueWeights"];
  /** 80/20 check and Gini of the 3D CLV. */
  pareto: Clv3dResult["pareto"];
  /** AHP weights of each dimension's indicators. */
  weights: Clv3dResult["weights"];
  /** H/L thresholds of the three scores. */
  thresholds: Clv3dResult["thresholds"];
  /** Sums over customers: cv (past), sv and iv (future), clv = cv + sv + iv. */
  totals: {
    /** Past value: sum of CV. */
    cv: number;
    /** Future value of the current spending level: sum of SV. */
    sv: number;
    /** Future value of the spending trend: sum of IV. */
    iv: number;
    /** Past plus future: sum of CV + SV + IV. */
    clv: number;
  };
  /** Past value: realised margin to date (CV total). */
  past: number;
  /** Future value over the horizon (SV + IV total). */
  future: number;
}

export const valueStep = (ctx: StepContext): ValueStepOutput => {
  const { margin, horizonMonths, discountRate } = ctx.options;
  // Growth: each customer's spend trend from the log, as clv3d estimates it from transactions.
  const growth = spendGrowthColumn(ctx.customers, ctx.table, { periodDays: PERIOD_DAYS });
  const base = { ...ctx.options.valueScoring, marginRate: margin, periodDays: PERIOD_DAYS, discountRate, horizon: horizonMonths, growth };
  let result: Clv3dColumnsResult;
  let retention: ValueStepOutput["retention"];
  try {
    // Weibull lifetimes from the summaries: churned = silent for more than 180 days, others censored.
    result = clv3dColumns(ctx.customers, { ...base, retention: { type: "weibull", churnAfterDays: CHURN_AFTER_DAYS } });
    retention = { source: "weibull", shape: result.weibull!.shape, scale: result.weibull!.scale };
  } catch (e) {
    if (!(e instanceof AnalyticsError) || e.code === "INVALID_OPTION" || e.code === "INVALID_RECORD") throw e;
    // No churned customers yet (or a degenerate fit): fall back to a constant retention rate.
    result = clv3dColumns(ctx.customers, { ...base, retention: { type: "constant", rate: FALLBACK_RETENTION } });
    retention = { source: "constant", rate: FALLBACK_RETENTION, note: `Weibull retention could not be fitted (${e.message}); constant ${FALLBACK_RETENTION} per month used` };
  }
  const t = result.totals;
  const totals = { cv: t.past, sv: t.stock, iv: t.incremental, clv: t.pastPlusFuture };
  ctx.out.setColumn("cv", result.cv.map(money));
  ctx.out.setColumn("sv", result.sv.map(money));
  ctx.out.setColumn("iv", result.iv.map(money));
  ctx.out.setColumn("clv3d", result.clv.map(money));
  const codes = Int32Array.from(result.group);
  ctx.out.setDictionary("clv3dGroup", { codes, values: result.groups.map((g) => g.group) });
  ctx.out.setDictionary("clv3dGroupName", { codes, values: result.groups.map((g) => g.name) });
  ctx.out.setColumn("valueScore", result.valueScore.map((x) => Math.round(x * 100) / 100));
  const top = [...result.groups].sort((a, b) => b.valueShare - a.valueShare)[0];
  const past = t.past;
  const future = t.future;
  if (top) {
    ctx.lines.push(
      `3D CLV: past value ${wholeText(past)} + future value ${wholeText(future)} (next ${horizonMonths} months) = ${wholeText(totals.clv)}; group ${top.group} "${top.name}" holds ${pct(top.valueShare)} of it with ${pct(top.customerShare)} of customers`,
    );
  }
  const out: ValueStepOutput = { retention, groups: result.groups, pareto: result.pareto, weights: result.weights, thresholds: result.thresholds, scoreBy: result.scoreBy, valueWeights: result.valueWeights, totals, past, future };
  return out;
};

/** Output of the `montecarlo` step. @category Pipeline */
export interface MonteCarloStepOutput {
  /** Draws per customer used. */
  draws: number;
  /** Why fewer draws than requested were used (the work budget), when they were. */
  drawsNote?: string;
  /** Horizon, months of 30 days. */
  horizonMonths: number;
  /** Gamma shape of spend per purchase (Gamma-Gamma's p, or the fallback 4). */
  spendShape: number;
  /** Where each customer's behaviour came from, in words. */
  behaviourSource: string;
  /** Survival curve used month by month. */
  survival:
    | {
        /** Weibull lifetime curve of the value step. */
        source: "weibull";
        /** Weibull shape. */
        shape: number;
        /** Weibull scale, months. */
        scale: number;
      }
    | {
        /** Constant monthly retention (no Weibull curve). */
        source: "constant";
        /** Retention per month. */
        rate: number;
      };
  /** Customers simulated. */
  customers: number;
  /** Distribution of the portfolio total over the simulated futures. */
  portfolio: ClvDistribution;
  /** Closed-form expected total. */
  expectedTotal: number;
  /** Worker threads used. */
  threads: number;
  /**
   * The same horizon simulated from the fitted BG/NBD + Gamma-Gamma models with **parameter
   * uncertainty as well as process noise** (`simulateTransactionClv`: each simulated future
   * draws the models' parameters from their estimated covariance, then each customer's
   * purchases and spend): the portfolio total's mean and 5%/50%/95% quantiles. Null when the
   * clv step did not value customers, or with the reason when the base is too large for its
   * work bound.
   */
  parameterUncertainty: {
    /** The transaction model simulated ("BG/NBD", "MBG/NBD" or "Pareto/NBD"). */
    model: string;
    /** Simulated futures. */
    draws: number;
    /** Mean of the portfolio total. */
    mean: number;
    /** 5th percentile. */
    p5: number;
    /** Median. */
    p50: number;
    /** 95th percentile. */
    p95: number;
    /** The same simulation without parameter uncertainty (process noise only, at most 200 futures): 5th and 95th percentiles, to show what the parameters add. */
    processOnly: {
      /** 5th percentile without parameter draws. */
      p5: number;
      /** 95th percentile without parameter draws. */
      p95: number;
    };
  } | {
    /** Why the simulation did not run (the base is above its work bound, or a fit had no covariance). */
    skipped: string;
  } | null;
}

/**
 * Work bound of the parameter-uncertainty simulation in the montecarlo step, in customer-draws
 * (customers x simulated futures): 500 futures up to 5,000 customers, then fewer, never under
 * 100 (bases above 25,000 customers are left out, with the reason). @internal
 */
export const PARAMETER_UNCERTAINTY_BUDGET = 2.5e6;
/** Most futures of the parameter-uncertainty simulation (enough for its 5% and 95% quantiles). */
const PARAMETER_UNCERTAINTY_DRAWS = 500;
/** Futures of the process-noise-only comparison run (its 5% and 95% quantiles only). */
const PROCESS_ONLY_DRAWS = 200;

/** The parameter-uncertainty block of the montecarlo step (see {@link MonteCarloStepOutput.parameterUncertainty}). */
function parameterUncertainty(ctx: StepContext, draws: number): MonteCarloStepOutput["parameterUncertainty"] {
  const b = ctx.btyd;
  if (!b || !b.model.logCovariance || !b.spend.logCovariance) return null;
  const n = b.table.length;
  const used = Math.min(draws, PARAMETER_UNCERTAINTY_DRAWS, Math.floor(PARAMETER_UNCERTAINTY_BUDGET / Math.max(1, n)));
  if (used < MIN_BUDGET_DRAWS) return { skipped: `${n.toLocaleString("en-US")} customers x ${MIN_BUDGET_DRAWS} futures exceed the work bound of ${PARAMETER_UNCERTAINTY_BUDGET.toExponential(0)} customer-draws` };
  const { margin, horizonMonths, discountRate } = ctx.options;
  const base = { draws: used, horizon: horizonMonths, discountRate, margin, periodsPerUnit: PERIOD_DAYS / 7, seed: ctx.seed };
  try {
    const full = simulateTransactionClv(b.model, b.spend, b.table, base).totals.clv;
    const process = simulateTransactionClv(b.model, b.spend, b.table, { ...base, draws: Math.min(used, PROCESS_ONLY_DRAWS), parameterUncertainty: false }).totals.clv;
    return { model: b.label, draws: used, mean: full.mean, p5: full.lower, p50: full.median, p95: full.upper, processOnly: { p5: process.lower, p95: process.upper } };
  } catch (e) {
    if (e instanceof AnalyticsError) return { skipped: e.message };
    throw e;
  }
}

export const monteCarloStep = async (ctx: StepContext): Promise<MonteCarloStepOutput> => {
  const { margin, horizonMonths, discountRate, draws, threads } = ctx.options;
  const value = ctx.results.value as ValueStepOutput | undefined;
  const clv = ctx.results.clv as { gammaGamma?: { params: { p: number } } } | undefined;
  const spendShape = clv?.gammaGamma?.params.p ?? FALLBACK_SPEND_SHAPE;
  const weibull = value?.retention.source === "weibull" ? { shape: value.retention.shape!, scale: value.retention.scale! } : null;
  const behaviour = ctx.behaviour;
  // One typed column per input, row k = customer-table row k (no object per customer).
  const c = ctx.customers;
  const n = c.length;
  if (n === 0) throw new SkipStep("no customer with a purchase");
  const alive = new Float64Array(n);
  const purchaseRate = new Float64Array(n);
  const spendMean = new Float64Array(n);
  const survival = weibull ? new Float64Array(n * horizonMonths) : null;
  for (let k = 0; k < n; k++) {
    const age = c.tenureDays[k] / PERIOD_DAYS;
    // Alive now, rate while alive and spend: from BG/NBD + Gamma-Gamma when that step ran;
    // otherwise the customer's own history (alive = bought within the last 180 days).
    if (behaviour !== undefined && !Number.isNaN(behaviour.pAlive[k])) {
      alive[k] = behaviour.pAlive[k];
      purchaseRate[k] = behaviour.purchasesPerMonth[k];
      spendMean[k] = Math.max(0, Number.isNaN(behaviour.spend[k]) ? c.averageOrderValue[k] : behaviour.spend[k]);
    } else {
      alive[k] = c.recencyDays[k] <= CHURN_AFTER_DAYS ? 1 : 0;
      purchaseRate[k] = c.frequency[k] / Math.max(1, age);
      spendMean[k] = Math.max(0, c.averageOrderValue[k]);
    }
    // Staying alive in future months: the Weibull lifetime curve conditional on the customer's age.
    if (weibull && survival) {
      const s0 = weibullSurvival(weibull, age);
      for (let t = 0; t < horizonMonths; t++) survival[k * horizonMonths + t] = s0 > 0 ? weibullSurvival(weibull, age + t) / s0 : 0;
    }
  }
  const model = survival
    ? { purchaseRate, spendMean, alive, survival, discountRate, periods: horizonMonths, marginRate: margin, spendShape }
    : { purchaseRate, spendMean, alive, retention: FALLBACK_RETENTION, discountRate, periods: horizonMonths, marginRate: margin, spendShape };
  // Bounded work: by default at most MONTE_CARLO_BUDGET customer-draws (never under 100 draws).
  const budget = ctx.monteCarloBudget ?? MONTE_CARLO_BUDGET;
  const used = ctx.drawsGiven || n * draws <= budget ? draws : Math.max(MIN_BUDGET_DRAWS, Math.floor(budget / n));
  const drawsNote = used < draws ? `${used} draws per customer instead of ${draws}: ${n.toLocaleString("en-US")} customers x ${draws} draws would exceed the default budget of ${budget.toExponential(0)} customer-draws (set draws to override)` : null;
  const mc = await monteCarloClvColumns(model, { draws: used, seed: ctx.seed, threads });
  const round = (a: Float64Array) => a.map(money);
  ctx.out.setColumn("mcClvMean", round(mc.mean));
  ctx.out.setColumn("mcClvP5", round(mc.p5));
  ctx.out.setColumn("mcClvP95", round(mc.p95));
  const p = mc.portfolio;
  ctx.lines.push(`Monte Carlo CLV (${used} draws${used < draws ? " per customer, budget-limited" : ""}): future value over the next ${horizonMonths} months P5 ${wholeText(p.p5)}, P50 ${wholeText(p.p50)}, P95 ${wholeText(p.p95)} (closed-form mean ${wholeText(mc.expectedTotal)})`);
  const pu = parameterUncertainty(ctx, draws);
  if (pu && "p5" in pu) {
    ctx.lines.push(
      `With the ${ctx.btyd!.label} + Gamma-Gamma parameters' uncertainty (${pu.draws} simulated futures): P5 ${wholeText(pu.p5)}, P50 ${wholeText(pu.p50)}, P95 ${wholeText(pu.p95)} (process noise alone: ${wholeText(pu.processOnly.p5)} to ${wholeText(pu.processOnly.p95)})`,
    );
  }
  return {
    draws: used,
    ...(drawsNote ? { drawsNote } : {}),
    horizonMonths,
    spendShape: round4(spendShape),
    behaviourSource: behaviour ? `${ctx.btyd?.label ?? "BG/NBD"} P(alive) and purchase rate, Gamma-Gamma spend` : "own history (alive = bought in the last 180 days)",
    survival: weibull ? { source: "weibull" as const, ...weibull } : { source: "constant" as const, rate: FALLBACK_RETENTION },
    customers: n,
    portfolio: p,
    expectedTotal: mc.expectedTotal,
    threads: mc.threads,
    parameterUncertainty: pu,
  };
};
