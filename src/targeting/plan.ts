/**
 * The retention campaign planner: whom to contact under a budget, for what expected gain, with
 * the uncertainty of that gain from a seeded simulation.
 * @module
 */
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { quantiles } from "../numeric/quantile.js";
import { createRng, sampleBeta, type Seed } from "../numeric/random.js";
import { ExactSum, fsum } from "../numeric/sum.js";
import type { ChurnFeatureMatrix } from "../churn/columns.js";
import type { ChurnRow } from "../churn/table.js";
import { predictUplift, type UpliftModel } from "../uplift/model.js";

/**
 * One customer offered to the planner (the record form of {@link CampaignColumns}).
 * @category Targeting
 */
export interface CampaignCustomer {
  /** Customer id (any string; must be unique). */
  customerId: string;
  /** Future value of the customer if retained (for example the CLV over the campaign's horizon). `NaN` or absent: no estimate, the customer is left out and counted. */
  futureValue?: number | null;
  /** P(churn) without contact, in [0, 1]. Required unless `uplift` is given. */
  churnProbability?: number | null;
  /** Estimated uplift: P(churn without contact) - P(churn with contact), in [-1, 1]. When given it is the save probability itself, and `churnProbability x successRate` is not used. */
  uplift?: number | null;
  /** This customer's retention effect (the probability that a contact saves them if they would churn), in [0, 1]. Default: the `successRate` option. */
  successRate?: number | null;
  /** This customer's offer cost. Default: the `offerCost` option. */
  offerCost?: number | null;
  /** The offer (for example the next-best item of `nextBestItems`), repeated in the reason. */
  offer?: string | null;
  /** Why the customer is at risk, in words (for example `reason` of `atRiskByValue`), put first in the reasons. */
  churnReason?: string | null;
}

/**
 * The planner's input as columns, one entry per customer (`NaN` = no value in a numeric column).
 * @category Targeting
 */
export interface CampaignColumns {
  /** Customer ids, unique. */
  customerIds: readonly string[];
  /** Future value if retained; `NaN` = no estimate (left out and counted). */
  futureValue: ArrayLike<number>;
  /** P(churn) without contact, in [0, 1]; `NaN` only where `uplift` has a value. */
  churnProbability?: ArrayLike<number>;
  /** Uplift in [-1, 1]; `NaN` = use `churnProbability x successRate` for that customer. */
  uplift?: ArrayLike<number>;
  /** Per-customer retention effect in [0, 1]; `NaN` = the `successRate` option. */
  successRate?: ArrayLike<number>;
  /** Per-customer offer cost >= 0; `NaN` = the `offerCost` option. */
  offerCost?: ArrayLike<number>;
  /** The offer per customer (`null` = none). */
  offer?: readonly (string | null | undefined)[];
  /** Why each customer is at risk, in words (`null` = none). */
  churnReason?: readonly (string | null | undefined)[];
}

/**
 * A Beta distribution for an uncertain retention effect (the same effect for every customer in
 * one simulated campaign, drawn afresh for each).
 * @category Targeting
 */
export interface BetaEffect {
  /** First shape parameter, > 0. */
  alpha: number;
  /** Second shape parameter, > 0. */
  beta: number;
}

/**
 * An uplift model and the customers to score with it (the `upliftModel` option of
 * {@link planRetentionCampaign}).
 * @category Targeting
 */
export interface CampaignUpliftModel {
  /** A model from `trainUpliftModel` whose outcome 1 is **stayed** (so its uplift is P(churn without contact) - P(churn with contact)). */
  model: UpliftModel;
  /** The features of the customers, one row per entry of `customerIds`: any `ChurnFeatureMatrix` holding the model's features, or records (as `predictUplift` takes). */
  features: ChurnFeatureMatrix | readonly ChurnRow[];
  /** The customer id of each feature row (unique). Customers of the plan not listed here keep their own `uplift`, or P(churn) x the success rate. */
  customerIds: readonly string[];
}

/**
 * Options of {@link planRetentionCampaign}.
 * @category Targeting
 */
export interface PlanRetentionCampaignOptions {
  /** Cost of one contact (mail, call, agent time), >= 0. Required. */
  costPerContact: number;
  /** Cost of the offer made with each contact (a voucher, a discount), >= 0; a customer's own `offerCost` overrides it. It is charged for every contact (pass the expected redemption cost if the offer is paid only when used). Default 0. */
  offerCost?: number;
  /** Total to spend on contacts and offers, >= 0. Default `Infinity` (every contact with a positive expected net value: the optimal budget). */
  budget?: number;
  /** The assumed retention effect: the probability that a contact saves a customer who would otherwise churn, in [0, 1]. An assumption, not an estimate: measure it with a control group. Default 0.3, the mean of the Beta(6, 14) acceptance rate of Verbraken, Verbeke & Baesens (2013). */
  successRate?: number;
  /** An uncertain retention effect as a Beta distribution (for example `{ alpha: 6, beta: 14 }`): its mean replaces `successRate` in the expectations and the simulation draws one effect per simulated campaign. Cannot be combined with `successRate` or per-customer rates. Default none. */
  successRateBeta?: BetaEffect;
  /** Per-customer uplift from an uplift model instead of a flat `successRate`: the planner scores `features` with `predictUplift` and uses each listed customer's uplift as their save probability (a customer may then omit `churnProbability`; one that also has an `uplift` of their own is an error). Default none. */
  upliftModel?: CampaignUpliftModel;
  /** Share of the future value that is profit (multiplies `futureValue`), > 0. Default 1 (the future value is already a margin). */
  margin?: number;
  /** Number of simulated campaigns, an integer in [1, 10,000,000]. Cost: contacts x simulations uniform draws. Default 2,000. */
  simulations?: number;
  /** Seed of the simulation. Default 42. */
  seed?: Seed;
}

const DEFAULTS = Object.freeze({ offerCost: 0, budget: Infinity, successRate: 0.3, margin: 1, simulations: 2000, seed: 42 as Seed });

/**
 * One customer to contact, in the order to contact them.
 * @category Targeting
 */
export interface CampaignContact {
  /** 1 = contact first (largest expected net value per unit of cost). */
  rank: number;
  /** Customer id. */
  customerId: string;
  /** P(churn) as given, or null. */
  churnProbability: number | null;
  /** Uplift as given, or null (then the save probability is `churnProbability x successRate`). */
  uplift: number | null;
  /** The retention effect used (null when the uplift was used). */
  successRate: number | null;
  /** Probability that contacting saves this customer: uplift, or P(churn) x successRate. */
  saveProbability: number;
  /** futureValue x margin: the value a save keeps. */
  valueIfSaved: number;
  /** costPerContact + offer cost. */
  cost: number;
  /** saveProbability x valueIfSaved. */
  expectedValueSaved: number;
  /** expectedValueSaved - cost (> 0 for every contact). */
  expectedNetValue: number;
  /** The offer, or null. */
  offer: string | null;
  /** Budget spent once this customer is contacted (this one included). */
  cumulativeSpend: number;
  /** The reasons in words: why at risk (when given), the arithmetic, the offer. */
  reasons: string[];
  /** The reasons joined with "; ". */
  reason: string;
}

/**
 * A 5%-95% summary of a simulated quantity.
 * @category Targeting
 */
export interface SimulatedRange {
  /** Mean over the simulated campaigns. */
  mean: number;
  /** Standard deviation over the simulated campaigns (divisor runs - 1; 0 for one run). */
  sd: number;
  /** 5% quantile (R-7). */
  p05: number;
  /** 95% quantile (R-7). */
  p95: number;
}

/**
 * Result of {@link planRetentionCampaign}.
 * @category Targeting
 */
export interface RetentionCampaignPlan {
  /** The customers to contact, in order; empty when nothing is worth contacting or the budget buys no contact (see `emptyReason`). */
  contacts: CampaignContact[];
  /** Closed-form expectations for the plan. */
  expected: {
    /** Number of contacts. */
    contacts: number;
    /** Total cost (contacts and offers): what the plan spends, certain. */
    spend: number;
    /** Sum of saveProbability x valueIfSaved. */
    valueSaved: number;
    /** valueSaved - spend. */
    netValue: number;
    /** Standard deviation of the value saved (Bernoulli saves, and the Beta effect when given). */
    sdValueSaved: number;
  };
  /** The seeded simulation of the plan's outcome. */
  simulation: {
    /** Campaigns simulated (0 for an empty plan, whose outcome is 0 for certain). */
    runs: number;
    /** Value saved: mean and 5%-95% interval. */
    valueSaved: SimulatedRange;
    /** Net value (value saved - spend): mean and 5%-95% interval. */
    netValue: SimulatedRange;
    /** Share of simulated campaigns whose value saved is below their spend. */
    probabilityOfLoss: number;
  };
  /** Expected net value by budget: contacting the first k customers of the ranking (all customers with a future value, the unprofitable ones last), k = 0..n. */
  curve: {
    /** k. */
    contacts: Int32Array;
    /** Budget spent on the first k. */
    spend: Float64Array;
    /** Expected value saved by the first k. */
    expectedValueSaved: Float64Array;
    /** Expected net value of the first k. */
    expectedNetValue: Float64Array;
  };
  /** Where the curve peaks: the spend beyond which a contact loses money in expectation. */
  optimal: {
    /** Budget at the peak (the cost of every contact with a positive expected net value). */
    budget: number;
    /** Contacts at the peak. */
    contacts: number;
    /** Expected net value at the peak. */
    expectedNetValue: number;
  };
  /** Customers not contacted, by reason. */
  excluded: {
    /** No future value (`NaN` or missing). */
    noFutureValue: number;
    /** Expected net value <= 0. */
    notProfitable: number;
    /** Profitable, but the budget ran out. */
    overBudget: number;
  };
  /** Why the plan is empty, in words; null when it is not. */
  emptyReason: string | null;
  /** The assumptions behind the numbers, in one sentence (for the report). */
  assumptions: string;
}

/** One row as the planner sees it. */
interface Row {
  index: number;
  id: string;
  p: number | null;
  uplift: number | null;
  /** Where the uplift came from. */
  upliftFromModel: boolean;
  rate: number | null;
  q: number;
  value: number;
  cost: number;
  offerCost: number;
  gross: number;
  net: number;
  /** Ranking key: net value per unit of cost. */
  key: number;
  offer: string | null;
  churnReason: string | null;
}

/**
 * Plan a retention campaign: whom to contact, under a budget, to maximise the expected net value
 * of the customers saved; with the reasons, the value saved and its 5%-95% interval, the
 * probability that the campaign loses money, and the expected net value by budget.
 *
 * @remarks
 * **Model.** Contacting customer i costs c_i = `costPerContact` + offer cost and saves them with
 * probability q_i = P(churn)_i x e_i, where e_i is the retention effect (`successRate`: the
 * probability that a contact keeps a customer who would otherwise churn), or q_i = the uplift
 * when one is given. A save keeps V_i = `futureValue` x `margin`. Expected net value of the
 * contact: q_i V_i - c_i. Customers who would not churn cost the contact and gain nothing.
 *
 * **Uplift instead of a success rate.** With the `upliftModel` option (a model of
 * `trainUpliftModel` whose outcome 1 is "stayed", the customers' features and their ids) the
 * planner scores every listed customer with `predictUplift` and uses that uplift as q_i; the
 * reason then reads "uplift 0.12 (uplift model: two-model, logistic)". A negative uplift (the
 * contact makes leaving more likely) is never contacted. Customers not listed keep their own
 * `uplift` or P(churn) x e_i; without the option nothing changes.
 *
 * **Choice.** Customers are ranked by expected net value per unit of cost (ties: larger net
 * value, then input order) and taken in that order while the budget lasts (one that does not
 * fit is skipped and later, cheaper ones are still tried). Only positive expected net values
 * are contacted. With equal costs this is the exact optimum; with unequal offer costs it is the
 * greedy knapsack rule, within one contact's value of the optimum.
 *
 * **Curve.** Contacting the first k of the ranking (all customers with a future value) gives the
 * expected net value by budget; it rises while contacts pay, peaks at `optimal.budget` (the cost
 * of every positive contact), then falls.
 *
 * **Simulation.** Each of `simulations` seeded campaigns draws one uniform per contact: the
 * customer would churn when it is below P(churn)_i and is saved when it is below P(churn)_i x e
 * (a Bernoulli churn, then a Bernoulli save with probability e), or below the uplift. With
 * `successRateBeta` the effect e is drawn from the Beta once per campaign (a campaign-wide
 * unknown, so the saves move together). Value saved and net value get their mean and R-7 5% /
 * 95% quantiles; `probabilityOfLoss` is the share of campaigns whose value saved is below the
 * spend. The closed-form variance: sum V^2 q (1 - q), plus with a Beta effect
 * E[e] B - E[e^2] C + Var(e) A^2 with A = sum p V, B = sum p V^2, C = sum p^2 V^2.
 *
 * **Empty plans are results, not errors**: a budget smaller than the cheapest profitable contact,
 * no customer with a positive expected net value, or no customers give `contacts: []`, zeros, and
 * `emptyReason` in words.
 *
 * Sums of money are correctly rounded (`fsum`, `ExactSum`). O(n log n) for the ranking plus
 * O(contacts x simulations) for the simulation.
 *
 * @param customers - records (see {@link CampaignCustomer}) or columns (see {@link CampaignColumns}).
 * @param options - see {@link PlanRetentionCampaignOptions}; `costPerContact` is required.
 * @returns the plan: contacts in order with reasons, expectations, simulation, curve, optimum.
 * @throws {@link InvalidOptionError} for a missing or negative cost, a negative or NaN budget, a
 * rate outside [0, 1], a bad Beta, margin, simulation count or seed, or columns of the wrong length. An `upliftModel` that is not an uplift model, whose features lack a model column, or whose `customerIds` are not one unique string per feature row.
 * @throws {@link InvalidRecordError} naming the customer, the field and the value: a probability
 * outside [0, 1] (or missing without an uplift), an uplift outside [-1, 1], a negative or
 * infinite offer cost, an infinite future value, a missing or repeated customer id, an own `uplift` for a customer the `upliftModel` scores.
 * @example
 * ```ts
 * const plan = planRetentionCampaign(
 *   [
 *     { customerId: "a", futureValue: 500, churnProbability: 0.4 },
 *     { customerId: "b", futureValue: 100, churnProbability: 0.9 },
 *     { customerId: "c", futureValue: 50, churnProbability: 0.5 },
 *   ],
 *   { costPerContact: 1, offerCost: 10, successRate: 0.3 },
 * );
 * plan.contacts.map((c) => [c.customerId, c.expectedNetValue]);
 * //=> [["a", 49], ["b", 16]]
 * plan.contacts[0].reason;
 * //=> "P(churn) 0.4 x save rate 0.3 (assumed) x value 500.00 = 60.00 expected saved; cost 11.00 (contact 1.00 + offer 10.00); net 49.00"
 * [plan.expected.netValue, plan.optimal.budget, plan.excluded.notProfitable];
 * //=> [65, 22, 1]
 * ```
 * @example
 * ```ts
 * // A budget below one contact: an empty plan that says why.
 * const none = planRetentionCampaign([{ customerId: "a", futureValue: 500, churnProbability: 0.4 }], { costPerContact: 1, offerCost: 10, budget: 5 });
 * [none.contacts.length, none.emptyReason];
 * //=> [0, "the budget of 5.00 is smaller than the cheapest profitable contact (11.00)"]
 * ```
 * @category Targeting
 */
export function planRetentionCampaign(customers: readonly CampaignCustomer[] | CampaignColumns, options: PlanRetentionCampaignOptions): RetentionCampaignPlan {
  const fn = "planRetentionCampaign";
  if (options === null || typeof options !== "object") throw new InvalidOptionError(fn, "options", options, "an object with at least costPerContact");
  const o = withDefaults(DEFAULTS, options);
  if (o.costPerContact === undefined) throw new InvalidOptionError(fn, "costPerContact", undefined, "a finite number >= 0 (the cost of one contact)");
  checkMoney(fn, "costPerContact", o.costPerContact);
  checkMoney(fn, "offerCost", o.offerCost);
  if (!(typeof o.budget === "number" && o.budget >= 0)) throw new InvalidOptionError(fn, "budget", o.budget, "a number >= 0 (Infinity for no limit)");
  if (!(typeof o.successRate === "number" && o.successRate >= 0 && o.successRate <= 1)) throw new InvalidOptionError(fn, "successRate", o.successRate, "a probability in [0, 1]");
  const beta = options.successRateBeta;
  if (beta !== undefined) {
    if (beta === null || typeof beta !== "object" || !(beta.alpha > 0 && Number.isFinite(beta.alpha)) || !(beta.beta > 0 && Number.isFinite(beta.beta))) {
      throw new InvalidOptionError(fn, "successRateBeta", beta, "{ alpha, beta } with finite alpha > 0 and beta > 0");
    }
    if (options.successRate !== undefined) throw new InvalidOptionError(fn, "successRate", options.successRate, "no successRate together with successRateBeta (the Beta's mean is the rate)");
  }
  if (!(typeof o.margin === "number" && o.margin > 0 && Number.isFinite(o.margin))) throw new InvalidOptionError(fn, "margin", o.margin, "a finite number > 0");
  if (!(Number.isInteger(o.simulations) && o.simulations >= 1 && o.simulations <= 1e7)) throw new InvalidOptionError(fn, "simulations", o.simulations, "an integer in [1, 10000000]");
  if (!(typeof o.seed === "string" || (typeof o.seed === "number" && Number.isFinite(o.seed)))) throw new InvalidOptionError(fn, "seed", o.seed, "a finite number or a string");
  const rng = createRng(o.seed);

  const meanRate = beta ? beta.alpha / (beta.alpha + beta.beta) : o.successRate;
  const modelUplift = options.upliftModel === undefined ? null : scoreUpliftModel(fn, options.upliftModel);
  const input = readInput(fn, customers, o.costPerContact, o.offerCost, meanRate, o.margin, beta !== undefined, modelUplift?.byId ?? null);
  const rows = input.rows;

  // ranking: expected net value per unit of cost, then net value, then input order
  for (const r of rows) r.key = r.cost > 0 ? r.net / r.cost : r.net > 0 ? Infinity : r.net < 0 ? -Infinity : 0;
  const ranked = [...rows].sort((a, b) => {
    if (a.key !== b.key) return b.key > a.key ? 1 : -1;
    return b.net - a.net || a.index - b.index;
  });

  // the curve over the whole ranking, and its peak
  const m = ranked.length;
  const curve = { contacts: new Int32Array(m + 1), spend: new Float64Array(m + 1), expectedValueSaved: new Float64Array(m + 1), expectedNetValue: new Float64Array(m + 1) };
  const cSpend = new ExactSum();
  const cGross = new ExactSum();
  let peak = 0;
  for (let k = 1; k <= m; k++) {
    const r = ranked[k - 1];
    cSpend.add(r.cost);
    cGross.add(r.gross);
    curve.contacts[k] = k;
    curve.spend[k] = cSpend.value;
    curve.expectedValueSaved[k] = cGross.value;
    // each running sum is correctly rounded; their difference adds one rounding
    curve.expectedNetValue[k] = curve.expectedValueSaved[k] - curve.spend[k];
    if (r.net > 0) peak = k;
  }
  // a positive net value has a positive key and a non-positive one a key <= 0: the profitable rows come first
  const profitable = ranked.slice(0, peak);

  // the plan: greedy under the budget
  const chosen: Row[] = [];
  const spent = new ExactSum();
  const cumulative: number[] = [];
  for (const r of profitable) {
    spent.add(r.cost);
    if (spent.value > o.budget) {
      spent.add(-r.cost);
      continue;
    }
    chosen.push(r);
    cumulative.push(spent.value);
  }

  let emptyReason: string | null = null;
  if (chosen.length === 0) {
    if (input.n === 0) emptyReason = "no customers were given";
    else if (m === 0) emptyReason = "no customer has a future value";
    else if (profitable.length === 0) {
      const best = ranked.reduce((a, b) => (b.net > a.net ? b : a));
      emptyReason = `no customer has a positive expected net value (the best, ${JSON.stringify(best.id)}, has ${money(best.net)})`;
    } else {
      let cheapest = Infinity;
      for (const r of profitable) if (r.cost < cheapest) cheapest = r.cost;
      emptyReason = `the budget of ${money(o.budget)} is smaller than the cheapest profitable contact (${money(cheapest)})`;
    }
  }

  const rateWord = beta ? `(assumed, Beta(${beta.alpha}, ${beta.beta}) mean)` : "(assumed)";
  const contacts = chosen.map((r, i): CampaignContact => {
    const reasons: string[] = [];
    if (r.churnReason) reasons.push(r.churnReason);
    reasons.push(
      r.uplift !== null
        ? `uplift ${prob(r.uplift)}${r.upliftFromModel ? ` (${modelUplift!.label})` : ""} x value ${money(r.value)} = ${money(r.gross)} expected saved`
        : `P(churn) ${prob(r.p!)} x save rate ${prob(r.rate!)} ${input.ownRate[r.index] ? "(given)" : rateWord} x value ${money(r.value)} = ${money(r.gross)} expected saved`,
    );
    reasons.push(`cost ${money(r.cost)} (contact ${money(o.costPerContact)} + offer ${money(r.offerCost)}); net ${money(r.net)}`);
    if (r.offer !== null) reasons.push(`offer: ${r.offer}`);
    return {
      rank: i + 1,
      customerId: r.id,
      churnProbability: r.p,
      uplift: r.uplift,
      successRate: r.uplift !== null ? null : r.rate,
      saveProbability: r.q,
      valueIfSaved: r.value,
      cost: r.cost,
      expectedValueSaved: r.gross,
      expectedNetValue: r.net,
      offer: r.offer,
      cumulativeSpend: cumulative[i],
      reasons,
      reason: reasons.join("; "),
    };
  });

  const spend = fsum(chosen.map((r) => r.cost));
  const valueSaved = fsum(chosen.map((r) => r.gross));
  const sd = Math.sqrt(Math.max(0, varianceSaved(chosen, beta)));
  const simulation = simulate(chosen, spend, o.simulations, rng, beta);

  const ratePart = beta
    ? `a contact saves a would-be churner with an uncertain probability, Beta(${beta.alpha}, ${beta.beta}) with mean ${prob(meanRate)}`
    : `a contact saves ${prob(o.successRate * 100)}% of the would-be churners it reaches`;
  const assumptions =
    `Assumed: ${ratePart} (an assumption, not a measurement: check it against a control group)` +
    (input.anyUplift ? `, or as much as the customer's uplift estimate where one is given` : "") +
    (input.anyModelUplift ? ` (from the ${modelUplift!.label} for ${input.anyModelUplift} customers)` : "") +
    `; each contact costs ${money(o.costPerContact)} plus an offer of ${money(o.offerCost)}${input.ownOfferCost ? " (or the customer's own offer cost)" : ""}` +
    `; a saved customer keeps ${o.margin === 1 ? "their future value" : `${prob(o.margin)} x their future value`}.`;

  return {
    contacts,
    expected: { contacts: chosen.length, spend, valueSaved, netValue: fsum([valueSaved, -spend]), sdValueSaved: sd },
    simulation,
    curve,
    optimal: { budget: curve.spend[peak], contacts: peak, expectedNetValue: curve.expectedNetValue[peak] },
    excluded: { noFutureValue: input.noFutureValue, notProfitable: m - peak, overBudget: peak - chosen.length },
    emptyReason,
    assumptions,
  };
}

function checkMoney(fn: string, name: string, v: unknown): void {
  if (!(typeof v === "number" && v >= 0 && Number.isFinite(v))) throw new InvalidOptionError(fn, name, v, "a finite number >= 0");
}

/** Read records or columns into rows, validating every value. */
function readInput(
  fn: string,
  customers: readonly CampaignCustomer[] | CampaignColumns,
  costPerContact: number,
  defaultOfferCost: number,
  defaultRate: number,
  margin: number,
  betaEffect: boolean,
  modelUplift: Map<string, number> | null,
): { rows: Row[]; n: number; noFutureValue: number; ownRate: boolean[]; anyUplift: boolean; anyModelUplift: number; ownOfferCost: boolean } {
  let n: number;
  let id: (i: number) => unknown;
  let num: (field: keyof CampaignColumns & keyof CampaignCustomer, i: number) => unknown;
  let text: (field: "offer" | "churnReason", i: number) => unknown;
  if (Array.isArray(customers)) {
    const recs = customers as readonly CampaignCustomer[];
    n = recs.length;
    for (let i = 0; i < n; i++) if (recs[i] === null || typeof recs[i] !== "object") throw new InvalidRecordError(fn, { row: i + 1, field: "customer", value: recs[i], expected: "an object with customerId and futureValue" });
    id = (i) => recs[i].customerId;
    num = (f, i) => recs[i][f];
    text = (f, i) => recs[i][f];
  } else {
    const c = customers as CampaignColumns;
    if (c === null || typeof c !== "object" || !Array.isArray(c.customerIds)) throw new InvalidOptionError(fn, "customers", customers, "an array of customers, or columns { customerIds, futureValue, churnProbability, ... }");
    n = c.customerIds.length;
    for (const f of ["futureValue", "churnProbability", "uplift", "successRate", "offerCost", "offer", "churnReason"] as const) {
      const col = c[f];
      if (col === undefined) {
        if (f === "futureValue") throw new InvalidOptionError(fn, "customers.futureValue", undefined, "a column of future values, one per customer id");
        continue;
      }
      if (col === null || typeof col !== "object" || col.length !== n) throw new InvalidOptionError(fn, `customers.${f}`, col === null || typeof col !== "object" ? col : `${col.length} values`, `${n} values (one per customer id)`);
    }
    id = (i) => c.customerIds[i];
    num = (f, i) => (c[f] === undefined ? undefined : (c[f] as ArrayLike<number>)[i]);
    text = (f, i) => (c[f] === undefined ? undefined : c[f]![i]);
  }

  const seen = new Set<string>();
  const rows: Row[] = [];
  const ownRate: boolean[] = new Array<boolean>(n).fill(false);
  let noFutureValue = 0;
  let anyUplift = false;
  let anyModelUplift = 0;
  let ownOfferCost = false;
  const missing = (v: unknown) => v === undefined || v === null || (typeof v === "number" && Number.isNaN(v));
  for (let i = 0; i < n; i++) {
    const cid = id(i);
    if (typeof cid !== "string") throw new InvalidRecordError(fn, { row: i + 1, field: "customerId", value: cid, expected: "a customer id (a string)" });
    if (seen.has(cid)) throw new InvalidRecordError(fn, { row: cid, field: "customerId", value: cid, expected: "a customer id that appears once" });
    seen.add(cid);
    const bad = (field: string, value: unknown, expected: string) => new InvalidRecordError(fn, { row: cid, field, value, expected });

    const fv = num("futureValue", i);
    let up = num("uplift", i);
    const fromModel = modelUplift !== null && modelUplift.has(cid);
    if (fromModel) {
      if (!missing(up)) throw bad("uplift", up, "no uplift of its own (the upliftModel option scores this customer)");
      up = modelUplift.get(cid);
    }
    const p = num("churnProbability", i);
    const rate = num("successRate", i);
    const oc = num("offerCost", i);
    // validate every given value, whether or not the customer can be planned
    if (!missing(fv) && !(typeof fv === "number" && Number.isFinite(fv))) throw bad("futureValue", fv, "a finite number (NaN or missing: no estimate)");
    if (!missing(up) && !(typeof up === "number" && up >= -1 && up <= 1)) throw bad("uplift", up, "an uplift in [-1, 1]");
    if (!missing(p) && !(typeof p === "number" && p >= 0 && p <= 1)) throw bad("churnProbability", p, "a probability in [0, 1]");
    if (missing(up) && missing(p)) throw bad("churnProbability", p, "a probability in [0, 1] (or an uplift)");
    if (!missing(rate)) {
      if (!(typeof rate === "number" && rate >= 0 && rate <= 1)) throw bad("successRate", rate, "a probability in [0, 1]");
      if (betaEffect) throw bad("successRate", rate, "no per-customer rate together with the successRateBeta option");
    }
    if (!missing(oc) && !(typeof oc === "number" && oc >= 0 && Number.isFinite(oc))) throw bad("offerCost", oc, "a finite number >= 0");
    const offer = text("offer", i);
    if (!missing(offer) && typeof offer !== "string") throw bad("offer", offer, "a string (the offer) or null");
    const why = text("churnReason", i);
    if (!missing(why) && typeof why !== "string") throw bad("churnReason", why, "a string or null");

    if (missing(fv)) {
      noFutureValue++;
      continue;
    }
    const value = (fv as number) * margin;
    if (!Number.isFinite(value)) throw bad("futureValue", fv, `a future value whose product with the margin (${margin}) is finite`);
    const useUplift = !missing(up);
    if (useUplift) anyUplift = true;
    if (fromModel) anyModelUplift++;
    const r = useUplift ? null : missing(rate) ? defaultRate : (rate as number);
    if (!missing(rate)) ownRate[i] = true;
    const offerCost = missing(oc) ? defaultOfferCost : (oc as number);
    if (!missing(oc)) ownOfferCost = true;
    const q = useUplift ? (up as number) : (p as number) * r!;
    const cost = costPerContact + offerCost;
    const gross = q * value;
    rows.push({
      index: i,
      id: cid,
      p: missing(p) ? null : (p as number),
      uplift: useUplift ? (up as number) : null,
      upliftFromModel: fromModel,
      rate: r,
      q,
      value,
      cost,
      offerCost,
      gross,
      net: gross - cost,
      key: 0,
      offer: missing(offer) ? null : (offer as string),
      churnReason: missing(why) || why === "" ? null : (why as string),
    });
  }
  return { rows, n, noFutureValue, ownRate, anyUplift, anyModelUplift, ownOfferCost };
}

/** Score the `upliftModel` option: uplift by customer id, and the model's name for the reasons. */
function scoreUpliftModel(fn: string, option: CampaignUpliftModel): { byId: Map<string, number>; label: string } {
  if (option === null || typeof option !== "object") throw new InvalidOptionError(fn, "upliftModel", option, "{ model, features, customerIds }");
  const ids = option.customerIds;
  if (!Array.isArray(ids)) throw new InvalidOptionError(fn, "upliftModel.customerIds", ids, "an array of customer ids, one per feature row");
  const uplift = predictUplift(option.model, option.features);
  if (uplift.length !== ids.length) throw new InvalidOptionError(fn, "upliftModel.customerIds", `${ids.length} ids`, `${uplift.length} ids, one per feature row`);
  const byId = new Map<string, number>();
  ids.forEach((id, k) => {
    if (typeof id !== "string") throw new InvalidOptionError(fn, `upliftModel.customerIds[${k}]`, id, "a customer id (a string)");
    if (byId.has(id)) throw new InvalidOptionError(fn, `upliftModel.customerIds[${k}]`, id, "a customer id that appears once");
    byId.set(id, uplift[k]);
  });
  return { byId, label: `uplift model: ${option.model.method}, ${option.model.model}` };
}

/** Closed-form variance of the value saved by the chosen contacts. */
function varianceSaved(chosen: readonly Row[], beta: BetaEffect | undefined): number {
  if (!beta) return fsum(chosen.map((r) => r.value * r.value * r.q * (1 - r.q)));
  // customers on their uplift are independent of the effect; the others share it
  const indep = fsum(chosen.filter((r) => r.uplift !== null).map((r) => r.value * r.value * r.q * (1 - r.q)));
  const shared = chosen.filter((r) => r.uplift === null);
  const a = beta.alpha;
  const b = beta.beta;
  const mean = a / (a + b);
  const variance = (a * b) / ((a + b) * (a + b) * (a + b + 1));
  const A = fsum(shared.map((r) => r.p! * r.value));
  const B = fsum(shared.map((r) => r.p! * r.value * r.value));
  const C = fsum(shared.map((r) => r.p! * r.p! * r.value * r.value));
  return indep + mean * B - (variance + mean * mean) * C + variance * A * A;
}

/** The seeded simulation of the chosen contacts. */
function simulate(chosen: readonly Row[], spend: number, runs: number, rng: { next(): number }, beta: BetaEffect | undefined): RetentionCampaignPlan["simulation"] {
  if (chosen.length === 0) {
    const zero = { mean: 0, sd: 0, p05: 0, p95: 0 };
    return { runs: 0, valueSaved: zero, netValue: { ...zero }, probabilityOfLoss: 0 };
  }
  const k = chosen.length;
  // threshold of the uniform: q (fixed effect or uplift), or p to be multiplied by the drawn effect
  const threshold = Float64Array.from(chosen, (r) => (r.uplift === null && beta ? r.p! : r.q));
  const shared = Uint8Array.from(chosen, (r) => (r.uplift === null && beta ? 1 : 0));
  const value = Float64Array.from(chosen, (r) => r.value);
  const savedValues = new Float64Array(k);
  const saved = new Float64Array(runs);
  const net = new Float64Array(runs);
  let losses = 0;
  for (let s = 0; s < runs; s++) {
    const e = beta ? sampleBeta(rng, beta.alpha, beta.beta) : 1;
    let count = 0;
    for (let i = 0; i < k; i++) {
      // u < p: the customer would churn; u < p x e: and the contact saves them (one uniform
      // gives both Bernoulli draws: given u < p, u / p is uniform). On an uplift: u < uplift.
      if (rng.next() < (shared[i] ? threshold[i] * e : threshold[i])) savedValues[count++] = value[i];
    }
    saved[s] = fsum(savedValues.subarray(0, count));
    net[s] = saved[s] - spend;
    if (saved[s] < spend) losses++;
  }
  const [s05, s95] = quantiles(saved, [0.05, 0.95]);
  const [n05, n95] = quantiles(net, [0.05, 0.95]);
  const range = (x: Float64Array, p05: number, p95: number): SimulatedRange => {
    const mean = fsum(x) / runs;
    const sd = runs > 1 ? Math.sqrt(fsum(Array.from(x, (v) => (v - mean) * (v - mean))) / (runs - 1)) : 0;
    return { mean, sd, p05, p95 };
  };
  return {
    runs,
    valueSaved: range(saved, s05, s95),
    netValue: range(net, n05, n95),
    probabilityOfLoss: losses / runs,
  };
}

function money(x: number): string {
  return x.toFixed(2);
}

/** A probability (or share) with at most three decimals, trailing zeros dropped. */
function prob(x: number): string {
  return String(Number(x.toFixed(3)));
}
