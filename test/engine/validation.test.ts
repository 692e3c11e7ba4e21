/**
 * The engine's SQL validation against the in-process reader, value by value: dates and amounts
 * as text (hand-picked edge cases plus seeded generated strings) and as JSON numbers. Both read
 * the same file in lenient mode; the accepted days and amounts and the report must be equal.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readTransactionTable } from "../../src/io/readTable.js";
import { openDuckDbSource, type DuckDbSourceOptions } from "../../src/engine/index.js";

const tmp = mkdtempSync(join(tmpdir(), "ca-engine-validation-"));

const DATES = [
  "2024-02-29", "2023-02-29", " 2024-03-01 ", "\u00a02024-03-01\u3000", "20240229", "20230229", "2024-1-01", "2024-13-01", "2024-00-10", "2024-04-31",
  "2024-01-01T10:00", "2024-01-01T10:00:00", "2024-01-01 10:00:00.123", "2024-01-01T23:30:00-02:00", "2024-01-01T00:30:00+05:30", "2024-01-01T00:30:00+0530",
  "2024-01-01T23:59:60Z", "2024-01-01T23:59:61Z", "2024-01-01T24:00:00", "2024-01-01T10:60", "0000-03-01", "0099-06-01", "9999-12-31", "1969-12-31",
  "2024/01/01", "01/02/2024", "2024-01-01Z", "2024-01-01T10:00:00.5Z", "", " ", "x", "١٢٣٤-01-01", "99991231", "00000229", "00040229", "19000229", "20000229",
];
const AMOUNTS = [
  "12.5", " -12.50 ", "+5.", ".5", "-.5", "1e3", "1E-3", "1e309", "-1e309", "1,234.50", "1,234", "12,34", "1 234.5", "1\u00a0234", "1\u202f234.25", "12 34",
  "1.2.3", "", " ", "abc", "0", "-0", "00012", "0x10", "Infinity", "NaN", "١٢", "1_000", "5e", "--5",
];

async function compare(rows: { date: unknown; amount: unknown }[], file: string, options: DuckDbSourceOptions & { decimal?: "." | "," } = {}): Promise<void> {
  writeFileSync(file, rows.map((r, i) => JSON.stringify({ customerId: `c${i % 7}`, date: r.date, amount: r.amount })).join("\n") + "\n");
  const ref = await readTransactionTable(file, { mode: "lenient", maxExamples: 1000, decimal: options.decimal, timeZone: options.timeZone, dateFormat: options.dateFormat });
  const src = await openDuckDbSource(file, { mode: "lenient", threads: 1, maxExamples: 1000, ...options });
  try {
    expect(src.ingestion).toEqual(ref.report);
    const t = await src.table();
    expect([...t.day]).toEqual([...ref.table.day]);
    expect([...t.amount]).toEqual([...ref.table.amount]); // parsing is exact: the same doubles
    expect(t.ids).toEqual(ref.table.ids);
  } finally {
    src.close();
  }
}

describe("openDuckDbSource validation", () => {
  it("reads every hand-picked date text as the in-process reader (auto, iso, YYYYMMDD; UTC and +05:30)", async () => {
    const rows = DATES.map((date) => ({ date, amount: "1" }));
    for (const dateFormat of ["auto", "iso", "YYYYMMDD"] as const) {
      await compare(rows, join(tmp, `dates-${dateFormat}.ndjson`), { dateFormat });
    }
    await compare(rows, join(tmp, "dates-tz.ndjson"), { timeZone: "+05:30" });
  });

  it("reads JSON numbers as epoch milliseconds in auto mode and as digits in YYYYMMDD mode", async () => {
    const rows = [0, 86_399_999, 86_400_000, -1, 1.7e12, 8.64e15, 8.64e15 + 1, 20240229, 1e20].map((date) => ({ date, amount: 1 }));
    await compare(rows, join(tmp, "epoch.ndjson"));
    await compare(rows, join(tmp, "epoch-compact.ndjson"), { dateFormat: "YYYYMMDD" });
  });

  it("reads every hand-picked amount text as the in-process reader, with either decimal separator", async () => {
    const rows = AMOUNTS.map((amount) => ({ date: "2024-01-01", amount }));
    await compare(rows, join(tmp, "amounts-dot.ndjson"));
    await compare(rows, join(tmp, "amounts-comma.ndjson"), { decimal: "," });
  });

  it("reads seeded generated dates and amounts as the in-process reader", async () => {
    const digit = fc.constantFrom(..."0123456789");
    const piece = fc.oneof(
      fc.stringMatching(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/),
      fc.stringMatching(/^[0-9]{8}$/),
      fc.stringMatching(/^[0-9]{4}-[01][0-9]-[0-3][0-9][T ][0-2][0-9]:[0-6][0-9](:[0-6][0-9])?(Z|[+-][01][0-9]:?[0-5][0-9])?$/),
      fc.array(digit, { maxLength: 6 }).map((d) => d.join("")),
    );
    const amount = fc.oneof(
      fc.double({ noNaN: false }).map(String),
      fc.stringMatching(/^[+-]?[0-9]{0,4}([.,][0-9]{0,4})?([eE][+-]?[0-9]{1,3})?$/),
      fc.stringMatching(/^[0-9]{1,3}([ ,.][0-9]{3}){0,3}([.,][0-9]{1,2})?$/),
    );
    const rows = fc.sample(fc.record({ date: piece, amount }), { seed: 20261130, numRuns: 400 });
    await compare(rows, join(tmp, "generated.ndjson"));
    await compare(rows, join(tmp, "generated-comma.ndjson"), { decimal: "," });
  });
});
