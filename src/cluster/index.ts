/**
 * Clustering: customer segments by k-means on scaled (optionally log-transformed) features,
 * a principled choice of k, readable profiles, scoring of new customers, and tree rules that
 * explain the clusters. See docs/clustering.md.
 * @module
 */
export { kmeans } from "./kmeans.js";
export type { KmeansData, KmeansOptions, KmeansResult } from "./kmeans.js";
export { kmeansParallel } from "./parallel.js";
export type { KmeansParallelOptions } from "./parallel.js";
export { clusterCustomers, assignCluster, assignClusterColumns } from "./cluster.js";
export type { ClusterCustomersOptions, ClusterAssignment, ClusterModel, ClusterResult, ClusterLabels, FeatureColumns } from "./cluster.js";
export type { FeatureTransform, FeatureScaling } from "./features.js";
export { chooseK, silhouetteScore, calinskiHarabaszScore, daviesBouldinScore, parseKRange } from "./chooseK.js";
export type { ChooseKOptions, ChooseKRow, ChooseKResult, SilhouetteScoreOptions } from "./chooseK.js";
export { profileClusters } from "./profile.js";
export type { ProfileClustersOptions, ClusterProfile, FeatureProfile } from "./profile.js";
export { explainClusters } from "./explain.js";
export type { ExplainClustersOptions, ExplainClustersResult, ClusterRule, ClusterExplanation, RuleCondition } from "./explain.js";
