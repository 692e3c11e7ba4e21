/**
 * Issue 16 item 3 / code review 2.2: option dates are read by the rows' strict parser, so the
 * same inputs give the same epoch days on every host. The check runs the library in two child
 * processes under different `TZ` settings (America/Los_Angeles, UTC-8 in March; Asia/Tokyo,
 * UTC+9) and compares what they print.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SCRIPT = (src: string) => `
import { toEpochDay } from ${JSON.stringify(`${src}/core/time.ts`)};
import { parseTransactionTable } from ${JSON.stringify(`${src}/core/tableIngest.ts`)};
import { summarizeCustomersTable, calibrationTable } from ${JSON.stringify(`${src}/summary/summarize.ts`)};
const rows = [
  { customer: "a", date: "2024-02-29T23:30:00", amount: 5 },
  { customer: "a", date: "2024-03-01T00:15:00", amount: 7 },
];
const { table } = parseTransactionTable(rows);
const s = summarizeCustomersTable(table, { asOf: "2024-03-01T23:30:00" });
const c = calibrationTable(table, { calibrationEnd: "2024-03-01T23:59:59", timeUnit: "days" });
console.log(JSON.stringify({
  offsetMinutes: new Date(2024, 2, 1).getTimezoneOffset(),
  asOf: toEpochDay("2024-03-01T23:30:00", "t", "asOf"),
  early: toEpochDay("2024-03-01T00:30:00", "t", "asOf"),
  rows: [...table.day],
  summaryAsOf: s.report.asOf,
  recency: [...s.customers.recencyDays],
  T: [...c.T],
}));
`;

describe("toEpochDay under two host time zones", () => {
  it("gives identical epoch days under TZ=America/Los_Angeles and TZ=Asia/Tokyo (child processes)", () => {
    const dir = mkdtempSync(join(tmpdir(), "tz-"));
    try {
      const file = join(dir, "probe.ts");
      writeFileSync(file, SCRIPT(resolve("src")));
      const tsx = resolve("node_modules/.bin/tsx");
      const run = (tz: string) => JSON.parse(execFileSync(tsx, [file], { env: { ...process.env, TZ: tz }, encoding: "utf8" })) as Record<string, unknown>;
      const la = run("America/Los_Angeles");
      const tokyo = run("Asia/Tokyo");
      // The children really ran in different zones (minutes behind UTC: +480 in LA, -540 in Tokyo).
      expect([la.offsetMinutes, tokyo.offsetMinutes]).toEqual([480, -540]);
      const { offsetMinutes: _a, ...laDays } = la;
      const { offsetMinutes: _b, ...tokyoDays } = tokyo;
      expect(laDays).toEqual(tokyoDays);
      // 2024-03-01 is epoch day 19783, 2024-02-29 is 19782 (Date.UTC(2024, 2, 1) / 86,400,000).
      // Last purchase Mar 1 -> recency 0 at asOf Mar 1; first purchase Feb 29 -> T = 1 day.
      expect(laDays).toEqual({ asOf: 19783, early: 19783, rows: [19782, 19783], summaryAsOf: "2024-03-01", recency: [0], T: [1] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
