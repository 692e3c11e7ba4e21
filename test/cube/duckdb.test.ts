/**
 * cube(...) against DuckDB's GROUP BY CUBE / ROLLUP / GROUPING SETS on the same seeded log
 * (test/cube/starData.ts). DuckDB runs in the test; it is skipped with a message when
 * `@duckdb/node-api` (an optional dependency) is not installed. Counts must be equal; money
 * within 1e-9 relative (DuckDB's SUM is not correctly rounded, ours is).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toTransactionTable } from "../../src/core/columns.js";
import { cube, type CubeOptions, type CubeResult } from "../../src/cube/index.js";
import { PRODUCTS_DIM, starLog } from "./starData.js";

type Conn = { run(sql: string): Promise<unknown>; runAndReadAll(sql: string): Promise<{ getRowObjects(): Record<string, unknown>[] }>; closeSync?(): void };
let duck: { DuckDBInstance: { create(p: string): Promise<{ connect(): Promise<Conn>; closeSync?(): void }> } } | undefined;
try {
  duck = (await import("@duckdb/node-api")) as unknown as typeof duck;
} catch {
  console.warn("test/cube/duckdb.test.ts: @duckdb/node-api is not installed; the DuckDB reference comparison is skipped");
}

const log = starLog();
const table = toTransactionTable(log);
let conn: Conn;

const q = (v: unknown) => (v === undefined || v === null ? "NULL" : typeof v === "number" ? String(v) : `'${String(v).replaceAll("'", "''")}'`);

describe.skipIf(!duck)("cube agrees with DuckDB", () => {
  beforeAll(async () => {
    const inst = await duck!.DuckDBInstance.create(":memory:");
    conn = await inst.connect();
    await conn.run("CREATE TABLE f (row_id INTEGER, customer VARCHAR, d DATE, amount DOUBLE, order_id VARCHAR, region VARCHAR, product VARCHAR, channel VARCHAR, cost DOUBLE, n_items INTEGER)");
    const values = log.map((t) =>
      `(${t.rowId}, ${q(t.customerId)}, DATE ${q(t.date.toISOString().slice(0, 10))}, ${t.amount}, ${q(t.orderId)}, ${q(t.attributes?.region)}, ${q(t.attributes?.product)}, ${q(t.channel)}, ${q(t.cost)}, ${t.items?.length ?? 0})`,
    );
    await conn.run(`INSERT INTO f VALUES ${values.join(",\n")}`);
    await conn.run("CREATE TABLE products (product VARCHAR, category VARCHAR)");
    await conn.run(`INSERT INTO products VALUES ${[...PRODUCTS_DIM].map(([k, r]) => `(${q(k)}, ${q(r.category)})`).join(", ")}`);
    // The measures' inputs, as cube() documents them.
    await conn.run(`CREATE VIEW t AS
      WITH firsts AS (SELECT customer, arg_min(row_id, (d, row_id)) AS first_row FROM f WHERE amount >= 0 GROUP BY customer)
      SELECT f.*, amount < 0 AS is_return,
        COALESCE(order_id, '#' || customer || '|' || d::VARCHAR) AS ord,
        (f.row_id IN (SELECT first_row FROM firsts)) AS is_first,
        strftime(d, '%Y-%m') AS month,
        year(d)::VARCHAR || '-Q' || quarter(d)::VARCHAR AS quarter,
        isoyear(d)::VARCHAR || '-W' || lpad(week(d)::VARCHAR, 2, '0') AS week,
        year(d)::VARCHAR AS year,
        COALESCE(NULLIF(region, ''), '(unknown)') AS region_m,
        COALESCE(channel, '(unknown)') AS channel_m,
        COALESCE(p.category, '(unknown)') AS category
      FROM f LEFT JOIN products p USING (product)`);
  });
  afterAll(() => conn?.closeSync?.());

  const MEASURES = `SUM(amount) AS revenue, COUNT(*) AS lines, COUNT(DISTINCT customer) AS customers,
    COUNT(DISTINCT CASE WHEN NOT is_return THEN ord END) AS orders, SUM(is_first::INTEGER) AS new_customers,
    SUM(amount - cost) AS profit, SUM(n_items) AS items`;

  async function compare(ours: CubeResult, cols: string[], groupBy: string) {
    const sql = `SELECT ${cols.join(", ")}, GROUPING(${cols.join(", ")}) AS g, ${MEASURES} FROM t GROUP BY ${groupBy}`;
    const theirs = (await conn.runAndReadAll(sql)).getRowObjects();
    const key = (k: unknown[], g: number) => JSON.stringify([...k, g]);
    const byKey = new Map(theirs.map((r) => [key(cols.map((c) => r[c] ?? null), Number(r.g)), r]));
    expect(ours.rows.length).toBe(theirs.length);
    for (const row of ours.rows) {
      const r = byKey.get(key(row.key, row.grouping));
      expect(r, `DuckDB has the cell ${key(row.key, row.grouping)}`).toBeDefined();
      const v = row.values;
      expect(v.lines).toBe(Number(r!.lines));
      expect(v.customers).toBe(Number(r!.customers));
      expect(v.orders).toBe(Number(r!.orders));
      expect(v.newCustomers).toBe(Number(r!.new_customers ?? 0));
      expect(v.items).toBe(Number(r!.items));
      const money = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
      money(v.revenue as number, Number(r!.revenue));
      money(v.profit as number, Number(r!.profit ?? 0));
      if (Number(r!.orders) > 0) money(v.averageOrderValue as number, Number(r!.revenue) / Number(r!.orders));
      else expect(v.averageOrderValue).toBeNull();
    }
  }

  const ALL: CubeOptions["measures"] = ["revenue", "lines", "customers", "orders", "newCustomers", "profit", "items", "averageOrderValue"];

  it("cube(table, month x region x channel, subtotals 'cube') equals GROUP BY CUBE", async () => {
    const ours = cube(table, { dimensions: ["month", { column: "region", name: "region_m" }, { column: "channel", name: "channel_m" }], measures: ALL, subtotals: "cube" });
    expect(ours.groupingSets.length).toBe(8);
    await compare(ours, ["month", "region_m", "channel_m"], "CUBE (month, region_m, channel_m)");
  });

  it("cube(table, quarter x joined product category, 'rollup') equals GROUP BY ROLLUP with a LEFT JOIN", async () => {
    const ours = cube(table, { dimensions: ["quarter", { lookup: PRODUCTS_DIM, key: "product", field: "category" }], measures: ALL, subtotals: "rollup" });
    await compare(ours, ["quarter", "category"], "ROLLUP (quarter, category)");
    // p6 (no category field) and p7 (not in the dimension table) are the unknown member
    const n = log.filter((t) => t.attributes?.product === "p6" || t.attributes?.product === "p7").length;
    expect(ours.unknownLines.get("category")).toBe(n);
  });

  it("cube(table, week and year grouping sets) equals GROUP BY GROUPING SETS", async () => {
    const ours = cube(table, { dimensions: ["year", "week", { column: "channel", name: "channel_m" }], measures: ALL, subtotals: [["year", "channel_m"], ["week"], []] });
    await compare(ours, ["year", "week", "channel_m"], "GROUPING SETS ((year, channel_m), (week), ())");
  });
});
