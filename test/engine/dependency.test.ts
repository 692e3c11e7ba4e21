/**
 * Without the optional package the engine fails with DEPENDENCY_FAILED naming it (the package
 * is replaced here by a module whose import throws, as a missing install does).
 */
import { describe, expect, it, vi } from "vitest";

vi.mock("@duckdb/node-api", () => {
  throw new Error("Cannot find package '@duckdb/node-api'");
});

describe("summarizeWithDuckDb", () => {
  describe("errors", () => {
    it("summarizeWithDuckDb without @duckdb/node-api is an AnalyticsError DEPENDENCY_FAILED naming the package", async () => {
      const { summarizeWithDuckDb } = await import("../../src/engine/index.js");
      const { AnalyticsError } = await import("../../src/core/errors.js");
      const e = await summarizeWithDuckDb("../shared/data/cdnow/CDNOW_sample.txt").catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AnalyticsError);
      expect((e as InstanceType<typeof AnalyticsError>).code).toBe("DEPENDENCY_FAILED");
      expect((e as Error).message).toContain('"@duckdb/node-api"');
      expect((e as Error).message).toMatch(/^summarizeWithDuckDb: /);
    });
  });
});
