import { describe, expect, it } from "vitest";
import { basketsFromTable, churnDatasetColumns, parseTransactionTable } from "../../src/index.js";

// A cancellation in a log without amounts is stored as -0 (a return of no value). Every place
// that tells purchases from returns must see it as a return, not as activity or a basket.
describe("returns of no value (-0) are returns everywhere", () => {
  const rows = [
    { customer: "a", date: "2024-01-01", invoice: "1", sku: "X" },
    { customer: "a", date: "2024-01-01", invoice: "1", sku: "Y" },
    { customer: "b", date: "2024-01-02", invoice: "2", sku: "X" },
    { customer: "b", date: "2024-03-01", invoice: "C2", sku: "X" }, // cancellation, after the cutoff
  ];
  const { table } = parseTransactionTable(rows, { columns: { customerId: "customer", date: "date", orderId: "invoice", items: "sku" } });

  it("the cancelled line is a -0 return", () => {
    expect(table.amountSource).toBe("none");
    expect(Object.is(table.amount[3], -0)).toBe(true);
  });

  it("baskets leave it out (2 baskets, not 3)", () => {
    expect(basketsFromTable(table).count).toBe(2);
  });

  it("churn labels: b's only line after the cutoff is a return, so b churned", () => {
    const ds = churnDatasetColumns(table, { cutoff: "2024-01-31", churnWindowDays: 60, dataEnd: "2024-03-31" });
    const b = ds.customerIds.indexOf("b");
    expect(ds.churned?.[b]).toBe(1);
  });
});
