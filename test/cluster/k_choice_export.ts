/**
 * Writes the CDNOW RFM features as k-means sees them in the report (recencyDays, frequency,
 * totalSpend from `summarizeCustomers`, log1p, z-scored), rounded to 6 decimals, as CSV on
 * stdout, for k_choice_sklearn.py. Run from the project root:
 *
 *   npx tsx test/cluster/k_choice_export.ts > /tmp/cdnow_rfm_scaled.csv
 */
import { cdnowTransactions } from "../rfm/cdnow.js";
import { summarizeCustomers } from "../../src/summary/index.js";
import { prepare } from "../../src/cluster/cluster.js";

const transactions = await cdnowTransactions();
const prep = prepare("export", summarizeCustomers(transactions), { features: ["recencyDays", "frequency", "totalSpend"], transform: "log1p", scaling: "zscore" });
console.log("r,f,m");
for (let i = 0; i < prep.n; i++) console.log([0, 1, 2].map((t) => prep.x[i * 3 + t].toFixed(6)).join(","));
