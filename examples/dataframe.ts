/**
 * danfo.js interop: transactions and summaries out to DataFrames and back.
 *
 *   npx tsx examples/dataframe.ts
 *
 * The library accepts DataFrames structurally (anything with `columns` and row-major `values`),
 * so it works with `danfojs` (pure JS, used here) and `danfojs-node` alike.
 */
import { isDeepStrictEqual } from "node:util";
import * as dfd from "danfojs";
import { fromDataFrame, generateTransactions, summarizeCustomers, toDataFrame } from "../src/index.js";

const transactions = generateTransactions({ customers: 50, seed: 1 });

// Transactions -> DataFrame: Dates stay Dates, items become "a|b", attributes flatten to columns.
const df = toDataFrame(transactions, dfd.DataFrame);
console.log(`DataFrame ${df.shape[0]} rows x ${df.shape[1]} columns: ${df.columns.join(", ")}`);

// ... work on it in danfo (here: keep the online channel) ...
const online = df.query(df["channel"].eq("online"));

// DataFrame -> transactions, validated, with the usual accounting report.
const { transactions: back, report } = fromDataFrame(online);
console.log(`back from danfo: ${report.accepted} of ${report.rowsRead} rows accepted; full round trip exact: ${isDeepStrictEqual(fromDataFrame(df).transactions, transactions)}`);

// Summaries out to a DataFrame for further analysis in danfo.
const summaries = toDataFrame(summarizeCustomers(back), dfd.DataFrame);
console.log(`summaries: ${summaries.shape[0]} customers; mean orders ${Number(summaries["frequency"].mean()).toFixed(2)}, mean spend ${Number(summaries["totalSpend"].mean()).toFixed(2)}`);
