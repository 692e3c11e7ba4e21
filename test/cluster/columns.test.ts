import { describe, expect, it } from "vitest";
import {
  assignCluster,
  assignClusterColumns,
  clusterCustomers,
  customerRecords,
  InvalidOptionError,
  InvalidRecordError,
  type CustomerTable,
} from "../../src/index.js";
import { cdnowTable } from "../rfm/cdnow.js";

describe("assignClusterColumns", () => {
  it("assignClusterColumns(model, customerTable) gives assignCluster's clusters and distances on the CDNOW sample", async () => {
    const table = await cdnowTable();
    const records = customerRecords(table);
    const fit = clusterCustomers(records, { k: 4, seed: 1 });
    const cols = assignClusterColumns(fit.model, table);
    const recs = assignCluster(fit.model, records);
    expect(cols.labels.length).toBe(table.length);
    expect(Array.from(cols.labels)).toEqual(recs.map((a) => a.cluster));
    expect(Array.from(cols.distances)).toEqual(recs.map((a) => a.distance));
    // Scoring the training customers reproduces the fit (it converged).
    expect(fit.converged).toBe(true);
    expect(Array.from(cols.labels)).toEqual(Array.from(fit.labels));
  });

  it("assignClusterColumns(model, { values, dimensions }) takes a row-major matrix in the model's feature order", async () => {
    const table = await cdnowTable();
    const fit = clusterCustomers(customerRecords(table), { k: 3, seed: 2 });
    const d = 3;
    const values = new Float64Array(table.length * d);
    for (let i = 0; i < table.length; i++) {
      values[i * d] = table.recencyDays[i];
      values[i * d + 1] = table.frequency[i];
      values[i * d + 2] = table.totalSpend[i];
    }
    const copy = values.slice();
    const m = assignClusterColumns(fit.model, { values, dimensions: d });
    const c = assignClusterColumns(fit.model, table);
    expect(Array.from(m.labels)).toEqual(Array.from(c.labels));
    expect(Array.from(m.distances)).toEqual(Array.from(c.distances));
    expect(values).toEqual(copy); // input not modified
  });

  it("assignClusterColumns(model, columns) accepts plain number arrays and ignores other columns", () => {
    const rows = [
      { customerId: "a", recencyDays: 5, frequency: 12, totalSpend: 900 },
      { customerId: "b", recencyDays: 7, frequency: 10, totalSpend: 800 },
      { customerId: "c", recencyDays: 300, frequency: 1, totalSpend: 20 },
      { customerId: "d", recencyDays: 280, frequency: 1, totalSpend: 25 },
    ];
    const model = JSON.parse(JSON.stringify(clusterCustomers(rows, { k: 2, seed: 1 }).model));
    // The TSDoc example: a loyal big spender and a lapsed one-off buyer.
    const r = assignClusterColumns(model, { recencyDays: [3, 400], frequency: [9, 1], totalSpend: [700, 15], note: ["x", "y"] });
    expect(Array.from(r.labels)).toEqual([0, 1]);
    expect(r.distances[0]).toBeCloseTo(assignCluster(model, [{ recencyDays: 3, frequency: 9, totalSpend: 700 }])[0].distance, 15);
  });

  describe("errors", () => {
    const rows = [
      { recencyDays: 5, frequency: 12, totalSpend: 900 },
      { recencyDays: 300, frequency: 1, totalSpend: 20 },
      { recencyDays: 280, frequency: 1, totalSpend: 25 },
    ];
    const model = clusterCustomers(rows, { k: 2, seed: 1 }).model;

    it("assignClusterColumns(model, columns) with a missing column or unequal lengths throws InvalidOptionError on input", () => {
      for (const bad of [{ recencyDays: [1], frequency: [1] }, { recencyDays: [1, 2], frequency: [1], totalSpend: [1, 2] }, { values: new Float64Array(4), dimensions: 2 }]) {
        try {
          assignClusterColumns(model, bad);
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidOptionError);
          expect((e as InvalidOptionError).option).toBe("input");
        }
      }
    });

    it("assignClusterColumns(model, columns) with a NaN value throws InvalidRecordError naming the customer and the field", () => {
      try {
        assignClusterColumns(model, { ids: ["a", "b"], recencyDays: Int32Array.from([1, 2]), frequency: Int32Array.from([1, 1]), totalSpend: Float64Array.from([10, NaN]) });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect((e as InvalidRecordError).row).toBe("b");
        expect((e as InvalidRecordError).field).toBe("totalSpend");
        expect((e as InvalidRecordError).value).toBeNaN();
      }
    });

    it("assignClusterColumns(badModel, columns) throws InvalidOptionError on model", () => {
      try {
        assignClusterColumns({ ...model, centroids: [] }, { recencyDays: [1], frequency: [1], totalSpend: [1] });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe("model");
        expect((e as InvalidOptionError).message).toMatch(/^assignClusterColumns/);
      }
    });
  });
});
