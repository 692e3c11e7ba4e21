/**
 * Classifiers with any number of classes: decision trees (CART, ID3's information gain, C4.5's
 * gain ratio), random forests, histogram gradient boosting and naive Bayes (Gaussian and
 * categorical, mixed tables), on rows or columns; readable rules; and "cluster first, then
 * classify" with the agreement between rules and k-means. See docs/classify.md.
 * @module
 */
export { trainClassifier, predictClass, predictProba, predictColumns } from "./model.js";
export type { TrainClassifierOptions, ClassifierKind, ClassPredictionColumns, Classifier, TreeClassifier, ForestClassifier, BoostingClassifier, NaiveBayesClassifier } from "./model.js";
export type { ClassifyData, ClassifyRow, ClassifyColumns, ClassifyColumn, ClassifyValue } from "./data.js";
export type { NaiveBayesGaussian, NaiveBayesCategorical } from "./naiveBayes.js";
export { evaluateClassifier } from "./evaluate.js";
export type { ClassifierEvaluation, ClassMetrics } from "./evaluate.js";
export { classifierRules, clusterThenClassify } from "./rules.js";
export type { ClassifierRule, ClassifierRulesOptions, ClusterThenClassifyOptions, ClusterThenClassifyResult, ClusterRuleSummary } from "./rules.js";
export type { ClassTreeNodes, SplitCriterion } from "../churn/tree.js";
