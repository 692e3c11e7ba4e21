/**
 * surveyReport: the sections, the path diagram (one arrow and label per path, coefficients as
 * fitted), escaping of names from the data, and the sections left out with a note.
 */
import { describe, expect, it } from "vitest";
import { ecsiModel, kanoClassify, parseSurveyCsv, plsBootstrap, plsPathModel, respondentIndex, satisfactionTrap, surveyReport } from "../../src/survey/index.js";
import { pathDiagramSvg } from "../../src/survey/report.js";
import { mobiText } from "./mobi.js";

const { table } = parseSurveyCsv(mobiText(), { scale: { min: 1, max: 10 } });
const fit = plsPathModel(table, ecsiModel());

/** The ids of the report's sections, in order. */
const sectionIds = (html: string) => [...html.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1]);

describe("surveyReport", () => {
  it("surveyReport(mobi fit, everything) has every section, each with a how-to-read note", async () => {
    const boot = plsBootstrap(table, ecsiModel(), { samples: 30, seed: 2 });
    const idx = respondentIndex(fit, table);
    const trap = satisfactionTrap(idx.get("Satisfaction")!, idx.get("Loyalty")!, { samples: 0 });
    const kano = kanoClassify([
      { attribute: "roaming", functional: 1, dysfunctional: 5 },
      { attribute: "roaming", functional: 3, dysfunctional: 5 },
      { attribute: "5G", functional: 1, dysfunctional: 3 },
    ]);
    const html = await surveyReport(fit, { bootstrap: boot, trap, kano, notes: ["a note"] });
    expect(sectionIds(html)).toEqual(["model", "loadings", "reliability", "htmt", "effects", "index", "ipa", "kano", "trap", "notes"]);
    expect(html.match(/<strong>How to read this\.<\/strong>/g)!.length).toBe(9);
    // the 0–100 index of Satisfaction (docs/survey.md: 72.5) in the index table
    expect(html).toContain(">72.5<");
    // mobi's Satisfaction–Loyalty curve is concave: the report says there is no trap
    expect(html).toContain("no satisfaction trap in these data");
    expect(html).toContain("Importance–performance map (target: Loyalty)");
    expect(html).toContain("<li class=\"skipped\">a note</li>");
    // no script and nothing loaded from elsewhere
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  }, 60_000);

  it("pathDiagramSvg draws one box per construct and one labelled arrow per path", () => {
    const svg = pathDiagramSvg(fit);
    expect(svg.match(/<rect [^>]*rx="6"/g)!.length).toBe(7);
    expect(svg.match(/marker-end="url\(#pls-arrow\)"/g)!.length).toBe(12);
    for (const p of fit.paths) expect(svg).toContain(`<title>${p.from} → ${p.to}: ${p.coefficient.toFixed(3)}</title>`);
    // Satisfaction -> Loyalty 0.485 (plspm, docs/survey.md)
    expect(svg).toContain(">0.485</text>");
    expect(svg).toContain(">R² 0.681</text>");
  });

  it("pathDiagramSvg dashes the arrows whose bootstrap interval contains 0", () => {
    const boot = plsBootstrap(table, ecsiModel(), { samples: 100, seed: 5 });
    const weak = boot.paths.filter((p) => p.lower <= 0 && p.upper >= 0).length;
    expect(weak).toBeGreaterThan(0); // Expectation -> Value, Expectation -> Satisfaction, Complaints -> Loyalty
    expect(pathDiagramSvg(fit, boot).match(/stroke-dasharray/g)!.length).toBe(weak);
  });

  it("surveyReport escapes names from the data and leaves out the index without a scale, saying why", async () => {
    const data = { a1: [1, 2, 3, 4, 5, 6], a2: [2, 1, 4, 3, 6, 5], b: [1, 3, 2, 5, 4, 6] };
    const bad = "<script>alert(1)</script>";
    const f = plsPathModel(data, { blocks: [{ name: bad, items: ["a1", "a2"] }, { name: "B & C", items: ["b"] }], paths: [{ from: bad, to: "B & C" }] });
    const html = await surveyReport(f, { title: "t" });
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("B &amp; C");
    expect(sectionIds(html)).toEqual(["model", "loadings", "reliability", "htmt", "effects", "notes"]);
    expect(html).toContain("index and the importance–performance map are left out");
  }, 60_000);

  it("surveyReport leaves a Kano attribute without classified answers out of the chart (no NaN)", async () => {
    const f = plsPathModel({ x: [1, 2, 3, 4, 5], y: [2, 1, 4, 3, 5] }, { blocks: [{ name: "X", items: ["x"] }, { name: "Y", items: ["y"] }], paths: [{ from: "X", to: "Y" }] });
    const kano = kanoClassify([{ attribute: "a", functional: null, dysfunctional: 1 }, { attribute: "b", functional: 1, dysfunctional: 5 }]);
    const html = await surveyReport(f, { kano, scale: { min: 1, max: 5 } });
    expect(html).not.toContain("NaN");
    expect(html).toContain("<td>no answers</td>");
  }, 60_000);

  describe("errors", () => {
    it("an unknown target is an InvalidOptionError", async () => {
      await expect(surveyReport(fit, { target: "Nope" })).rejects.toMatchObject({ name: "InvalidOptionError", option: "target", value: "Nope" });
    });
  });
});
