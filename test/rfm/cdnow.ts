/**
 * The one loader of the CDNOW sample (shared/data/cdnow) for the segmentation, summary, value
 * and cluster tests (not a test file): read once per test file, then shared.
 */
import { readTransactions, summarizeCustomers, summarizeCustomersTable, type CustomerSummary, type CustomerTable, type Transaction } from "../../src/index.js";

export const CDNOW = "../shared/data/cdnow/CDNOW_sample.txt";

let transactions: Promise<Transaction[]> | undefined;
let summaries: Promise<CustomerSummary[]> | undefined;
let table: Promise<CustomerTable> | undefined;

/** The CDNOW sample's 6,919 lines as transactions (whitespace-separated, no header, YYYYMMDD dates). Do not modify them. */
export function cdnowTransactions(): Promise<Transaction[]> {
  transactions ??= readTransactions(CDNOW, {
    format: "csv",
    delimiter: "whitespace",
    header: false,
    names: ["masterId", "customerId", "date", "cds", "amount"],
    dateFormat: "YYYYMMDD",
  }).then((r) => r.transactions);
  return transactions;
}

/** CDNOW sample summaries as of 1998-07-01 (whole period; same-day lines merged into one order). */
export function cdnowSummaries(): Promise<CustomerSummary[]> {
  summaries ??= cdnowTransactions().then((t) => summarizeCustomers(t, { asOf: "1998-07-01" }));
  return summaries;
}

/** The same summaries as a columnar `CustomerTable` (as of 1998-07-01). */
export function cdnowTable(): Promise<CustomerTable> {
  table ??= cdnowTransactions().then((t) => summarizeCustomersTable(t, { asOf: "1998-07-01" }).customers);
  return table;
}
