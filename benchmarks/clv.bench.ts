/**
 * Probabilistic CLV benchmark: BG/NBD, Pareto/NBD and Gamma-Gamma fits on the CDNOW sample and
 * on a seeded synthetic base of 1,000,000 customers simulated from the BG/NBD process, plus
 * scoring throughput (conditional expectation, P(alive), CLV) on the 1,000,000 customers.
 *
 *   npm run bench -- clv
 *
 * Baseline measured in the same run: a naive BG/NBD fit (the textbook likelihood evaluated
 * customer by customer over records with lnΓ / ln B per customer, no grouping by x, minimised
 * by Nelder-Mead without gradients, the way it is usually first written). Reference figures
 * not measured here: `lifetimes` takes about 0.17 s (BG/NBD) and 0.65 s (Pareto/NBD) to fit
 * CDNOW (issue 5).
 */
import {
  calibrationSummary,
  conditionalExpectedPurchases,
  customerLifetimeValue,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  probabilityAlive,
  readTransactions,
  type ClvCustomer,
} from "../src/index.js";
import { lgamma } from "../src/clv/special.js";
import { toColumns } from "../src/clv/data.js";
import { simulateBgNbd, simulatedRecords } from "../src/clv/simulate.js";
import { printMachine, printMarkdownTable, timeit } from "./util.js";

const N = Number(process.env.CLV_BENCH_CUSTOMERS ?? 1_000_000);
const NAIVE_N = 100_000;

/** Naive BG/NBD: per-customer likelihood over records, Nelder-Mead on log parameters. */
function naiveFitBgNbd(cs: readonly ClvCustomer[]): { params: number[]; ll: number; evals: number } {
  const lbeta = (a: number, b: number) => lgamma(a) + lgamma(b) - lgamma(a + b);
  const nll = (u: number[]) => {
    const [r, alpha, a, b] = u.map(Math.exp);
    let ll = 0;
    for (const c of cs) {
      const A1 = lgamma(r + c.x) - lgamma(r) + r * Math.log(alpha);
      const A2 = lbeta(a, b + c.x) - lbeta(a, b);
      const A3 = -(r + c.x) * Math.log(alpha + c.T);
      const A4 = c.x > 0 ? Math.log(a) - Math.log(b + c.x - 1) - (r + c.x) * Math.log(alpha + c.t_x) : -Infinity;
      const mx = Math.max(A3, A4);
      ll += A1 + A2 + mx + Math.log(Math.exp(A3 - mx) + Math.exp(A4 - mx));
    }
    return Number.isFinite(ll) ? -ll / cs.length : Infinity;
  };
  // Nelder-Mead (standard coefficients), stop when the simplex f-spread is below 1e-10.
  const n = 4;
  let simplex = [[0, 0, 0, 0]];
  for (let i = 0; i < n; i++) simplex.push(simplex[0].map((v, j) => (j === i ? v + 0.5 : v)));
  let fs = simplex.map(nll);
  let evals = n + 1;
  for (let it = 0; it < 5000; it++) {
    const order = fs.map((f, i) => [f, i]).sort((p, q) => p[0] - q[0]).map((p) => p[1]);
    simplex = order.map((i) => simplex[i]);
    fs = order.map((i) => fs[i]);
    if (fs[n] - fs[0] < 1e-10) break;
    const c = simplex[0].map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p[j], 0) / n);
    const at = (t: number) => c.map((v, j) => v + t * (simplex[n][j] - v));
    const xr = at(-1);
    const fr = nll(xr);
    evals++;
    if (fr < fs[0]) {
      const xe = at(-2);
      const fe = nll(xe);
      evals++;
      [simplex[n], fs[n]] = fe < fr ? [xe, fe] : [xr, fr];
    } else if (fr < fs[n - 1]) {
      [simplex[n], fs[n]] = [xr, fr];
    } else {
      const xc = fr < fs[n] ? at(-0.5) : at(0.5);
      const fc = nll(xc);
      evals++;
      if (fc < Math.min(fr, fs[n])) [simplex[n], fs[n]] = [xc, fc];
      else {
        for (let i = 1; i <= n; i++) {
          simplex[i] = simplex[i].map((v, j) => simplex[0][j] + 0.5 * (v - simplex[0][j]));
          fs[i] = nll(simplex[i]);
          evals++;
        }
      }
    }
  }
  return { params: simplex[0].map(Math.exp), ll: -fs[0] * cs.length, evals };
}

const fmtP = (p: Record<string, number>) => Object.entries(p).map(([k, v]) => `${k}=${v.toFixed(3)}`).join(" ");

async function main(): Promise<void> {
  await printMachine("Probabilistic CLV (benchmarks/clv.bench.ts)");
  const os = await import("node:os");
  console.log(`load average at start: ${os.loadavg().map((v) => v.toFixed(2)).join(", ")}\n`);

  // CDNOW sample
  const { transactions } = await readTransactions("../shared/data/cdnow/CDNOW_sample.txt", {
    format: "csv",
    delimiter: "whitespace",
    header: false,
    names: ["masterId", "customerId", "date", "cds", "amount"],
    dateFormat: "YYYYMMDD",
  });
  const cdnow = calibrationSummary(transactions, { calibrationEnd: "1997-09-30", timeUnit: "weeks" });
  const rows: (string | number)[][] = [];
  const bgC = timeit(() => fitBgNbd(cdnow), { repeat: 5, warmup: 1 });
  rows.push(["BG/NBD fit", "CDNOW 2,357", bgC.seconds, bgC.cpu, bgC.result.logLikelihood, fmtP(bgC.result.params as unknown as Record<string, number>), "lifetimes ~0.17 s (issue 5, not run here)"]);
  const pnC = timeit(() => fitParetoNbd(cdnow), { repeat: 5, warmup: 1 });
  rows.push(["Pareto/NBD fit", "CDNOW 2,357", pnC.seconds, pnC.cpu, pnC.result.logLikelihood, fmtP(pnC.result.params as unknown as Record<string, number>), "lifetimes ~0.65 s (issue 5, not run here)"]);
  const ggC = timeit(() => fitGammaGamma(cdnow), { repeat: 5, warmup: 1 });
  rows.push(["Gamma-Gamma fit", "CDNOW 946 repeaters", ggC.seconds, ggC.cpu, ggC.result.logLikelihood, fmtP(ggC.result.params as unknown as Record<string, number>), ""]);
  const naiveC = timeit(() => naiveFitBgNbd(cdnow), { repeat: 3, warmup: 1 });
  rows.push(["baseline: naive BG/NBD (Nelder-Mead)", "CDNOW 2,357", naiveC.seconds, naiveC.cpu, naiveC.result.ll, `${naiveC.result.evals} evaluations`, `ours ${(naiveC.cpu / bgC.cpu).toFixed(1)}x less CPU`]);

  // synthetic base
  const truth = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  const sim = timeit(() => simulatedRecords(simulateBgNbd(N, truth, 2024, 26, 52, true)));
  const base = sim.result;
  const label = `synthetic ${N.toLocaleString("en-US")}`;
  const bgS = timeit(() => fitBgNbd(base), { repeat: 3 });
  rows.push(["BG/NBD fit", label, bgS.seconds, bgS.cpu, bgS.result.logLikelihood, fmtP(bgS.result.params as unknown as Record<string, number>), `truth ${fmtP(truth)}; ${bgS.result.convergence.iterations} iterations`]);
  const ggS = timeit(() => fitGammaGamma(base));
  rows.push(["Gamma-Gamma fit", `${label} (${ggS.result.customers.toLocaleString("en-US")} repeaters)`, ggS.seconds, ggS.cpu, ggS.result.logLikelihood, fmtP(ggS.result.params as unknown as Record<string, number>), "truth p=6 q=3.7 gamma=15"]);
  const pnS = timeit(() => fitParetoNbd(base));
  rows.push(["Pareto/NBD fit", label, pnS.seconds, pnS.cpu, pnS.result.logLikelihood, fmtP(pnS.result.params as unknown as Record<string, number>), `${pnS.result.convergence.iterations} iterations`]);
  const sub = base.slice(0, NAIVE_N);
  const bgSub = timeit(() => fitBgNbd(sub));
  const naiveS = timeit(() => naiveFitBgNbd(sub));
  rows.push(["BG/NBD fit", `synthetic ${NAIVE_N.toLocaleString("en-US")}`, bgSub.seconds, bgSub.cpu, bgSub.result.logLikelihood, fmtP(bgSub.result.params as unknown as Record<string, number>), ""]);
  rows.push(["baseline: naive BG/NBD (Nelder-Mead)", `synthetic ${NAIVE_N.toLocaleString("en-US")}`, naiveS.seconds, naiveS.cpu, naiveS.result.ll, `${naiveS.result.evals} evaluations`, `ours ${(naiveS.cpu / bgSub.cpu).toFixed(1)}x less CPU`]);

  console.log(`simulation of ${label} summaries: ${sim.seconds.toFixed(2)} s (not part of any figure below)\n`);
  printMarkdownTable(["step", "data", "wall s", "CPU s", "log-likelihood", "estimates", "note"], rows);

  // scoring throughput
  const bgm = bgS.result;
  const ggm = ggS.result;
  const pnm = pnS.result;
  const score: (string | number)[][] = [];
  const add = (name: string, f: () => unknown) => {
    const r = timeit(f, { repeat: 3, warmup: 1 });
    score.push([name, r.seconds, r.cpu, Math.round(N / r.cpu)]);
  };
  add("validation only (toColumns of the records)", () => toColumns(base, "bench"));
  add("BG/NBD conditionalExpectedPurchases (t = 39)", () => conditionalExpectedPurchases(bgm, base, { t: 39 }));
  add("BG/NBD probabilityAlive", () => probabilityAlive(bgm, base));
  add("BG/NBD + Gamma-Gamma customerLifetimeValue (12 months)", () => customerLifetimeValue(bgm, ggm, base));
  add("Pareto/NBD conditionalExpectedPurchases (t = 39)", () => conditionalExpectedPurchases(pnm, base, { t: 39 }));
  add("Pareto/NBD probabilityAlive", () => probabilityAlive(pnm, base));
  add("Pareto/NBD + Gamma-Gamma customerLifetimeValue (12 months)", () => customerLifetimeValue(pnm, ggm, base));
  console.log();
  printMarkdownTable([`scoring ${label}`, "wall s", "CPU s", "customers / CPU s"], score);
  console.log(`\nload average at end: ${os.loadavg().map((v) => v.toFixed(2)).join(", ")}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
