import { InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { median } from "../numeric/quantile.js";
import { fsum, fsumGroups } from "../numeric/sum.js";
import { extractRaw, rowId } from "./features.js";
import type { ClusterResult } from "./cluster.js";

/**
 * Options of {@link profileClusters}.
 * @category Clustering
 */
export interface ProfileClustersOptions {
  /** Field summed as each cluster's revenue (its share of the total is `valueShare`). Default `"totalSpend"`; when rows lack it, value columns are 0. */
  valueField?: string;
  /** A feature enters the label when its centroid is at least this far from the overall centre, in scaled units (standard deviations for z-score, IQRs for robust). Default 0.25. */
  labelThreshold?: number;
}

/**
 * Mean, median and centroid of one feature within one cluster.
 * @category Clustering
 */
export interface FeatureProfile {
  /** Feature name. */
  feature: string;
  /** Arithmetic mean over the cluster's customers, original units. */
  mean: number;
  /** Median (R-7 interpolation), original units. */
  median: number;
  /** The cluster centre mapped back to original units. */
  centroid: number;
  /** The cluster centre in scaled units (distance from the overall centre, signed). */
  scaled: number;
}

/**
 * Profile of one cluster.
 * @category Clustering
 */
export interface ClusterProfile {
  /** Cluster number (0 = highest value). */
  cluster: number;
  /** Readable label, e.g. `"high value, frequent, recent"`; `"average"` when no feature stands out. */
  label: string;
  /** Customers in the cluster. */
  size: number;
  /** `size / n`. */
  share: number;
  /** Sum of `valueField` over the cluster. */
  value: number;
  /** `value / total value` (0 when the total is 0). */
  valueShare: number;
  /** One entry per feature, in feature order. */
  features: FeatureProfile[];
}

const PROFILE_DEFAULTS = Object.freeze({ valueField: "totalSpend", labelThreshold: 0.25 });

/** Words for the common customer-summary features: [word when high, word when low]. */
const WORDS: ReadonlyMap<string, readonly [string, string]> = new Map([
  ["totalSpend", ["high value", "low value"]],
  ["spendPerPeriod", ["high spend rate", "low spend rate"]],
  ["averageOrderValue", ["big baskets", "small baskets"]],
  ["frequency", ["frequent", "infrequent"]],
  ["repeatPurchases", ["frequent", "infrequent"]],
  ["recencyDays", ["lapsed", "recent"]],
  ["tenureDays", ["long-standing", "new"]],
  ["meanGapDays", ["slow to return", "quick to return"]],
  ["returnAmount", ["heavy returns", "few returns"]],
  ["returnLines", ["heavy returns", "few returns"]],
]);
const ORDER = ["totalSpend", "spendPerPeriod", "frequency", "repeatPurchases", "recencyDays"];

/**
 * Describe each cluster: size, share of customers, share of revenue, mean and median of each
 * feature, and a readable label.
 *
 * @remarks
 * The label lists, for each feature whose scaled centroid is at least `labelThreshold` from 0
 * (the overall mean for z-score, the median for robust scaling), a word for its direction:
 * `totalSpend` high/low gives "high value"/"low value", `frequency` "frequent"/"infrequent",
 * `recencyDays` low/high "recent"/"lapsed", other fields "high f"/"low f". Value words come
 * first, then frequency, then recency, then the rest in feature order. Two clusters with the
 * same words get their cluster number appended. Clusters keep `clusterCustomers`'s stable order
 * (highest mean value first), so labels do not shuffle between runs.
 *
 * @param result - the result of {@link clusterCustomers}.
 * @param rows - the same rows, in the same order; not mutated.
 * @param options - see {@link ProfileClustersOptions}.
 * @returns one profile per cluster, cluster 0 first.
 * @throws {@link InvalidOptionError} when `rows` are not the rows that were clustered (length or
 * id mismatch) or an option is invalid; {@link InvalidRecordError} for a non-finite feature.
 * @example
 * ```ts
 * // rows: the four customers of the clusterCustomers example
 * const result = clusterCustomers(rows, { k: 2, seed: 1 });
 * profileClusters(result, rows).map((p) => p.label);
 * //=> ["high value, frequent, recent", "low value, infrequent, lapsed"]
 * ```
 * @category Clustering
 */
export function profileClusters(result: ClusterResult, rows: readonly object[], options: ProfileClustersOptions = {}): ClusterProfile[] {
  const o = withDefaults(PROFILE_DEFAULTS, options);
  if (typeof o.labelThreshold !== "number" || !(o.labelThreshold >= 0) || !Number.isFinite(o.labelThreshold)) {
    throw new InvalidOptionError("profileClusters", "labelThreshold", o.labelThreshold, "a finite number >= 0");
  }
  checkRows("profileClusters", result, rows);
  const n = rows.length;
  const d = result.features.length;
  const k = result.k;
  if (n === 0) return [];
  const raw = extractRaw("profileClusters", rows, result.features);
  // revenue per cluster and in total: exact sums (money)
  const money = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = (rows[i] as Record<string, unknown>)[o.valueField];
    money[i] = typeof v === "number" && Number.isFinite(v) ? v : 0;
  }
  const value = fsumGroups(money, result.labels, k);
  const total = fsum(money);
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) members[result.labels[i]].push(i);
  const profiles: ClusterProfile[] = [];
  for (let j = 0; j < k; j++) {
    const idx = members[j];
    const features: FeatureProfile[] = [];
    for (let t = 0; t < d; t++) {
      const col = Float64Array.from(idx, (i) => raw[i * d + t]);
      features.push({
        feature: result.features[t],
        mean: col.length ? fsum(col) / col.length : 0,
        median: col.length ? median(col) : 0,
        centroid: result.centroids[j][t],
        scaled: result.scaledCentroids[j][t],
      });
    }
    profiles.push({ cluster: j, label: labelOf(features, o.labelThreshold), size: idx.length, share: idx.length / n, value: value[j], valueShare: total !== 0 ? value[j] / total : 0, features });
  }
  const seen = new Map<string, number>();
  for (const p of profiles) seen.set(p.label, (seen.get(p.label) ?? 0) + 1);
  for (const p of profiles) if ((seen.get(p.label) ?? 0) > 1) p.label = `${p.label} (${p.cluster})`;
  return profiles;
}

function labelOf(features: readonly FeatureProfile[], threshold: number): string {
  const rank = (f: string) => {
    const r = ORDER.indexOf(f);
    return r < 0 ? ORDER.length : r;
  };
  const words: string[] = [];
  const used = new Set<string>();
  const sorted = [...features].sort((a, b) => rank(a.feature) - rank(b.feature));
  for (const f of sorted) {
    if (Math.abs(f.scaled) < threshold || f.scaled === 0) continue;
    const pair = WORDS.get(f.feature) ?? ([`high ${f.feature}`, `low ${f.feature}`] as const);
    const w = f.scaled > 0 ? pair[0] : pair[1];
    if (!used.has(w)) {
      used.add(w);
      words.push(w);
    }
  }
  return words.length ? words.join(", ") : "average";
}

/** @internal The rows must be the clustered rows: same count, same ids in the same order. */
export function checkRows(fn: string, result: ClusterResult, rows: readonly object[]): void {
  if (result === null || typeof result !== "object" || !Array.isArray((result as Partial<ClusterResult>).assignments)) {
    throw new InvalidOptionError(fn, "result", Array.isArray(result) ? `an array of ${(result as unknown[]).length}` : result, "the result of clusterCustomers (first argument), then the clustered rows");
  }
  if (!Array.isArray(rows) || rows.length !== result.assignments.length) {
    throw new InvalidOptionError(fn, "rows", Array.isArray(rows) ? `${rows.length} rows` : rows, `the ${result.assignments.length} rows that were clustered, in the same order`);
  }
  for (let i = 0; i < rows.length; i++) {
    if (rowId(rows[i], i) !== result.assignments[i].customerId) {
      throw new InvalidOptionError(fn, "rows", `row ${i + 1} has id ${rowId(rows[i], i)}`, `the clustered rows in the same order (expected id ${result.assignments[i].customerId})`);
    }
  }
}
