/**
 * `customer-analytics survey`: outputs on mobi equal the library called directly, byte-identical
 * model files for the same seed, exit codes 0/1/2 with the row, field and value of bad input, and
 * model files validated entry by entry.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { ecsiModel, parseSurveyCsv, plsBootstrap, plsPathModel, satisfactionIndex } from "../../src/survey/index.js";
import { REF } from "../survey/mobi.js";

const MOBI = new URL("../../../shared/data/mobi/mobi.csv", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "ca-survey-cli-"));
let out = "";
let err = "";
beforeEach(() => {
  out = "";
  err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** mobi.csv with one answer replaced: data row `row` (1-based), column `item`. */
function mobiWith(row: number, item: string, value: string): string {
  const lines = readFileSync(MOBI, "utf8").trim().split("\n");
  const head = lines[0].split(",").map((h) => h.replace(/"/g, ""));
  const cells = lines[row].split(",");
  cells[head.indexOf(item)] = value;
  lines[row] = cells.join(",");
  return `${lines.join("\n")}\n`;
}

describe("customer-analytics survey", () => {
  it("survey --help prints the usage and exits 0; no file exits 2", async () => {
    expect(await main(["survey", "--help"])).toBe(0);
    expect(out).toContain("customer-analytics survey <answers.csv> [options]");
    expect(out).toContain("--model M");
    out = "";
    expect(await main(["survey"])).toBe(2);
    expect(out).toContain("Usage:");
  });

  it("survey mobi.csv writes the fit and the report; index and paths equal plsPathModel called directly", async () => {
    const outDir = join(dir, "mobi");
    expect(await main(["survey", MOBI, "--model", "ecsi", "--scale", "1-10", "--bootstrap", "50", "--seed", "4", "--out", outDir])).toBe(0);
    expect(readdirSync(outDir).sort()).toEqual(["survey-model.json", "survey-report.html"]);
    const doc = JSON.parse(readFileSync(join(outDir, "survey-model.json"), "utf8"));
    const { table } = parseSurveyCsv(readFileSync(MOBI, "utf8"), { scale: { min: 1, max: 10 }, items: ecsiModel().blocks.flatMap((b) => b.items) });
    const fit = plsPathModel(table, ecsiModel());
    expect(doc.fit.paths).toEqual(fit.paths);
    expect(doc.index).toEqual(JSON.parse(JSON.stringify(satisfactionIndex(fit))));
    expect(doc.fit.r2).toEqual({ ...fit.r2 });
    expect(doc.bootstrap.paths).toEqual(plsBootstrap(table, ecsiModel(), { samples: 50, seed: 4 }).paths);
    // and the written paths equal plspm 0.4.9's (test/reference/survey_mobi.json, path scheme) to 1e-4
    for (const p of doc.fit.paths as { from: string; to: string; coefficient: number }[]) expect(p.coefficient).toBeCloseTo(REF.path.paths[`${p.from} -> ${p.to}`], 4);
    expect(doc.trap).toMatchObject({ satisfaction: "Satisfaction", loyalty: "Loyalty", trap: false });
    expect(doc.input).toMatchObject({ file: "mobi.csv", read: 250, accepted: 250, rejected: 0 });
    expect(out).toContain("rows read 250: accepted 250, rejected 0");
    expect(out).toContain("Satisfaction -> Loyalty: 0.485 (SE ");
    expect(out).toContain("index (0-100): Image 73.5, Expectation 72.5, Quality 75.0, Value 62.3, Satisfaction 72.5, Complaints 67.4, Loyalty 70.9");
    const html = readFileSync(join(outDir, "survey-report.html"), "utf8");
    expect(html).toContain('class="path-diagram"');
    expect(html).toContain('<section id="trap">');
  }, 60_000);

  it("survey writes the same model bytes for the same seed and other bytes for another seed", async () => {
    const run = async (name: string, seed: string) => {
      expect(await main(["survey", MOBI, "--bootstrap", "20", "--seed", seed, "--out", join(dir, name)])).toBe(0);
      return readFileSync(join(dir, name, "survey-model.json"));
    };
    const a = await run("seed-a", "11");
    const b = await run("seed-b", "11");
    const c = await run("seed-c", "12");
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  }, 60_000);

  it("survey with a model file fits that model", async () => {
    const model = { blocks: [{ name: "Quality", items: ["PERQ1", "PERQ2", "PERQ3"] }, { name: "Satisfaction", items: ["CUSA1", "CUSA2", "CUSA3"] }, { name: "Loyalty", items: ["CUSL1", "CUSL3"], mode: "B" }], paths: [{ from: "Quality", to: "Satisfaction" }, { from: "Satisfaction", to: "Loyalty" }] };
    const spec = file("model.json", JSON.stringify(model));
    const outDir = join(dir, "custom");
    expect(await main(["survey", MOBI, "--model", spec, "--out", outDir])).toBe(0);
    const doc = JSON.parse(readFileSync(join(outDir, "survey-model.json"), "utf8"));
    expect(doc.model).toEqual(model);
    expect(doc.options.model).toBe("model.json");
    const cols = parseSurveyCsv(readFileSync(MOBI, "utf8"), { scale: { min: 1, max: 10 }, items: ["PERQ1", "PERQ2", "PERQ3", "CUSA1", "CUSA2", "CUSA3", "CUSL1", "CUSL3"] }).table;
    expect(doc.fit.paths).toEqual(plsPathModel(cols, model as Parameters<typeof plsPathModel>[1]).paths);
  }, 60_000);

  it("survey --kano classifies the answer pairs into the model file and the report", async () => {
    const kano = file("kano.csv", "attribute,functional,dysfunctional\nroaming,like,dislike\nroaming,3,5\nroaming,3,5\n5G,1,3\n");
    const outDir = join(dir, "kano");
    expect(await main(["survey", MOBI, "--kano", kano, "--out", outDir])).toBe(0);
    const doc = JSON.parse(readFileSync(join(outDir, "survey-model.json"), "utf8"));
    // roaming: O once, M twice -> M, CS+ = 1/3, CS- = -3/3; 5G: A
    expect(doc.kano.map((a: { attribute: string; category: string; csPlus: number; csMinus: number }) => [a.attribute, a.category, a.csPlus, a.csMinus])).toEqual([["roaming", "M", 1 / 3, -1], ["5G", "A", 1, 0]]);
    expect(out).toContain("Kano: roaming M, 5G A");
    expect(readFileSync(join(outDir, "survey-report.html"), "utf8")).toContain('<section id="kano">');
  }, 60_000);

  describe("errors", () => {
    it("an answer outside the scale exits 1 naming row, field and value, and writes nothing", async () => {
      const bad = file("bad.csv", mobiWith(2, "CUSA1", "11"));
      const outDir = join(dir, "bad");
      expect(await main(["survey", bad, "--out", outDir])).toBe(1);
      expect(err).toContain('row 2, field "CUSA1": got "11"');
      expect(err).toContain("--lenient");
      expect(existsSync(join(outDir, "survey-model.json"))).toBe(false);
    });

    it("--lenient sets the bad row aside, counts it and succeeds", async () => {
      const bad = file("bad2.csv", mobiWith(5, "PERQ2", "x"));
      expect(await main(["survey", bad, "--lenient", "--out", join(dir, "lenient")])).toBe(0);
      expect(out).toContain("rows read 250: accepted 249, rejected 1");
      expect(out).toContain('row 5, PERQ2: got "x"');
      const doc = JSON.parse(readFileSync(join(dir, "lenient", "survey-model.json"), "utf8"));
      expect(doc.fit.n).toBe(249);
      expect(doc.input.issues).toEqual([expect.objectContaining({ row: 5, field: "PERQ2", value: "x" })]);
    }, 60_000);

    it("a file without the model's items exits 1 naming the column", async () => {
      const f = file("few.csv", "CUSA1,CUSA2\n1,2\n3,4\n");
      expect(await main(["survey", f, "--out", join(dir, "few")])).toBe(1);
      expect(err).toContain('"IMAG1"');
    });

    it("a constant item exits 1 naming the item", async () => {
      const lines = readFileSync(MOBI, "utf8").trim().split("\n");
      const text = `${lines[0]}\n${lines.slice(1).map((l) => l.replace(/^\d+,/, "5,")).join("\n")}\n`;
      expect(await main(["survey", file("const.csv", text), "--out", join(dir, "const")])).toBe(1);
      expect(err).toContain('item "CUEX1" has the same answer (5)');
    });

    it("a bad Kano answer exits 1 naming row, field and value", async () => {
      const kano = file("kano-bad.csv", "attribute,functional,dysfunctional\nroaming,like,dislike\nroaming,7,5\n");
      expect(await main(["survey", MOBI, "--kano", kano, "--out", join(dir, "kano-bad")])).toBe(1);
      expect(err).toContain('Kano file: parseKanoCsv: row 2, field "functional": got "7"');
    });

    it("a missing answers file exits 1", async () => {
      expect(await main(["survey", join(dir, "nope.csv"), "--out", join(dir, "nope")])).toBe(1);
      expect(err).toContain("cannot read");
    });

    it("bad arguments exit 2 with the flag named", async () => {
      const cases: [string[], string][] = [
        [["--scale", "10-1"], "--scale must look like 1-10"],
        [["--bootstrap", "5"], "--bootstrap must be 0 or a whole number"],
        [["--seed", "x"], "--seed must be an integer"],
        [["--scheme", "pathx"], "--scheme must be path, centroid or factorial"],
        [["--target", "Nope"], "--target must name a construct of the model"],
        [["--target", "Image"], "--target must name a construct with a path into it"],
        [["--model", join(dir, "missing.json")], "--model must be ecsi, acsi or a readable JSON model file"],
        [["--frobnicate"], "Unknown option '--frobnicate'"],
      ];
      for (const [args, message] of cases) {
        err = "";
        expect(await main(["survey", MOBI, ...args, "--out", join(dir, "args")])).toBe(2);
        expect(err).toContain(message);
      }
      expect(existsSync(join(dir, "args", "survey-model.json"))).toBe(false);
    });

    it("a model file with a bad entry exits 2 naming the entry", async () => {
      const spec = file("bad-model.json", '{"blocks":[{"name":"Satisfaction","items":["CUSA1","CUSA2"]},{"name":"Loyalty","items":["CUSL1"]}],"paths":[{"from":"Satisfaction","to":"Loyalty "}]}');
      expect(await main(["survey", MOBI, "--model", spec, "--out", join(dir, "badmodel")])).toBe(2);
      expect(err).toContain('entry model.paths[0].to: got "Loyalty "');
      err = "";
      const spec2 = file("bad-model2.json", '{"blocks":[{"name":"S","items":["CUSA1"],"mode":"formative"}],"paths":[]}');
      expect(await main(["survey", MOBI, "--model", spec2, "--out", join(dir, "badmodel")])).toBe(2);
      expect(err).toContain("model.blocks");
    });
  });
});
