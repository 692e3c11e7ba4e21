// Minimal types for the parts of ml-cart 2 (no bundled types) that explainClusters uses.
declare module "ml-cart" {
  /** A trained node: split on `splitColumn < splitValue` (left) or leaf with a class distribution. */
  export interface MlCartNode {
    splitColumn?: number;
    splitValue?: number;
    left?: MlCartNode;
    right?: MlCartNode;
    distribution?: { getRow(i: number): number[] };
  }
  export class DecisionTreeClassifier {
    constructor(options?: { gainFunction?: "gini"; splitFunction?: "mean"; minNumSamples?: number; maxDepth?: number; gainThreshold?: number });
    root: MlCartNode;
    train(trainingSet: number[][], trainingLabels: number[]): void;
    predict(toPredict: number[][]): number[];
  }
}
