/** Shared loader for the CDNOW sample used by the segmentation tests (not a test file). */
import { readTransactions, summarizeCustomers, type CustomerSummary } from "../../src/index.js";

export const CDNOW = "../shared/data/cdnow/CDNOW_sample.txt";

let cached: Promise<CustomerSummary[]> | undefined;

/** CDNOW sample summaries as of 1998-07-01 (whole period; same-day lines merged into one order). */
export function cdnowSummaries(): Promise<CustomerSummary[]> {
  cached ??= (async () => {
    const { transactions } = await readTransactions(CDNOW, {
      format: "csv",
      delimiter: "whitespace",
      header: false,
      names: ["masterId", "customerId", "date", "cds", "amount"],
      dateFormat: "YYYYMMDD",
    });
    return summarizeCustomers(transactions, { asOf: "1998-07-01" });
  })();
  return cached;
}
