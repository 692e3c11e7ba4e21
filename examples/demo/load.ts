import { generateTransactions, parseTransactions, readTransactions, type IngestionResult } from "../../src/index.js";

/** The CDNOW sample beside the repository. */
const CDNOW = new URL("../../../shared/data/cdnow/CDNOW_sample.txt", import.meta.url).pathname;

/**
 * The input of `npm run demo` and `npm run tour`, from their command-line arguments: `--cdnow`
 * for the CDNOW sample, a file path for your own export (columns detected by name; lenient
 * unless `--strict`), else the seeded synthetic store (2,000 customers).
 */
export async function loadInput(args: readonly string[], seed: number): Promise<{ source: string; ingested: IngestionResult }> {
  if (args.includes("--cdnow")) {
    const ingested = await readTransactions(CDNOW, {
      format: "csv",
      delimiter: "whitespace",
      header: false,
      names: ["masterId", "customerId", "date", "cds", "amount"],
      dateFormat: "YYYYMMDD",
    });
    return { source: "CDNOW sample (../shared/data/cdnow)", ingested };
  }
  // The first argument that is neither a flag nor the value of `--out`.
  const file = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--out");
  if (file) return { source: file, ingested: await readTransactions(file, { mode: args.includes("--strict") ? "strict" : "lenient" }) };
  return { source: `synthetic store (2,000 customers, seed ${seed})`, ingested: parseTransactions(generateTransactions({ customers: 2000, seed })) };
}
