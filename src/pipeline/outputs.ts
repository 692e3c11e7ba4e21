import { toCsv } from "../io/csv.js";
import { rulesCsv } from "../rules/format.js";
import { customersCsvChunks } from "./table.js";
import type { AnalysisResult } from "./analyze.js";
import { renderReport } from "./report.js";

/**
 * The files of an analysis as `[name, content]` pairs: `customers.csv` (one row per customer),
 * `segments.csv` (the RFM segment summary), `rules.csv` (association rules), `model.json`
 * (everything except the customer table) and `report.html` (the offline report). In privacy
 * mode (`analyze(..., { privacy: true })`) there is no `customers.csv`: four files, every one a
 * summary.
 * Pure: writing them is the caller's business (the CLI writes them atomically).
 *
 * @param result - the output of `analyze`.
 * @returns the five files.
 * @example
 * ```ts
 * const files = await analysisFiles(await analyze(generateTransactions({ customers: 200, seed: 1 })));
 * files.map(([name]) => name);
 * //=> ["customers.csv", "segments.csv", "rules.csv", "model.json", "report.html"]
 * ```
 * @category Pipeline
 */
export async function analysisFiles(result: AnalysisResult): Promise<[string, string][]> {
  return [
    ...(result.privacy ? [] : [["customers.csv", [...customersCsvChunks(result.table)].join("")] as [string, string]]),
    ["segments.csv", segmentsCsv(result)],
    ["rules.csv", rulesFileCsv(result)],
    ["model.json", modelJson(result)],
    ["report.html", await renderReport(result)],
  ];
}

/**
 * `segments.csv` of an analysis: the RFM segment summary, one row per segment (only the header
 * line when the RFM step did not run).
 * @internal
 */
export function segmentsCsv(result: AnalysisResult): string {
  const segments = (result.results.rfm as { segments?: object[] } | undefined)?.segments ?? [];
  return toCsv(segments);
}

/**
 * `rules.csv` of an analysis: one rule per row, antecedent and consequent as a JSON array per
 * cell (item keys; item names in two more columns when the log had an item label column), so an
 * item whose name holds a comma, `|` or ` + ` stays one item (see `rulesCsv` of the rules
 * module). Only a header line when the rules step did not run.
 * @internal
 */
export function rulesFileCsv(result: AnalysisResult): string {
  return rulesCsv(result.results.rules?.rules ?? []);
}

/**
 * `model.json` of an analysis: everything except the per-customer table (settings, ingestion
 * and summary accounting, step statuses, every step's model fits and summaries) and except the
 * step timings (`result.steps[].seconds`), so that the same data and seed give the same bytes.
 *
 * @param result - the output of `analyze`.
 * @returns the JSON text (2-space indented, newline-terminated).
 * @example
 * ```ts
 * const result = await analyze(generateTransactions({ customers: 100, seed: 1 }), { seed: 1, skip: ["montecarlo", "cluster", "churn"] });
 * Object.keys(JSON.parse(modelJson(result)));
 * //=> ["asOf", "seed", "settings", "ingestion", "summary", "steps", "value", "results", "warnings", "summaryText"]
 * ```
 * @category Pipeline
 */
export function modelJson(result: AnalysisResult): string {
  const { asOf, seed, settings, ingestion, summary, results, value, warnings, summaryText, privacy } = result;
  // Step timings are left out, so two runs with the same data and seed write the same bytes.
  const steps = result.steps.map(({ seconds: _seconds, ...rest }) => rest);
  return `${JSON.stringify({ asOf, seed, settings, ingestion, summary, steps, value, results, warnings, summaryText, ...(privacy ? { privacy } : {}) }, null, 2)}\n`;
}
