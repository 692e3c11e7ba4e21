import { toCsv } from "../io/csv.js";
import type { AnalysisResult } from "./analyze.js";
import { renderReport } from "./report.js";

/**
 * The files of an analysis as `[name, content]` pairs: `customers.csv` (one row per customer),
 * `segments.csv` (the RFM segment summary), `rules.csv` (association rules), `model.json`
 * (everything except the customer table) and `report.html` (the offline report).
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
  const segments = (result.results.rfm as { segments?: object[] } | undefined)?.segments ?? [];
  const rules = (result.results.rules as { rules?: object[] } | undefined)?.rules ?? [];
  const { customers: _omit, ...model } = result;
  return [
    ["customers.csv", toCsv(result.customers, csvColumns(result.customers))],
    ["segments.csv", toCsv(segments)],
    ["rules.csv", toCsv(rules)],
    ["model.json", `${JSON.stringify(model, null, 2)}\n`],
    ["report.html", await renderReport(result)],
  ];
}

/** Columns: the union of the rows' keys, in order of first appearance. */
function csvColumns(rows: readonly Record<string, unknown>[]) {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), keys.push(k));
  return keys.map((k) => ({ header: k, value: (r: Record<string, unknown>) => r[k] }));
}
