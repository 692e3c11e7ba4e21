import { describe, expect, it } from "vitest";
import {
  assignCluster,
  calinskiHarabaszScore,
  clusterCustomers,
  generateTransactions,
  InvalidOptionError,
  InvalidRecordError,
  silhouetteScore,
  summarizeCustomers,
  type CustomerSummary,
} from "../../src/index.js";
import ref from "../reference/cluster_sklearn.json" with { type: "json" };

const FEATURES = ["recencyDays", "frequency", "totalSpend"] as const;
const refRows = ref.data.map(([recencyDays, frequency, totalSpend], i) => ({ customerId: `r${i}`, recencyDays, frequency, totalSpend }));
const initRows = ref.initIndex.map((i) => ref.data[i]);
const close = (a: number, b: number, tol = 1e-9) => expect(Math.abs(a - b)).toBeLessThan(tol * Math.max(1, Math.abs(b)));

let cached: CustomerSummary[] | null = null;
/** 1,500 synthetic customers (seeded store), summarised once. */
function summaries(): CustomerSummary[] {
  cached ??= summarizeCustomers(generateTransactions({ customers: 1500, seed: 7 }));
  return cached;
}

function deepFreeze<T>(rows: T[]): T[] {
  for (const r of rows) Object.freeze(r);
  return Object.freeze(rows) as T[];
}

describe("clusterCustomers", () => {
  for (const [name, options] of [
    ["zscore", { transform: "log1p", scaling: "zscore" }],
    ["robust", { transform: "none", scaling: "robust" }],
  ] as const) {
    it(`clusterCustomers(rows, { ${name} scaling, initialCenters }) matches scikit-learn's scaler and KMeans`, () => {
      // Source: test/reference/cluster_sklearn.py (StandardScaler on log1p / RobustScaler, KMeans Lloyd, given centres); tolerance 1e-9.
      const expected = ref[name];
      const r = clusterCustomers(refRows, { ...options, k: 3, initialCenters: initRows, tolerance: 0, valueField: "none" });
      expected.center.forEach((c, j) => close(r.model.center[j], c));
      expected.scale.forEach((s, j) => close(r.model.scale[j], s));
      close(r.inertia, expected.inertia);
      expect(r.iterations).toBe(expected.iterations);
      // valueField "none" is absent, so clusters are ordered by their first feature (descending); map sklearn's numbering.
      const order = expected.centroids.map((c, j) => [c[0], j]).sort((a, b) => b[0] - a[0]).map(([, j]) => j);
      order.forEach((old, neu) => expected.centroids[old].forEach((c, t) => close(r.scaledCentroids[neu][t], c)));
      const rank = new Map(order.map((old, neu) => [old, neu]));
      expect(Array.from(r.labels)).toEqual(expected.labels.map((l) => rank.get(l)));
      expect(r.orderedBy).toBeNull();
      const values = Float64Array.from(r.assignments.flatMap((_, i) => r.model.scale.map((s, t) => {
        const raw = refRows[i][FEATURES[t]];
        return ((options.transform === "log1p" ? Math.log1p(raw) : raw) - r.model.center[t]) / s;
      })));
      // Silhouette and Calinski-Harabasz of these labels: scikit-learn's silhouette_score and calinski_harabasz_score, 1e-12.
      close(silhouetteScore({ values, dimensions: 3 }, r.labels), expected.silhouette, 1e-12);
      close(calinskiHarabaszScore({ values, dimensions: 3 }, r.labels), expected.calinskiHarabasz, 1e-12);
    });
  }

  it("clusterCustomers(rows) maps centroids back to original units (expm1 of the mean log for log1p features)", () => {
    const r = clusterCustomers(refRows, { k: 3, seed: 1 });
    r.scaledCentroids.forEach((c, j) =>
      c.forEach((z, t) => close(r.centroids[j][t], Math.expm1(z * r.model.scale[t] + r.model.center[t]), 1e-12)),
    );
  });

  it("clusterCustomers(rows) numbers clusters by mean totalSpend, highest first", () => {
    const rows = summaries();
    const r = clusterCustomers(rows, { k: 4, seed: 3 });
    const means = [0, 1, 2, 3].map((j) => {
      const members = rows.filter((_, i) => r.labels[i] === j);
      return members.reduce((s, c) => s + c.totalSpend, 0) / members.length;
    });
    expect([...means].sort((a, b) => b - a)).toEqual(means);
    expect(r.orderedBy).toBe("totalSpend");
    expect(r.sizes.reduce((a, b) => a + b, 0)).toBe(rows.length);
  });

  it("clusterCustomers(rows, { seed }) gives the same output for the same seed, and the same numbering across seeds that find the same partition", () => {
    const rows = summaries();
    const a = clusterCustomers(rows, { k: 3, seed: 1 });
    const b = clusterCustomers(rows, { k: 3, seed: 1 });
    expect(b.assignments).toEqual(a.assignments);
    const others = [2, 3, 4, 5].map((seed) => clusterCustomers(rows, { k: 3, seed }));
    for (const o of others) {
      if (Math.abs(o.inertia - a.inertia) < 1e-9 * a.inertia) expect(Array.from(o.labels)).toEqual(Array.from(a.labels));
    }
  });

  it("clusterCustomers(rows) does not mutate its input", () => {
    const rows = deepFreeze(refRows.map((r) => ({ ...r })));
    const before = JSON.stringify(rows);
    clusterCustomers(rows, { k: 3, seed: 1 });
    expect(JSON.stringify(rows)).toBe(before);
  });

  it("clusterCustomers(rows) accepts any customer id, including \"__proto__\"", () => {
    const rows = refRows.map((r, i) => ({ ...r, customerId: i === 0 ? "__proto__" : r.customerId }));
    const r = clusterCustomers(rows, { k: 3, seed: 1 });
    expect(r.assignments[0].customerId).toBe("__proto__");
  });

  it("clusterCustomers(rows) with a constant feature keeps scale 1 and finite centroids", () => {
    const rows = refRows.map((r) => ({ ...r, frequency: 2 }));
    const r = clusterCustomers(rows, { k: 3, seed: 1 });
    expect(r.model.scale[1]).toBe(1);
    expect(r.centroids.flat().every(Number.isFinite)).toBe(true);
    r.centroids.forEach((c) => close(c[1], 2, 1e-12));
  });

  it("clusterCustomers(rows, { transform: 'log1p' }) accepts negative net spend (signed log1p)", () => {
    const rows = refRows.map((r, i) => ({ ...r, totalSpend: i % 7 === 0 ? -r.totalSpend / 10 : r.totalSpend }));
    const r = clusterCustomers(rows, { k: 3, seed: 1 });
    expect(r.centroids.flat().every(Number.isFinite)).toBe(true);
  });

  it("clusterCustomers(rows, { features }) clusters on any numeric fields", () => {
    const rows = summaries();
    const r = clusterCustomers(rows, { features: ["averageOrderValue", "tenureDays"], transform: { averageOrderValue: "log1p" }, k: 2, seed: 1 });
    expect(r.features).toEqual(["averageOrderValue", "tenureDays"]);
    expect(r.transforms).toEqual(["log1p", "none"]);
    expect(r.centroids.every((c) => c.length === 2)).toBe(true);
  });

  it("clusterCustomers(rows, { kRange }) chooses k by chooseK and attaches the table", () => {
    const r = clusterCustomers(refRows, { kRange: [2, 5], seed: 1 });
    expect(r.choice).not.toBeNull();
    expect(r.k).toBe(r.choice!.recommendedK);
    expect(r.choice!.table.map((t) => t.k)).toEqual([2, 3, 4, 5]);
  });

  it("clusterCustomers([]) gives an empty result", () => {
    const r = clusterCustomers([], { k: 3 });
    expect(r.assignments).toEqual([]);
    expect(r.centroids).toEqual([]);
    expect(r.inertia).toBe(0);
  });

  describe("errors", () => {
    it("clusterCustomers(rows) with NaN, null or infinite feature values throws InvalidRecordError naming the customer and field", () => {
      for (const bad of [NaN, null, Infinity, "12"]) {
        const rows = refRows.map((r, i) => (i === 4 ? { ...r, frequency: bad } : r));
        try {
          clusterCustomers(rows, { k: 2 });
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidRecordError);
          expect((e as InvalidRecordError).row).toBe("r4");
          expect((e as InvalidRecordError).field).toBe("frequency");
          expect((e as InvalidRecordError).message).toMatch(/^clusterCustomers: customer "r4"/);
        }
      }
    });
    it("clusterCustomers(rows, { k }) with k above the number of distinct customers throws InvalidOptionError on k", () => {
      const rows = [1, 1, 2, 2].map((v, i) => ({ customerId: `c${i}`, recencyDays: v, frequency: 1, totalSpend: 10 }));
      try {
        clusterCustomers(rows, { k: 3 });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe("k");
      }
    });
    it("clusterCustomers(rows, options) rejects bad options with InvalidOptionError naming the option", () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ features: [] }, "features"],
        [{ features: ["x", "x"] }, "features"],
        [{ transform: "log" }, "transform"],
        [{ transform: { nope: "log1p" } }, "transform"],
        [{ scaling: "minmax" }, "scaling"],
        [{ k: 0 }, "k"],
        [{ nInit: 0 }, "nInit"],
        [{ initialCenters: [[1, 2]] }, "initialCenters"],
        [{ kRange: [1, 3] }, "kRange"],
      ];
      for (const [opts, option] of cases) {
        try {
          clusterCustomers(refRows, opts);
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidOptionError);
          expect((e as InvalidOptionError).option).toBe(option);
        }
      }
    });
  });
});

describe("assignCluster", () => {
  it("assignCluster(model, rows) after a JSON round trip reproduces the training assignments", () => {
    const rows = summaries();
    const r = clusterCustomers(rows, { k: 4, seed: 9 });
    const model = JSON.parse(JSON.stringify(r.model));
    const again = assignCluster(model, rows);
    expect(again.map((a) => a.cluster)).toEqual(r.assignments.map((a) => a.cluster));
    again.forEach((a, i) => close(a.distance, r.assignments[i].distance, 1e-12));
  });

  it("assignCluster(model, newRows) scores new customers with the saved transform, not refitted", () => {
    const r = clusterCustomers(refRows, { k: 3, seed: 1 });
    // A new customer equal to a training customer lands where that customer did, even alone.
    const one = assignCluster(r.model, [refRows[30]]);
    expect(one[0].cluster).toBe(r.labels[30]);
    expect(one[0].customerId).toBe("r30");
    // And a customer at a centroid (original units) has distance ~0 to it.
    const atCentre = Object.fromEntries(FEATURES.map((f, t) => [f, r.centroids[1][t]]));
    const s = assignCluster(r.model, [atCentre])[0];
    expect(s.cluster).toBe(1);
    expect(s.distance).toBeLessThan(1e-9);
    expect(s.customerId).toBe("0");
  });

  describe("errors", () => {
    it("assignCluster(badModel, rows) throws InvalidOptionError on model", () => {
      const r = clusterCustomers(refRows, { k: 3, seed: 1 });
      for (const bad of [null, {}, { ...r.model, version: 2 }, { ...r.model, scale: [0, 1, 1] }, { ...r.model, centroids: [[1, 2]] }]) {
        try {
          assignCluster(bad as never, refRows);
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidOptionError);
          expect((e as InvalidOptionError).option).toBe("model");
        }
      }
    });
    it("assignCluster(model, rows) with a missing feature throws InvalidRecordError", () => {
      const r = clusterCustomers(refRows, { k: 3, seed: 1 });
      try {
        assignCluster(r.model, [{ customerId: "x", recencyDays: 1, frequency: 1 }]);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect((e as InvalidRecordError).field).toBe("totalSpend");
        expect((e as InvalidRecordError).row).toBe("x");
      }
    });
  });
});
