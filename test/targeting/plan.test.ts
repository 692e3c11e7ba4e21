/**
 * planRetentionCampaign: hand-computed plans (arithmetic in the comments), the simulation against
 * the closed form (mean within 4 standard errors) and against exact binomial / enumerated loss
 * probabilities, determinism by seed, invariants on generated inputs, and the errors.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { createRng } from "../../src/numeric/random.js";
import { planRetentionCampaign, type CampaignColumns, type CampaignCustomer, type RetentionCampaignPlan } from "../../src/targeting/index.js";

const three: CampaignCustomer[] = [
  { customerId: "a", futureValue: 500, churnProbability: 0.4 },
  { customerId: "b", futureValue: 100, churnProbability: 0.9 },
  { customerId: "c", futureValue: 50, churnProbability: 0.5 },
];
const costs = { costPerContact: 1, offerCost: 10 };

/** Every number anywhere in a plan (typed arrays included). */
function numbers(x: unknown, out: number[] = []): number[] {
  if (typeof x === "number") out.push(x);
  else if (ArrayBuffer.isView(x)) out.push(...Array.from(x as unknown as ArrayLike<number>));
  else if (Array.isArray(x)) x.forEach((v) => numbers(v, out));
  else if (x !== null && typeof x === "object") Object.values(x).forEach((v) => numbers(v, out));
  return out;
}

/** C(n, k). */
function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

describe("planRetentionCampaign", () => {
  it("planRetentionCampaign(three customers, costs) contacts the positive expected net values, best ratio first (hand-computed)", () => {
    // save probability q = P(churn) x 0.3; expected saved = q x value; cost = 1 + 10 = 11 each
    // a: 0.4 x 0.3 = 0.12, x 500 = 60, net 60 - 11 = 49
    // b: 0.9 x 0.3 = 0.27, x 100 = 27, net 27 - 11 = 16
    // c: 0.5 x 0.3 = 0.15, x  50 = 7.5, net 7.5 - 11 = -3.5 -> not contacted
    const plan = planRetentionCampaign(three, { ...costs, successRate: 0.3 });
    expect(plan.contacts.map((c) => c.customerId)).toEqual(["a", "b"]);
    const [a, b] = plan.contacts;
    expect(a.saveProbability).toBeCloseTo(0.12, 15);
    expect(a.expectedValueSaved).toBeCloseTo(60, 12);
    expect(a.expectedNetValue).toBeCloseTo(49, 12);
    expect(b.expectedValueSaved).toBeCloseTo(27, 12);
    expect(b.expectedNetValue).toBeCloseTo(16, 12);
    expect([a.rank, a.cost, a.cumulativeSpend, b.rank, b.cumulativeSpend]).toEqual([1, 11, 11, 2, 22]);
    expect(a.reasons).toEqual(["P(churn) 0.4 x save rate 0.3 (assumed) x value 500.00 = 60.00 expected saved", "cost 11.00 (contact 1.00 + offer 10.00); net 49.00"]);
    // totals: spend 22, saved 60 + 27 = 87, net 65
    expect(plan.expected.contacts).toBe(2);
    expect(plan.expected.spend).toBe(22);
    expect(plan.expected.valueSaved).toBeCloseTo(87, 12);
    expect(plan.expected.netValue).toBeCloseTo(65, 12);
    // sd: sqrt(500^2 x 0.12 x 0.88 + 100^2 x 0.27 x 0.73) = sqrt(26400 + 1971) = sqrt(28371)
    expect(plan.expected.sdValueSaved).toBeCloseTo(Math.sqrt(28371), 9);
    // curve over all three (c last, ratio -3.5/11): spend 0, 11, 22, 33; net 0, 49, 65, 61.5 -> peak at 22
    expect(Array.from(plan.curve.contacts)).toEqual([0, 1, 2, 3]);
    expect(Array.from(plan.curve.spend)).toEqual([0, 11, 22, 33]);
    Array.from(plan.curve.expectedNetValue).forEach((v, k) => expect(v).toBeCloseTo([0, 49, 65, 61.5][k], 12));
    Array.from(plan.curve.expectedValueSaved).forEach((v, k) => expect(v).toBeCloseTo([0, 60, 87, 94.5][k], 12));
    expect(plan.optimal.budget).toBe(22);
    expect(plan.optimal.contacts).toBe(2);
    expect(plan.optimal.expectedNetValue).toBeCloseTo(65, 12);
    expect(plan.excluded).toEqual({ noFutureValue: 0, notProfitable: 1, overBudget: 0 });
    expect(plan.emptyReason).toBeNull();
    expect(plan.assumptions).toContain("saves 30% of the would-be churners");
  });

  it("planRetentionCampaign(customers, { budget }) stops when the budget runs out and counts the rest as over budget", () => {
    // budget 15 buys one contact of 11: a (net 49); b (cumulative 22 > 15) is over budget
    const plan = planRetentionCampaign(three, { ...costs, successRate: 0.3, budget: 15 });
    expect(plan.contacts.map((c) => c.customerId)).toEqual(["a"]);
    expect(plan.expected.spend).toBe(11);
    expect(plan.excluded).toEqual({ noFutureValue: 0, notProfitable: 1, overBudget: 1 });
    // the optimum does not depend on the budget
    expect(plan.optimal.budget).toBe(22);
  });

  it("planRetentionCampaign ranks by net value per unit of cost and skips a contact that does not fit for a cheaper one", () => {
    // x: 1 x 0.5 x 1000 = 500, cost 1 + 19 = 20, net 480, ratio 24
    // y: 1 x 0.5 x 100 = 50, cost 1 + 10 = 11, net 39, ratio 3.545...
    // z: 1 x 0.5 x 60 = 30, cost 1 + 4 = 5, net 25, ratio 5 -> order x, z, y
    const cs: CampaignCustomer[] = [
      { customerId: "x", futureValue: 1000, churnProbability: 1, offerCost: 19 },
      { customerId: "y", futureValue: 100, churnProbability: 1 },
      { customerId: "z", futureValue: 60, churnProbability: 1, offerCost: 4 },
    ];
    const all = planRetentionCampaign(cs, { ...costs, successRate: 0.5 });
    expect(all.contacts.map((c) => [c.customerId, c.expectedNetValue])).toEqual([["x", 480], ["z", 25], ["y", 39]]);
    expect(Array.from(all.curve.spend)).toEqual([0, 20, 25, 36]);
    // budget 12: x (20) does not fit, z (5) does, then y (5 + 11 = 16) does not
    const small = planRetentionCampaign(cs, { ...costs, successRate: 0.5, budget: 12 });
    expect(small.contacts.map((c) => c.customerId)).toEqual(["z"]);
    expect(small.excluded.overBudget).toBe(2);
    // budget 16: x does not fit; z then y: 5 + 11 = 16 <= 16
    expect(planRetentionCampaign(cs, { ...costs, successRate: 0.5, budget: 16 }).contacts.map((c) => c.cumulativeSpend)).toEqual([5, 16]);
  });

  it("planRetentionCampaign uses an uplift as the save probability, and never contacts a negative uplift", () => {
    // u: uplift 0.2 x 100 = 20, cost 5, net 15; v: uplift -0.1 -> -10 - 5 = -15; w: 0.5 x 0.5 x 40 = 10, net 5
    const cs: CampaignCustomer[] = [
      { customerId: "u", futureValue: 100, uplift: 0.2, churnProbability: 0.9 },
      { customerId: "v", futureValue: 100, uplift: -0.1 },
      { customerId: "w", futureValue: 40, churnProbability: 0.5 },
    ];
    const plan = planRetentionCampaign(cs, { costPerContact: 5, successRate: 0.5 });
    expect(plan.contacts.map((c) => [c.customerId, c.saveProbability, c.expectedNetValue])).toEqual([["u", 0.2, 15], ["w", 0.25, 5]]);
    expect(plan.contacts[0]).toMatchObject({ uplift: 0.2, successRate: null, churnProbability: 0.9 });
    expect(plan.contacts[0].reasons[0]).toBe("uplift 0.2 x value 100.00 = 20.00 expected saved");
    expect(plan.excluded.notProfitable).toBe(1);
    expect(plan.assumptions).toContain("uplift estimate");
  });

  it("planRetentionCampaign puts the churn reason first and the offer last, and marks a customer's own rate as given", () => {
    const plan = planRetentionCampaign(
      [{ customerId: "a", futureValue: 200, churnProbability: 0.5, successRate: 0.5, offer: "salsa", offerCost: 3, churnReason: "no purchase for 100 days, 2.0x their usual gap of 50 days" }],
      { costPerContact: 2 },
    );
    // 0.5 x 0.5 x 200 = 50; cost 2 + 3 = 5; net 45
    expect(plan.contacts[0].reasons).toEqual([
      "no purchase for 100 days, 2.0x their usual gap of 50 days",
      "P(churn) 0.5 x save rate 0.5 (given) x value 200.00 = 50.00 expected saved",
      "cost 5.00 (contact 2.00 + offer 3.00); net 45.00",
      "offer: salsa",
    ]);
    expect(plan.contacts[0].offer).toBe("salsa");
    expect(plan.assumptions).toContain("the customer's own offer cost");
  });

  it("planRetentionCampaign multiplies the future value by the margin", () => {
    // value 500 x 0.25 = 125; 0.4 x 0.5 x 125 = 25; net 25 - 11 = 14
    const plan = planRetentionCampaign([three[0]], { ...costs, successRate: 0.5, margin: 0.25 });
    expect(plan.contacts[0]).toMatchObject({ valueIfSaved: 125, expectedValueSaved: 25, expectedNetValue: 14 });
  });

  it("planRetentionCampaign leaves out customers without a future value and counts them", () => {
    const plan = planRetentionCampaign([...three, { customerId: "d", futureValue: NaN, churnProbability: 0.5 }, { customerId: "e", churnProbability: 0.5 }], { ...costs, successRate: 0.3 });
    expect(plan.excluded.noFutureValue).toBe(2);
    expect(plan.curve.contacts.length).toBe(4);
  });

  it("planRetentionCampaign(columns) gives exactly the plan of the same records", () => {
    const recs: CampaignCustomer[] = [
      { customerId: "a", futureValue: 500, churnProbability: 0.4, offer: "tea" },
      { customerId: "b", futureValue: 100, churnProbability: 0.9, successRate: 0.6, offerCost: 2 },
      { customerId: "__proto__", futureValue: 300, uplift: 0.1, churnReason: "spend down" },
      { customerId: "d", futureValue: NaN, churnProbability: 0.2 },
    ];
    const cols: CampaignColumns = {
      customerIds: recs.map((r) => r.customerId),
      futureValue: Float64Array.from(recs, (r) => r.futureValue ?? NaN),
      churnProbability: [0.4, 0.9, NaN, 0.2],
      uplift: [NaN, NaN, 0.1, NaN],
      successRate: [NaN, 0.6, NaN, NaN],
      offerCost: [NaN, 2, NaN, NaN],
      offer: ["tea", null, null, null],
      churnReason: [null, null, "spend down", null],
    };
    const opts = { ...costs, simulations: 500, seed: 3 };
    expect(planRetentionCampaign(cols, opts)).toEqual(planRetentionCampaign(recs, opts));
    expect(planRetentionCampaign(cols, opts).contacts.map((c) => c.customerId)).toEqual(["b", "a", "__proto__"]);
  });

  it("planRetentionCampaign does not modify its input", () => {
    const recs = three.map((r) => Object.freeze({ ...r }));
    Object.freeze(recs);
    expect(() => planRetentionCampaign(recs, Object.freeze({ ...costs }))).not.toThrow();
  });

  describe("simulation", () => {
    /** 60 seeded customers with values 10..1000 and churn probabilities 0.05..0.95. */
    function base(seed: number): CampaignCustomer[] {
      const rng = createRng(seed);
      return Array.from({ length: 60 }, (_, i) => ({ customerId: `c${i}`, futureValue: 10 + 990 * rng.next(), churnProbability: 0.05 + 0.9 * rng.next() }));
    }

    it("the simulated mean value saved is within 4 standard errors of the closed form (fixed effect)", () => {
      const runs = 20000;
      const plan = planRetentionCampaign(base(1), { costPerContact: 2, offerCost: 5, successRate: 0.3, simulations: runs, seed: 11 });
      expect(plan.expected.contacts).toBeGreaterThan(30);
      const se = plan.expected.sdValueSaved / Math.sqrt(runs);
      expect(Math.abs(plan.simulation.valueSaved.mean - plan.expected.valueSaved)).toBeLessThan(4 * se);
      expect(Math.abs(plan.simulation.netValue.mean - plan.expected.netValue)).toBeLessThan(4 * se);
      expect(Math.abs(plan.simulation.valueSaved.sd ** 2 / plan.expected.sdValueSaved ** 2 - 1)).toBeLessThan(0.05);
      // the net interval is the saved interval minus the (certain) spend
      expect(plan.simulation.netValue.p05).toBeCloseTo(plan.simulation.valueSaved.p05 - plan.expected.spend, 9);
      expect(plan.simulation.valueSaved.p05).toBeLessThan(plan.expected.valueSaved);
      expect(plan.simulation.valueSaved.p95).toBeGreaterThan(plan.expected.valueSaved);
    });

    it("with a Beta effect: mean within 4 SE of the closed form and the simulated variance within 5% of the closed-form variance", () => {
      const runs = 20000;
      const plan = planRetentionCampaign(base(2), { costPerContact: 2, offerCost: 5, successRateBeta: { alpha: 6, beta: 14 }, simulations: runs, seed: 12 });
      // the Beta's mean 6 / 20 = 0.3 gives the same expectations as successRate 0.3
      const fixed = planRetentionCampaign(base(2), { costPerContact: 2, offerCost: 5, successRate: 0.3, simulations: 10 });
      expect(plan.expected.valueSaved).toBe(fixed.expected.valueSaved);
      // a shared uncertain effect widens the spread
      expect(plan.expected.sdValueSaved).toBeGreaterThan(1.3 * fixed.expected.sdValueSaved);
      const se = plan.expected.sdValueSaved / Math.sqrt(runs);
      expect(Math.abs(plan.simulation.valueSaved.mean - plan.expected.valueSaved)).toBeLessThan(4 * se);
      // sample variance against the closed form E[e] B - E[e^2] C + Var(e) A^2 + ...: 5% (the sampling
      // error of a variance from 20,000 runs is about sqrt(2 / 20000) = 1% for a normal total; the
      // shared Beta effect makes the tails a little heavier)
      const ratio = plan.simulation.valueSaved.sd ** 2 / plan.expected.sdValueSaved ** 2;
      expect(Math.abs(ratio - 1)).toBeLessThan(0.05);
      expect(plan.contacts[0].reasons[0]).toContain("(assumed, Beta(6, 14) mean)");
    });

    it("the probability of a loss matches the exact binomial on five equal customers, and the interval its quantiles", () => {
      // five customers, P(churn) 1, rate 0.6 -> q = 0.6, value 100, cost 50 each: spend 250, net 5 x 10 = 50
      // a loss when 100 K < 250, K ~ Binomial(5, 0.6): P(K <= 2) = 0.4^5 + 5 x 0.6 x 0.4^4 + 10 x 0.36 x 0.4^3
      //   = 0.01024 + 0.0768 + 0.2304 = 0.31744
      const exact = [0, 1, 2].reduce((s, k) => s + choose(5, k) * 0.6 ** k * 0.4 ** (5 - k), 0);
      expect(exact).toBeCloseTo(0.31744, 12);
      const runs = 40000;
      const cs = Array.from({ length: 5 }, (_, i) => ({ customerId: `s${i}`, futureValue: 100, churnProbability: 1 }));
      const plan = planRetentionCampaign(cs, { costPerContact: 50, successRate: 0.6, simulations: runs, seed: 5 });
      expect(plan.expected.contacts).toBe(5);
      const se = Math.sqrt((exact * (1 - exact)) / runs);
      expect(Math.abs(plan.simulation.probabilityOfLoss - exact)).toBeLessThan(4 * se);
      // P(K = 0) = 0.01 < 5% < P(K <= 1) = 0.087 -> 5% quantile 100; P(K <= 4) = 0.922 < 95% -> 95% quantile 500
      expect([plan.simulation.valueSaved.p05, plan.simulation.valueSaved.p95]).toEqual([100, 500]);
      expect([plan.simulation.netValue.p05, plan.simulation.netValue.p95]).toEqual([-150, 250]);
    });

    it("the probability of a loss matches the exact enumeration on the three-customer case", () => {
      // contacts a (q 0.12, value 500) and b (q 0.27, value 100), spend 22: any save covers the spend,
      // so a loss = no save: (1 - 0.12) x (1 - 0.27) = 0.88 x 0.73 = 0.6424
      const runs = 40000;
      const plan = planRetentionCampaign(three, { ...costs, successRate: 0.3, simulations: runs, seed: 9 });
      const exact = 0.88 * 0.73;
      expect(Math.abs(plan.simulation.probabilityOfLoss - exact)).toBeLessThan(4 * Math.sqrt((exact * (1 - exact)) / runs));
    });

    it("with a Beta effect the loss probability matches the exact expectation over the effect", () => {
      // loss = no save; given the effect e: (1 - 0.4 e)(1 - 0.9 e) = 1 - 1.3 e + 0.36 e^2;
      // e ~ Beta(6, 14): E[e] = 0.3, E[e^2] = Var + mean^2 = 6 x 14 / (20^2 x 21) + 0.09 = 0.01 + 0.09 = 0.1
      // -> 1 - 1.3 x 0.3 + 0.36 x 0.1 = 1 - 0.39 + 0.036 = 0.646
      const runs = 40000;
      const plan = planRetentionCampaign(three, { ...costs, successRateBeta: { alpha: 6, beta: 14 }, simulations: runs, seed: 21 });
      const exact = 0.646;
      expect(Math.abs(plan.simulation.probabilityOfLoss - exact)).toBeLessThan(4 * Math.sqrt((exact * (1 - exact)) / runs));
    });

    it("the same seed gives the same plan, another seed another simulation", () => {
      const opts = { ...costs, successRate: 0.3, simulations: 300 };
      const a = planRetentionCampaign(base(4), { ...opts, seed: 1 });
      expect(planRetentionCampaign(base(4), { ...opts, seed: 1 })).toEqual(a);
      const b = planRetentionCampaign(base(4), { ...opts, seed: 2 });
      expect(b.simulation).not.toEqual(a.simulation);
      expect(b.contacts).toEqual(a.contacts);
    });
  });

  describe("empty plans", () => {
    it("a budget smaller than one contact gives an empty plan with the reason, zeros and no NaN", () => {
      const plan = planRetentionCampaign(three, { ...costs, successRate: 0.3, budget: 5 });
      expect(plan.contacts).toEqual([]);
      expect(plan.emptyReason).toBe("the budget of 5.00 is smaller than the cheapest profitable contact (11.00)");
      expect(plan.expected).toEqual({ contacts: 0, spend: 0, valueSaved: 0, netValue: 0, sdValueSaved: 0 });
      expect(plan.simulation).toEqual({ runs: 0, valueSaved: { mean: 0, sd: 0, p05: 0, p95: 0 }, netValue: { mean: 0, sd: 0, p05: 0, p95: 0 }, probabilityOfLoss: 0 });
      expect(plan.excluded).toEqual({ noFutureValue: 0, notProfitable: 1, overBudget: 2 });
      // the curve and the optimum still say what a budget of 22 would earn
      expect(plan.optimal.budget).toBe(22);
      expect(numbers(plan).every(Number.isFinite)).toBe(true);
    });

    it("no profitable customer, no future value, no customers: empty plans that say why", () => {
      // c alone: 0.5 x 0.3 x 50 = 7.5 < 11 -> net -3.5
      expect(planRetentionCampaign([three[2]], { ...costs, successRate: 0.3 }).emptyReason).toBe('no customer has a positive expected net value (the best, "c", has -3.50)');
      expect(planRetentionCampaign([{ customerId: "x", churnProbability: 0.5 }], costs).emptyReason).toBe("no customer has a future value");
      const none = planRetentionCampaign([], costs);
      expect(none.emptyReason).toBe("no customers were given");
      expect(Array.from(none.curve.spend)).toEqual([0]);
      expect(none.optimal).toEqual({ budget: 0, contacts: 0, expectedNetValue: 0 });
    });
  });

  it("invariants on generated inputs: within budget, only positive contacts, peak = curve maximum, every customer accounted for, no NaN", () => {
    const customer = fc.record({
      futureValue: fc.oneof(fc.double({ min: -100, max: 5000, noNaN: true }), fc.constant(NaN)),
      churnProbability: fc.double({ min: 0, max: 1, noNaN: true }),
      offerCost: fc.oneof(fc.double({ min: 0, max: 50, noNaN: true }), fc.constant(NaN)),
    });
    fc.assert(
      fc.property(fc.array(customer, { maxLength: 25 }), fc.double({ min: 0, max: 500, noNaN: true }), fc.double({ min: 0, max: 20, noNaN: true }), (rows, budget, contactCost) => {
        const cs = rows.map((r, i) => ({ customerId: String(i), ...r }));
        const plan: RetentionCampaignPlan = planRetentionCampaign(cs, { costPerContact: contactCost, budget, simulations: 20 });
        expect(plan.expected.spend).toBeLessThanOrEqual(budget);
        for (const c of plan.contacts) expect(c.expectedNetValue).toBeGreaterThan(0);
        const e = plan.excluded;
        expect(plan.contacts.length + e.noFutureValue + e.notProfitable + e.overBudget).toBe(cs.length);
        expect(plan.optimal.expectedNetValue).toBe(Math.max(...plan.curve.expectedNetValue));
        expect(numbers(plan).every((x) => !Number.isNaN(x))).toBe(true);
        expect(plan.contacts.length === 0).toBe(plan.emptyReason !== null);
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  describe("errors", () => {
    const record = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e;
      }
      throw new Error("did not throw");
    };

    it("a negative or missing cost, a bad budget, rate, Beta, margin, simulation count or seed is an InvalidOptionError naming the option", () => {
      const cases: [Record<string, unknown>, string, unknown][] = [
        [{ costPerContact: -1 }, "costPerContact", -1],
        [{}, "costPerContact", undefined],
        [{ costPerContact: 1, offerCost: -0.5 }, "offerCost", -0.5],
        [{ costPerContact: 1, budget: NaN }, "budget", NaN],
        [{ costPerContact: 1, budget: -10 }, "budget", -10],
        [{ costPerContact: 1, successRate: 1.5 }, "successRate", 1.5],
        [{ costPerContact: 1, successRateBeta: { alpha: 0, beta: 2 } }, "successRateBeta", { alpha: 0, beta: 2 }],
        [{ costPerContact: 1, successRateBeta: { alpha: 6, beta: 14 }, successRate: 0.3 }, "successRate", 0.3],
        [{ costPerContact: 1, margin: 0 }, "margin", 0],
        [{ costPerContact: 1, simulations: 0 }, "simulations", 0],
        [{ costPerContact: 1, seed: NaN }, "seed", NaN],
      ];
      for (const [opts, option, value] of cases) {
        const e = record(() => planRetentionCampaign(three, opts as never));
        expect(e, option).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe(option);
        expect((e as InvalidOptionError).value).toEqual(value);
        expect((e as Error).message.startsWith("planRetentionCampaign:")).toBe(true);
      }
    });

    it("an explicit undefined option means the default", () => {
      expect(planRetentionCampaign(three, { ...costs, budget: undefined, successRate: undefined, seed: undefined })).toEqual(planRetentionCampaign(three, costs));
    });

    it("a bad value of one customer is an InvalidRecordError naming the customer, the field and the value", () => {
      const cases: [Record<string, unknown>, string, unknown][] = [
        [{ churnProbability: 1.2 }, "churnProbability", 1.2],
        [{ churnProbability: -0.1 }, "churnProbability", -0.1],
        [{ churnProbability: NaN }, "churnProbability", NaN],
        [{ churnProbability: undefined }, "churnProbability", undefined],
        [{ uplift: 2 }, "uplift", 2],
        [{ successRate: 1.01 }, "successRate", 1.01],
        [{ offerCost: -3 }, "offerCost", -3],
        [{ offerCost: Infinity }, "offerCost", Infinity],
        [{ futureValue: Infinity }, "futureValue", Infinity],
        [{ futureValue: "100" }, "futureValue", "100"],
        [{ offer: 7 }, "offer", 7],
      ];
      for (const [patch, field, value] of cases) {
        const cs = three.map((r) => (r.customerId === "b" ? { ...r, ...patch } : r)) as CampaignCustomer[];
        const e = record(() => planRetentionCampaign(cs, costs));
        expect(e, field).toBeInstanceOf(InvalidRecordError);
        expect(e).toMatchObject({ row: "b", field });
        expect((e as InvalidRecordError).value).toEqual(value);
      }
      const dup = record(() => planRetentionCampaign([...three, { customerId: "a", futureValue: 1, churnProbability: 0.1 }], costs));
      expect(dup).toMatchObject({ row: "a", field: "customerId" });
      const noId = record(() => planRetentionCampaign([{ futureValue: 1, churnProbability: 0.1 } as CampaignCustomer], costs));
      expect(noId).toMatchObject({ row: 1, field: "customerId", value: undefined });
      const perCustomerRateWithBeta = record(() => planRetentionCampaign([{ ...three[0], successRate: 0.2 }], { ...costs, successRateBeta: { alpha: 2, beta: 2 } }));
      expect(perCustomerRateWithBeta).toMatchObject({ row: "a", field: "successRate", value: 0.2 });
    });

    it("columns of the wrong length are an InvalidOptionError naming the column", () => {
      const e = record(() => planRetentionCampaign({ customerIds: ["a", "b"], futureValue: [1, 2], churnProbability: [0.5] }, costs));
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e).toMatchObject({ option: "customers.churnProbability", value: "1 values" });
      expect(record(() => planRetentionCampaign({ customerIds: ["a"] } as unknown as CampaignColumns, costs))).toMatchObject({ option: "customers.futureValue" });
    });
  });
});
