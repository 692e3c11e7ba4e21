import * as dfd from "danfojs";
import { describe, expect, it } from "vitest";
import { fromDataFrame, generateTransactions, InvalidOptionError, toDataFrame } from "../../src/index.js";

describe("toDataFrame / fromDataFrame", () => {
  it("fromDataFrame(toDataFrame(tx, dfd.DataFrame)) gives back the same transactions (danfojs round trip)", () => {
    const tx = generateTransactions({ customers: 30, seed: 5 });
    const df = toDataFrame(tx, dfd.DataFrame);
    expect(df.shape).toEqual([tx.length, 8]);
    expect(df.columns).toEqual(["customerId", "date", "amount", "orderId", "channel", "attributes.region", "attributes.ageBand", "items"]);
    const back = fromDataFrame(df);
    expect(back.report.accepted).toBe(tx.length);
    expect(back.transactions).toEqual(tx);
  });

  it("toDataFrame(records) accepts any records (here summaries-like rows) and __proto__ ids", () => {
    const df = toDataFrame([{ customerId: "__proto__", score: 5 }, { customerId: "constructor", score: 4, extra: true }], dfd.DataFrame);
    expect(df.columns).toEqual(["customerId", "score", "extra"]);
    expect(df.values).toEqual([["__proto__", 5, null], ["constructor", 4, true]]);
  });

  describe("errors", () => {
    it("toDataFrame rejects a missing constructor with InvalidOptionError", () => {
      expect(() => toDataFrame([], undefined as unknown as typeof dfd.DataFrame)).toThrow(InvalidOptionError);
    });
  });
});
