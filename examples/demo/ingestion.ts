import type { DemoContext } from "./context.js";
import { fmt, heading, printTable } from "./format.js";

/** Demo section: the ingestion report and summary statistics of the customer base. */
export default function ingestionSection(ctx: DemoContext): void {
  const r = ctx.report;
  heading(`Data: ${ctx.source}`);
  console.log(`rows read ${fmt(r.rowsRead, 0)} = accepted ${fmt(r.accepted, 0)} + rejected ${fmt(r.rejected, 0)}`);
  for (const x of r.rejectedByReason) console.log(`  rejected ${x.reason}: ${x.count} (first at row ${x.examples[0]?.row ?? "-"})`);
  console.log(`customers ${fmt(r.customers, 0)}, days ${r.dateRange?.from} .. ${r.dateRange?.to}, returns ${fmt(r.returns, 0)}, possible duplicate rows ${fmt(r.duplicates, 0)}`);

  heading(`Customer summaries as of ${ctx.asOf}`);
  const s = ctx.summaries;
  const stat = (name: string, get: (c: (typeof s)[number]) => number | null) => {
    const v = s.map(get).filter((x): x is number => x !== null).sort((a, b) => a - b);
    const q = (p: number) => (v.length ? v[Math.min(v.length - 1, Math.floor(p * (v.length - 1)))] : null);
    const mean = v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
    return { name, n: v.length, mean, p25: q(0.25), median: q(0.5), p75: q(0.75), max: v.length ? v[v.length - 1] : null };
  };
  printTable(
    [
      stat("orders (F)", (c) => c.frequency),
      stat("recency days (R)", (c) => c.recencyDays),
      stat("total spend (M)", (c) => c.totalSpend),
      stat("avg order value", (c) => c.averageOrderValue),
      stat("tenure days", (c) => c.tenureDays),
      stat("mean gap days", (c) => c.meanGapDays),
    ],
    [
      ["measure", (x) => x.name],
      ["customers", (x) => x.n],
      ["mean", (x) => fmt(x.mean)],
      ["p25", (x) => fmt(x.p25)],
      ["median", (x) => fmt(x.median)],
      ["p75", (x) => fmt(x.p75)],
      ["max", (x) => fmt(x.max)],
    ],
  );
}
