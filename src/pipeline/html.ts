/**
 * HTML building blocks of the offline report: escaping, tables, and charts rendered to static
 * SVG by Vega-Lite at build time (the report has no script and loads nothing from a network).
 * @module
 */
import { AnalyticsError } from "../core/errors.js";

/**
 * Escape text for HTML element content and attribute values.
 *
 * @example
 * ```ts
 * escapeHtml('<script>alert("x")</script>');
 * //=> "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
 * ```
 * @category Report
 */
export function escapeHtml(text: unknown): string {
  return String(text ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A Vega-Lite specification (kept structural: the library does not re-type Vega-Lite). @internal */
export type VegaLiteSpec = Record<string, unknown>;

/** The chart engine, loaded once on first use. */
let chartEngine: Promise<[typeof import("vega"), typeof import("vega-lite")]> | null = null;

/**
 * Vega and Vega-Lite, imported on the first chart: importing the library never loads them (about
 * 25 MB installed, 8 MiB of heap; see docs/contributing.md, "Dependencies"). Not installed or
 * broken: a `DEPENDENCY_FAILED` error naming the packages.
 */
function loadChartEngine(): Promise<[typeof import("vega"), typeof import("vega-lite")]> {
  // A specifier bundlers do not follow: a browser bundle of the library does not carry the chart
  // engine (about 2 MB) unless the page renders reports and bundles vega itself.
  const load = (name: string) => import(/* @vite-ignore */ name);
  chartEngine ??= Promise.all([load("vega") as Promise<typeof import("vega")>, load("vega-lite") as Promise<typeof import("vega-lite")>]).catch((cause: unknown) => {
    chartEngine = null;
    throw new AnalyticsError(
      "DEPENDENCY_FAILED",
      `renderReport: the report's charts need the packages "vega" and "vega-lite", which could not be loaded (${(cause as Error).message}); install them with npm install vega vega-lite`,
      { cause },
    );
  });
  return chartEngine;
}

/**
 * Render a Vega-Lite spec to a static SVG string (Vega's headless renderer; text is escaped by
 * Vega). Vega is loaded on first use so that importing the library stays light.
 * @internal
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vl] = await loadChartEngine();
  try {
    const compiled = vl.compile({ width: 520, height: 260, ...spec } as Parameters<typeof vl.compile>[0]).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: "none" });
    const svg = await view.toSVG();
    view.finalize();
    return svg;
  } catch (cause) {
    throw new AnalyticsError("DEPENDENCY_FAILED", `renderReport: a chart failed to render (${(cause as Error).message})`, { cause });
  }
}

/**
 * An HTML table from rows; every cell is escaped. Numbers are formatted with `digits` decimals.
 * @internal
 */
export function htmlTable<T>(rows: readonly T[], columns: readonly [string, (row: T) => unknown][], digits = 2): string {
  // One format per column: whole numbers when every number in it is whole, else `digits`
  // decimals for all (never "17" above "16.80").
  const cells = rows.map((r) => columns.map(([, get]) => get(r)));
  const decimals = columns.map((_, j) => (cells.every((row) => typeof row[j] !== "number" || Number.isInteger(row[j])) ? 0 : digits));
  const fmt = (v: unknown, d: number) =>
    typeof v === "number" ? (Number.isFinite(v) ? v.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }) : "") : v;
  const head = columns.map(([h]) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = cells
    .map((row) => `<tr>${row.map((v, j) => `<td${typeof v === "number" ? ' class="num"' : ""}>${escapeHtml(fmt(v, decimals[j]))}</td>`).join("")}</tr>`)
    .join("\n");
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** One section of the report. @internal */
export interface ReportSection {
  /** Anchor id (letters, digits, dashes). */
  id: string;
  /** Section title. */
  title: string;
  /** Vega-Lite specs of the section's charts. */
  charts: VegaLiteSpec[];
  /** "How to read this" text under the charts. */
  howToRead: string;
  /** Extra HTML (already escaped), e.g. a table. */
  html?: string;
}

const STYLE = `
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1f2933;background:#f7f8fa}
header{background:#243b53;color:#fff;padding:20px 32px}header h1{margin:0 0 4px;font-size:22px}header p{margin:0;opacity:.85}
nav{padding:8px 32px;background:#fff;border-bottom:1px solid #d9e2ec}nav a{margin-right:14px;color:#334e68;font-size:14px}
main{padding:8px 32px 40px;max-width:1100px}section{background:#fff;border:1px solid #d9e2ec;border-radius:6px;padding:16px 20px;margin:18px 0}
h2{font-size:18px;margin:0 0 10px}.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{overflow-x:auto}
.how{background:#f0f4f8;border-left:4px solid #627d98;padding:8px 12px;font-size:14px;margin-top:10px}
table{border-collapse:collapse;font-size:13px;margin-top:10px}th,td{border-bottom:1px solid #e4e7eb;padding:4px 8px;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
.skipped{color:#8d2b0b}`;

/**
 * Assemble the self-contained report page. Every chart is rendered to inline SVG.
 * @internal
 */
export async function buildReportHtml(title: string, subtitle: string, sections: readonly ReportSection[], notes: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const s of sections) {
    const svgs: string[] = [];
    for (const spec of s.charts) svgs.push(`<div class="chart" data-chart="${escapeHtml(s.id)}">${await renderSvg(spec)}</div>`);
    parts.push(
      `<section id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2><div class="charts">${svgs.join("")}</div>` +
        `<div class="how"><strong>How to read this.</strong> ${escapeHtml(s.howToRead)}</div>${s.html ?? ""}</section>`,
    );
  }
  const nav = sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join("");
  const noteHtml = notes.length ? `<section id="notes"><h2>Notes</h2><ul>${notes.map((n) => `<li class="skipped">${escapeHtml(n)}</li>`).join("")}</ul></section>` : "";
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(subtitle)}</p></header><nav>${nav}</nav>
<main>${parts.join("\n")}${noteHtml}</main></body></html>
`;
}
