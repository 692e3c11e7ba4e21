/**
 * Shared fixtures of the churn tests. `smallTable` reproduces, row for row, the 200-row integer
 * table generated in test/reference/churn_sklearn.py (MINSTD generator), so the frozen
 * scikit-learn numbers in churn_sklearn.json apply to it.
 */
import { readFileSync } from "node:fs";
import type { ChurnRow } from "../../src/churn/index.js";

/** MINSTD (Park & Miller): state = state * 48271 mod (2^31 - 1); exact in doubles. */
export function minstd(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647);
}

/** The reference table: recency, freq, spend, plan (0..2) and the churn label. */
export function smallTable(n = 200, seed = 12345): { rows: ChurnRow[]; X: number[][]; y: number[] } {
  const next = minstd(seed);
  const rows: ChurnRow[] = [];
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const recency = next() % 365;
    const freq = 1 + (next() % 8);
    const spend = next() % 500;
    const plan = next() % 3;
    const noise = next() % 100;
    const churn = (recency > 180 && noise < 80) || (freq <= 2 && noise < 45) || (plan === 2 && noise < 30) || noise < 8;
    rows.push({ customerId: `c${i}`, recency, freq, spend, plan, churned: churn });
    X.push([recency, freq, spend, plan]);
    y.push(churn ? 1 : 0);
  }
  return { rows, X, y };
}

/** The frozen scikit-learn output (see test/reference/churn_sklearn.py). */
export interface SklearnReference {
  sklearn: string;
  auc: { labels: number[]; scores: number[]; roc_auc: number; average_precision: number; brier: number };
  small: {
    n: number;
    churned: number;
    first_rows: number[][];
    tree_gini: RefTree;
    tree_entropy: RefTree;
    tree_depth4_leaf10_proba: number[];
    [k: `logistic_${string}`]: { coef_std: number[]; intercept_std: number; coef: number[]; intercept: number; proba_first5: number[] };
  };
  cdnow: Record<"recency" | "logistic" | "tree_d3_leaf100" | "tree_d5" | "forest", { mean: number; sd: number; auc: number[] }>;
}

interface RefTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  n: number[];
  prob: number[];
  proba: number[];
}

export const sklearnRef: SklearnReference = JSON.parse(readFileSync(new URL("../reference/churn_sklearn.json", import.meta.url), "utf8"));

/**
 * A 40,000-row table for the large-table logistic path (more than twice the Hessian sample, so
 * the fit runs its sampled warm start and quasi-Newton phase), reproduced row for row by
 * test/churn/logistic_sklearn.py: correlated columns (b with a, f with c), a 0/1 column, a
 * column with 10% missing values (NaN) and one with a large mean and small spread. The label is
 * an integer rule plus integer noise, so both languages draw the same labels exactly.
 */
export function largeTable(n = 40_000, seed = 2024): { features: string[]; columns: Record<string, Float64Array>; y: Uint8Array } {
  const next = minstd(seed);
  const features = ["a", "b", "c", "d", "e", "f", "g", "h"];
  const columns: Record<string, Float64Array> = Object.fromEntries(features.map((f) => [f, new Float64Array(n)]));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const ai = next() % 1000;
    const bi = Math.floor(ai / 2) + (next() % 500);
    const c = next() % 12;
    const d = next() % 2;
    const ei = next() % 10000;
    const f = c * 3 + (next() % 7);
    const g = next() % 10 === 0 ? Number.NaN : next() % 300;
    const h = 1000 + (next() % 5);
    const score = 3 * ai - 2 * bi + 150 * c + 600 * d + Math.floor(ei / 10) + (Number.isNaN(g) ? 300 : g);
    y[i] = score + (next() % 6000) > 4200 ? 1 : 0;
    columns.a[i] = ai / 10;
    columns.b[i] = bi / 10;
    columns.c[i] = c;
    columns.d[i] = d;
    columns.e[i] = ei / 100 - 50;
    columns.f[i] = f;
    columns.g[i] = g;
    columns.h[i] = h;
  }
  return { features, columns, y };
}
