/**
 * Writes the log of crm_log.ts as CSV for crm_cohorts.py. Run from the project root:
 *
 *   npx tsx test/reference/crm_export.ts > /tmp/crm_log.csv
 */
import { crmLog } from "./crm_log.js";

const num = (x: number) => (Object.is(x, -0) ? "-0" : String(x));
console.log("customerId,date,amount,orderId,cost");
for (const t of crmLog()) {
  const d = (t.date as Date).toISOString().slice(0, 10);
  console.log([t.customerId, d, num(t.amount), t.orderId ?? "", num(t.cost as number)].join(","));
}
