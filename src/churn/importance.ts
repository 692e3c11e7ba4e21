/**
 * Permutation importance of any single churn model on labelled rows (seeded).
 * @module
 */
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { createRng, type Seed } from "../core/random.js";
import { designOf, readLabelColumn, rowCount, type ChurnFeatureMatrix } from "./columns.js";
import { rocAucBinary } from "./evaluate.js";
import { checkModel, scoreDesign, type ChurnModel } from "./model.js";

/**
 * Options of {@link churnPermutationImportance}.
 * @category Churn
 */
export interface ChurnPermutationImportanceOptions {
  /** Shuffles per column. Default 5. */
  repeats?: number;
  /** Seed of the shuffles. Default 42. */
  seed?: Seed;
}

/**
 * Permutation importance of one input column.
 * @category Churn
 */
export interface ChurnPermutationImportance {
  /** Input column (a categorical column is shuffled as a whole, all its indicators together). */
  column: string;
  /** Mean drop of ROC AUC over the shuffles (baseline AUC - shuffled AUC). */
  meanDrop: number;
  /** Sample standard deviation of the drops (0 with one repeat). */
  sd: number;
  /** The drop of each shuffle. */
  drops: number[];
}

/**
 * Permutation importance (Breiman 2001; scikit-learn's `permutation_importance` with
 * `scoring="roc_auc"`): the drop of ROC AUC when one input column's values are shuffled across
 * the rows, breaking its link with the label while keeping its distribution.
 *
 * @remarks
 * Use held-out rows: on the training rows it measures what the model memorised. A categorical
 * column's indicators move together. Correlated columns share importance (shuffling one leaves
 * the other), so a low value does not prove a column useless. Cost: `repeats` scorings per column.
 *
 * @param model - a single fitted model (not grouped).
 * @param matrix - feature columns of labelled rows (see `ChurnFeatureMatrix`).
 * @param labels - 0/1 or true/false per row.
 * @param options - see {@link ChurnPermutationImportanceOptions}.
 * @returns one entry per input column of the model, largest mean drop first, and the baseline AUC.
 * @throws {@link AnalyticsError} `EMPTY_INPUT` when the labels hold one class only.
 * @throws {@link InvalidOptionError} for a grouped model, mismatched lengths or a bad option.
 * @example
 * ```ts
 * const recency = Float64Array.from({ length: 40 }, (_, i) => i);
 * const noise = Float64Array.from({ length: 40 }, (_, i) => (i * 7) % 5);
 * const y = Array.from({ length: 40 }, (_, i) => (i >= 20 ? 1 : 0));
 * const m = trainChurnModelColumns({ columns: { recency, noise } }, y, { model: "tree", maxDepth: 1 });
 * churnPermutationImportance(m, { columns: { recency, noise } }, y).columns.map((c) => c.column);
 * //=> ["recency", "noise"]
 * ```
 * @category Churn
 */
export function churnPermutationImportance(
  model: ChurnModel,
  matrix: ChurnFeatureMatrix,
  labels: ArrayLike<number | boolean>,
  options: ChurnPermutationImportanceOptions = {},
): {
  /** ROC AUC of the model on the rows as given (no column shuffled). */
  baselineAuc: number;
  /** One entry per input column of the model, largest mean drop first. */
  columns: ChurnPermutationImportance[];
} {
  const fn = "churnPermutationImportance";
  checkModel(model, fn);
  if (model.model === "grouped") throw new InvalidOptionError(fn, "model", "grouped", "a single model");
  const o = withDefaults({ repeats: 5 as number, seed: 42 as Seed }, options);
  if (!(Number.isInteger(o.repeats) && o.repeats >= 1 && o.repeats <= 1000)) throw new InvalidOptionError(fn, "repeats", o.repeats, "an integer in [1, 1000]");
  const y = readLabelColumn(fn, labels, "label");
  const n = rowCount(matrix, model, fn);
  if (n !== y.length) throw new InvalidOptionError(fn, "labels", `(${y.length} labels)`, `one label per row (${n})`);
  const design = designOf(model, matrix, n, fn);
  const base = rocAucBinary(y, scoreDesign(model, design));
  if (base === null) throw new AnalyticsError("EMPTY_INPUT", `${fn}: the labels hold one class only`);
  const rng = createRng(o.seed);
  const out: ChurnPermutationImportance[] = [];
  let j = 0;
  for (const spec of model.columns) {
    const width = spec.kind === "numeric" ? 1 : spec.levels.length;
    const drops: number[] = [];
    for (let r = 0; r < o.repeats; r++) {
      const perm = Int32Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const k = Math.floor(rng.next() * (i + 1));
        const t = perm[i];
        perm[i] = perm[k];
        perm[k] = t;
      }
      const cols = design.cols.slice();
      for (let q = j; q < j + width; q++) cols[q] = Float64Array.from(perm, (i) => design.cols[q][i]);
      drops.push(base - rocAucBinary(y, scoreDesign(model, { ...design, cols }))!);
    }
    const mean = drops.reduce((a, b) => a + b, 0) / drops.length;
    const sd = drops.length > 1 ? Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / (drops.length - 1)) : 0;
    out.push({ column: spec.name, meanDrop: mean, sd, drops });
    j += width;
  }
  return { baselineAuc: base, columns: out.sort((a, b) => b.meanDrop - a.meanDrop) };
}
