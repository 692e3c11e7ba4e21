import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../../src/core/errors.js";
import { clusterCustomers, kmeans } from "../../src/cluster/index.js";

// Audit D8 (reliability-audit.md case 90): clusterCustomers(50 rows, { k: 3, nInit: 1e9 }) hung.
const rows = Array.from({ length: 50 }, (_, i) => ({ customerId: `c${i}`, recencyDays: (i * 7) % 50, frequency: 1 + (i % 5), totalSpend: 10 + ((i * 13) % 90) }));
const points = { values: Float64Array.from(rows.flatMap((r) => [r.recencyDays, r.frequency, r.totalSpend])), dimensions: 3 };

function optionError(f: () => unknown): InvalidOptionError {
  const t0 = performance.now();
  try {
    f();
  } catch (e) {
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(e).toBeInstanceOf(InvalidOptionError);
    return e as InvalidOptionError;
  }
  return expect.unreachable("expected an InvalidOptionError");
}

describe("clusterCustomers", () => {
  describe("errors", () => {
    it("clusterCustomers(50 rows, { k: 3, nInit: 1e9 }) throws InvalidOptionError on nInit at once instead of hanging", () => {
      const e = optionError(() => clusterCustomers(rows, { k: 3, nInit: 1e9 }));
      expect(e.option).toBe("nInit");
      expect(e.message).toContain("an integer in [1, 1000]");
    });

    it("clusterCustomers(50 rows, { kRange: [2, 4], nInit: 1e9 }) throws on nInit before choosing k", () => {
      expect(optionError(() => clusterCustomers(rows, { kRange: [2, 4], nInit: 1e9 })).option).toBe("nInit");
    });

    it("clusterCustomers(50 rows, { k: 3, nInit: 1000 }) is still accepted (the bound is inclusive)", () => {
      expect(clusterCustomers(rows, { k: 3, nInit: 1000 }).k).toBe(3);
    });
  });
});

describe("kmeans", () => {
  describe("errors", () => {
    it("kmeans(points, { nInit: 1e9 }) and { maxIterations: 1e12 } throw InvalidOptionError naming the option", () => {
      expect(optionError(() => kmeans(points, { k: 3, nInit: 1e9 })).option).toBe("nInit");
      expect(optionError(() => kmeans(points, { k: 3, maxIterations: 1e12 })).option).toBe("maxIterations");
    });
  });
});
