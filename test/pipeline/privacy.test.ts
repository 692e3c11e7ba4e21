import { describe, expect, it } from "vitest";
import { analysisFiles, analyze, findRawIds, generateTransactions, InvalidOptionError, type AnalysisResult } from "../../src/index.js";

// One synthetic store with every step on (migration and campaign included), analysed twice:
// normally and in privacy mode. Seeded, so both runs see the same numbers.
const tx = generateTransactions({ customers: 400, seed: 11 });
const ids = [...new Set(tx.map((t) => t.customerId))];
const opts = { seed: 11, compareAsOf: "2024-06-30", contactCost: 5, campaignBudget: 400 } as const;

let plain: AnalysisResult;
let priv: AnalysisResult;
const ready = (async () => {
  plain = await analyze(tx, opts);
  priv = await analyze(tx, { ...opts, privacy: true });
})();

/** Every array of objects in a JSON value, by path (the same paths privacy mode reports). */
function arrays(v: unknown, path: string, out: Map<string, Record<string, unknown>[]>): Map<string, Record<string, unknown>[]> {
  if (Array.isArray(v)) {
    if (v.length && typeof v[0] === "object" && v[0] !== null && !Array.isArray(v[0])) out.set(path, v as Record<string, unknown>[]);
    for (const x of v) arrays(x, `${path}[]`, out);
  } else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) arrays(x, `${path}.${k}`, out);
  return out;
}
const countOf = (row: Record<string, unknown>) => ["count", "customers", "size", "n"].map((f) => row[f]).find((x) => typeof x === "number") as number | undefined;

describe("analyze privacy mode (aggregates only)", () => {
  it("the check can fail: a normal run's files hold raw ids (customers.csv, the at-risk list, the summary)", async () => {
    await ready;
    const files = new Map(await analysisFiles(plain));
    const scan = findRawIds(files, ids);
    expect(scan.clean).toBe(false);
    const sources = new Set(scan.hits.map((h) => h.source));
    for (const f of ["customers.csv", "model.json", "report.html"]) expect(sources.has(f)).toBe(true);
  });

  it("writes four files (no customers.csv) and no raw id survives in any of them", async () => {
    await ready;
    const files = new Map(await analysisFiles(priv));
    expect([...files.keys()]).toEqual(["segments.csv", "rules.csv", "model.json", "report.html"]);
    const scan = findRawIds(files, ids);
    expect(scan.hits).toEqual([]);
    expect(scan.searchedIds).toBe(400);
    expect(priv.summaryText).toMatch(/At risk .*: \d+ listed \(the list is withheld in privacy mode\)/);
    expect(priv.summaryText).toMatch(/^Privacy mode: aggregates only/m);
  });

  it("empties exactly the customer-level lists, counting their rows", async () => {
    await ready;
    const r = priv.privacy!;
    const withheld = new Map(r.withheld.map((w) => [w.path, w.rows]));
    // Rows of customer-level lists by path, summed over nested lists (the movers of each move).
    const expected = new Map<string, number>();
    const walk = (v: unknown, path: string): void => {
      if (Array.isArray(v)) {
        if (v.some((x) => typeof x === "object" && x !== null && typeof (x as { customerId?: unknown }).customerId === "string")) expected.set(path, (expected.get(path) ?? 0) + v.length);
        // Rows of 1..9 customers are suppressed whole, lists inside them with them.
        else for (const x of v) if (!(typeof x === "object" && x !== null && (countOf(x as Record<string, unknown>) ?? 0) > 0 && countOf(x as Record<string, unknown>)! < 10)) walk(x, `${path}[]`);
      } else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    };
    walk(JSON.parse(JSON.stringify(plain.results)), "results");
    // The at-risk lists, the campaign's contacts and the migration movers, each with its row count.
    expect([...expected.keys()].sort()).toEqual([...withheld.keys()].sort());
    for (const [p, rows] of expected) expect(withheld.get(p), p).toBe(rows);
    expect(withheld.get("results.churn.atRisk.customers")).toBe((plain.results.churn as { atRisk: { customers: unknown[] } }).atRisk.customers.length);
    expect(withheld.has("results.campaign.contacts")).toBe(true);
    // Movers inside moves of 10 or more customers are withheld; moves of fewer are suppressed whole.
    const moves = (plain.results.migration as { moves: { count: number; movers: unknown[] }[] }).moves;
    // In this store of 400 every listed move has fewer than 10 customers: all suppressed whole, movers with them.
    expect(moves.length).toBeGreaterThan(0);
    expect(moves.every((m) => m.count < 10 && m.movers.length > 0)).toBe(true);
    expect(withheld.has("results.migration.moves[].movers")).toBe(false);
    expect(r.suppressed.find((s) => s.path === "results.migration.moves")!.rows).toBe(moves.length);
    expect((priv.results.migration as { moves: unknown[] }).moves).toEqual([]);
    expect(r.customerTableWithheld).toBe(true);
  });

  it("drops every summary row of 1..9 customers or baskets, keeps every other row unchanged, and counts what it dropped", async () => {
    await ready;
    const r = priv.privacy!;
    expect(r.minGroupSize).toBe(10);
    const before = arrays(JSON.parse(JSON.stringify(plain.results)), "results", new Map());
    const after = arrays(JSON.parse(JSON.stringify(priv.results)), "results", new Map());
    let dropped = 0;
    const withheld = new Set(r.withheld.map((w) => w.path));
    for (const [path, rows] of before) {
      if (withheld.has(path) || [...withheld].some((w) => path.startsWith(`${w}[]`))) continue;
      if (path.includes("[]")) continue; // nested tables: checked through their parents' rows
      const small = rows.filter((x) => {
        const c = countOf(x);
        return c !== undefined && c > 0 && c < 10;
      });
      const kept = rows.filter((x) => !small.includes(x));
      expect(after.get(path) ?? [], path).toEqual(kept);
      const entry = r.suppressed.find((s) => s.path === path);
      if (small.length) {
        expect(entry, path).toEqual({ path, rows: small.length, units: small.reduce((a, x) => a + countOf(x)!, 0) });
        dropped += small.length;
      } else expect(entry, path).toBeUndefined();
    }
    // This store has small groups to drop (rare rules, small RFM cells, cohort tails...).
    expect(dropped).toBeGreaterThan(0);
    expect(r.suppressed.filter((s) => !s.path.includes("[]")).reduce((a, s) => a + s.rows, 0)).toBe(dropped);
    expect(r.suppressedRows).toBe(r.suppressed.reduce((a, s) => a + s.rows, 0));
  });

  it("model.json carries the accounting; totals are unchanged; the ingestion report keeps counts but no example rows", async () => {
    await ready;
    const model = JSON.parse(new Map(await analysisFiles(priv)).get("model.json")!);
    expect(model.privacy).toEqual(JSON.parse(JSON.stringify(priv.privacy)));
    expect(model.settings.privacy).toEqual({ minGroupSize: 10 });
    expect(priv.value).toEqual(plain.value);
    expect(priv.ingestion!.accepted).toBe(plain.ingestion!.accepted);
    for (const r of priv.ingestion!.rejectedByReason) expect(r.examples).toEqual([]);
  });

  it("minGroupSize is a whole number >= 2", async () => {
    await expect(analyze(tx.slice(0, 50), { privacy: { minGroupSize: 1 } })).rejects.toThrow(InvalidOptionError);
    await expect(analyze(tx.slice(0, 50), { privacy: { minGroupSize: 2.5 } })).rejects.toThrow(/privacy.minGroupSize/);
  });
});
