import { clv3d, monteCarloClv, weibullSurvival, type CustomerBehaviour } from "../../src/index.js";
import type { DemoContext } from "./context.js";
import { fmt, heading, pct, printTable } from "./format.js";

const MARGIN = 0.3; // gross margin assumed for the demo
const PERIOD_DAYS = 30;
const HORIZON = 12;
const DISCOUNT = 0.01; // per month

/** Demo section: three-dimensional CLV groups, the 80/20 check, and Monte Carlo CLV. */
export default async function valueSection(ctx: DemoContext): Promise<void> {
  const r = clv3d(ctx.summaries, {
    marginRate: MARGIN,
    periodDays: PERIOD_DAYS,
    discountRate: DISCOUNT,
    horizon: HORIZON,
    retention: { type: "weibull" },
    transactions: ctx.transactions,
  });
  heading(`Customer value: 3D CLV (CV + SV + IV), margin ${pct(MARGIN, 0)}, ${HORIZON} months, Weibull retention`);
  if (r.weibull) console.log(`Weibull lifetime (months): shape ${r.weibull.shape.toFixed(3)}, scale ${r.weibull.scale.toFixed(1)} (churned = no purchase for 180 days)`);
  printTable(r.groups, [
    ["group", (g) => g.group],
    ["name", (g) => g.name],
    ["customers", (g) => g.count],
    ["share", (g) => pct(g.customerShare)],
    ["CLV total", (g) => fmt(g.value, 0)],
    ["value share", (g) => pct(g.valueShare)],
    ["mean CV", (g) => fmt(g.meanCv)],
    ["mean SV", (g) => fmt(g.meanSv)],
    ["mean IV", (g) => fmt(g.meanIv)],
  ]);
  const w = r.weights;
  console.log(`AHP weights: CV ${w.cv.indicators.map((n, i) => `${n} ${w.cv.weights[i].toFixed(2)}`).join(", ")} (CR ${w.cv.consistencyRatio.toFixed(3)}); SV ${w.sv.indicators.map((n, i) => `${n} ${w.sv.weights[i].toFixed(2)}`).join(", ")} (CR ${w.sv.consistencyRatio.toFixed(3)})`);
  console.log(`80/20 check on CLV: top 20% of customers hold ${pct(r.pareto.topShare)} of the value; Gini ${r.pareto.gini.toFixed(3)}`);

  // Monte Carlo per customer: purchase rate and spend from the summaries, survival from the Weibull fit.
  const fit = r.weibull ?? { shape: 1, scale: 12 };
  const customers: CustomerBehaviour[] = ctx.summaries.map((s) => {
    const age = s.tenureDays / PERIOD_DAYS;
    const s0 = weibullSurvival(fit, age);
    return {
      customerId: s.customerId,
      purchaseRate: s.frequency / Math.max(1, age),
      spendMean: Math.max(0, s.averageOrderValue),
      survival: Array.from({ length: HORIZON }, (_, t) => (s0 > 0 ? weibullSurvival(fit, age + t) / s0 : 0)),
    };
  });
  const mc = await monteCarloClv({ customers, discountRate: DISCOUNT, periods: HORIZON, marginRate: MARGIN, spendShape: 4 }, { draws: 1000, seed: ctx.seed });
  const p = mc.portfolio;
  heading(`Monte Carlo CLV, whole customer base (${fmt(customers.length, 0)} customers x 1,000 draws, next ${HORIZON} months)`);
  console.log(`portfolio margin: mean ${fmt(p.mean, 0)} (closed form ${fmt(mc.expectedTotal, 0)}), sd ${fmt(p.sd, 0)}, P5 ${fmt(p.p5, 0)}, P50 ${fmt(p.p50, 0)}, P95 ${fmt(p.p95, 0)}`);
  const top = [...mc.customers].sort((a, b) => b.mean - a.mean).slice(0, 5);
  printTable(top, [
    ["customer", (c) => c.customerId],
    ["mean", (c) => fmt(c.mean)],
    ["P5", (c) => fmt(c.p5)],
    ["P95", (c) => fmt(c.p95)],
  ]);

  const sc = await monteCarloClv(
    {
      margin: MARGIN,
      purchaseRate: { dist: "triangular", min: 0.5, mode: 1, max: 2 },
      spend: { dist: "lognormal", mu: Math.log(30), sigma: 0.3 },
      retention: { dist: "beta", alpha: 8, beta: 2 },
      discountRate: { dist: "uniform", min: 0.005, max: 0.015 },
      acquisitionCost: 25,
      horizon: 36,
    },
    { draws: 20_000, seed: ctx.seed },
  );
  heading("Scenario risk: one new customer, uncertain inputs (20,000 draws)");
  const c = sc.clv;
  console.log(`CLV mean ${fmt(c.mean)}, sd ${fmt(c.sd)}, P5 ${fmt(c.p5)}, P50 ${fmt(c.p50)}, P95 ${fmt(c.p95)}, P(loss) ${pct(c.probabilityOfLoss)}`);
  console.log(`sensitivity (rank correlation with CLV): ${sc.sensitivity.map((s) => `${s.input} ${s.rankCorrelation.toFixed(2)}`).join(", ")}`);
}
