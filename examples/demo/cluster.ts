import { chooseK, clusterCustomers, explainClusters, profileClusters } from "../../src/index.js";
import type { DemoContext } from "./context.js";
import { fmt, heading, pct, printTable } from "./format.js";

/** Demo section: customer segments by k-means on log RFM: the k table, the chosen k, profiles with labels, and rules. */
export default function clusterSection(ctx: DemoContext): void {
  const rows = ctx.summaries;
  if (rows.length < 10) {
    heading("Clusters");
    console.log("too few customers to cluster");
    return;
  }
  heading("Clusters: choosing k (k-means on log1p RFM, z-scored, 10 restarts)");
  const choice = chooseK(rows, { kRange: [2, 8], seed: ctx.seed });
  printTable(choice.table, [
    ["k", (t) => t.k],
    ["inertia", (t) => fmt(t.inertia, 1)],
    ["silhouette", (t) => fmt(t.silhouette, 3)],
    ["Calinski-Harabasz", (t) => fmt(t.calinskiHarabasz, 1)],
    ["iterations", (t) => t.iterations],
  ]);
  console.log(`silhouette ${choice.silhouetteExact ? "exact" : `on a seeded sample of ${choice.silhouetteSampleSize}`}; elbow at k = ${choice.elbowK ?? "-"}`);
  console.log(`chosen k = ${choice.recommendedK}: ${choice.reason}`);

  const result = clusterCustomers(rows, { k: choice.recommendedK, seed: ctx.seed });
  const profiles = profileClusters(result, rows);
  heading(`Cluster profiles (k = ${result.k}, inertia ${fmt(result.inertia, 1)}, ${result.converged ? "converged" : "not converged"} in ${result.iterations} iterations)`);
  const feat = (p: (typeof profiles)[number], name: string) => p.features.find((f) => f.feature === name)!;
  printTable(profiles, [
    ["cluster", (p) => p.cluster],
    ["label", (p) => p.label],
    ["customers", (p) => fmt(p.size, 0)],
    ["share", (p) => pct(p.share)],
    ["revenue share", (p) => pct(p.valueShare)],
    ["recency mean", (p) => fmt(feat(p, "recencyDays").mean, 0)],
    ["recency median", (p) => fmt(feat(p, "recencyDays").median, 0)],
    ["orders mean", (p) => fmt(feat(p, "frequency").mean, 1)],
    ["orders median", (p) => fmt(feat(p, "frequency").median, 1)],
    ["spend mean", (p) => fmt(feat(p, "totalSpend").mean)],
    ["spend median", (p) => fmt(feat(p, "totalSpend").median)],
  ]);

  const explained = explainClusters(result, rows, { maxDepth: 3, seed: ctx.seed });
  heading(`Cluster rules (CART depth 3 on ${fmt(explained.trainingSize, 0)} customers; accuracy on all ${pct(explained.accuracy)})`);
  printTable(explained.rules, [
    ["cluster", (r) => r.cluster],
    ["label", (r) => profiles[r.cluster].label],
    ["rule", (r) => r.text],
    ["customers", (r) => fmt(r.customers, 0)],
    ["precision", (r) => pct(r.precision)],
  ]);
}
