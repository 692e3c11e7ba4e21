/**
 * `customer-analytics analyze --source clickhouse://...` on a real 2-shard ClickHouse cluster on
 * loopback (the engine tests' cluster helper): the outputs equal the same analysis of the same
 * rows read from a file in process. Skipped with the reason printed without the
 * clickhouse-server binary; under CI they fail instead.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { readTransactionTable } from "../../src/io/readTable.js";
import { clickHouseBinary, loadTransactions, startClickHouseCluster, type ClickHouseCluster } from "../engine/clickhouseCluster.js";

const CDNOW = "../shared/data/cdnow/CDNOW_sample.txt";
const dir = mkdtempSync(join(tmpdir(), "ca-cli-source-"));
let out = "";
let err = "";
beforeEach(() => {
  out = "";
  err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

describe("customer-analytics analyze --source (no server needed)", () => {
  it("an unreachable server is bad input (exit 1) naming the address; --source with a file path, or with a file argument, is a usage error (exit 2)", async () => {
    expect(await main(["analyze", "--source", "clickhouse://127.0.0.1:9/default.nothing", "--out", join(dir, "out-unreachable")])).toBe(1);
    expect(err).toMatch(/bad input: .*127\.0\.0\.1:9/);
    expect(err).not.toMatch(/\n\s+at /);
    expect(await main(["analyze", "--source", CDNOW, "--out", join(dir, "out-x")])).toBe(2);
    expect(err).toContain("--source must be a clickhouse:// address");
    expect(await main(["analyze", CDNOW, "--source", "clickhouse://127.0.0.1:9/t", "--out", join(dir, "out-x")])).toBe(2);
    expect(err).toContain("not both");
  });
});

const binary = clickHouseBinary();
const missing = "missing" in binary ? binary.missing : null;
if (missing !== null) {
  if (process.env.CI) {
    describe("ClickHouse (CLI --source)", () => {
      it("is installed (CI must run the cluster tests)", () => {
        throw new Error(`CI is set but ${missing}`);
      });
    });
  } else console.warn(`[test/cli/source] SKIPPED: ${missing}`);
}

describe.skipIf(missing !== null)("customer-analytics analyze --source clickhouse:// on 2 shards", () => {
  let cluster: ClickHouseCluster;
  beforeAll(async () => {
    cluster = await startClickHouseCluster((binary as { path: string }).path);
    try {
      const t = (await readTransactionTable(CDNOW, { format: "csv", delimiter: "whitespace", header: false, names: ["masterId", "customerId", "date", "cds", "amount"], dateFormat: "YYYYMMDD" })).table;
      const rows = Array.from({ length: t.length }, (_, i) => ({ row: i + 1, customer: t.ids[t.customer[i]], day: t.day[i], amount: t.amount[i], order: "" }));
      await loadTransactions(cluster, "cdnow_cli", rows);
    } catch (e) {
      await cluster.stop();
      throw e;
    }
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it("the Distributed table gives the same customers.csv and model.json numbers as the file read in process", async () => {
    const url = new URL(cluster.urls[0]);
    const fromCluster = join(dir, "out-ch");
    const fromFile = join(dir, "out-file");
    const skip = ["--skip", "montecarlo,cluster,rules", "--seed", "3", "--as-of", "1998-06-30"];
    expect(await main(["analyze", "--source", `clickhouse://${url.hostname}:${url.port}/default.cdnow_cli`, "--customer-id", "customer", "--date", "purchase_date", "--amount", "amount", "--out", fromCluster, ...skip]), err).toBe(0);
    expect(out).toContain("2,357 customers, 6,919 transactions as of 1998-06-30");
    expect(await main(["analyze", CDNOW, "--delimiter", "whitespace", "--no-header", "--date-format", "YYYYMMDD", "--customer-id", "1", "--date", "2", "--amount", "4", "--out", fromFile, ...skip]), err).toBe(0);
    expect(readFileSync(join(fromCluster, "customers.csv"), "utf8")).toBe(readFileSync(join(fromFile, "customers.csv"), "utf8"));
    const a = JSON.parse(readFileSync(join(fromCluster, "model.json"), "utf8"));
    const b = JSON.parse(readFileSync(join(fromFile, "model.json"), "utf8"));
    expect(a.results).toEqual(b.results);
    expect(a.ingestion.rowsRead).toBe(6919);
    expect(a.ingestion.accepted).toBe(b.ingestion.accepted);
  }, 120_000);
});
