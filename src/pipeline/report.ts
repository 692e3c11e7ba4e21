import type { AnalysisResult } from "./analyze.js";
import { buildReportHtml, escapeHtml, htmlTable, type ReportSection } from "./html.js";
import { SECTION_BUILDERS } from "./sections.js";
import { settingsText } from "./valueSummary.js";
import { privacyLine } from "./privacy.js";

/**
 * Render an analysis as one self-contained HTML page: every chart is static SVG rendered at
 * build time by Vega-Lite, styles are inline, nothing loads from a network, and every user
 * string (customer ids, item names) is HTML-escaped.
 *
 * @param result - the output of `analyze`.
 * @returns the HTML text.
 * @throws {@link AnalyticsError} with code `DEPENDENCY_FAILED` if a chart fails to render.
 * @example
 * ```ts
 * const html = await renderReport(await analyze(generateTransactions({ customers: 200, seed: 1 })));
 * html.startsWith("<!DOCTYPE html>");
 * //=> true
 * ```
 * @category Pipeline
 */
export async function renderReport(result: AnalysisResult): Promise<string> {
  const sections: ReportSection[] = [baseSection(result)];
  for (const build of SECTION_BUILDERS) {
    const s = build(result);
    if (s) sections.push(s);
  }
  const notes = [...(result.warnings ?? []).map((w) => `Warning: ${w}`), ...result.steps.filter((s) => s.status === "skipped").map((s) => `Step "${s.step}" skipped: ${s.reason}`)];
  if (result.privacy) notes.unshift(`${privacyLine(result.privacy)}. Customer-level tables are left out of this report.`);
  const settings = result.value ? `; values: ${settingsText(result.value.settings)}` : "";
  return buildReportHtml("Customer analytics report", `${result.table.length.toLocaleString("en-US")} customers as of ${result.asOf}, seed ${result.seed}${settings}`, sections, notes);
}


function baseSection(result: AnalysisResult): ReportSection {
  const counts = new Map<number, number>();
  const frequency = result.table.columns.get("frequency") as Float64Array;
  for (let k = 0; k < result.table.length; k++) {
    const f = Math.min(frequency[k], 10);
    counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  // Privacy mode: bars of fewer customers than the minimum group size are left out (and said so).
  const min = result.privacy?.minGroupSize ?? 0;
  const values = [...counts]
    .sort((a, b) => a[0] - b[0])
    .filter(([, n]) => n >= min)
    .map(([f, n]) => ({ orders: f === 10 ? "10+" : String(f), customers: n }));
  const ing = result.ingestion;
  const table = ing
    ? htmlTable(
        [
          ["rows read", ing.rowsRead],
          ["accepted", ing.accepted],
          ["rejected", ing.rejected],
          ...ing.rejectedByReason.map((r) => [`rejected: ${r.reason}`, r.count] as [string, number]),
          ["possible duplicates (kept)", ing.duplicates],
          ["returns (negative lines)", ing.returns],
          ["transactions after the analysis day", result.summary.excludedAfterAsOf],
        ],
        [["ingestion", (r) => r[0]], ["rows", (r) => r[1]]],
      )
    : "";
  return {
    id: "base",
    title: "Customer base",
    charts: [
      {
        title: "Customers by number of orders",
        data: { values },
        mark: "bar",
        encoding: {
          x: { field: "orders", type: "ordinal", sort: null, title: "orders per customer" },
          y: { field: "customers", type: "quantitative", title: "customers" },
        },
      },
    ],
    howToRead: `Each bar counts the customers with that many orders by ${escapeHtml(result.asOf)}. A tall first bar is normal: most customers buy once. The table accounts for every input row.`,
    html: table,
  };
}
