/**
 * The migration step of `analyze`: RFM segments at an earlier analysis day (`compareAsOf`) and
 * at `asOf`, the transition matrix between them, and the customers who moved from the best
 * segments to the ones at risk.
 * @module
 */
import { migrationMovers, rfmMigration, type Mover } from "../migration/index.js";
import { SkipStep, type StepContext } from "./context.js";

/** Moves listed by the step, best segments to at-risk ones: the moves a CRM manager acts on. */
const WATCHED: readonly [string, string][] = [
  ["Champions", "At Risk"],
  ["Champions", "Can't Lose Them"],
  ["Loyal Customers", "At Risk"],
  ["Loyal Customers", "Hibernating"],
  ["Champions", "Need Attention"],
];

/** Output of the `migration` step. @category Pipeline */
export interface MigrationStepOutput {
  /** The earlier analysis day. */
  from: string;
  /** The analysis day. */
  to: string;
  /** Segment labels of the rows (the earlier day; last row: customers new since then). */
  fromStates: string[];
  /** Segment labels of the columns (the analysis day; last column: customers without a purchase by then, none here). */
  toStates: string[];
  /** Customers per (earlier segment, current segment). */
  counts: number[][];
  /** Row shares of `counts`. */
  shares: number[][];
  /** Customers in both segmentations. */
  customers: number;
  /** Customers in the same segment at both days. */
  stayed: number;
  /** The watched moves that happened, with up to 10 movers each (largest spend first). */
  moves: {
    /** Segment at the earlier day. */
    from: string;
    /** Segment now. */
    to: string;
    /** Customers who made this move. */
    count: number;
    /** The first movers, with what changed. */
    movers: Mover[];
  }[];
}

export const migrationStep = (ctx: StepContext): MigrationStepOutput => {
  const compareAsOf = ctx.options.compareAsOf;
  if (compareAsOf === null) throw new SkipStep("no earlier analysis day to compare with (set compareAsOf / --compare-as-of)");
  const r = rfmMigration(ctx.table, { from: compareAsOf, to: ctx.asOf });
  const m = r.matrix;
  const moves: MigrationStepOutput["moves"] = [];
  for (const [from, to] of WATCHED) {
    const i = m.from.indexOf(from);
    const j = m.to.indexOf(to);
    if (i < 0 || j < 0 || m.counts[i][j] === 0) continue;
    const movers = migrationMovers(r.from.states, r.to.states, from, to, { features: { from: r.from.customers, to: r.to.customers } });
    movers.sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || (a.customerId < b.customerId ? -1 : 1));
    moves.push({ from, to, count: m.counts[i][j], movers: movers.slice(0, 10) });
  }
  const moved = m.customers - m.stayed;
  ctx.lines.push(
    `Migration since ${r.from.asOf}: ${moved.toLocaleString("en-US")} of ${m.customers.toLocaleString("en-US")} customers changed RFM segment` +
      (moves.length ? `; ${moves.map((x) => `${x.count} ${x.from} -> ${x.to}`).join(", ")}` : ""),
  );
  return { from: r.from.asOf, to: r.to.asOf, fromStates: m.from, toStates: m.to, counts: m.counts, shares: m.shares, customers: m.customers, stayed: m.stayed, moves };
};
