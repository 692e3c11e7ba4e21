/** parseSurvey / parseSurveyCsv: the mobi file, hand cases, accounting invariants, errors. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { ecsiModel, parseSurvey, parseSurveyCsv, plsPathModel, satisfactionIndex } from "../../src/survey/index.js";
import { mobiColumns, mobiText } from "./mobi.js";

const SCALE = { min: 1, max: 10 };

function thrown(f: () => unknown): unknown {
  try { f(); } catch (e) { return e; }
  return undefined;
}

describe("parseSurveyCsv", () => {
  it("parseSurveyCsv(mobi.csv) reads 250 respondents and 24 items on the 1-10 scale", () => {
    const r = parseSurveyCsv(mobiText(), { scale: SCALE });
    expect([r.read, r.accepted, r.rejected, r.missingAnswers]).toEqual([250, 250, 0, 0]);
    expect(r.table.items.length).toBe(24);
    expect(r.table.respondents[0]).toBe("1");
    expect(Array.from(r.table.answers.get("CUEX1")!.slice(0, 4))).toEqual([7, 10, 7, 7]); // first lines of mobi.csv
  });

  it("plsPathModel(survey table) equals the fit on plain columns, and the index uses the table's scale", () => {
    const table = parseSurveyCsv(mobiText(), { scale: SCALE }).table;
    const a = plsPathModel(table, ecsiModel());
    const b = plsPathModel(mobiColumns(), ecsiModel());
    expect(a.paths).toEqual(b.paths);
    expect(satisfactionIndex(a)).toEqual(satisfactionIndex(b, { scale: SCALE }));
  });

  it("parseSurveyCsv names the row, field and value of an answer outside the scale (strict)", () => {
    const e = thrown(() => parseSurveyCsv("q1,q2\n3,4\n5,12\n", { scale: SCALE })) as InvalidRecordError;
    expect(e).toBeInstanceOf(InvalidRecordError);
    expect([e.row, e.field, e.value]).toEqual([2, "q2", "12"]);
    expect(e.expected).toMatch(/whole number from 1 to 10/);
  });

  it("parseSurveyCsv(lenient) rejects bad rows with issues: fields, scale, non-integer, no answers, duplicate id", () => {
    const text = [
      "id,cust,q1,q2",
      "a,c1,3,4",
      "b,c2,5", //           row 2: wrong field count
      "c,,2.5,4", //         row 3: not a whole number
      "",
      "d,,NA,", //           row 4: no answers
      "a,c3,1,1", //         row 5: duplicate respondent
      '"e",c4,"7",x', //     row 6: not a number
      "f,c5,,9", //          row 7: accepted with one missing answer
    ].join("\r\n");
    const r = parseSurveyCsv(text, { scale: SCALE, respondentColumn: "id", customerColumn: "cust", mode: "lenient" });
    expect([r.read, r.accepted, r.rejected]).toEqual([7, 2, 5]);
    expect(r.issues.map((i) => [i.row, i.field])).toEqual([[2, "(row)"], [3, "q1"], [4, "(all items)"], [5, "id"], [6, "q2"]]);
    expect(r.table.respondents).toEqual(["a", "f"]);
    expect(r.table.customers).toEqual(["c1", "c5"]);
    expect(r.missingAnswers).toBe(1);
    expect(r.issues[1].message).toMatch(/^parseSurveyCsv: row 3, field "q1": got "2.5"/);
  });

  it("parseSurveyCsv honours per-item scales and non-integer scales", () => {
    const r = parseSurveyCsv("q1,q2\n0.5,100\n", { scale: { min: 0, max: 1, integer: false }, itemScales: new Map([["q2", { min: 0, max: 100 }]]) });
    expect(r.accepted).toBe(1);
    expect(r.table.scales.get("q2")).toEqual({ min: 0, max: 100, integer: true });
  });
});

describe("parseSurvey", () => {
  it("parseSurvey(rows) accounts for every row: accepted + rejected = read (fast-check, seed 21)", () => {
    const cell = fc.oneof(fc.integer({ min: -2, max: 12 }), fc.constant(null), fc.constant("NA"), fc.constant("x"), fc.constant(""));
    fc.assert(fc.property(fc.array(fc.record({ q1: cell, q2: cell }), { maxLength: 30 }), (rows) => {
      const r = parseSurvey(rows, { scale: SCALE, mode: "lenient", items: ["q1", "q2"] });
      expect(r.accepted + r.rejected).toBe(r.read);
      expect(r.read).toBe(rows.length);
      expect(r.table.answers.get("q1")!.length).toBe(r.accepted);
      for (const x of r.table.answers.get("q2")!) expect(Number.isNaN(x) || (x >= 1 && x <= 10 && Number.isInteger(x))).toBe(true);
    }), { seed: 21, numRuns: 200 });
  });

  describe("errors", () => {
    it("requires a valid scale and known columns", () => {
      const e = thrown(() => parseSurvey([{ q: 1 }], { scale: { min: 3, max: 3 } })) as InvalidOptionError;
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e.option).toBe("scale");
      expect(() => parseSurvey([{ q: 1 }], undefined as never)).toThrow(InvalidOptionError);
      expect(() => parseSurvey([{ q: 1 }], { scale: SCALE, items: ["z"] })).toThrow(/"z"|z/);
      expect(() => parseSurvey([{ q: 1 }], { scale: SCALE, mode: "loose" as never })).toThrow(InvalidOptionError);
    });
    it("strict mode names an empty respondent id", () => {
      const e = thrown(() => parseSurvey([{ id: " ", q: 1 }], { scale: SCALE, respondentColumn: "id" })) as InvalidRecordError;
      expect([e.row, e.field]).toEqual([1, "id"]);
    });
  });
});
