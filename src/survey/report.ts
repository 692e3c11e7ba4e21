/**
 * The survey report: a self-contained HTML page with the path diagram, the measurement and
 * structural results, the 0–100 index, the importance–performance map, Kano results and the
 * satisfaction trap.
 * @module
 */
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { buildReportHtml, escapeHtml, htmlTable, type ReportSection, type VegaLiteSpec } from "../pipeline/html.js";
import type { PlsBootstrapResult } from "./bootstrap.js";
import { satisfactionIndex, type ConstructIndex, type SatisfactionIndexOptions } from "./csi.js";
import { plsImportancePerformance, type IpaResult } from "./ipa.js";
import type { KanoAttribute } from "./kano.js";
import type { PlsResult } from "./pls.js";
import type { SatisfactionTrapResult } from "./trap.js";

/**
 * Options of {@link surveyReport}.
 * @category Survey
 */
export interface SurveyReportOptions {
  /** Page title. Default `"Customer satisfaction survey"`. */
  title?: string;
  /** Answer scale for the 0–100 index, as in {@link satisfactionIndex}. Default: the fit's scales. */
  scale?: SatisfactionIndexOptions["scale"];
  /** A {@link plsBootstrap} result of the same model: standard errors and intervals in the tables. Default: none. */
  bootstrap?: PlsBootstrapResult;
  /** Target construct of the importance–performance map. Default `"Loyalty"` when the model has it, else the last construct with antecedents. */
  target?: string;
  /** {@link kanoClassify} results, shown when given. Default: none. */
  kano?: readonly KanoAttribute[];
  /** A {@link satisfactionTrap} result, shown when given. Default: none. */
  trap?: SatisfactionTrapResult;
  /** Axis titles of the trap chart. Default `{ satisfaction: "Satisfaction", loyalty: "Loyalty" }`. */
  trapLabels?: {
    /** Title of the satisfaction axis. */
    readonly satisfaction: string;
    /** Title of the loyalty axis. */
    readonly loyalty: string;
  };
  /** Extra notes listed at the end of the page. Default: none. */
  notes?: readonly string[];
}

/** Longest-path depth of each construct (sources at 0). */
function depths(fit: PlsResult): Map<string, number> {
  const depth = new Map(fit.constructs.map((c) => [c, 0]));
  for (let round = 0; round < fit.constructs.length; round++) {
    for (const p of fit.paths) depth.set(p.to, Math.max(depth.get(p.to) as number, (depth.get(p.from) as number) + 1));
  }
  return depth;
}

const fmt = (x: number, d = 3) => (Object.is(Math.round(x * 10 ** d), -0) ? 0 : x).toFixed(d);

/**
 * The path diagram as an inline SVG: constructs as boxes in columns by their distance from the
 * exogenous constructs, paths as arrows labelled with their coefficients (dashed when a bootstrap
 * interval contains 0), R² under each endogenous construct. Every text is escaped.
 * @internal
 */
export function pathDiagramSvg(fit: PlsResult, bootstrap?: PlsBootstrapResult): string {
  const depth = depths(fit);
  const columns: string[][] = [];
  for (const c of fit.constructs) (columns[depth.get(c) as number] ??= []).push(c);
  const boxW = Math.max(100, ...fit.constructs.map((c) => 7.2 * c.length + 22));
  const boxH = 44;
  const gapX = 48;
  const rowH = 120;
  const zig = 70;
  const pad = 24;
  const maxRows = Math.max(...columns.map((col) => col.length));
  // columns alternate up and down by `zig` so that arrows between neighbours are diagonals and
  // arrows that skip columns can bend around the boxes in between
  const pos = new Map<string, { x: number; y: number; upper: boolean }>();
  columns.forEach((col, k) => col.forEach((c, r) => {
    const y = ((maxRows - col.length) * rowH) / 2 + r * rowH + (k % 2 === 0 ? 0 : zig);
    pos.set(c, { x: k * (boxW + gapX), y, upper: k % 2 === 0 && r === 0 });
  }));
  const height0 = (maxRows - 1) * rowH + zig + boxH;
  const bulge = 34;
  const parts: string[] = [];
  let minY = 0;
  let maxY = height0;
  let alternate = 0;
  // the point where the ray from a box's centre towards (tx, ty) leaves the box
  const exit = (cx: number, cy: number, tx: number, ty: number, grow: number): [number, number] => {
    const dx = tx - cx;
    const dy = ty - cy;
    const t = Math.min(dx === 0 ? Infinity : (boxW / 2 + grow) / Math.abs(dx), dy === 0 ? Infinity : (boxH / 2 + grow) / Math.abs(dy));
    return [cx + t * dx, cy + t * dy];
  };
  const shapes: { d: string; label: string; lx: number; ly: number; width: number; weak: boolean; title: string }[] = [];
  for (const p of fit.paths) {
    const a = pos.get(p.from) as { x: number; y: number; upper: boolean };
    const b = pos.get(p.to) as { x: number; y: number; upper: boolean };
    const ax = a.x + boxW / 2;
    const ay = a.y + boxH / 2;
    const bx = b.x + boxW / 2;
    const by = b.y + boxH / 2;
    const span = (depth.get(p.to) as number) - (depth.get(p.from) as number);
    let qx = (ax + bx) / 2;
    let qy = (ay + by) / 2;
    if (span > 1) {
      // bend away from the boxes in between: upwards from the upper row, downwards from the lower
      const up = a.upper && b.upper ? true : !a.upper && !b.upper ? false : alternate++ % 2 === 0;
      const lift = bulge + 26 * span;
      qy = up ? Math.min(ay, by) - lift : Math.max(ay, by) + lift;
      qx = (ax + bx) / 2;
    }
    const [x0, y0] = exit(ax, ay, qx, qy, 0);
    const [x1, y1] = exit(bx, by, qx, qy, 3);
    const lx = 0.25 * x0 + 0.5 * qx + 0.25 * x1;
    const ly = 0.25 * y0 + 0.5 * qy + 0.25 * y1;
    minY = Math.min(minY, ly - 12);
    maxY = Math.max(maxY, ly + 12);
    const st = bootstrap?.paths.find((q) => q.from === p.from && q.to === p.to);
    shapes.push({
      d: `M${fmt(x0, 1)},${fmt(y0, 1)} Q${fmt(qx, 1)},${fmt(qy, 1)} ${fmt(x1, 1)},${fmt(y1, 1)}`,
      label: fmt(p.coefficient),
      lx,
      ly,
      width: 1 + 3 * Math.min(1, Math.abs(p.coefficient)),
      weak: st !== undefined && st.lower <= 0 && st.upper >= 0,
      title: `${p.from} → ${p.to}: ${fmt(p.coefficient)}`,
    });
  }
  for (const s of shapes) {
    parts.push(`<path d="${s.d}" fill="none" stroke="#486581" stroke-width="${fmt(s.width, 2)}"${s.weak ? ' stroke-dasharray="5,4"' : ""} marker-end="url(#pls-arrow)"><title>${escapeHtml(s.title)}</title></path>`);
  }
  for (const c of fit.constructs) {
    const { x, y } = pos.get(c) as { x: number; y: number };
    const r2 = fit.r2[c];
    parts.push(
      `<rect x="${fmt(x, 1)}" y="${fmt(y, 1)}" width="${fmt(boxW, 1)}" height="${boxH}" rx="6" fill="#d9e2ec" stroke="#334e68"/>`,
      `<text x="${fmt(x + boxW / 2, 1)}" y="${fmt(y + (r2 === undefined ? 27 : 19), 1)}" text-anchor="middle" font-size="13" font-weight="600" fill="#102a43">${escapeHtml(c)}</text>`,
    );
    if (r2 !== undefined) parts.push(`<text x="${fmt(x + boxW / 2, 1)}" y="${fmt(y + 35, 1)}" text-anchor="middle" font-size="11" fill="#334e68">${escapeHtml(`R² ${fmt(r2)}`)}</text>`);
  }
  // labels last, on a white ground, so no arrow crosses them
  for (const s of shapes) {
    parts.push(
      `<rect x="${fmt(s.lx - 21, 1)}" y="${fmt(s.ly - 9, 1)}" width="42" height="16" rx="3" fill="#fff" stroke="#bcccdc" stroke-width="0.5"/>`,
      `<text x="${fmt(s.lx, 1)}" y="${fmt(s.ly + 3.5, 1)}" text-anchor="middle" font-size="11" fill="#102a43">${escapeHtml(s.label)}</text>`,
    );
  }
  const width = (columns.length - 1) * (boxW + gapX) + boxW + 2 * pad;
  const top = minY - pad;
  const height = maxY - minY + 2 * pad;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="path-diagram" width="${fmt(width, 0)}" height="${fmt(height, 0)}" viewBox="${fmt(-pad, 0)} ${fmt(top, 0)} ${fmt(width, 0)} ${fmt(height, 0)}" style="max-width:100%;height:auto" role="img" aria-label="PLS path diagram">` +
    `<defs><marker id="pls-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#486581"/></marker></defs>` +
    `${parts.join("")}</svg>`;
}

/** The default target of the importance–performance map. */
function defaultTarget(fit: PlsResult): string | null {
  if (fit.constructs.includes("Loyalty") && fit.effects.some((e) => e.to === "Loyalty")) return "Loyalty";
  const d = depths(fit);
  const withAntecedents = fit.constructs.filter((c) => fit.effects.some((e) => e.to === c));
  if (withAntecedents.length === 0) return null;
  return withAntecedents.reduce((best, c) => ((d.get(c) as number) > (d.get(best) as number) ? c : best));
}

/**
 * Build the HTML report of a fitted survey model: the path diagram, the outer model, the
 * reliability and HTMT tables, R², total effects, the 0–100 index, the importance–performance map,
 * and, when given, Kano results and the satisfaction trap.
 *
 * @remarks
 * One self-contained page (no script, nothing loaded from a network) built with the layout of the
 * analysis report: the path diagram is an inline SVG drawn here, the
 * charts are Vega-Lite rendered to static SVG. Every text taken from the data (construct, item and
 * attribute names) is escaped. Each section carries a "how to read this" note. When the index
 * cannot be formed (no answer scale, weights of mixed signs) the index and IPA sections are left
 * out and a note says why.
 *
 * @param fit - a {@link plsPathModel} result.
 * @param options - {@link SurveyReportOptions}.
 * @returns the HTML text.
 * @throws {@link InvalidOptionError} for an unknown `target`; {@link AnalyticsError}
 *   `DEPENDENCY_FAILED` when the chart packages (vega, vega-lite) cannot be loaded.
 * @example
 * ```ts
 * const data = { x: [1, 2, 3, 4, 5, 6], m: [2, 1, 4, 3, 6, 5], y: [1, 3, 2, 5, 4, 6] };
 * const fit = plsPathModel(data, {
 *   blocks: [{ name: "X", items: ["x"] }, { name: "M", items: ["m"] }, { name: "Y", items: ["y"] }],
 *   paths: [{ from: "X", to: "M" }, { from: "M", to: "Y" }],
 * });
 * const html = await surveyReport(fit, { scale: { min: 1, max: 6 } });
 * [html.startsWith("<!DOCTYPE html>"), html.includes('class="path-diagram"'), html.includes('id="ipa"')];
 * //=> [true, true, true]
 * ```
 * @category Survey
 */
export async function surveyReport(fit: PlsResult, options: SurveyReportOptions = {}): Promise<string> {
  const fn = "surveyReport";
  const boot = options.bootstrap;
  const notes = [...(options.notes ?? [])];
  const sections: ReportSection[] = [];
  const pathStat = (from: string, to: string) => boot?.paths.find((q) => q.from === from && q.to === to);

  // 1. structural model
  sections.push({
    id: "model",
    title: "Path model",
    charts: [],
    howToRead:
      "Boxes are constructs (latent variables) measured by survey items; arrows are the structural paths, labelled with standardised path coefficients (the change in the target, in standard deviations, for one standard deviation more of the cause, others held fixed). Thicker arrows are stronger paths" +
      (boot ? "; dashed arrows have a bootstrap interval that contains 0" : "") +
      ". R² under a construct is the share of its variance explained by the arrows into it.",
    html: `<div class="chart">${pathDiagramSvg(fit, boot)}</div>` + htmlTable(fit.paths.map((p) => ({ ...p, st: pathStat(p.from, p.to) })), [
      ["from", (r) => r.from],
      ["to", (r) => r.to],
      ["coefficient", (r) => r.coefficient],
      ...(boot ? ([
        ["bootstrap SE", (r) => r.st?.standardError],
        [`${Math.round(boot.level * 100)}% lower`, (r) => r.st?.lower],
        [`${Math.round(boot.level * 100)}% upper`, (r) => r.st?.upper],
      ] as [string, (r: { st?: { standardError: number; lower: number; upper: number } }) => unknown][]) : []),
    ], 3),
  });

  // 2. outer model
  const itemRows = fit.constructs.flatMap((c) => fit.blocks[c].map((item) => ({ c, item })));
  sections.push({
    id: "loadings",
    title: "Measurement model: outer weights and loadings",
    charts: [],
    howToRead:
      "A loading is the correlation of an item with its construct's score; for reflective constructs loadings of 0.7 or more are wanted (the construct explains half the item's variance). A weight is the item's share in the construct score (standardised items). An item with a low loading measures something else than its block.",
    html: htmlTable(itemRows, [
      ["construct", (r) => r.c],
      ["item", (r) => r.item],
      ["weight", (r) => fit.weights[r.item]],
      ["loading", (r) => fit.loadings[r.item]],
      ...(boot ? ([["loading SE", (r) => boot.loadings[r.item]?.standardError]] as [string, (r: { item: string }) => unknown][]) : []),
      ["item mean", (r) => fit.itemMeans[r.item]],
    ], 3),
  });

  // 3. reliability
  sections.push({
    id: "reliability",
    title: "Reliability and convergent validity",
    charts: [],
    howToRead:
      "Cronbach's alpha, composite reliability rho_c and Dijkstra–Henseler rho_A measure how consistently a block's items measure their construct: 0.7 or more is the usual bar, above 0.95 suggests redundant items. AVE (average variance extracted) of 0.5 or more means the construct explains at least half of its items' variance. Formative (mode B) blocks have none of these. R² is shown for endogenous constructs.",
    html: htmlTable(fit.constructs, [
      ["construct", (c) => c],
      ["items", (c) => fit.blocks[c].length],
      ["alpha", (c) => fit.alpha[c] ?? "–"],
      ["rho_c", (c) => fit.rhoC[c] ?? "–"],
      ["rho_A", (c) => fit.rhoA[c] ?? "–"],
      ["AVE", (c) => fit.ave[c] ?? "–"],
      ["R²", (c) => fit.r2[c] ?? "–"],
    ], 3),
  });

  // 4. HTMT
  sections.push({
    id: "htmt",
    title: "Discriminant validity (HTMT)",
    charts: [],
    howToRead:
      "The heterotrait–monotrait ratio compares the correlations between the items of two constructs with those within each construct. Values above 0.85 (strict) or 0.90 (lenient) mean the two constructs are not well told apart by the respondents (Henseler, Ringle & Sarstedt 2015).",
    html: htmlTable(fit.htmt, [
      ["construct", (h) => h.a],
      ["construct", (h) => h.b],
      ["HTMT", (h) => h.value],
      ["above 0.85", (h) => (h.value > 0.85 ? "yes" : "")],
    ], 3),
  });

  // 5. effects
  const totalStat = (from: string, to: string) => boot?.totalEffects.find((q) => q.from === from && q.to === to);
  sections.push({
    id: "effects",
    title: "Total effects",
    charts: [],
    howToRead:
      "The total effect of a construct on another is its direct path plus every indirect route through other constructs (the products of the coefficients along each route). It answers: one standard deviation more of the cause moves the target by this many standard deviations in all.",
    html: htmlTable(fit.effects, [
      ["from", (e) => e.from],
      ["to", (e) => e.to],
      ["direct", (e) => e.direct],
      ["indirect", (e) => e.indirect],
      ["total", (e) => e.total],
      ...(boot ? ([["total SE", (e) => totalStat(e.from, e.to)?.standardError]] as [string, (e: { from: string; to: string }) => unknown][]) : []),
    ], 3),
  });

  // 6. index and IPA
  let index: ConstructIndex[] | null = null;
  try {
    index = satisfactionIndex(fit, { scale: options.scale });
  } catch (e) {
    if (!(e instanceof AnalyticsError)) throw e;
    notes.push(`The 0–100 index and the importance–performance map are left out: ${e.message}`);
  }
  if (index !== null) {
    sections.push({
      id: "index",
      title: "Satisfaction index (0–100)",
      charts: [{
        data: { values: index.map((x) => ({ construct: x.construct, index: x.index })) },
        mark: { type: "bar", color: "#486581" },
        encoding: {
          y: { field: "construct", type: "nominal", sort: null, title: null },
          x: { field: "index", type: "quantitative", scale: { domain: [0, 100] }, title: "index (0–100)" },
        },
        height: { step: 26 },
      }],
      howToRead:
        "The ACSI-style index of each construct: the answers to its items, weighted by the model's (rescaled, unstandardised) outer weights, averaged over respondents and put on 0–100, where 0 means every respondent gave every item the lowest answer and 100 the highest.",
      html: htmlTable(index, [["construct", (x) => x.construct], ["index", (x) => x.index]], 1),
    });
    const target = options.target ?? defaultTarget(fit);
    if (options.target !== undefined && !fit.constructs.includes(options.target)) throw new InvalidOptionError(fn, "target", options.target, `one of ${fit.constructs.join(", ")}`);
    if (target !== null) {
      const ipa: IpaResult = plsImportancePerformance(fit, { target, scale: options.scale });
      sections.push({
        id: "ipa",
        title: `Importance–performance map (target: ${target})`,
        charts: [{
          layer: [
            { data: { values: ipa.points.map((p) => ({ ...p })) }, mark: { type: "point", filled: true, size: 80, color: "#243b53" }, encoding: { x: { field: "importance", type: "quantitative", title: `importance (total effect on ${target})` }, y: { field: "performance", type: "quantitative", title: "performance (index 0–100)", scale: { zero: false } } } },
            { data: { values: ipa.points.map((p) => ({ ...p })) }, mark: { type: "text", dx: 8, align: "left", fontSize: 11 }, encoding: { x: { field: "importance", type: "quantitative" }, y: { field: "performance", type: "quantitative" }, text: { field: "name" } } },
            { data: { values: [{ v: ipa.crosshair.importance }] }, mark: { type: "rule", strokeDash: [4, 4], color: "#9fb3c8" }, encoding: { x: { field: "v", type: "quantitative" } } },
            { data: { values: [{ v: ipa.crosshair.performance }] }, mark: { type: "rule", strokeDash: [4, 4], color: "#9fb3c8" }, encoding: { y: { field: "v", type: "quantitative" } } },
          ],
        }],
        howToRead:
          `Each construct with an effect on ${target} is placed by importance (its total effect on ${target}) and performance (its 0–100 index); the dashed crosshairs are the means. Top right: keep up the good work; bottom right: concentrate here (important but weak); bottom left: low priority; top left: possible overkill.`,
        html: htmlTable(ipa.points, [["construct", (p) => p.name], ["importance", (p) => p.importance], ["performance", (p) => p.performance], ["quadrant", (p) => p.quadrant]], 3),
      });
    }
  }

  // 7. Kano
  if (options.kano !== undefined && options.kano.length > 0) {
    const cats = ["M", "O", "A", "I", "R", "Q"] as const;
    const names: Record<string, string> = { M: "Must-be", O: "One-dimensional", A: "Attractive", I: "Indifferent", R: "Reverse", Q: "Questionable" };
    sections.push({
      id: "kano",
      title: "Kano classification",
      charts: [{
        data: { values: options.kano.filter((a) => a.n > 0).flatMap((a) => cats.map((c) => ({ attribute: a.attribute, category: names[c], share: a.shares[c] }))) },
        mark: "bar",
        encoding: {
          y: { field: "attribute", type: "nominal", sort: null, title: null },
          x: { field: "share", type: "quantitative", stack: "normalize", title: "share of answers", axis: { format: "%" } },
          color: { field: "category", type: "nominal", sort: cats.map((c) => names[c]), scale: { domain: cats.map((c) => names[c]), range: ["#8d2b0b", "#486581", "#2f8132", "#bcccdc", "#d64545", "#f0b429"] } },
          order: { field: "category", sort: "ascending" },
        },
        height: { step: 26 },
      }],
      howToRead:
        "Each attribute's answer pairs (feeling if present, feeling if absent) classified by the Kano table: Must-be (expected; its absence dissatisfies), One-dimensional (more is better), Attractive (delights, not missed), Indifferent, Reverse, Questionable (contradictory answers). The category is the most frequent one (ties: M > O > A > I). CS+ near 1: the attribute adds satisfaction; CS− near −1: its absence causes dissatisfaction (Berger et al. 1993).",
      html: htmlTable(options.kano, [
        ["attribute", (a) => a.attribute],
        ["n", (a) => a.n],
        ["category", (a) => (a.n > 0 ? names[a.category] : "no answers")],
        ["CS+", (a) => a.csPlus ?? "–"],
        ["CS−", (a) => a.csMinus ?? "–"],
      ], 2),
    });
  }

  // 8. satisfaction trap
  const trap = options.trap;
  if (trap !== undefined) {
    const lab = options.trapLabels ?? { satisfaction: "Satisfaction", loyalty: "Loyalty" };
    const lo = trap.levels[0].lower;
    const hi = trap.levels[trap.levels.length - 1].upper;
    const line = (x: number) => trap.atBreakpoint + (x <= trap.breakpoint ? trap.slopeBelow : trap.slopeAbove) * (x - trap.breakpoint);
    const x = { field: "s", type: "quantitative", title: lab.satisfaction, scale: { zero: false } };
    const y = { field: "l", type: "quantitative", title: lab.loyalty, scale: { zero: false } };
    const layer: VegaLiteSpec[] = [];
    if (trap.interval !== null) {
      layer.push({ data: { values: [{ a: trap.interval.lower, b: trap.interval.upper }] }, mark: { type: "rect", color: "#f0b429", opacity: 0.18 }, encoding: { x: { field: "a", type: "quantitative" }, x2: { field: "b" } } });
    }
    layer.push(
      { data: { values: trap.levels.map((l) => ({ s: l.satisfaction, l: l.loyalty, n: l.n })) }, mark: { type: "point", filled: true, color: "#829ab1" }, encoding: { x, y, size: { field: "n", type: "quantitative", title: "respondents" } } },
      { data: { values: trap.levels.map((l) => ({ s: l.satisfaction, l: l.isotonic, series: "isotonic fit" })) }, mark: { type: "line", interpolate: "step-after", color: "#243b53" }, encoding: { x, y } },
      { data: { values: [lo, trap.breakpoint, hi].map((s) => ({ s, l: line(s) })) }, mark: { type: "line", color: "#d64545", strokeDash: [6, 3] }, encoding: { x, y } },
      { data: { values: [{ s: trap.breakpoint }] }, mark: { type: "rule", color: "#d64545" }, encoding: { x: { field: "s", type: "quantitative" } } },
    );
    const where = trap.interval ? `; ${Math.round(trap.interval.level * 100)}% bootstrap interval ${fmt(trap.interval.lower, 2)}–${fmt(trap.interval.upper, 2)}, shaded` : "";
    sections.push({
      id: "trap",
      title: "Satisfaction trap: loyalty by satisfaction level",
      charts: [{ layer }],
      howToRead:
        `Dots are the mean ${lab.loyalty.toLowerCase()} of respondents at each satisfaction level (size: respondents); the dark steps are the monotone (isotonic) fit; the red dashed line is the two-segment fit whose breakpoint (red rule, at ${fmt(trap.breakpoint, 2)}${where}) is chosen by least squares. ` +
        (trap.trap
          ? `Below the breakpoint loyalty rises by ${fmt(trap.slopeBelow)} per point of satisfaction, above it by ${fmt(trap.slopeAbove)}: satisfied customers in the flat zone (${fmt(trap.flatZone!.from, 2)}–${fmt(trap.flatZone!.to, 2)}) are hardly more loyal than dissatisfied ones; loyalty is won only above the breakpoint (the satisfaction trap).`
          : `Loyalty does not rise more steeply above the breakpoint (slopes ${fmt(trap.slopeBelow)} below, ${fmt(trap.slopeAbove)} above): no satisfaction trap in these data.`),
      html: htmlTable(trap.levels, [
        ["from", (l) => l.lower],
        ["to", (l) => l.upper],
        ["respondents", (l) => l.n],
        [`mean ${lab.loyalty.toLowerCase()}`, (l) => l.loyalty],
        ["isotonic fit", (l) => l.isotonic],
      ], 2),
    });
  }

  const subtitle = `${fit.n} respondents · ${fit.constructs.length} constructs, ${fit.paths.length} paths · ${fit.scheme} weighting scheme, converged in ${fit.iterations} iterations` +
    (fit.imputed > 0 ? ` · ${fit.imputed} missing answers replaced by item means` : "") + (fit.dropped > 0 ? ` · ${fit.dropped} respondents dropped for missing answers` : "") +
    (boot ? ` · bootstrap ${boot.samples} samples, seed ${String(boot.seed)}` : "");
  return buildReportHtml(options.title ?? "Customer satisfaction survey", subtitle, sections, notes);
}
