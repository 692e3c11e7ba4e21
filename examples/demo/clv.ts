import {
  calibrationHoldout,
  calibrationSummary,
  customerLifetimeValue,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  holdoutValidation,
} from "../../src/index.js";
import type { DemoContext } from "./context.js";
import { fmt, heading, printTable } from "./format.js";

const DAY = 86_400_000;

/** Demo section: BG/NBD, Pareto/NBD and Gamma-Gamma fits, a holdout validation table, top customers by CLV. */
export default function clvSection(ctx: DemoContext): void {
  const days = ctx.transactions.map((t) => t.date.getTime());
  if (days.length === 0) return;
  const first = Math.min(...days);
  const last = Date.parse(`${ctx.asOf}T00:00:00Z`);
  // calibrate on the first half of the history, hold out the second (CDNOW: 1997-09-30, as published)
  const calibrationEnd = new Date(first + Math.floor((last - first) / DAY / 2) * DAY).toISOString().slice(0, 10);
  const rows = calibrationHoldout(ctx.transactions, { calibrationEnd, holdoutEnd: ctx.asOf, timeUnit: "weeks" });
  const bg = fitBgNbd(rows);
  const pn = fitParetoNbd(rows);
  // Gamma-Gamma needs a positive mean spend for repeat buyers (a day netted by returns can be <= 0)
  const spendOk = (c: { x: number; monetaryValue: number }) => c.x === 0 || c.monetaryValue > 0;
  const gg = fitGammaGamma(rows.filter(spendOk));

  heading(`Probabilistic CLV: models fitted on ${rows.length.toLocaleString("en-US")} customers, calibration to ${calibrationEnd} (weeks)`);
  const se = (v: number | undefined) => (v === undefined ? "-" : fmt(v, 3));
  printTable(
    [
      ...Object.entries(bg.params).map(([k, v]) => ({ model: "BG/NBD", k, v, s: se(bg.standardErrors?.[k as keyof typeof bg.params]), ll: bg.logLikelihood, ok: bg.convergence.converged })),
      ...Object.entries(pn.params).map(([k, v]) => ({ model: "Pareto/NBD", k, v, s: se(pn.standardErrors?.[k as keyof typeof pn.params]), ll: pn.logLikelihood, ok: pn.convergence.converged })),
      ...Object.entries(gg.params).map(([k, v]) => ({ model: "Gamma-Gamma", k, v, s: se(gg.standardErrors?.[k as keyof typeof gg.params]), ll: gg.logLikelihood, ok: gg.convergence.converged })),
    ],
    [
      ["model", (r) => r.model],
      ["parameter", (r) => r.k],
      ["estimate", (r) => fmt(r.v, 3)],
      ["std. error", (r) => r.s],
      ["log-likelihood", (r) => fmt(r.ll, 1)],
      ["converged", (r) => (r.ok ? "yes" : "NO")],
    ],
  );

  const weeks = rows[0]?.holdoutDuration ?? 0;
  heading(`Holdout validation: purchases in the ${fmt(weeks, 1)} weeks after ${calibrationEnd}, by calibration repeat purchases`);
  const vb = holdoutValidation(bg, rows);
  const vp = holdoutValidation(pn, rows);
  printTable(
    vb.rows.map((r, i) => ({ ...r, pareto: vp.rows[i].predicted })),
    [
      ["x", (r) => r.label],
      ["customers", (r) => r.customers],
      ["actual", (r) => fmt(r.actual, 3)],
      ["BG/NBD", (r) => fmt(r.predicted, 3)],
      ["Pareto/NBD", (r) => fmt(r.pareto, 3)],
    ],
  );
  console.log(`total: actual ${fmt(vb.totalActual, 0)}, BG/NBD ${fmt(vb.totalPredicted, 0)}, Pareto/NBD ${fmt(vp.totalPredicted, 0)}`);

  // refit on the whole history and value the next 12 months (4.345 weeks each, 1% a month)
  const all = calibrationSummary(ctx.transactions, { calibrationEnd: ctx.asOf, timeUnit: "weeks" });
  const now = all.filter(spendOk);
  if (now.length < all.length) console.log(`(${all.length - now.length} repeat buyers with non-positive mean spend left out of the CLV ranking)`);
  const bgNow = fitBgNbd(all);
  const ggNow = fitGammaGamma(now);
  const clv = customerLifetimeValue(bgNow, ggNow, now, { horizon: 12, discountRate: 0.01, margin: 1, periodsPerUnit: 4.345 });
  const byId = new Map(now.map((c) => [c.customerId, c]));
  const top = [...clv].sort((a, b) => b.clv - a.clv).slice(0, 10);
  heading(`Top 10 customers by 12-month CLV as of ${ctx.asOf} (BG/NBD + Gamma-Gamma, revenue, 1%/month)`);
  printTable(top, [
    ["customer", (r) => r.customerId],
    ["x", (r) => byId.get(r.customerId)!.x],
    ["t_x", (r) => fmt(byId.get(r.customerId)!.t_x, 1)],
    ["T", (r) => fmt(byId.get(r.customerId)!.T, 1)],
    ["P(alive)", (r) => fmt(r.pAlive, 3)],
    ["E[purchases]", (r) => fmt(r.expectedPurchases, 2)],
    ["E[spend]", (r) => fmt(r.expectedSpend, 2)],
    ["CLV", (r) => fmt(r.clv, 2)],
  ]);
  const sum = clv.reduce((s, r) => s + r.clv, 0);
  console.log(`portfolio 12-month CLV ${fmt(sum, 0)} over ${fmt(clv.length, 0)} customers`);
}
