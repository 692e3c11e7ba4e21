/**
 * The wiring shown in docs/targeting.md: the at-risk list (P(churn), future value, reason) and
 * the next-best items (the offer) feed planRetentionCampaign.
 */
import { describe, expect, it } from "vitest";
import { atRiskByValue } from "../../src/churn/index.js";
import { toTransactionTable } from "../../src/core/columns.js";
import { buildRecommender, nextBestItems } from "../../src/rules/index.js";
import { planRetentionCampaign } from "../../src/targeting/index.js";

describe("planRetentionCampaign(atRiskByValue(...) customers with nextBestItems offers)", () => {
  it("carries the at-risk reason and the next-best item into the reasons", () => {
    const rows = [
      { customerId: "a", recency_days: 100, gap_mean: 50, frequency: 3 },
      { customerId: "b", recency_days: 400, gap_mean: 60, frequency: 4 },
      { customerId: "c", recency_days: 30, gap_mean: 40, frequency: 5 },
    ];
    const risk = atRiskByValue([0.6, 0.99, 0.2], rows, { futureValue: new Map([["a", 100], ["b", 500], ["c", 200]]), top: rows.length });
    const table = toTransactionTable([
      { customerId: "a", date: new Date("2024-01-01"), amount: 5, items: ["beer", "chips"] },
      { customerId: "c", date: new Date("2024-01-01"), amount: 5, items: ["milk"] },
    ]);
    const rec = buildRecommender([{ antecedent: ["beer", "chips"], consequent: ["salsa"], support: 0.1, confidence: 0.8, lift: 3, leverage: 0.05, conviction: 2, zhang: 0.5, kulczynski: 0.6, count: 10, antecedentCount: 12, consequentCount: 15 }]);
    const next = nextBestItems(rec, table);
    const offerOf = (id: string) => {
      const row = table.index.get(id);
      const code = row === undefined ? -1 : next.item.codes[row];
      return code < 0 ? null : (next.names?.[code] ?? next.item.values[code]);
    };
    const plan = planRetentionCampaign(
      risk.customers.map((c) => ({ customerId: c.customerId, futureValue: c.futureValue, churnProbability: c.churnProbability, churnReason: c.reason, offer: offerOf(c.customerId) })),
      { costPerContact: 1, offerCost: 5, successRate: 0.5 },
    );
    // b is left out by the at-risk list (silent 400 days > 3 x 60). a: 0.6 x 0.5 x 100 = 30, net 24;
    // c: 0.2 x 0.5 x 200 = 20, net 14
    expect(plan.contacts.map((c) => [c.customerId, c.expectedNetValue])).toEqual([["a", 24], ["c", 14]]);
    expect(plan.contacts[0].reasons[0]).toBe("no purchase for 100 days, 2.0x their usual gap of 50 days");
    expect(plan.contacts[0].reasons.at(-1)).toBe("offer: salsa");
    expect(plan.contacts[1].offer).toBeNull();
  });
});
