/** Shared inputs of the engine tests. */
import { generateTransactions } from "../../src/synthetic/generate.js";

/** A generated log (seeded) with returns, cancellations, same-day orders, lines without order id and broken rows. */
export function generatedLog(): { header: string[]; rows: string[][] } {
  const tx = generateTransactions({ customers: 400, seed: 17, returnRate: 0.15 });
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const rows: string[][] = [];
  tx.forEach((t, i) => {
    const items = (t.items ?? []).join("|");
    const order = i % 5 === 0 ? "" : (t.orderId ?? "");
    rows.push([t.customerId, day(t.date), String(t.amount), order, items, t.channel ?? ""]);
    if (i % 7 === 0) rows.push([t.customerId, day(t.date), "4.25", `S${i}`, "jam", "store"]); // a second order the same day
    if (i % 11 === 0) rows.push([t.customerId, day(t.date), "-1.5", "", "bread", "store"]); // a return line without order id
    if (i % 13 === 0) rows.push([t.customerId, day(t.date), "3.10", `C${900000 + i}`, "eggs", "store"]); // a cancelled invoice: amount -3.10
    if (i % 17 === 0) rows.push([t.customerId, `${day(t.date).replace(/-/g, "")}`, "0", `${t.orderId ?? ""}`, "", ""]); // YYYYMMDD, zero amount
    if (i % 19 === 0) rows.push([`  ${t.customerId} `, `${day(t.date)}T23:30:00-02:00`, "1,234.50", "", "", ""]); // trimmed id, instant on the next UTC day, grouped number
  });
  rows.push(["", "2023-02-01", "1", "", "", ""]);
  rows.push(["C001", "2023-02-30", "1", "", "", ""]);
  rows.push(["C001", "", "1", "", "", ""]);
  rows.push(["C001", "2023-02-01", "", "", "", ""]);
  rows.push(["C001", "2023-02-01", "12x", "", "", ""]);
  rows.push(["C001", "2023-13-01", "1", "", "", ""]);
  rows.push(rows[10].slice()); // a duplicate row
  // Duplicates without order id: equal after trimming the items (2 duplicates), not with the items in another order.
  rows.push(["C002", "2023-02-02", "2.5", "", "jam| bread", ""], ["C002", "2023-02-02", "2.5", "", "jam| bread", ""], ["C002", "2023-02-02", "2.5", "", "jam|bread ", ""]);
  rows.push(["C002", "2023-02-02", "2.5", "", "bread|jam", ""]);
  return { header: ["customer_id", "date", "amount", "order_id", "items", "channel"], rows };
}

