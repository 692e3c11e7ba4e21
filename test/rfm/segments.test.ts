import { describe, expect, it } from "vitest";
import { InvalidOptionError, InvalidRecordError, segmentRulesPreset, validateSegmentRules, type SegmentRule } from "../../src/index.js";
import { catchError } from "./helpers.js";

describe("segmentRulesPreset", () => {
  it("segmentRulesPreset('grid') is the spec's R x F grid with Lost split out", () => {
    const rules = segmentRulesPreset("grid");
    const at = (r: number, f: number) => rules.find((x) => r >= x.r![0] && r <= x.r![1] && f >= x.f![0] && f <= x.f![1])?.name;
    // SPEC section 1 table, rows R 5..1, columns F 1..5.
    const expected = [
      ["New Customers", "Potential Loyalists", "Potential Loyalists", "Champions", "Champions"],
      ["Promising", "Potential Loyalists", "Potential Loyalists", "Loyal Customers", "Loyal Customers"],
      ["About To Sleep", "About To Sleep", "Need Attention", "Loyal Customers", "Loyal Customers"],
      ["Hibernating", "Hibernating", "At Risk", "At Risk", "Can't Lose Them"],
      ["Lost", "Hibernating", "At Risk", "At Risk", "Can't Lose Them"],
    ];
    for (let r = 5; r >= 1; r--) for (let f = 1; f <= 5; f++) expect(at(r, f), `R${r} F${f}`).toBe(expected[5 - r][f - 1]);
    expect(segmentRulesPreset("grid-classic").find((x) => x.name === "Lost")).toBeUndefined();
  });

  it("segmentRulesPreset returns frozen tables", () => {
    const rules = segmentRulesPreset("rfm-0.3");
    expect(Object.isFrozen(rules)).toBe(true);
    expect(Object.isFrozen(rules[0])).toBe(true);
    expect(rules.map((r) => r.name)).toEqual(["Champions", "Potential Loyalist", "Loyal Customers", "Promising", "New Customers", "Can't Lose Them", "At Risk", "Need Attention", "About To Sleep", "Lost"]);
  });

  it("segmentRulesPreset(unknown) throws InvalidOptionError", () => {
    expect(catchError(() => segmentRulesPreset("rfm" as "grid"))).toMatchObject({ name: "InvalidOptionError", option: "name", value: "rfm" });
  });
});

describe("validateSegmentRules", () => {
  it("validateSegmentRules(grid) is a clean partition of the 125 cells", () => {
    for (const p of ["grid", "grid-classic"] as const) {
      const v = validateSegmentRules(segmentRulesPreset(p));
      expect(v.ok).toBe(true);
      expect(v.uncovered).toEqual([]);
      expect(v.unreachable).toEqual([]);
      expect(v.overlaps).toEqual([]);
      expect(v.cellsWon.reduce((a, c) => a + c.cells, 0)).toBe(125);
      expect(v.messages).toEqual([]);
    }
  });

  it("validateSegmentRules(rfm 0.2) flags Can't Lose Them as unreachable after At Risk, and the gaps", () => {
    const v = validateSegmentRules(segmentRulesPreset("rfm-0.2"));
    expect(v.ok).toBe(false);
    // SPEC section 1: "Can't Lose Them" is unreachable after "At Risk". Our validator also
    // finds New Customers and Promising unreachable (taken by Potential Loyalist).
    expect(v.unreachable.map((u) => u.name)).toEqual(["New Customers", "Promising", "Can't Lose Them"]);
    expect(v.unreachable.find((u) => u.name === "Can't Lose Them")?.shadowedBy).toEqual(["At Risk"]);
    expect(v.uncovered).toHaveLength(36);
    expect(v.uncovered).toContainEqual({ r: 1, f: 1, m: 3 });
    expect(v.messages.some((m) => /Can't Lose Them" is unreachable/.test(m))).toBe(true);
  });

  it("validateSegmentRules(rfm 0.3) reports 10 uncovered cells (customers sent to Others)", () => {
    const v = validateSegmentRules(segmentRulesPreset("rfm-0.3"));
    expect(v.unreachable).toEqual([]);
    expect(v.uncovered).toHaveLength(10);
    expect(v.overlaps.find((o) => o.names[0] === "Potential Loyalist" && o.names[1] === "Loyal Customers")).toMatchObject({ first: 1, second: 2, sameName: false });
  });

  it("validateSegmentRules(older table with Hibernating = Lost) flags the duplicate rule", () => {
    // SPEC section 1: in the R package's older table "Hibernating" and "Lost" have the same rule.
    const rules: SegmentRule[] = [...segmentRulesPreset("rfm-0.2").slice(0, 9), { name: "Hibernating", r: [1, 2], f: [1, 2], m: [1, 2] }, { name: "Lost", r: [1, 2], f: [1, 2], m: [1, 2] }];
    const v = validateSegmentRules(rules);
    const lost = v.unreachable.find((u) => u.name === "Lost");
    expect(lost?.index).toBe(10);
    expect(lost?.shadowedBy).toContain("Hibernating");
  });

  it("validateSegmentRules(rules for other bins) checks the given grid", () => {
    const rules: SegmentRule[] = [{ name: "top", r: [2, 3] }, { name: "bottom", r: [1, 1] }, { name: "never", r: [3, 1] }];
    const v = validateSegmentRules(rules, { bins: 3 });
    expect(v.uncovered).toEqual([]);
    expect(v.unreachable).toEqual([{ index: 2, name: "never", shadowedBy: [] }]);
    expect(v.messages[0]).toMatch(/matches no score cell/);
  });

  it("validateSegmentRules(same-name pieces) is ok: overlaps between equal names are harmless", () => {
    const v = validateSegmentRules([{ name: "A", r: [1, 5], f: [1, 3] }, { name: "A", f: [3, 5] }], { bins: 5 });
    expect(v.ok).toBe(true);
    expect(v.overlaps[0]).toMatchObject({ sameName: true, cells: 25 });
  });

  describe("errors", () => {
    it("validateSegmentRules(malformed rule) names the rule position and field", () => {
      const e = catchError(() => validateSegmentRules([{ name: "ok", r: [1, 5] }, { name: "bad", m: [1, 6] }]));
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect(e).toMatchObject({ row: 2, field: "m", expected: "scores within 1..5" });
      expect(catchError(() => validateSegmentRules([{ name: "", r: [1, 2] }]))).toMatchObject({ row: 1, field: "name" });
      expect(catchError(() => validateSegmentRules([{ name: "x", r: [1.5, 2] as unknown as [number, number] }]))).toMatchObject({ row: 1, field: "r" });
    });
    it("validateSegmentRules(rules, { bins: 1 }) throws InvalidOptionError", () => {
      expect(catchError(() => validateSegmentRules([], { bins: 1 }))).toBeInstanceOf(InvalidOptionError);
    });
  });
});
