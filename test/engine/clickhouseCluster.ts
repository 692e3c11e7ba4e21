/**
 * A real 2-shard ClickHouse cluster on loopback for the engine tests: two `clickhouse-server`
 * processes, each with its own config file, data directory and free-picked HTTP, TCP and
 * interserver ports on 127.0.0.1, both knowing the cluster `ca_two` (one replica per shard).
 * `stop()` terminates both (SIGTERM, then SIGKILL after 5 s) and removes the directory.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The server binary, or why there is none (the tests print it and skip; under CI they fail). */
export function clickHouseBinary(): { path: string } | { missing: string } {
  // CLICKHOUSE_SERVER: another binary (or a missing one, to check the skip/fail path).
  const given = process.env.CLICKHOUSE_SERVER;
  for (const path of given ? [given] : ["/usr/bin/clickhouse-server", "/usr/sbin/clickhouse-server", "/usr/bin/clickhouse"]) {
    const r = spawnSync(path, path.endsWith("clickhouse") ? ["server", "--help"] : ["--help"], { timeout: 10_000 });
    if (r.error === undefined) return { path };
  }
  if (given) return { missing: `CLICKHOUSE_SERVER=${given} cannot be run` };
  return { missing: "clickhouse-server is not installed (apt-get install clickhouse-server clickhouse-client; .ci/clickhouse.sh does it in CI)" };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ClickHouseCluster {
  /** HTTP addresses of the two servers; the first is used as the initiator. */
  urls: [string, string];
  /** Run one statement on a server (default: the first); the response text. */
  query(sql: string, server?: 0 | 1, params?: Record<string, string>): Promise<string>;
  /** Stop both servers and remove their files. */
  stop(): Promise<void>;
  /** The server processes' ids. */
  pids: number[];
}

const USERS = `<yandex>
  <profiles><default><max_memory_usage>1000000000</max_memory_usage><max_threads>1</max_threads></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
`;

/** Start the two servers and wait until both answer (up to 30 s). */
export async function startClickHouseCluster(binary: string): Promise<ClickHouseCluster> {
  const dir = mkdtempSync(join(tmpdir(), "ca-clickhouse-"));
  const ports = await Promise.all(Array.from({ length: 6 }, freePort));
  const shard = (k: number) => `<shard><replica><host>127.0.0.1</host><port>${ports[3 * k + 1]}</port></replica></shard>`;
  const procs: ChildProcess[] = [];
  const urls: string[] = [];
  for (let k = 0; k < 2; k++) {
    const home = join(dir, `s${k}`);
    for (const d of ["data", "tmp", "user_files", "log"]) mkdirSync(join(home, d), { recursive: true });
    writeFileSync(join(home, "users.xml"), USERS);
    writeFileSync(join(home, "config.xml"), `<yandex>
  <logger><level>warning</level><log>${home}/log/server.log</log><errorlog>${home}/log/error.log</errorlog></logger>
  <http_port>${ports[3 * k]}</http_port><tcp_port>${ports[3 * k + 1]}</tcp_port><interserver_http_port>${ports[3 * k + 2]}</interserver_http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${home}/data/</path><tmp_path>${home}/tmp/</tmp_path><user_files_path>${home}/user_files/</user_files_path>
  <users_config>${home}/users.xml</users_config><default_profile>default</default_profile><default_database>default</default_database>
  <mark_cache_size>67108864</mark_cache_size><uncompressed_cache_size>67108864</uncompressed_cache_size>
  <remote_servers><ca_two>${shard(0)}${shard(1)}</ca_two></remote_servers>
</yandex>
`);
    const args = binary.endsWith("clickhouse") ? ["server", `--config-file=${home}/config.xml`] : [`--config-file=${home}/config.xml`];
    procs.push(spawn(binary, args, { cwd: home, stdio: "ignore" }));
    urls.push(`http://127.0.0.1:${ports[3 * k]}/`);
  }
  // Should the test process end without calling stop() (killed, crashed), take the servers with it.
  const onExit = () => procs.forEach((p) => p.kill("SIGKILL"));
  process.once("exit", onExit);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener("exit", onExit);
    await Promise.all(procs.map((p) => new Promise<void>((resolve) => {
      if (p.exitCode !== null || p.signalCode !== null) return resolve();
      const timer = setTimeout(() => p.kill("SIGKILL"), 5000);
      p.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      p.kill("SIGTERM");
    })));
    rmSync(dir, { recursive: true, force: true });
  };
  const query = async (sql: string, server: 0 | 1 = 0, params: Record<string, string> = {}) => {
    const u = new URL(urls[server]);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    const res = await fetch(u, { method: "POST", body: sql });
    const text = await res.text();
    if (!res.ok) throw new Error(`ClickHouse: ${text}`);
    return text;
  };
  try {
    const deadline = Date.now() + 30_000;
    for (const k of [0, 1] as const) {
      for (;;) {
        if (procs[k].exitCode !== null) throw new Error(`clickhouse-server ${k} exited with ${procs[k].exitCode} (log: ${dir}/s${k}/log)`);
        try {
          if ((await query("SELECT 1", k)).trim() === "1") break;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`clickhouse-server ${k} did not answer within 30 s`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { urls: urls as [string, string], query, stop, pids: procs.map((p) => p.pid ?? -1) };
}

/** Columns of a transaction table in the cluster. */
export interface ClusterRow {
  row: number;
  customer: string;
  day: number;
  amount: number;
  order: string;
}

const tsv = (s: string) => s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n");

/**
 * Create `name_local` (MergeTree) on both servers and `name` (Distributed over `ca_two`, sharded
 * by cityHash64 of the customer id) on both, and insert the rows through the Distributed table
 * synchronously.
 */
export async function loadTransactions(c: ClickHouseCluster, name: string, rows: readonly ClusterRow[]): Promise<void> {
  for (const k of [0, 1] as const) {
    await c.query(`CREATE TABLE ${name}_local (row_no UInt32, customer String, purchase_date Date, amount Float64, order_id String) ` +
      `ENGINE = MergeTree() ORDER BY (customer, purchase_date, row_no)`, k);
    await c.query(`CREATE TABLE ${name} AS ${name}_local ENGINE = Distributed(ca_two, default, ${name}_local, cityHash64(customer))`, k);
  }
  const body = rows.map((r) => `${r.row}\t${tsv(r.customer)}\t${new Date(r.day * 86400000).toISOString().slice(0, 10)}\t${r.amount}\t${tsv(r.order)}`).join("\n");
  await c.query(`INSERT INTO ${name} FORMAT TabSeparated\n${body}\n`, 0, { insert_distributed_sync: "1" });
}
