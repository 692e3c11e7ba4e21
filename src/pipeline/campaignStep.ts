/**
 * The campaign step of `analyze` (only when a contact cost is given): whom to contact to keep,
 * under a budget, from the churn step's risk and the future values, with the next best item as
 * the offer; expected value saved with a 5%-95% interval and the probability of losing money.
 * @module
 */
import { atRiskByValue } from "../churn/index.js";
import { planRetentionCampaign, type CampaignContact } from "../targeting/index.js";
import type { DictionaryColumn } from "../core/table.js";
import { SkipStep, type StepContext, wholeText } from "./context.js";

/** Points kept of the budget curve (the report draws it). */
const CURVE_POINTS = 200;

/** Output of the `campaign` step. @category Pipeline */
export interface CampaignStepOutput {
  /** Cost per contact and per offer, the budget (null: none) and the assumed save rate. */
  settings: {
    /** Cost per contact. */
    contactCost: number;
    /** Cost per offer. */
    offerCost: number;
    /** Budget, or null for none. */
    budget: number | null;
    /** Assumed share of would-be churners a contact keeps. */
    successRate: number;
  };
  /** Customers considered: still plausibly alive, with a positive future value. */
  candidates: number;
  /** The first 100 contacts, best first (`expected.contacts` counts them all). */
  contacts: CampaignContact[];
  /** Closed-form expectations of the plan. */
  expected: {
    /** Number of contacts. */
    contacts: number;
    /** What the plan spends. */
    spend: number;
    /** Expected value saved. */
    valueSaved: number;
    /** Expected net value. */
    netValue: number;
  };
  /** Seeded simulation: net value 5% and 95% quantiles and the probability of a loss. */
  simulation: {
    /** 5% quantile of the net value. */
    netP05: number;
    /** 95% quantile of the net value. */
    netP95: number;
    /** Share of simulated campaigns that lose money. */
    probabilityOfLoss: number;
  };
  /** Expected net value by spend (at most 200 points). */
  curve: {
    /** Spend. */
    spend: number[];
    /** Expected net value. */
    netValue: number[];
  };
  /** The budget at which the expected net value peaks. */
  optimalBudget: number;
  /** Customers not contacted, by reason. */
  excluded: {
    /** No positive future value. */
    noFutureValue: number;
    /** Expected net value <= 0. */
    notProfitable: number;
    /** Profitable, but over the budget. */
    overBudget: number;
  };
  /** Why the plan is empty, or null. */
  emptyReason: string | null;
  /** The assumptions, in one sentence. */
  assumptions: string;
}

export const campaignStep = (ctx: StepContext): CampaignStepOutput => {
  const o = ctx.options;
  if (o.contactCost === null) throw new SkipStep("no contact cost given (set contactCost / --contact-cost to plan a retention campaign)");
  const churn = ctx.churnToday;
  if (!churn) throw new SkipStep("the churn step did not run: no churn risk to target");
  if (!churn.futureValue) throw new SkipStep("no future value was estimated (the value steps did not run): nothing to weigh the contact cost against");
  const list = atRiskByValue(churn.risk, { customerIds: churn.ids, columns: churn.columns }, { futureValue: churn.futureValue, top: Math.max(1, churn.ids.length) });
  // The offer: each customer's next best item (its name when the log has item labels).
  const offers = (ctx.out.columns.get("nextBestItemName") ?? ctx.out.columns.get("nextBestItem")) as DictionaryColumn | undefined;
  const rowOf = new Map(ctx.customers.ids.map((id, k) => [id, k]));
  const offerOf = (id: string): string | null => {
    const k = rowOf.get(id);
    if (!offers || k === undefined || offers.codes[k] < 0) return null;
    return String(offers.values[offers.codes[k]]);
  };
  const plan = planRetentionCampaign(
    list.customers.map((c) => ({ customerId: c.customerId, futureValue: c.futureValue, churnProbability: c.churnProbability, churnReason: c.reason, offer: offerOf(c.customerId) })),
    { costPerContact: o.contactCost, offerCost: o.offerCost, ...(o.campaignBudget !== null ? { budget: o.campaignBudget } : {}), successRate: o.successRate, seed: ctx.seed },
  );
  const n = plan.curve.spend.length;
  const step = Math.max(1, Math.ceil(n / CURVE_POINTS));
  const idx: number[] = [];
  for (let i = 0; i < n; i += step) idx.push(i);
  if (n > 0 && idx[idx.length - 1] !== n - 1) idx.push(n - 1);
  const e = plan.expected;
  ctx.lines.push(
    plan.contacts.length === 0
      ? `Retention campaign: no contact (${plan.emptyReason ?? "none worth its cost"})`
      : `Retention campaign: contact ${e.contacts.toLocaleString("en-US")} customers for ${wholeText(e.spend)}; expected value saved ${wholeText(e.valueSaved)}, net ${wholeText(e.netValue)} (5%-95%: ${wholeText(plan.simulation.netValue.p05)} to ${wholeText(plan.simulation.netValue.p95)}), P(loss) ${(plan.simulation.probabilityOfLoss * 100).toFixed(1)}%`,
  );
  return {
    settings: { contactCost: o.contactCost, offerCost: o.offerCost, budget: o.campaignBudget, successRate: o.successRate },
    candidates: list.customers.length,
    contacts: plan.contacts.slice(0, 100),
    expected: { contacts: e.contacts, spend: e.spend, valueSaved: e.valueSaved, netValue: e.netValue },
    simulation: { netP05: plan.simulation.netValue.p05, netP95: plan.simulation.netValue.p95, probabilityOfLoss: plan.simulation.probabilityOfLoss },
    curve: { spend: idx.map((i) => plan.curve.spend[i]), netValue: idx.map((i) => plan.curve.expectedNetValue[i]) },
    optimalBudget: plan.optimal.budget,
    excluded: { ...plan.excluded, noFutureValue: plan.excluded.noFutureValue + list.excluded.noFutureValue },
    emptyReason: plan.emptyReason,
    assumptions: plan.assumptions,
  };
};
