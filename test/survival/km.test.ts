import { describe, expect, it } from "vitest";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { kaplanMeier, kaplanMeierByGroup } from "../../src/survival/index.js";
import { survivalQuantileOf } from "../../src/survival/km.js";
import { expectClose, num, phEcog, R } from "./lung.js";

// R survival 3.5-3 gives these to ~1e-16; the issue asks for 1e-6. We check 1e-12.
const TOL = 1e-12;

describe("kaplanMeier", () => {
  it("kaplanMeier(time, status) on five subjects matches the hand computation", () => {
    // times 1, 2, 2+, 3, 4 (the 2+ censored): at risk 5, 4, 2, 1
    // S(1) = 4/5 = 0.8; S(2) = 0.8 * 3/4 = 0.6; S(3) = 0.6 * 1/2 = 0.3; S(4) = 0.3 * 0 = 0
    // Greenwood sum d/(n(n-d)): 1/20 = 0.05; + 1/12 -> 0.133333; + 1/2 -> 0.633333; then n = d: Infinity
    const km = kaplanMeier([1, 2, 2, 3, 4], [1, 0, 1, 1, 1]);
    expect(Array.from(km.time)).toEqual([1, 2, 3, 4]);
    expect(Array.from(km.nRisk)).toEqual([5, 4, 2, 1]);
    expect(Array.from(km.nEvent)).toEqual([1, 1, 1, 1]);
    expect(Array.from(km.nCensor)).toEqual([0, 1, 0, 0]);
    expect(km.surv[0]).toBeCloseTo(0.8, 15);
    expect(km.surv[1]).toBeCloseTo(0.6, 15);
    expect(km.surv[2]).toBeCloseTo(0.3, 15);
    expect(km.surv[3]).toBe(0);
    expect(km.stdErrLogSurv[0]).toBeCloseTo(Math.sqrt(0.05), 15);
    expect(km.stdErrLogSurv[1]).toBeCloseTo(Math.sqrt(0.05 + 1 / 12), 15);
    expect(km.stdErrLogSurv[2]).toBeCloseTo(Math.sqrt(0.05 + 1 / 12 + 0.5), 15);
    expect(km.stdErrLogSurv[3]).toBe(Infinity);
    // SE of S = S * sigma: 0.8 * 0.223607 = 0.178885 (R summary: 0.1788854)
    expect(km.stdErr[0]).toBeCloseTo(0.8 * Math.sqrt(0.05), 15);
    // log interval: 0.8 * exp(-1.959964 * 0.223607) = 0.516126 (R: 0.51612576); upper capped at 1
    expect(km.lower[0]).toBeCloseTo(0.51612576, 8);
    expect(km.upper[0]).toBe(1);
    // S = 0: no interval, as R's NA
    expect(Number.isNaN(km.lower[3]) && Number.isNaN(km.upper[3]) && Number.isNaN(km.stdErr[3])).toBe(true);
    // median: first S <= 0.5 is at 3; lower band first <= 0.5 at 2 (0.293); upper band never
    expect([km.median, km.medianLower, km.medianUpper]).toEqual([3, 2, null]);
    expect([km.n, km.events]).toEqual([5, 4]);
  });

  it("kaplanMeier(time, status) takes the midpoint where S stays exactly at 0.5 (R quantile.survfit)", () => {
    // S = 0.75, 0.5, 0.5, 0.5 at 1..4 and the curve ends there: (2 + 4) / 2 = 3 (R gives 3)
    expect(kaplanMeier([1, 2, 3, 4], [1, 1, 0, 0]).median).toBe(3);
    // S = 0.5 at 2 then 0.25 at 3: (2 + 3) / 2 = 2.5
    expect(kaplanMeier([1, 2, 3, 4], [1, 1, 1, 0]).median).toBe(2.5);
    expect(survivalQuantileOf([1, 2], [0.9, 0.8], 0.5)).toBeNull();
  });

  for (const [key, confType] of [["kmLog", "log"], ["kmLogLog", "log-log"], ["kmPlain", "plain"]] as const) {
    it(`kaplanMeier(lung) with confType "${confType}" matches R survfit to 1e-12`, () => {
      const r = R[key];
      const km = kaplanMeier(R.time, R.status, { confType });
      expectClose(km.time, r.time, 0);
      expectClose(km.nRisk, r.nRisk, 0);
      expectClose(km.nEvent, r.nEvent, 0);
      expectClose(km.nCensor, r.nCensor, 0);
      expectClose(km.surv, r.surv, TOL);
      expectClose(km.stdErrLogSurv, r.stdErrCumHaz, TOL);
      expectClose(km.stdErr, r.stdErr, TOL);
      expectClose(km.lower, r.lower, TOL);
      expectClose(km.upper, r.upper, TOL);
      expect([km.median, km.medianLower, km.medianUpper]).toEqual([r.median, r.medianLower, r.medianUpper]);
    });
  }

  it("kaplanMeier defaults to R's conf.type \"log\" at 95%, and an explicit undefined keeps them", () => {
    const km = kaplanMeier(R.time, R.status, { confType: undefined, confLevel: undefined });
    expect([km.confType, km.confLevel]).toEqual(["log", 0.95]);
    expectClose(km.lower, R.kmLog.lower, TOL);
  });

  it("kaplanMeier does not change its input", () => {
    const time = Object.freeze([3, 1, 2]);
    const status = Object.freeze([1, 0, 1]);
    kaplanMeier(time, status);
    expect(time).toEqual([3, 1, 2]);
  });

  it("kaplanMeier on all-censored data gives S = 1 everywhere and no median", () => {
    const km = kaplanMeier([1, 2, 3], [0, 0, 0]);
    expect(Array.from(km.surv)).toEqual([1, 1, 1]);
    expect(km.median).toBeNull();
    expect(km.events).toBe(0);
  });

  describe("errors", () => {
    it("names the row, field and value of a negative time", () => {
      const e = (() => { try { kaplanMeier([1, -2, 3], [1, 1, 0]); } catch (err) { return err; } })() as InvalidRecordError;
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect([e.row, e.field, e.value]).toEqual([2, "time", -2]);
    });
    it("names the row, field and value of a status of 2", () => {
      const e = (() => { try { kaplanMeier([1, 2, 3], [1, 2, 0]); } catch (err) { return err; } })() as InvalidRecordError;
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect([e.row, e.field, e.value, e.expected]).toEqual([2, "status", 2, "0 (censored) or 1 (event)"]);
    });
    it("rejects an infinite time, unequal lengths, bad options, and an input with no complete row", () => {
      expect(() => kaplanMeier([Infinity], [1])).toThrow(InvalidRecordError);
      expect(() => kaplanMeier([1, 2], [1])).toThrow(InvalidOptionError);
      expect(() => kaplanMeier([1], [1], { confType: "arcsin" as never })).toThrow(InvalidOptionError);
      expect(() => kaplanMeier([1], [1], { confLevel: 1 })).toThrow(InvalidOptionError);
      const e = (() => { try { kaplanMeier([NaN], [1]); } catch (err) { return err; } })() as AnalyticsError;
      expect(e.code).toBe("EMPTY_INPUT");
    });
    it("leaves rows with a missing time out and lists them", () => {
      const km = kaplanMeier([1, NaN, 3], [1, 1, 0]);
      expect(km.n).toBe(2);
      expect(km.omittedRows).toEqual([1]);
    });
  });
});

describe("kaplanMeierByGroup", () => {
  it("kaplanMeierByGroup(lung, sex) matches R survfit(~ sex) per stratum (90% log-log)", () => {
    const g = kaplanMeierByGroup(R.time, R.status, R.sex, { confType: "log-log", confLevel: 0.9 });
    expect([...g.keys()]).toEqual(["1", "2"]);
    [...g.values()].forEach((km, i) => {
      const r = R.kmSex90LogLog[i];
      expectClose(km.time, r.time, 0);
      expectClose(km.surv, r.surv, TOL);
      expectClose(km.lower, r.lower, TOL);
      expectClose(km.upper, r.upper, TOL);
      expect([km.median, km.medianLower, km.medianUpper]).toEqual([r.median, r.medianLower, r.medianUpper]);
    });
    // default (log, 95%): R prints medians 270 [212, 310] and 426 [348, 550]
    const d = kaplanMeierByGroup(R.time, R.status, R.sex);
    expect([...d.values()].map((k) => [k.median, k.medianLower, k.medianUpper])).toEqual([[270, 212, 310], [426, 348, 550]]);
    [...d.values()].forEach((km, i) => expectClose(km.stdErr, R.kmSex[i].stdErr, TOL));
  });

  it("kaplanMeierByGroup partitions the rows: group sizes add up to the complete rows", () => {
    const g = kaplanMeierByGroup(R.time, R.status, phEcog);
    expect([...g.keys()]).toEqual(["0", "1", "2", "3"]);
    expect([...g.values()].reduce((s, k) => s + k.n, 0)).toBe(227);
    expect(g.get("0")!.omittedRows.length).toBe(1);
    expect(num(R.phEcog[g.get("0")!.omittedRows[0]])).toBeNaN();
  });

  it("kaplanMeierByGroup orders string labels by code unit and treats null as missing", () => {
    const g = kaplanMeierByGroup([1, 2, 3, 4], [1, 1, 1, 1], ["b", "a", null, "b"]);
    expect([...g.keys()]).toEqual(["a", "b"]);
    expect(g.get("b")!.n).toBe(2);
  });
});
