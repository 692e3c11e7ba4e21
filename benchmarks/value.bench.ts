/**
 * Customer value benchmark: per-customer Monte Carlo CLV, 100,000 customers x 1,000 draws x 12
 * periods (1.2e9 customer-periods), on a seeded heterogeneous population.
 *
 *   npm run bench -- value
 *
 * Baseline in the same run: a naive object-per-draw simulation (a path object per draw with a
 * period object per alive period and a purchase object per purchase, seedrandom samplers from
 * src/core, a full sort per customer for the percentiles), run on a 1,000-customer subset and
 * scaled x100 (running it on all 100,000 customers would take minutes). Single-thread ours is
 * measured on a 10,000-customer subset and scaled x10, and checked to give the same
 * per-customer numbers as the worker-thread run.
 */
import { createRng, monteCarloClv, monteCarloClvSync, sampleBeta, sampleGamma, samplePoisson, type CustomerBehaviour, type Rng } from "../src/index.js";
import { peakRssMiB, printMachine, printMarkdownTable, timeit, timeitAsync } from "./util.js";

const CUSTOMERS = 100_000;
const DRAWS = 1000;
const PERIODS = 12;
const DISCOUNT = 0.01;
const MARGIN = 0.3;

/** Seeded population: purchases ~ Gamma(0.75, 1.1) per month (mean 0.83), spend ~ Gamma(4, 7.5) (mean 30), retention ~ Beta(9, 1.5), P(alive) ~ Beta(3, 1). */
function population(n: number, seed: number): CustomerBehaviour[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => ({
    customerId: `C${i}`,
    purchaseRate: sampleGamma(rng, 0.75, 1.1),
    spendMean: sampleGamma(rng, 4, 7.5),
    spendShape: 6,
    retention: sampleBeta(rng, 9, 1.5),
    alive: sampleBeta(rng, 3, 1),
  }));
}

interface Purchase {
  amount: number;
}
interface PeriodRecord {
  period: number;
  purchases: Purchase[];
}
interface Path {
  periods: PeriodRecord[];
  value: number;
}

/** The usual way: objects per path, period and purchase; sort each customer's draws. */
function naive(customers: readonly CustomerBehaviour[], draws: number, seed: number) {
  const rng: Rng = createRng(seed);
  const out: { customerId: string; mean: number; p5: number; p95: number }[] = [];
  for (const c of customers) {
    const paths: Path[] = [];
    for (let d = 0; d < draws; d++) {
      const path: Path = { periods: [], value: 0 };
      let alive = rng.next() < (c.alive ?? 1);
      for (let t = 1; t <= PERIODS && alive; t++) {
        const k = samplePoisson(rng, c.purchaseRate);
        const purchases: Purchase[] = [];
        for (let j = 0; j < k; j++) purchases.push({ amount: sampleGamma(rng, c.spendShape!, c.spendMean / c.spendShape!) });
        path.periods.push({ period: t, purchases });
        alive = rng.next() < c.retention!;
      }
      path.value = path.periods.reduce((s, p) => s + (MARGIN * p.purchases.reduce((a, x) => a + x.amount, 0)) / Math.pow(1 + DISCOUNT, p.period), 0);
      paths.push(path);
    }
    const values = paths.map((p) => p.value).sort((a, b) => a - b);
    out.push({ customerId: c.customerId, mean: values.reduce((a, b) => a + b, 0) / values.length, p5: values[Math.floor(0.05 * (values.length - 1))], p95: values[Math.floor(0.95 * (values.length - 1))] });
  }
  return out;
}

async function main(): Promise<void> {
  await printMachine("Customer value: Monte Carlo CLV (benchmarks/value.bench.ts)");
  const os = await import("node:os");
  const load = os.loadavg().map((x) => x.toFixed(2)).join(", ");
  const customers = population(CUSTOMERS, 2024);
  const model = { customers, discountRate: DISCOUNT, periods: PERIODS, marginRate: MARGIN };

  const par = await timeitAsync(() => monteCarloClv(model, { draws: DRAWS, seed: 1 }));
  const sub10k = { ...model, customers: customers.slice(0, 10_000) };
  const single = timeit(() => monteCarloClvSync(sub10k, { draws: DRAWS, seed: 1 }));
  for (let i = 0; i < 10_000; i += 997) {
    const a = par.result.customers[i];
    const b = single.result.customers[i];
    if (a.mean !== b.mean || a.p5 !== b.p5 || a.p95 !== b.p95) throw new Error(`worker and single-thread results differ at customer ${i}`);
  }
  const naiveSub = customers.slice(0, 1000);
  const base = timeit(() => naive(naiveSub, DRAWS, 1));
  const loadAfter = os.loadavg().map((x) => x.toFixed(2)).join(", ");

  const cd = CUSTOMERS * DRAWS;
  const singleFull = single.seconds * 10;
  const naiveFull = base.seconds * 100;
  const p = par.result.portfolio;
  console.log(`${CUSTOMERS.toLocaleString("en-US")} customers x ${DRAWS} draws x ${PERIODS} periods; worker threads used: ${par.result.threads}`);
  console.log(`portfolio CLV: mean ${p.mean.toFixed(0)} (closed form ${par.result.expectedTotal.toFixed(0)}), P5 ${p.p5.toFixed(0)}, P95 ${p.p95.toFixed(0)}`);
  console.log(`load average before ${load}, after ${loadAfter}; peak RSS ${peakRssMiB().toFixed(0)} MiB\n`);
  printMarkdownTable(
    ["run", "customers measured", "seconds (100k customers)", "customer-draws/s", "vs naive"],
    [
      [`monteCarloClv, ${par.result.threads} worker threads`, CUSTOMERS, par.seconds, cd / par.seconds, `${(naiveFull / par.seconds).toFixed(0)}x`],
      ["monteCarloClvSync, 1 thread (scaled x10)", 10_000, singleFull, cd / singleFull, `${(naiveFull / singleFull).toFixed(0)}x`],
      ["naive object-per-draw baseline (scaled x100)", 1000, naiveFull, cd / naiveFull, "1x"],
    ],
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
