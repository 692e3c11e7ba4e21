/**
 * The seeded synthetic log behind the pandas reference of the profitability and retention
 * tests (crm_cohorts.py / crm_cohorts.json): `generateTransactions` (1,500 customers, seed 20,
 * no items) with, from a second seeded generator, a cost per line (50%–115% of the amount, so
 * some lines and customers lose money; returns carry 60% of their amount as negative cost), 30%
 * of the purchase orders split into two lines sharing the order id, and no order id for the
 * customers whose number is a multiple of 7 (their orders are their days).
 */
import type { Transaction } from "../../src/core/types.js";
import { createRng } from "../../src/numeric/index.js";
import { generateTransactions } from "../../src/synthetic/index.js";

/** The cost-to-serve rates used on this log by the reference. */
export const CRM_COST_TO_SERVE = Object.freeze({ costPerOrder: 2.5, costPerReturnLine: 4 });

const cents = (x: number) => Math.round(x * 100) / 100;

/** The log (same every call). */
export function crmLog(): Transaction[] {
  const base = generateTransactions({ customers: 1500, seed: 20, items: false });
  const rng = createRng(2020);
  const out: Transaction[] = [];
  for (const t of base) {
    const noId = Number(t.customerId.slice(1)) % 7 === 0;
    const rate = 0.5 + 0.65 * rng.next();
    const split = t.amount > 0 && rng.next() < 0.3;
    const first = split ? cents(t.amount * 0.4) : t.amount;
    const parts = split ? [first, cents(t.amount - first)] : [t.amount];
    for (const amount of parts) {
      const cost = amount > 0 ? cents(amount * rate) : cents(amount * 0.6);
      out.push({ customerId: t.customerId, date: t.date, amount, cost, ...(noId ? {} : { orderId: t.orderId }) });
    }
  }
  return out;
}
