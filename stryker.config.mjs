// StrykerJS configuration: `npm run mutation` (see docs/contributing.md, "Mutation testing").
// One folder per run, chosen by MUTATION_FOLDER (value, churn, pipeline, cluster, clv):
//   MUTATION_FOLDER=cluster npm run mutation
// Each folder keeps its own incremental file and reports under reports/mutation/ (gitignored),
// so a re-run only re-tests mutants whose code or covering tests changed.
import { mkdirSync, symlinkSync, lstatSync } from "node:fs";

const FOLDERS = ["value", "churn", "pipeline", "cluster", "clv"];
const folder = process.env.MUTATION_FOLDER ?? "pipeline";
if (!FOLDERS.includes(folder)) {
  throw new Error(`MUTATION_FOLDER must be one of ${FOLDERS.join(", ")}; got ${JSON.stringify(folder)}`);
}
process.env.MUTATION_FOLDER = folder; // read by vitest.mutation.config.ts in the runner processes

// Files mutated per folder. MUTATION_SCOPE=all mutates the whole folder (less the thread plumbing
// parallel.ts/worker.ts, exercised only by the slow pool tests left out of mutation runs, barrels
// and type-only files): 2,000-3,400 mutants a folder, hours on two cores. The default is the
// numeric core of each folder (file or file:line-range), a few hundred mutants each, 10-20 minutes on a loaded two-core machine.
const CORE = {
  // Weibull retention fit (mean lifetime, survival, retention) and the quantile helpers of the
  // per-customer simulation (P5/P50/P95 of every customer)
  value: ["src/value/weibull.ts:108-227", "src/value/simulate.ts:500-638"],
  // calibration bins, the churn features
  churn: ["src/churn/evaluate.ts", "src/churn/dataset.ts"],
  // the churn step: scores, at-risk ranking, columns written to the customer table
  pipeline: ["src/pipeline/churnStep.ts"],
  // k-means++ seeding (the D^2 draw and the choice among candidates) and Lloyd's iteration
  cluster: ["src/cluster/kmeans.ts:380-446", "src/cluster/kmeans.ts:594-652"],
  // BG/NBD P(alive), conditional expectation and pmf; Gamma-Gamma conditional spend
  clv: ["src/clv/bgnbd.ts:256-270", "src/clv/bgnbd.ts:362-403", "src/clv/gammagamma.ts:240-249"],
};
const SKIP = ["index.ts", "parallel.ts", "worker.ts", "ml-cart.d.ts"];
const mutate =
  process.env.MUTATION_SCOPE === "all"
    ? [`src/${folder}/**/*.ts`, ...SKIP.map((f) => `!src/${folder}/**/${f}`)]
    : CORE[folder];

// The tests read the shared data sets as "../shared/data/..." relative to the working directory.
// Stryker runs them in .stryker-tmp/sandbox-XXXX, so ../shared must exist inside .stryker-tmp:
// a link to the shared/ folder beside the repository (kept between runs; Stryker removes only
// its sandboxes).
const tmp = ".stryker-tmp";
mkdirSync(tmp, { recursive: true });
try {
  lstatSync(`${tmp}/shared`);
} catch {
  symlinkSync("../../shared", `${tmp}/shared`, "dir");
}

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.mutation.config.ts", related: false },
  mutate,
  coverageAnalysis: "perTest",
  ignoreStatic: true,
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
  incremental: true,
  incrementalFile: `reports/mutation/${folder}-incremental.json`,
  tempDirName: tmp,
  // Error-message wording is not behaviour: string-literal mutants in messages are equivalent
  // for every test that checks the error class, code and fields (the project's error rule).
  mutator: { excludedMutations: ["StringLiteral"] },
  ignorePatterns: ["dist", "docs", "benchmarks", "customer-analytics-out", "test-artifacts", "scratch", "reports", "coverage"],
  reporters: ["clear-text", "progress-append-only", "html", "json"],
  htmlReporter: { fileName: `reports/mutation/${folder}.html` },
  jsonReporter: { fileName: `reports/mutation/${folder}.json` },
  thresholds: { high: 90, low: 80, break: null },
  timeoutMS: 5000,
};
