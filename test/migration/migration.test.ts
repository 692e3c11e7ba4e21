import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { InvalidOptionError, InvalidRecordError, AnalyticsError } from "../../src/core/errors.js";
import { markovCustomerValue, markovModelFromTransitions, migrationMovers, stateColumn, recencyTransitions, rfmMigration, rfmSegmentsAt, transitionMatrix, type StateColumn } from "../../src/migration/index.js";
import { rfmColumns } from "../../src/rfm/index.js";
import { summarizeCustomersTable } from "../../src/summary/index.js";
import { generateTransactions } from "../../src/synthetic/index.js";

const col = (ids: string[], states: string[], values: string[]): StateColumn => ({
  ids,
  states: { codes: Int32Array.from(states, (s) => (s === "" ? -1 : values.indexOf(s))), values },
});

describe("transitionMatrix", () => {
  const from = col(["a", "b", "c", "d", "e"], ["G", "G", "S", "S", ""], ["G", "S"]);
  const to = col(["a", "b", "c", "f", "e"], ["G", "S", "S", "B", "G"], ["G", "S", "B"]);

  it("transitionMatrix(from, to) counts every customer once, with new and lost as their own states", () => {
    const m = transitionMatrix(Object.freeze(from), Object.freeze(to));
    // hand count: a G->G, b G->S, c S->S, d S->(lost); e (no state at the first date) and f are (new)
    expect(m.from).toEqual(["G", "S", "(new)"]);
    expect(m.to).toEqual(["G", "S", "B", "(lost)"]);
    expect(m.counts).toEqual([
      [1, 1, 0, 0],
      [0, 1, 0, 1],
      [1, 0, 1, 0],
    ]);
    expect(m.shares).toEqual([
      [0.5, 0.5, 0, 0],
      [0, 0.5, 0, 0.5],
      [0.5, 0, 0.5, 0],
    ]);
    expect(m.customers).toBe(6);
    expect(m.stayed).toBe(2);
    expect(m.rowTotals).toEqual([2, 2, 2]);
    expect(m.columnTotals).toEqual([2, 2, 1, 1]);
    expect(m.emptyRows).toEqual([]);
  });

  it("transitionMatrix gives an empty row shares of 0, never NaN, and lists it", () => {
    const m = transitionMatrix(col(["a"], ["G"], ["G", "S"]), col(["a"], ["S"], ["G", "S"]), { newState: "NEW", lostState: "LOST" });
    expect(m.shares).toEqual([
      [0, 1, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(m.emptyRows).toEqual(["S", "NEW"]);
  });

  it("transitionMatrix rows of shares sum to 1 on a seeded log (invariant)", () => {
    const log = generateTransactions({ customers: 300, seed: 5, items: false });
    const r = rfmMigration(log, { from: "2023-06-30", to: "2023-12-31", lookbackDays: 365 });
    const m = r.matrix;
    m.shares.forEach((row, i) => {
      if (m.rowTotals[i] > 0) expect(row.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    });
    // accounted for: customers with a state at either date
    const union = new Set([...r.from.states.ids, ...r.to.states.ids]);
    expect(m.customers).toBe(union.size);
    expect(m.counts.flat().reduce((s, x) => s + x, 0)).toBe(union.size);
  });

  describe("errors", () => {
    it("an id listed twice is an InvalidRecordError naming the customer", () => {
      const bad = col(["a", "a"], ["G", "G"], ["G"]);
      try {
        transitionMatrix(bad, bad);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect((e as InvalidRecordError).row).toBe("a");
        expect((e as InvalidRecordError).field).toBe("from.ids");
      }
    });
    it("a newState that is a state name is an InvalidOptionError", () => {
      expect(() => transitionMatrix(col(["a"], ["G"], ["G"]), col(["a"], ["G"], ["G"]), { newState: "G" })).toThrow(InvalidOptionError);
    });
    it("a code out of range is an InvalidRecordError", () => {
      const bad = { ids: ["a"], states: { codes: Int32Array.of(3), values: ["G"] } };
      expect(() => transitionMatrix(bad, bad)).toThrow(/state code in -1..0/);
    });
  });
});

describe("migrationMovers", () => {
  it("migrationMovers lists the movers with value and changed features, highest value first", () => {
    const from = col(["a", "b", "c"], ["C", "C", "C"], ["C", "R"]);
    const to = col(["a", "b", "c"], ["R", "R", "C"], ["C", "R"]);
    const features = {
      from: { ids: ["a", "b", "c"], columns: new Map([["recencyDays", [3, 5, 1]], ["frequency", [8, 9, 4]]]) },
      to: { ids: ["c", "b", "a"], columns: new Map([["recencyDays", [2, 120, 95]], ["frequency", [5, 9, 8]]]) },
    };
    const movers = migrationMovers(from, to, "C", "R", { value: new Map([["a", 10], ["b", 99]]), features });
    expect(movers.map((m) => m.customerId)).toEqual(["b", "a"]);
    expect(movers[0]).toEqual({
      customerId: "b",
      value: 99,
      changed: ["recencyDays"],
      features: [
        { feature: "recencyDays", before: 5, after: 120, change: 115 },
        { feature: "frequency", before: 9, after: 9, change: 0 },
      ],
    });
  });

  it("migrationMovers lists new and lost customers with null features on the absent side", () => {
    const from = col(["a", "b"], ["C", "C"], ["C"]);
    const to = col(["a", "n"], ["C", "C"], ["C"]);
    const features = { from: { ids: ["a", "b"], columns: new Map([["f", [1, 2]]]) }, to: { ids: ["a", "n"], columns: new Map([["f", [1, 7]]]) } };
    expect(migrationMovers(from, to, "C", "(lost)", { features })).toEqual([
      { customerId: "b", value: null, changed: ["f"], features: [{ feature: "f", before: 2, after: null, change: null }] },
    ]);
    expect(migrationMovers(from, to, "(new)", "C", { features }).map((m) => [m.customerId, m.features[0].after])).toEqual([["n", 7]]);
  });

  it("migrationMovers reads a CustomerTable's features and takes its totalSpend as the value", () => {
    const log = [
      { customerId: "a", date: new Date("2024-01-01"), amount: 10 },
      { customerId: "a", date: new Date("2024-02-01"), amount: 30 },
    ];
    const t1 = summarizeCustomersTable(log, { asOf: "2024-01-15" }).customers;
    const t2 = summarizeCustomersTable(log, { asOf: "2024-02-15" }).customers;
    const s = col(["a"], ["X"], ["X", "Y"]);
    const s2 = col(["a"], ["Y"], ["X", "Y"]);
    const [m] = migrationMovers(s, s2, "X", "Y", { features: { from: t1, to: t2, names: ["frequency", "totalSpend", "recencyDays"] } });
    // frequency 1 -> 2, spend 10 -> 40, recency 14 -> 14 days
    expect(m.value).toBe(40);
    expect(m.changed).toEqual(["frequency", "totalSpend"]);
  });

  it("an unknown state name is an InvalidOptionError", () => {
    const s = col(["a"], ["X"], ["X"]);
    expect(() => migrationMovers(s, s, "Nope", "X")).toThrow(InvalidOptionError);
    expect(() => migrationMovers(s, s, "(new)", "(lost)")).toThrow(InvalidOptionError);
  });
});

describe("rfmMigration", () => {
  const log = generateTransactions({ customers: 200, seed: 11, items: false });

  it("rfmMigration(log, { from, to }) gives the segments rfmColumns gives at each date", () => {
    const r = rfmMigration(log, { from: "2023-03-31", to: "2023-09-30" });
    for (const [at, side] of [["2023-03-31", r.from], ["2023-09-30", r.to]] as const) {
      const direct = rfmColumns(summarizeCustomersTable(log, { asOf: at }).customers);
      expect(side.states.states.codes).toEqual(direct.segment.codes);
      expect(side.states.states.values).toEqual(direct.segment.values);
      expect(side.asOf).toBe(at);
    }
    // whole history: nobody is lost
    expect(r.matrix.columnTotals.at(-1)).toBe(0);
  });

  it("rfmSegmentsAt with lookbackDays leaves out customers without a purchase in the window", () => {
    const all = rfmSegmentsAt(log, "2023-09-30");
    const recent = rfmSegmentsAt(log, "2023-09-30", { lookbackDays: 90 });
    const recentIds = new Set<string>();
    for (const t of log) {
      const d = t.date.toISOString().slice(0, 10);
      if (d > "2023-07-02" && d <= "2023-09-30" && t.amount > 0) recentIds.add(t.customerId);
    }
    expect(recent.states.ids.length).toBeLessThan(all.states.ids.length);
    expect(new Set(recent.states.ids)).toEqual(recentIds);
  });

  describe("errors", () => {
    it("two identical analysis dates are an InvalidOptionError on option to", () => {
      try {
        rfmMigration(log, { from: "2023-06-30", to: new Date("2023-06-30T12:00:00Z") });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe("to");
        expect((e as Error).message).toMatch(/same day/);
      }
    });
    it("a second date before the first is an InvalidOptionError", () => {
      expect(() => rfmMigration(log, { from: "2023-06-30", to: "2023-01-01" })).toThrow(InvalidOptionError);
    });
    it("a bad lookbackDays is an InvalidOptionError", () => {
      expect(() => rfmSegmentsAt(log, "2023-06-30", { lookbackDays: 0 })).toThrow(/lookbackDays/);
    });
  });
});

describe("markovCustomerValue", () => {
  const ref = JSON.parse(readFileSync(new URL("../reference/crm2_markov.json", import.meta.url), "utf8"));
  const model = {
    states: ["1", "2", "3", "4", "5"],
    transitions: recencyTransitions(ref.purchaseProbability),
    rewards: ref.rewards,
    discountRate: ref.discountRate,
  };

  it("markovCustomerValue reproduces the recency-model example (exact rational reference, 1e-12 relative)", () => {
    const v = markovCustomerValue(model, { periods: 100 });
    // reference: test/reference/crm2_markov.py (Python fractions, independent of this code)
    v.limit!.forEach((x, i) => expect(x).toBeCloseTo(ref.limit[i], 11));
    v.finite.forEach((x, i) => expect(x).toBeCloseTo(ref.finite["100"][i], 11));
    for (const T of ["0", "1", "5", "20"]) {
      const w = markovCustomerValue(model, { periods: Number(T) });
      w.finite.forEach((x, i) => expect(x).toBeCloseTo(ref.finite[T][i], 11));
    }
  });

  it("markovCustomerValue: the finite horizon converges to the limit and byPeriod adds up to finite (invariants)", () => {
    const v = markovCustomerValue(model, { periods: 400 });
    v.finite.forEach((x, i) => expect(Math.abs(x - v.limit![i])).toBeLessThan(1e-9));
    const v5 = markovCustomerValue(model, { periods: 5 });
    v5.states.forEach((_, i) => expect(v5.byPeriod.reduce((s, row) => s + row[i], 0)).toBeCloseTo(v5.finite[i], 12));
  });

  it("markovCustomerValue of a 3-state chain matches the hand computation", () => {
    // P = [[.5,.5,0],[.25,.25,.5],[0,0,1]], R = [10, 0, 0], d = 1 -> q = 1/2.
    // (I - qP) v = R:  .75 a - .25 b = 10;  -.125 a + .875 b - .25 c = 0;  .5 c = 0
    // c = 0, b = a/7, .75a - a/28 = 10 -> a = 280/20 = 14, b = 2.
    const v = markovCustomerValue({ states: ["x", "y", "z"], transitions: [[0.5, 0.5, 0], [0.25, 0.25, 0.5], [0, 0, 1]], rewards: [10, 0, 0], discountRate: 1 }, { periods: 2 });
    expect(v.limit![0]).toBeCloseTo(14, 13);
    expect(v.limit![1]).toBeCloseTo(2, 13);
    expect(v.limit![2]).toBe(0);
    // periods 0..2 from x: 10 + q(.5*10) + q^2(.5*.5*10 + .5*.25*10) = 10 + 2.5 + 0.9375
    expect(v.finite[0]).toBeCloseTo(13.4375, 13);
  });

  it("markovCustomerValue at discount 0: a limit when the chain ends in a zero-margin state, null with a note otherwise", () => {
    const absorbing = markovCustomerValue({ states: ["a", "gone"], transitions: [[0.5, 0.5], [0, 1]], rewards: [10, 0], discountRate: 0 });
    // 10 (1 + 1/2 + 1/4 + ...) = 20
    expect(absorbing.limit![0]).toBeCloseTo(20, 10);
    const forever = markovCustomerValue({ states: ["a"], transitions: [[1]], rewards: [5], discountRate: 0 }, { periods: 3 });
    expect(forever.limit).toBeNull();
    expect(forever.limitNote).toMatch(/unbounded/);
    expect(forever.finite).toEqual([20]);
  });

  describe("errors", () => {
    it("a row not summing to 1 is an InvalidRecordError naming the state", () => {
      try {
        markovCustomerValue({ ...model, transitions: [[0.5, 0.4], [0, 1]], states: ["a", "b"], rewards: [1, 0] });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect((e as InvalidRecordError).row).toBe("a");
        expect((e as InvalidRecordError).field).toBe("transitions");
        expect((e as InvalidRecordError).value).toBeCloseTo(0.9, 15);
      }
    });
    it("a negative discount rate is an InvalidOptionError", () => {
      try {
        markovCustomerValue({ ...model, discountRate: -0.1 });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe("discountRate");
      }
    });
    it("a probability above 1 or a NaN reward is an InvalidRecordError", () => {
      expect(() => markovCustomerValue({ states: ["a", "b"], transitions: [[1.5, -0.5], [0, 1]], rewards: [1, 0], discountRate: 0.1 })).toThrow(InvalidRecordError);
      expect(() => markovCustomerValue({ states: ["a"], transitions: [[1]], rewards: [Number.NaN], discountRate: 0.1 })).toThrow(InvalidRecordError);
    });
    it("mismatched sizes and bad periods are InvalidOptionErrors", () => {
      expect(() => markovCustomerValue({ ...model, rewards: [1] })).toThrow(InvalidOptionError);
      expect(() => markovCustomerValue(model, { periods: -1 })).toThrow(InvalidOptionError);
      expect(AnalyticsError).toBeDefined();
    });
  });
});

describe("recencyTransitions", () => {
  it("recencyTransitions(p) moves a buyer to state 1 and a non-buyer one state on, the last state kept", () => {
    expect(recencyTransitions([0.3, 0.2, 0.15, 0.05, 0])).toEqual([
      [0.3, 0.7, 0, 0, 0],
      [0.2, 0, 0.8, 0, 0],
      [0.15, 0, 0, 0.85, 0],
      [0.05, 0, 0, 0, 0.95],
      [0, 0, 0, 0, 1],
    ]);
    expect(() => recencyTransitions([1.2])).toThrow(InvalidOptionError);
  });
});

describe("stateColumn", () => {
  it("stateColumn codes states in the given order, then by appearance; null is no state", () => {
    const c = stateColumn(new Map<string, string | null>([["a", "x"], ["b", "y"], ["c", null], ["d", "x"]]), ["y"]);
    expect(c.ids).toEqual(["a", "b", "c", "d"]);
    expect([...c.states.codes]).toEqual([1, 0, -1, 1]);
    expect(c.states.values).toEqual(["y", "x"]);
    expect(() => stateColumn(new Map([["a", 3 as unknown as string]]))).toThrow(InvalidRecordError);
  });
});

describe("markovModelFromTransitions", () => {
  it("markovModelFromTransitions turns row shares into P with an absorbing lost state, then values it", () => {
    const from = col(["a", "b", "c", "d"], ["G", "G", "G", "S"], ["G", "S", "X"]);
    const to = col(["a", "b", "d", "n"], ["G", "S", "S", "B"], ["G", "S", "B"]);
    const { model, assumedStay } = markovModelFromTransitions(transitionMatrix(from, to), { rewards: new Map([["G", 30], ["S", 10], ["X", 0], ["B", 5]]), discountRate: 0.2 });
    expect(model.states).toEqual(["G", "S", "X", "B", "(lost)"]);
    // G: a stays, b -> S, c lost: 1/3 each; S: d stays; X: nobody (assumed to stay); B: only new customers (assumed to stay)
    expect(model.transitions).toEqual([
      [1 / 3, 1 / 3, 0, 0, 1 / 3],
      [0, 1, 0, 0, 0],
      [0, 0, 1, 0, 0],
      [0, 0, 0, 1, 0],
      [0, 0, 0, 0, 1],
    ]);
    expect(assumedStay).toEqual(["X", "B"]);
    const v = markovCustomerValue(model);
    // S stays forever: 10 * (1 + 1/1.2 + ...) = 10 * 1.2 / 0.2 = 60
    expect(v.limit![1]).toBeCloseTo(60, 12);
    // G: g = 30 + (g + 60 + 0)/3.6 -> g (1 - 1/3.6) = 30 + 60/3.6 -> g = (108 + 60) / 2.6
    expect(v.limit![0]).toBeCloseTo(168 / 2.6, 12);
    expect(() => markovModelFromTransitions(transitionMatrix(from, to), { rewards: new Map([["G", 1]]), discountRate: 0.1 })).toThrow(/"S"/);
  });
});

describe("transitionMatrix (generated inputs)", () => {
  it("transitionMatrix accounts for every customer of either date and its shares rows sum to 1 (fast-check)", async () => {
    const fc = (await import("fast-check")).default;
    const side = fc.dictionary(fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h"), fc.option(fc.constantFrom("S1", "S2", "S3"), { nil: null }));
    fc.assert(
      fc.property(side, side, (x, y) => {
        const from = stateColumn(new Map(Object.entries(x)));
        const to = stateColumn(new Map(Object.entries(y)));
        const m = transitionMatrix(from, to);
        const present = new Set([...Object.entries(x), ...Object.entries(y)].filter(([, s]) => s !== null).map(([id]) => id));
        expect(m.customers).toBe(present.size);
        expect(m.columnTotals.reduce((s, v) => s + v, 0)).toBe(present.size);
        m.shares.forEach((row, i) => {
          const sum = row.reduce((s, v) => s + v, 0);
          if (m.rowTotals[i] > 0) expect(sum).toBeCloseTo(1, 12);
          else expect(sum).toBe(0);
        });
      }),
      { seed: 12, numRuns: 200 },
    );
  });
});
