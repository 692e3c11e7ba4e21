/** kanoCategory / kanoClassify on hand cases: the full evaluation table, ties, questionable answers, errors. */
import { describe, expect, it } from "vitest";
import { InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { kanoCategory, kanoClassify, parseKanoCsv, type KanoAnswer } from "../../src/survey/index.js";

describe("kanoCategory", () => {
  it("kanoCategory(f, d) follows Berger et al.'s evaluation table in all 25 cells", () => {
    const table = ["QAAAO", "RIIIM", "RIIIM", "RIIIM", "RRRRQ"];
    for (let f = 1; f <= 5; f++) for (let d = 1; d <= 5; d++) expect(kanoCategory(f as KanoAnswer, d as KanoAnswer)).toBe(table[f - 1][d - 1]);
  });
  it("kanoCategory accepts words and numeric strings", () => {
    expect(kanoCategory("Must-be" as KanoAnswer, "dislike")).toBe("M");
    expect(kanoCategory(" 1 " as KanoAnswer, "neutral")).toBe("A");
  });
  it("kanoCategory names the field of a bad answer", () => {
    const e = (() => { try { kanoCategory(1, 6 as KanoAnswer); } catch (x) { return x; } })() as InvalidRecordError;
    expect(e).toBeInstanceOf(InvalidRecordError);
    expect([e.field, e.value]).toEqual(["dysfunctional", 6]);
  });
});

describe("kanoClassify", () => {
  it("kanoClassify counts, shares, mode and CS coefficients (hand computation)", () => {
    // attribute "app": A A O M I Q -> A 2, O 1, M 1, I 1, Q 1; n 6; mode A;
    // CS+ = (2 + 1)/(2 + 1 + 1 + 1) = 0.6; CS- = -(1 + 1)/5 = -0.4 (Q left out of both)
    const r = kanoClassify([
      { attribute: "app", functional: 1, dysfunctional: 2 },
      { attribute: "app", functional: 1, dysfunctional: 4 },
      { attribute: "app", functional: 1, dysfunctional: 5 },
      { attribute: "app", functional: 2, dysfunctional: 5 },
      { attribute: "app", functional: 3, dysfunctional: 3 },
      { attribute: "app", functional: 5, dysfunctional: 5 },
      { attribute: "app", functional: null, dysfunctional: 5 },
    ]);
    expect(r.length).toBe(1);
    const a = r[0];
    expect(a.counts).toEqual({ A: 2, O: 1, M: 1, I: 1, R: 0, Q: 1 });
    expect([a.n, a.skipped, a.category, a.tied]).toEqual([6, 1, "A", ["A"]]);
    expect(a.csPlus).toBeCloseTo(0.6, 15);
    expect(a.csMinus).toBeCloseTo(-0.4, 15);
    expect(Object.values(a.shares).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 15);
  });

  it("kanoClassify breaks a tie for the mode by M > O > A > I and lists the tied categories", () => {
    // A 2 and M 2 tied: M wins; I 2 and O 2 tied: O wins
    const r = kanoClassify([
      { attribute: "x", functional: 1, dysfunctional: 3 },
      { attribute: "x", functional: 1, dysfunctional: 3 },
      { attribute: "x", functional: 3, dysfunctional: 5 },
      { attribute: "x", functional: 4, dysfunctional: 5 },
      { attribute: "y", functional: 3, dysfunctional: 3 },
      { attribute: "y", functional: 1, dysfunctional: 5 },
      { attribute: "y", functional: 2, dysfunctional: 2 },
      { attribute: "y", functional: "like", dysfunctional: "dislike" },
    ]);
    expect(r.map((a) => [a.attribute, a.category, a.tied])).toEqual([["x", "M", ["M", "A"]], ["y", "O", ["O", "I"]]]);
  });

  it("kanoClassify gives null coefficients when every pair is reverse or questionable", () => {
    const [a] = kanoClassify([{ attribute: "q", functional: 1, dysfunctional: 1 }, { attribute: "q", functional: 5, dysfunctional: 1 }]);
    expect([a.category, a.tied, a.csPlus, a.csMinus]).toEqual(["R", ["R", "Q"], null, null]);
  });

  it("kanoClassify reports an attribute with only skipped pairs with n 0", () => {
    const [a] = kanoClassify([{ attribute: "z", functional: null, dysfunctional: null }]);
    expect([a.n, a.skipped, a.category, a.csPlus]).toEqual([0, 1, "Q", null]);
  });

  describe("errors", () => {
    it("names the position, field and value of a bad answer", () => {
      const e = (() => { try { kanoClassify([{ attribute: "a", functional: 1, dysfunctional: 2 }, { attribute: "a", functional: "love" as KanoAnswer, dysfunctional: 2 }]); } catch (x) { return x; } })() as InvalidRecordError;
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect([e.row, e.field, e.value]).toEqual([2, "functional", "love"]);
      expect(() => kanoClassify([{ attribute: "", functional: 1, dysfunctional: 2 }])).toThrow(InvalidRecordError);
    });
  });
});

describe("parseKanoCsv", () => {
  it("parseKanoCsv(text) reads words and codes, empty answers as null, other columns ignored", () => {
    const text = 'id,attribute,functional,dysfunctional,comment\n1,wifi,like,dislike,"fast, please"\n2,wifi,3,5,\n3,"room service",NA,2,\n\n4,room service,2,2,x\n';
    const pairs = parseKanoCsv(text);
    expect(pairs).toEqual([
      { attribute: "wifi", functional: 1, dysfunctional: 5 },
      { attribute: "wifi", functional: 3, dysfunctional: 5 },
      { attribute: "room service", functional: null, dysfunctional: 2 },
      { attribute: "room service", functional: 2, dysfunctional: 2 },
    ]);
    // wifi: O (1,5) and M (3,5); room service: one skipped, one I (2,2)
    expect(kanoClassify(pairs).map((a) => [a.attribute, a.n, a.skipped, a.tied])).toEqual([["wifi", 2, 0, ["M", "O"]], ["room service", 1, 1, ["I"]]]);
  });

  it("parseKanoCsv reads other column names", () => {
    expect(parseKanoCsv("f,a,d\n1,x,5\n", { attributeColumn: "a", functionalColumn: "f", dysfunctionalColumn: "d" })).toEqual([{ attribute: "x", functional: 1, dysfunctional: 5 }]);
  });

  describe("errors", () => {
    it("a bad answer, an empty attribute or a short row: InvalidRecordError with row, field and value", () => {
      const cases: [string, number, string, unknown][] = [
        ["attribute,functional,dysfunctional\nwifi,1,5\nwifi,6,5\n", 2, "functional", "6"],
        ["attribute,functional,dysfunctional\nwifi,1,hate\n", 1, "dysfunctional", "hate"],
        ["attribute,functional,dysfunctional\n ,1,5\n", 1, "attribute", ""],
        ["attribute,functional,dysfunctional\nwifi,1\n", 1, "(row)", "wifi,1"],
      ];
      for (const [text, row, field, value] of cases) {
        const e = (() => { try { parseKanoCsv(text); } catch (x) { return x; } })() as InvalidRecordError;
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect([e.row, e.field, e.value]).toEqual([row, field, value]);
      }
    });

    it("a missing column: InvalidOptionError naming the option", () => {
      const e = (() => { try { parseKanoCsv("attribute,functional\nwifi,1\n"); } catch (x) { return x; } })() as InvalidOptionError;
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect([e.option, e.value]).toEqual(["dysfunctionalColumn", "dysfunctional"]);
    });
  });
});
