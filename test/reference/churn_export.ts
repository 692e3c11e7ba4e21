/**
 * Writes the CDNOW churn table (cutoff 1997-09-30, 273-day window) and the test membership of
 * the 10 seeded stratified 70/30 splits used by test/churn/cdnow.test.ts, as CSV on stdout, for
 * churn_sklearn.py. Run from the project root:
 *
 *   npx tsx test/reference/churn_export.ts > /tmp/cdnow_churn.csv
 */
import { readTransactions } from "../../src/io/index.js";
import { churnDataset, stratifiedSplit } from "../../src/churn/index.js";

const { transactions } = await readTransactions("../shared/data/cdnow/CDNOW_sample.txt", {
  format: "csv",
  delimiter: "whitespace",
  header: false,
  names: ["masterId", "customerId", "date", "cds", "amount"],
  dateFormat: "YYYYMMDD",
});
const ds = churnDataset(transactions, { cutoff: "1997-09-30", churnWindowDays: 273 });
const test: Uint8Array[] = [];
for (let s = 0; s < 10; s++) {
  const m = new Uint8Array(ds.rows.length);
  for (const i of stratifiedSplit(ds.rows, { seed: s, testFraction: 0.3 }).testIndex) m[i] = 1;
  test.push(m);
}
const cols = [...ds.features, "churned"];
console.log([...cols, ...test.map((_, s) => `test${s}`)].join(","));
ds.rows.forEach((r, i) => {
  const cells = cols.map((c) => (r[c] === null ? "" : c === "churned" ? (r[c] ? 1 : 0) : String(r[c])));
  console.log([...cells, ...test.map((m) => m[i])].join(","));
});
