import type { CustomerSummary, IngestionReport, Transaction } from "../../src/index.js";

/** What every demo section receives: the data, already ingested and summarised. */
export interface DemoContext {
  /** Where the data came from (a file path or "synthetic store"). */
  source: string;
  /** Validated transactions. */
  transactions: Transaction[];
  /** The ingestion report. */
  report: IngestionReport;
  /** Analysis day (ISO date). */
  asOf: string;
  /** Customer summaries as of `asOf`. */
  summaries: CustomerSummary[];
  /** Seed for every stochastic step. */
  seed: number;
}
