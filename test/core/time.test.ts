import { withColumns } from "../../src/core/columns.js";
import { describe, expect, it } from "vitest";
import { dayToDate, daysPerUnit, epochDay, InvalidOptionError, InvalidRecordError, toEpochDay, fsum, toTransactionColumns } from "../../src/index.js";

describe("time", () => {
  it("epochDay(date) truncates to the UTC calendar day and dayToDate inverts it", () => {
    expect(epochDay(new Date("1970-01-02T23:59:59Z"))).toBe(1);
    expect(epochDay(new Date("1969-12-31T12:00:00Z"))).toBe(-1);
    expect(dayToDate(19723).toISOString()).toBe("2024-01-01T00:00:00.000Z");
  });
  it("toEpochDay(value) reads Date, ISO, YYYYMMDD and epoch ms", () => {
    expect(toEpochDay("1997-09-30", "f", "o")).toBe(10134);
    expect(toEpochDay("19970930", "f", "o")).toBe(10134);
    expect(toEpochDay(new Date("1997-09-30T18:00:00Z"), "f", "o")).toBe(10134);
    expect(toEpochDay(10134 * 86_400_000, "f", "o")).toBe(10134);
    expect(() => toEpochDay("30/09/1997", "f", "o")).toThrow(InvalidOptionError);
  });
  it("daysPerUnit(unit) is 1 for days, 7 for weeks, the number itself otherwise", () => {
    expect([daysPerUnit("days"), daysPerUnit("weeks"), daysPerUnit(30.4375)]).toEqual([1, 7, 30.4375]);
    expect(() => daysPerUnit(-1)).toThrow(InvalidOptionError);
  });
});

describe("fsum", () => {
  it("fsum(values) is exact where naive summation drifts", () => {
    // Hand case: 1e16 + 1 - 1e16 = 1 exactly; naive left-to-right summation gives 0.
    expect(fsum([1e16, 1, -1e16])).toBe(1);
    expect(fsum(new Float64Array([0.1, 0.2, 0.3]))).toBe(0.6);
    expect(fsum([])).toBe(0);
  });
});

describe("toTransactionColumns", () => {
  it("toTransactionColumns(tx) builds dense ids in first-appearance order and order indexes", () => {
    const c = toTransactionColumns([
      { customerId: "b", date: new Date(86_400_000), amount: 1, orderId: "x" },
      { customerId: "a", date: "1970-01-03" as unknown as Date, amount: 2 },
      { customerId: "b", date: new Date(0), amount: 3, orderId: "x" },
    ]);
    expect(c.ids).toEqual(["b", "a"]);
    expect([...c.customer]).toEqual([0, 1, 0]);
    expect([...c.day]).toEqual([1, 2, 0]);
    expect(c.orderId).toEqual(["x", null, "x"]);
  });
  it("toTransactionColumns rejects a non-object row", () => {
    expect(() => toTransactionColumns([null as unknown as never])).toThrow(InvalidRecordError);
  });
});

describe("withColumns (internal: the pipeline's shared columnar copy)", () => {
  it("builds the columns once: toTransactionColumns on the copy returns the same object, equal to a fresh build", () => {
    const list = [
      { customerId: "__proto__", date: new Date("2024-01-02"), amount: 5, orderId: "o1" },
      { customerId: "b", date: new Date("2024-01-03"), amount: -2 },
    ];
    const copy = withColumns(list, "test");
    const a = toTransactionColumns(copy);
    expect(toTransactionColumns(copy)).toBe(a);
    expect(a).toEqual(toTransactionColumns(list));
    expect(a.ids).toEqual(["__proto__", "b"]);
    // the caller's array is untouched (no hidden property, not frozen); the copy is frozen
    expect(Object.getOwnPropertySymbols(list)).toEqual([]);
    expect(Object.isFrozen(list)).toBe(false);
    expect(Object.isFrozen(copy)).toBe(true);
    expect(toTransactionColumns(list)).not.toBe(a);
  });
});
