/**
 * The customer value steps of `analyze`: the three-dimensional CLV model and the per-customer
 * Monte Carlo CLV.
 * @module
 */
import { AnalyticsError } from "../core/errors.js";
import { clv3d, monteCarloClv, weibullSurvival, type ClvDistribution, type Clv3dResult, type CustomerBehaviour } from "../value/index.js";
import { asRecords, round4, set, SkipStep, type Step } from "./context.js";

/** Period of the value steps, days (a month). */
const PERIOD_DAYS = 30;
/** Churn rule of the Weibull lifetimes: silent for more than this many days. */
const CHURN_AFTER_DAYS = 180;
/** Fallback survival when no Weibull curve could be fitted: constant monthly retention. */
const FALLBACK_RETENTION = 0.9;
/** Spend shape when the Gamma-Gamma step did not run (coefficient of variation 0.5). */
const FALLBACK_SPEND_SHAPE = 4;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const money = (x: number) => Math.round(x * 100) / 100;

/** The value step's output (what the Monte Carlo step and the report read). @internal */
export interface ValueStepOutput {
  retention: { source: "weibull" | "constant"; shape?: number; scale?: number; rate?: number; note?: string };
  groups: Clv3dResult["groups"];
  pareto: Clv3dResult["pareto"];
  weights: Clv3dResult["weights"];
  thresholds: Clv3dResult["thresholds"];
  totals: { cv: number; sv: number; iv: number; clv: number };
}

export const valueStep: Step = (ctx): ValueStepOutput => {
  const { margin, horizonMonths, discountRate } = ctx.options;
  const base = { marginRate: margin, periodDays: PERIOD_DAYS, discountRate, horizon: horizonMonths, transactions: asRecords(ctx.table) };
  let result: Clv3dResult;
  let retention: ValueStepOutput["retention"];
  try {
    // Weibull lifetimes from the summaries: churned = silent for more than 180 days, others censored.
    result = clv3d(ctx.summaries, { ...base, retention: { type: "weibull", churnAfterDays: CHURN_AFTER_DAYS } });
    retention = { source: "weibull", shape: result.weibull!.shape, scale: result.weibull!.scale };
  } catch (e) {
    if (!(e instanceof AnalyticsError) || e.code === "INVALID_OPTION" || e.code === "INVALID_RECORD") throw e;
    // No churned customers yet (or a degenerate fit): fall back to a constant retention rate.
    result = clv3d(ctx.summaries, { ...base, retention: { type: "constant", rate: FALLBACK_RETENTION } });
    retention = { source: "constant", rate: FALLBACK_RETENTION, note: `Weibull retention could not be fitted (${e.message}); constant ${FALLBACK_RETENTION} per month used` };
  }
  const totals = { cv: 0, sv: 0, iv: 0, clv: 0 };
  for (const c of result.customers) {
    totals.cv += c.cv;
    totals.sv += c.sv;
    totals.iv += c.iv;
    totals.clv += c.clv;
    set(ctx, c.customerId, { cv: money(c.cv), sv: money(c.sv), iv: money(c.iv), clv3d: money(c.clv), clv3dGroup: c.group, clv3dGroupName: c.groupName });
  }
  const top = [...result.groups].sort((a, b) => b.valueShare - a.valueShare)[0];
  if (top) ctx.lines.push(`3D CLV (CV + SV + IV, ${horizonMonths} months): total ${totals.clv.toFixed(0)}; group ${top.group} "${top.name}" holds ${pct(top.valueShare)} of it with ${pct(top.customerShare)} of customers`);
  const out: ValueStepOutput = { retention, groups: result.groups, pareto: result.pareto, weights: result.weights, thresholds: result.thresholds, totals };
  return out;
};

/** The Monte Carlo step's output (what the report reads). @internal */
export interface MonteCarloStepOutput {
  draws: number;
  horizonMonths: number;
  spendShape: number;
  behaviourSource: string;
  survival: { source: "weibull"; shape: number; scale: number } | { source: "constant"; rate: number };
  customers: number;
  portfolio: ClvDistribution;
  expectedTotal: number;
  threads: number;
}

export const monteCarloStep: Step = async (ctx): Promise<MonteCarloStepOutput> => {
  const { margin, horizonMonths, discountRate, draws, threads } = ctx.options;
  const value = ctx.results.value as ValueStepOutput | undefined;
  const clv = ctx.results.clv as { gammaGamma?: { params: { p: number } } } | undefined;
  const spendShape = clv?.gammaGamma?.params.p ?? FALLBACK_SPEND_SHAPE;
  const weibull = value?.retention.source === "weibull" ? { shape: value.retention.shape!, scale: value.retention.scale! } : null;
  const behaviour = ctx.behaviour;
  const customers: CustomerBehaviour[] = [];
  for (let k = 0; k < ctx.summaries.length; k++) {
    const s = ctx.summaries[k];
    if (s.frequency === 0) continue;
    const age = s.tenureDays / PERIOD_DAYS;
    // Alive now, rate while alive and spend: from BG/NBD + Gamma-Gamma when that step ran;
    // otherwise the customer's own history (alive = bought within the last 180 days).
    const scored = behaviour !== undefined && !Number.isNaN(behaviour.pAlive[k]);
    const base = scored
      ? { customerId: s.customerId, alive: behaviour.pAlive[k], purchaseRate: behaviour.purchasesPerMonth[k], spendMean: Math.max(0, Number.isNaN(behaviour.spend[k]) ? s.averageOrderValue : behaviour.spend[k]) }
      : { customerId: s.customerId, alive: s.recencyDays <= CHURN_AFTER_DAYS ? 1 : 0, purchaseRate: s.frequency / Math.max(1, age), spendMean: Math.max(0, s.averageOrderValue) };
    // Staying alive in future months: the Weibull lifetime curve conditional on the customer's age.
    if (weibull) {
      const s0 = weibullSurvival(weibull, age);
      const survival = new Float64Array(horizonMonths);
      for (let t = 0; t < horizonMonths; t++) survival[t] = s0 > 0 ? weibullSurvival(weibull, age + t) / s0 : 0;
      customers.push({ ...base, survival });
    } else {
      customers.push({ ...base, retention: FALLBACK_RETENTION });
    }
  }
  if (customers.length === 0) throw new SkipStep("no customer with a purchase");
  const mc = await monteCarloClv({ customers, discountRate, periods: horizonMonths, marginRate: margin, spendShape }, { draws, seed: ctx.seed, threads });
  for (const c of mc.customers) set(ctx, c.customerId, { mcClvMean: money(c.mean), mcClvP5: money(c.p5), mcClvP95: money(c.p95) });
  const p = mc.portfolio;
  ctx.lines.push(`Monte Carlo CLV (${draws} draws, ${horizonMonths} months): portfolio total P5 ${p.p5.toFixed(0)}, P50 ${p.p50.toFixed(0)}, P95 ${p.p95.toFixed(0)} (closed-form mean ${mc.expectedTotal.toFixed(0)})`);
  return {
    draws,
    horizonMonths,
    spendShape: round4(spendShape),
    behaviourSource: behaviour ? "BG/NBD P(alive) and purchase rate, Gamma-Gamma spend" : "own history (alive = bought in the last 180 days)",
    survival: weibull ? { source: "weibull" as const, ...weibull } : { source: "constant" as const, rate: FALLBACK_RETENTION },
    customers: customers.length,
    portfolio: p,
    expectedTotal: mc.expectedTotal,
    threads: mc.threads,
  };
};
