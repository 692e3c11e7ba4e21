/**
 * A CRM back end: fit the models once (nightly batch), save them as JSON, and score single
 * customers on request (the customer page of the CRM) from the saved file.
 *
 *   npx tsx examples/score-customer.ts
 *
 * Fitted models are plain data (see docs/clv.md and docs/clustering.md): `JSON.stringify` saves
 * them and `JSON.parse` loads them; the scoring functions are pure functions of that object.
 * Data: the seeded synthetic store (2,000 customers, seed 42), so the numbers are reproducible.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  assignCluster,
  calibrationSummary,
  clusterCustomers,
  customerLifetimeValue,
  fitBgNbd,
  fitGammaGamma,
  generateTransactions,
  summarizeCustomers,
  type BgNbdModel,
  type CalibrationSummary,
  type ClusterModel,
  type CustomerLifetimeValueOptions,
  type GammaGammaModel,
} from "../src/index.js";
import { fmt, latency } from "./demo/format.js";

const SEED = 42;
/** CLV settings of the CRM: 12 months, 1% a month, 30% gross margin; model time unit weeks. */
const CLV_OPTIONS: CustomerLifetimeValueOptions = { horizon: 12, discountRate: 0.01, margin: 0.3, periodsPerUnit: 4.345 };

/** What the batch job writes and the request handler reads. */
interface SavedModels {
  format: "crm-scoring-models";
  version: 1;
  /** Last day of the data the models were fitted on; summaries are taken at this day. */
  calibrationEnd: string;
  timeUnit: "weeks";
  clvOptions: CustomerLifetimeValueOptions;
  bgNbd: BgNbdModel;
  gammaGamma: GammaGammaModel;
  cluster: ClusterModel;
}

/** The request handler's work for one customer: P(alive), expected purchases and CLV. */
function scoreCustomer(models: SavedModels, customer: CalibrationSummary) {
  const [v] = customerLifetimeValue(models.bgNbd, models.gammaGamma, [customer], models.clvOptions);
  return v;
}

function main(): void {
  const t0 = performance.now();

  // --- Nightly batch: fit on the whole history and save. ---
  const transactions = generateTransactions({ customers: 2000, seed: SEED });
  const lastDay = transactions.reduce((m, t) => (t.date > m ? t.date : m), transactions[0].date).toISOString().slice(0, 10);
  const summaries = calibrationSummary(transactions, { calibrationEnd: lastDay, timeUnit: "weeks" });
  const bgNbd = fitBgNbd(summaries);
  const gammaGamma = fitGammaGamma(summaries);
  const rfm = summarizeCustomers(transactions, { asOf: lastDay });
  const clusters = clusterCustomers(rfm, { k: 4, seed: SEED });
  if (!bgNbd.convergence.converged || !gammaGamma.convergence.converged) throw new Error("score-customer: a model fit did not converge");
  console.log(`Batch: ${transactions.length.toLocaleString("en-US")} transaction lines, ${summaries.length.toLocaleString("en-US")} customers, data to ${lastDay}`);
  const p = bgNbd.params;
  const q = gammaGamma.params;
  console.log(`  BG/NBD       r ${fmt(p.r, 4)}, alpha ${fmt(p.alpha, 4)}, a ${fmt(p.a, 4)}, b ${fmt(p.b, 4)} (LL ${fmt(bgNbd.logLikelihood, 1)})`);
  console.log(`  Gamma-Gamma  p ${fmt(q.p, 4)}, q ${fmt(q.q, 4)}, gamma ${fmt(q.gamma, 4)} (${gammaGamma.customers.toLocaleString("en-US")} repeat buyers)`);
  console.log(`  k-means      k = 4 on recencyDays, frequency, totalSpend; sizes ${clusters.sizes.join(", ")}`);

  const saved: SavedModels = {
    format: "crm-scoring-models",
    version: 1,
    calibrationEnd: lastDay,
    timeUnit: "weeks",
    clvOptions: CLV_OPTIONS,
    bgNbd,
    gammaGamma,
    cluster: clusters.model,
  };
  const dir = mkdtempSync(join(tmpdir(), "customer-analytics-crm-"));
  const file = join(dir, "models.json");
  writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`);
  console.log(`  saved ${file} (${statSync(file).size.toLocaleString("en-US")} bytes)`);

  // --- Request handler: load the file (once, at start-up). ---
  const loaded = JSON.parse(readFileSync(file, "utf8")) as SavedModels;

  // The reloaded models must score every customer exactly like the in-memory ones (JSON keeps
  // every double exactly, so "identical" means bit-for-bit, not "close").
  const before = customerLifetimeValue(bgNbd, gammaGamma, summaries, CLV_OPTIONS);
  const after = customerLifetimeValue(loaded.bgNbd, loaded.gammaGamma, summaries, loaded.clvOptions);
  const fields = ["pAlive", "expectedPurchases", "expectedSpend", "clv"] as const;
  let differing = 0;
  for (let i = 0; i < before.length; i++) if (fields.some((f) => !Object.is(before[i][f], after[i][f]))) differing++;
  const clusterBefore = assignCluster(clusters.model, rfm);
  const clusterAfter = assignCluster(loaded.cluster, rfm);
  const clusterDiffering = clusterBefore.filter((a, i) => a.cluster !== clusterAfter[i].cluster || !Object.is(a.distance, clusterAfter[i].distance)).length;
  const sameAsFit = clusterAfter.filter((a, i) => a.cluster === clusters.assignments[i].cluster).length;
  console.log(`\nReload check over all ${summaries.length.toLocaleString("en-US")} customers:`);
  console.log(`  CLV scores (P(alive), expected purchases, expected spend, CLV): ${differing} differ -> ${differing === 0 ? "identical" : "MISMATCH"}`);
  console.log(`  cluster assignments and distances: ${clusterDiffering} differ -> ${clusterDiffering === 0 ? "identical" : "MISMATCH"}; ${sameAsFit.toLocaleString("en-US")} of ${rfm.length.toLocaleString("en-US")} equal the fit's own assignment`);
  if (differing > 0 || clusterDiffering > 0) process.exitCode = 1;

  // --- One request: the customer with the most repeat purchases. The CRM builds the customer's
  //     summary from their own lines only, at the model's calibration end. ---
  const top = summaries.reduce((best, s) => (s.x > best.x ? s : best), summaries[0]);
  const own = transactions.filter((t) => t.customerId === top.customerId);
  const [mine] = calibrationSummary(own, { calibrationEnd: loaded.calibrationEnd, timeUnit: loaded.timeUnit });
  const score = scoreCustomer(loaded, mine);
  const [seg] = assignCluster(loaded.cluster, rfm.filter((r) => r.customerId === top.customerId));
  console.log(`\nCustomer ${mine.customerId} (${own.length} lines; x = ${mine.x}, t_x = ${fmt(mine.t_x)}, T = ${fmt(mine.T)} weeks, mean repeat order $${fmt(mine.monetaryValue)}):`);
  const lines: [string, string][] = [
    ["P(alive)", fmt(score.pAlive, 4)],
    ["expected purchases, next 12 months", fmt(score.expectedPurchases, 3)],
    ["expected order value", `$${fmt(score.expectedSpend)}`],
    ["CLV, 12 months, 30% margin", `$${fmt(score.clv)}`],
    ["cluster", `${seg.cluster} (distance ${fmt(seg.distance, 3)})`],
  ];
  for (const [k, v] of lines) console.log(`  ${k.padEnd(36)}${v}`);
  console.log(`  same as the batch row: ${Object.is(score.clv, before[summaries.indexOf(top)].clv)}`);

  // --- Latency of the request path (model already loaded, summary already built). ---
  const lClv = latency(() => scoreCustomer(loaded, mine));
  const rfmRow = rfm.filter((r) => r.customerId === top.customerId);
  const lCluster = latency(() => assignCluster(loaded.cluster, rfmRow));
  console.log(`\nPer-call latency over 10,000 calls (after 1,000 warm-up calls):`);
  console.log(`  ${"call".padEnd(32)}  mean µs   p99 µs`);
  console.log(`  ${"scoreCustomer (P(alive), CLV)".padEnd(32)}  ${fmt(lClv.mean, 1).padStart(7)}  ${fmt(lClv.p99, 1).padStart(7)}`);
  console.log(`  ${"assignCluster (one row)".padEnd(32)}  ${fmt(lCluster.mean, 1).padStart(7)}  ${fmt(lCluster.p99, 1).padStart(7)}`);

  rmSync(dir, { recursive: true, force: true });
  console.log(`\nRemoved ${dir}. Done in ${((performance.now() - t0) / 1000).toFixed(2)} s.`);
}

try {
  main();
} catch (e: unknown) {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
}
