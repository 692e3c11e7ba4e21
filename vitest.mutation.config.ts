import { defineConfig } from "vitest/config";

/**
 * Vitest configuration for mutation runs only (`npm run mutation`, see stryker.config.mjs and
 * docs/contributing.md "Mutation testing"). The folder comes from MUTATION_FOLDER. With the
 * default (core) scope only the test files that exercise the mutated core run: a surviving
 * mutant re-runs every test that covers it, so each heavy file on that list costs minutes per
 * run. MUTATION_SCOPE=all runs the whole test folder, less the worker-pool and browser tests
 * (they start threads or Chromium; the thread plumbing they test is never mutated).
 */
const folder = process.env.MUTATION_FOLDER ?? "pipeline";
const core: Record<string, string[]> = {
  value: ["weibull", "anchors", "monteCarlo"],
  churn: ["evaluate", "dataset"],
  pipeline: ["analyze", "value"],
  cluster: ["kmeans", "lloyd", "seeding", "bounds"],
  clv: ["cdnow", "degenerate", "overflow"],
};
const include =
  process.env.MUTATION_SCOPE === "all"
    ? [`test/${folder}/**/*.test.ts`]
    : [...(core[folder] ?? []).map((f) => `test/${folder}/${f}.test.ts`), `test/${folder}/mutants*.test.ts`];

export default defineConfig({
  test: {
    include,
    exclude: ["**/node_modules/**", "**/pool.test.ts", "**/parallel.test.ts", "**/*.browser.test.ts"],
    testTimeout: 120_000,
    globalSetup: ["test/setup/shared-data.ts"],
  },
});
