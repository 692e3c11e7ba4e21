/**
 * Uplift learners on top of the churn models: the two-model learner (one classifier per group)
 * and the class-transformation learner (Jaskowski & Jaroszewicz 2012).
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { createRng, type Seed } from "../numeric/random.js";
import { scoreChurnColumns, trainChurnModelColumns, type ChurnFeatureMatrix, type TrainChurnModelColumnsOptions } from "../churn/columns.js";
import { scoreChurn, trainChurnModel, type SingleChurnModel, type TrainChurnModelOptions } from "../churn/model.js";
import type { ChurnRow } from "../churn/table.js";
import { checkLength, countGroups, readBinary } from "./input.js";

/**
 * Options of the underlying classifier(s), passed to `trainChurnModelColumns` (for example
 * `{ maxDepth: 4 }` or `{ trees: 200 }`); `model`, `features` and `label` are set by
 * {@link trainUpliftModel}.
 * @category Uplift
 */
export type UpliftLearnerOptions = Omit<TrainChurnModelColumnsOptions, "model" | "features" | "label">;

/**
 * Options of {@link trainUpliftModel}.
 * @category Uplift
 */
export interface TrainUpliftModelOptions {
  /** `"two-model"` (one classifier on the treated rows, one on the control rows) or `"class-transformation"` (one classifier of Z = [treated and outcome 1, or control and outcome 0]). Default `"two-model"`. */
  method?: "two-model" | "class-transformation";
  /** The classifier: `"tree"`, `"forest"`, `"logistic"` or `"boosting"` (the churn models). Default `"logistic"`. */
  model?: "tree" | "forest" | "logistic" | "boosting";
  /** Options of the classifier (see {@link UpliftLearnerOptions}). Default none (the churn models' defaults). */
  learner?: UpliftLearnerOptions;
  /** Feature columns. Default: with named columns, every numeric column of the outcome's length except the `treatment` and `outcome` arrays passed (the same objects; list the features when the table holds other copies of them, or other columns that are not features); with a row-major matrix, its `features`. */
  features?: readonly string[];
  /** Class transformation only: how to make the treated share 1/2, which the method requires. `"undersample"`: keep a seeded random subset of the larger group of the size of the smaller; `"oversample"`: add seeded draws with replacement from the smaller group until both are equal; `"none"`: use the rows as they are (biased unless the experiment was 50/50). Default `"undersample"`. */
  balance?: "undersample" | "oversample" | "none";
  /** Seed of the balancing draws (and of the learner, unless `learner.seed` is given). Default 42. */
  seed?: Seed;
  /** Name of the outcome, recorded in the model and its classifiers. Default `"retained"`. */
  outcomeName?: string;
}

const DEFAULTS = Object.freeze({
  method: "two-model" as "two-model" | "class-transformation",
  model: "logistic" as "tree" | "forest" | "logistic" | "boosting",
  learner: Object.freeze({}) as UpliftLearnerOptions,
  balance: "undersample" as "undersample" | "oversample" | "none",
  seed: 42 as Seed,
  outcomeName: "retained" as string,
});

/**
 * A fitted uplift model: plain JSON.
 * @category Uplift
 */
export interface UpliftModel {
  /** Schema tag. */
  format: "uplift-model/1";
  /** The learner. */
  method: "two-model" | "class-transformation";
  /** The classifier kind. */
  model: "tree" | "forest" | "logistic" | "boosting";
  /** What outcome 1 means (for example `"retained"`): uplift = P(outcome 1 | treated) - P(outcome 1 | control). */
  outcomeName: string;
  /** Feature names, in design order. */
  features: string[];
  /** Training rows. */
  trainingRows: number;
  /** Treated training rows. */
  treatedRows: number;
  /** Control training rows. */
  controlRows: number;
  /** Share of treated rows with outcome 1. */
  treatedRate: number;
  /** Share of control rows with outcome 1. */
  controlRate: number;
  /** Two-model: the classifier of P(outcome 1) trained on the treated rows; null otherwise. */
  treated: SingleChurnModel | null;
  /** Two-model: the classifier trained on the control rows; null otherwise. */
  control: SingleChurnModel | null;
  /** Class transformation: the classifier of P(Z = 1); null otherwise. */
  transformed: SingleChurnModel | null;
  /** Class transformation: the balancing used; null for the two-model learner. */
  balance: "undersample" | "oversample" | "none" | null;
  /** Class transformation: rows the classifier was trained on after balancing; null otherwise. */
  balancedRows: number | null;
}

/** Feature columns (Float64Array) read from a matrix, with every value checked. */
function readFeatures(fn: string, m: ChurnFeatureMatrix, features: readonly string[] | undefined, n: number, skip: readonly unknown[]): { names: string[]; cols: Float64Array[] } {
  if (m === null || typeof m !== "object") throw new InvalidOptionError(fn, "matrix", m, "{ columns } or { data, features }");
  if (features !== undefined && (!Array.isArray(features) || features.length === 0 || features.some((f) => typeof f !== "string"))) {
    throw new InvalidOptionError(fn, "features", features, "a non-empty array of column names");
  }
  const names: string[] = [];
  const cols: Float64Array[] = [];
  const check = (name: string, col: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (v - v !== 0 && v === v) throw new InvalidRecordError(fn, { row: i + 1, field: name, value: v, expected: "a finite number (NaN for missing)" });
    }
  };
  if ("data" in m) {
    const all = m.features;
    if (!(m.data instanceof Float64Array) || !Array.isArray(all) || all.length === 0) throw new InvalidOptionError(fn, "matrix", "(row-major)", "{ data: Float64Array, features: string[] }");
    const p = all.length;
    if (m.data.length !== n * p) throw new InvalidOptionError(fn, "matrix.data", `(length ${m.data.length})`, `${n} rows x ${p} features = ${n * p} values (as many rows as outcomes)`);
    for (const name of features ?? all) {
      const j = all.indexOf(name);
      if (j < 0) throw new InvalidOptionError(fn, "features", name, `one of the matrix's features (${all.join(", ")})`);
      const col = new Float64Array(n);
      for (let i = 0; i < n; i++) col[i] = m.data[i * p + j];
      check(name, col);
      names.push(name);
      cols.push(col);
    }
    return { names, cols };
  }
  const table = m.columns as Record<string, unknown>;
  if (table === null || typeof table !== "object") throw new InvalidOptionError(fn, "matrix.columns", table, "an object of columns");
  const numeric = (c: unknown): c is ArrayLike<unknown> => (ArrayBuffer.isView(c) && !(c instanceof DataView)) || (Array.isArray(c) && c.every((v) => typeof v === "number"));
  // by default: every numeric column of n values, except the treatment and outcome arrays themselves
  const want = features ?? Object.keys(table).filter((k) => numeric(table[k]) && (table[k] as ArrayLike<unknown>).length === n && !skip.includes(table[k]));
  if (want.length === 0) throw new InvalidOptionError(fn, "features", want, `at least one numeric column of ${n} values`);
  for (const name of want) {
    const c = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
    if (c === null || typeof c !== "object" || typeof (c as ArrayLike<unknown>).length !== "number") throw new InvalidOptionError(fn, `columns.${name}`, c === undefined ? "(missing)" : c, "a numeric column (typed array or number[])");
    const arr = c as ArrayLike<unknown>;
    checkLength(fn, `columns.${name}`, arr.length, n, "outcome");
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = arr[i];
      if (typeof v !== "number" && typeof v !== "bigint") throw new InvalidRecordError(fn, { row: i + 1, field: name, value: v, expected: "a number (NaN for missing)" });
      col[i] = Number(v);
    }
    check(name, col);
    names.push(name);
    cols.push(col);
  }
  return { names, cols };
}

/** Named columns of the rows `idx` (null-prototype object: any column name). */
function subset(names: readonly string[], cols: readonly Float64Array[], idx: ArrayLike<number>): { columns: Record<string, Float64Array> } {
  const columns: Record<string, Float64Array> = Object.create(null);
  names.forEach((name, j) => {
    const src = cols[j];
    columns[name] = Float64Array.from({ length: idx.length }, (_, k) => src[idx[k]]);
  });
  return { columns };
}

/** Throw unless `y` over `idx` holds both classes. */
function requireBothOutcomes(fn: string, y: Uint8Array, idx: readonly number[], group: string, what: string): void {
  let ones = 0;
  for (const i of idx) ones += y[i];
  if (ones === 0 || ones === idx.length) {
    throw new AnalyticsError("EMPTY_INPUT", `${fn}: every ${group} row has ${what} ${ones === 0 ? 0 : 1}; a classifier of the ${group} group needs both values`);
  }
}

/**
 * Train an uplift model on a randomised experiment (a retention campaign with a control group):
 * predicts, per customer, P(outcome 1 | treated) - P(outcome 1 | control).
 *
 * @remarks
 * **Outcome sign.** `outcome` 1 is the *desired* result. For a retention campaign that is
 * **stayed** (did not churn), so a positive uplift means the contact keeps the customer; it
 * equals P(churn | control) - P(churn | treated), the `uplift` that `planRetentionCampaign`
 * takes. (Churn labels `churned` are the opposite: pass `1 - churned`.)
 *
 * **Two-model learner** (`"two-model"`, also "T-learner"): one classifier of P(outcome 1 | x)
 * on the treated rows, one on the control rows (`trainChurnModelColumns` with the chosen
 * `model`); uplift(x) = p_treated(x) - p_control(x). Each group needs both outcome values.
 *
 * **Class transformation** (`"class-transformation"`; Jaskowski & Jaroszewicz 2012, "Uplift
 * modeling for clinical trial data", ICML workshop): Z = 1 for a treated customer with outcome 1
 * or a control customer with outcome 0, else 0. When treatment is random and P(treated) = 1/2,
 * P(Z = 1 | x) = (1 + uplift(x)) / 2, so uplift(x) = 2 P(Z = 1 | x) - 1 from one classifier.
 * The identity **requires a treated share of 1/2**; the paper's remedy for other designs is to
 * rebalance the data, which we do by default: `balance: "undersample"` keeps a seeded random
 * subset of the larger group with as many rows as the smaller one (`"oversample"` instead draws
 * the smaller group with replacement up to the larger one's size). With `"none"` on an
 * unbalanced experiment 2 P(Z = 1 | x) - 1 = 2 p a - 2 (1 - p) b + 1 - 2 p instead of a - b
 * (a = P(outcome 1 | treated, x), b = the same for control, p = the treated share): biased, for
 * 50/50 designs only.
 *
 * The model is plain JSON; score with {@link predictUplift}. Train on one part of the experiment
 * and evaluate on another with {@link evaluateUplift}.
 *
 * @param matrix - feature columns by name, or a row-major `Float64Array` (the churn models' `ChurnFeatureMatrix`); `NaN` = missing; not modified.
 * @param treatment - 1 (or `true`) = treated (contacted), 0 = control; one per row.
 * @param outcome - 1 (or `true`) = the desired outcome (retention: stayed); one per row.
 * @param options - see {@link TrainUpliftModelOptions}.
 * @returns the fitted {@link UpliftModel}.
 * @throws {@link AnalyticsError} `EMPTY_INPUT` with no rows, no treated or no control rows, or one outcome value only within a group (two-model) or in Z (class transformation).
 * @throws {@link InvalidOptionError} for lengths that differ, an unknown feature, a bad option.
 * @throws {@link InvalidRecordError} for a treatment or outcome other than 0/1/true/false, or an infinite feature value (with the row).
 * @example
 * ```ts
 * // the contact helps customers with x = 1 (stay 3 of 4 vs 1 of 4) and not those with x = 0 (2 of 4 either way)
 * const x = Float64Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
 * const treated = [1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0];
 * const stayed = [1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0];
 * const model = trainUpliftModel({ columns: { x } }, treated, stayed, { model: "tree", learner: { maxDepth: 1 } });
 * Array.from(predictUplift(model, { columns: { x: [0, 1] } }));
 * //=> [0, 0.5]
 * ```
 * @category Uplift
 */
export function trainUpliftModel(matrix: ChurnFeatureMatrix, treatment: ArrayLike<number | boolean>, outcome: ArrayLike<number | boolean>, options: TrainUpliftModelOptions = {}): UpliftModel {
  const fn = "trainUpliftModel";
  const o = resolveOptions(fn, options);
  const t = readBinary(fn, "treatment", treatment, "1 = treated (contacted), 0 = control");
  const y = readBinary(fn, "outcome", outcome, "1 = the desired outcome, for retention: stayed");
  checkLength(fn, "outcome", y.length, t.length, "treatment");
  countGroups(fn, t);
  const { names, cols } = readFeatures(fn, matrix, o.features, t.length, [treatment, outcome]);
  const learner: TrainChurnModelColumnsOptions = { seed: o.seed, ...withDefaults({}, o.learner), model: o.model, features: names, label: o.outcomeName };
  return fitUplift(fn, t, y, o, names, (idx, labels) => trainChurnModelColumns(subset(names, cols, idx), labels, learner));
}

/** Resolved options shared by both training entry points. */
type Resolved = typeof DEFAULTS & { method: "two-model" | "class-transformation"; balance: "undersample" | "oversample" | "none"; features?: readonly string[] };

/**
 * The learners, given a way to fit one classifier on the rows `idx` with 0/1 labels: two
 * classifiers (one per group), or one of Z after balancing the groups.
 */
function fitUplift(fn: string, t: Uint8Array, y: Uint8Array, o: Resolved, features: string[], fit: (idx: number[], labels: Uint8Array) => SingleChurnModel): UpliftModel {
  const { treated, control } = countGroups(fn, t);
  const treatedIdx: number[] = [];
  const controlIdx: number[] = [];
  let yt = 0;
  let yc = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i]) {
      treatedIdx.push(i);
      yt += y[i];
    } else {
      controlIdx.push(i);
      yc += y[i];
    }
  }
  const common = {
    format: "uplift-model/1" as const,
    method: o.method,
    model: o.model,
    outcomeName: o.outcomeName,
    features,
    trainingRows: t.length,
    treatedRows: treated,
    controlRows: control,
    treatedRate: yt / treated,
    controlRate: yc / control,
  };

  if (o.method === "two-model") {
    requireBothOutcomes(fn, y, treatedIdx, "treated", "outcome");
    requireBothOutcomes(fn, y, controlIdx, "control", "outcome");
    const group = (idx: number[]) => fit(idx, Uint8Array.from(idx, (i) => y[i]));
    return { ...common, treated: group(treatedIdx), control: group(controlIdx), transformed: null, balance: null, balancedRows: null };
  }

  // class transformation: balance the groups, then one classifier of Z
  let rows: number[];
  if (o.balance === "none" || treated === control) rows = [...treatedIdx, ...controlIdx].sort((a, b) => a - b);
  else {
    const rng = createRng(o.seed);
    const [small, large] = treated < control ? [treatedIdx, controlIdx] : [controlIdx, treatedIdx];
    if (o.balance === "undersample") {
      // partial Fisher-Yates: the first small.length entries of a seeded shuffle of the larger group
      const pool = [...large];
      for (let k = 0; k < small.length; k++) {
        const j = k + Math.floor(rng.next() * (pool.length - k));
        [pool[k], pool[j]] = [pool[j], pool[k]];
      }
      rows = [...small, ...pool.slice(0, small.length)].sort((a, b) => a - b);
    } else {
      const extra = Array.from({ length: large.length - small.length }, () => small[Math.floor(rng.next() * small.length)]);
      rows = [...large, ...small, ...extra];
    }
  }
  const z = Uint8Array.from(rows, (i) => (t[i] === y[i] ? 1 : 0));
  requireBothOutcomes(fn, z, Array.from(z.keys()), "(balanced)", "Z = [treated and outcome 1, or control and outcome 0] =");
  return { ...common, treated: null, control: null, transformed: fit(rows, z), balance: o.balance, balancedRows: rows.length };
}

/** Check the options common to both entry points; returns them merged with the defaults. */
function resolveOptions(fn: string, options: TrainUpliftModelOptions): Resolved {
  const o = withDefaults(DEFAULTS, options);
  if (o.method !== "two-model" && o.method !== "class-transformation") throw new InvalidOptionError(fn, "method", o.method, '"two-model" or "class-transformation"');
  if (!["tree", "forest", "logistic", "boosting"].includes(o.model)) throw new InvalidOptionError(fn, "model", o.model, '"tree", "forest", "logistic" or "boosting"');
  if (o.balance !== "undersample" && o.balance !== "oversample" && o.balance !== "none") throw new InvalidOptionError(fn, "balance", o.balance, '"undersample", "oversample" or "none"');
  if (o.learner === null || typeof o.learner !== "object") throw new InvalidOptionError(fn, "learner", o.learner, "an options object of trainChurnModelColumns");
  for (const k of ["model", "features", "label", "groupColumn", "exclude", "positiveLabel"] as const) {
    if ((o.learner as Record<string, unknown>)[k] !== undefined) {
      throw new InvalidOptionError(fn, `learner.${k}`, (o.learner as Record<string, unknown>)[k], k === "model" || k === "features" ? `not set (use the ${k} option of ${fn})` : "not set (the uplift learner chooses the label and the rows)");
    }
  }
  if (typeof o.outcomeName !== "string" || o.outcomeName === "") throw new InvalidOptionError(fn, "outcomeName", o.outcomeName, "a non-empty string");
  if (!(typeof o.seed === "string" || (typeof o.seed === "number" && Number.isFinite(o.seed)))) throw new InvalidOptionError(fn, "seed", o.seed, "a finite number or a string");
  return o as Resolved;
}

/**
 * Options of {@link trainUpliftModelRows}: those of {@link trainUpliftModel}, plus the names of
 * the treatment and outcome columns and the categorical columns.
 * @category Uplift
 */
export interface TrainUpliftModelRowsOptions extends Omit<TrainUpliftModelOptions, "outcomeName" | "learner"> {
  /** Column holding the treatment: 1/true = treated (contacted), 0/false = control. Default `"treated"`. */
  treatment?: string;
  /** Column holding the outcome: 1/true = the desired outcome (retention: stayed). Default `"retained"`; it is also the model's `outcomeName`. */
  outcome?: string;
  /** Feature columns. Default: every column of the first row except the treatment, the outcome, `customerId` and `cutoff`. */
  features?: readonly string[];
  /** Columns to treat as categorical even when they hold numbers (string columns always are). Default none. */
  categorical?: readonly string[];
  /** Options of the classifier(s), as `trainChurnModel`'s (for example `{ maxDepth: 4 }`); not `model`, `features`, `label`, `groupColumn`, `exclude`, `positiveLabel`, `categorical`. Default none. */
  learner?: Omit<TrainChurnModelOptions, "model" | "features" | "label" | "groupColumn" | "exclude" | "positiveLabel" | "categorical">;
}

/**
 * Train an uplift model on feature rows (records): the record form of {@link trainUpliftModel},
 * with categorical columns (one indicator per level, as `trainChurnModel`).
 *
 * @remarks
 * Same learners, options and results as {@link trainUpliftModel} (see there for the outcome
 * sign, the two-model and class-transformation learners and the balancing); the classifiers are
 * trained by `trainChurnModel` on the rows of each group (rows are not copied; for the class
 * transformation each row is copied once with its outcome replaced by Z). Score with
 * {@link predictUplift}, passing rows.
 *
 * @param rows - one record per customer with the features, the treatment and the outcome columns; not modified.
 * @param options - see {@link TrainUpliftModelRowsOptions}.
 * @returns the fitted {@link UpliftModel} (its `features` are the input columns used).
 * @throws {@link AnalyticsError} `EMPTY_INPUT` as {@link trainUpliftModel}.
 * @throws {@link InvalidRecordError} for a treatment or outcome other than 0/1/true/false, or a bad feature value (with the 1-based row).
 * @throws {@link InvalidOptionError} for a bad option.
 * @example
 * ```ts
 * // plan "gold": stay 3 of 4 when contacted, 1 of 4 when not; plan "basic": 2 of 4 either way
 * const rows = [1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0].map((stayed, i) => ({
 *   plan: i < 8 ? "gold" : "basic", treated: i % 8 < 4 ? 1 : 0, retained: stayed,
 * }));
 * const model = trainUpliftModelRows(rows, { model: "tree", learner: { maxDepth: 1 } });
 * Array.from(predictUplift(model, [{ plan: "gold" }, { plan: "basic" }]));
 * //=> [0.5, 0]
 * ```
 * @category Uplift
 */
export function trainUpliftModelRows(rows: readonly ChurnRow[], options: TrainUpliftModelRowsOptions = {}): UpliftModel {
  const fn = "trainUpliftModelRows";
  if (!Array.isArray(rows)) throw new InvalidOptionError(fn, "rows", rows, "an array of records");
  const treatmentCol = options.treatment ?? "treated";
  const outcomeCol = options.outcome ?? "retained";
  if (typeof treatmentCol !== "string" || treatmentCol === "") throw new InvalidOptionError(fn, "treatment", treatmentCol, "a column name");
  if (typeof outcomeCol !== "string" || outcomeCol === "" || outcomeCol === treatmentCol) throw new InvalidOptionError(fn, "outcome", outcomeCol, `a column name other than the treatment's ("${treatmentCol}")`);
  const { treatment: _t, outcome: _y, categorical, learner, ...rest } = options;
  const o = resolveOptions(fn, { ...rest, outcomeName: outcomeCol, learner: learner as UpliftLearnerOptions | undefined });
  if ((learner as Record<string, unknown> | undefined)?.categorical !== undefined) throw new InvalidOptionError(fn, "learner.categorical", (learner as Record<string, unknown>).categorical, "not set (use the categorical option)");
  const n = rows.length;
  for (let i = 0; i < n; i++) if (rows[i] === null || typeof rows[i] !== "object") throw new InvalidRecordError(fn, { row: i + 1, field: "row", value: rows[i], expected: "a record of column values" });
  const t = readBinary(fn, treatmentCol, rows.map((r) => r[treatmentCol]) as (number | boolean)[], "1 = treated (contacted), 0 = control");
  const y = readBinary(fn, outcomeCol, rows.map((r) => r[outcomeCol]) as (number | boolean)[], "1 = the desired outcome, for retention: stayed");
  countGroups(fn, t);
  const skip = new Set([treatmentCol, outcomeCol, "customerId", "cutoff"]);
  const features = o.features ? [...o.features] : Object.keys(rows[0]).filter((k) => !skip.has(k));
  if (features.length === 0 || features.some((f) => typeof f !== "string")) throw new InvalidOptionError(fn, "features", features, "a non-empty array of column names");
  for (const f of features) if (f === treatmentCol || f === outcomeCol) throw new InvalidOptionError(fn, "features", f, "feature columns without the treatment and the outcome");
  const trainOptions: TrainChurnModelOptions = { seed: o.seed, ...withDefaults({}, learner ?? {}), model: o.model, features, label: outcomeCol, categorical: categorical ?? [] };
  return fitUplift(fn, t, y, o, features, (idx, labels) => {
    // rows keep their own outcome (two-model) or get Z in the outcome column (class transformation)
    const part = idx.map((i, k) => (labels[k] === y[i] ? rows[i] : { ...rows[i], [outcomeCol]: labels[k] }));
    try {
      return trainChurnModel(part, trainOptions) as SingleChurnModel;
    } catch (e) {
      // a bad feature value names its row within the group: give the row of the input instead
      if (e instanceof InvalidRecordError && typeof e.row === "number") throw new InvalidRecordError(fn, { row: idx[e.row - 1] + 1, field: e.field, value: e.value, expected: e.expected });
      throw e;
    }
  });
}

/** Schema check of an uplift model (the classifiers are checked by the churn scorer). */
function checkUpliftModel(fn: string, model: unknown): asserts model is UpliftModel {
  const m = model as Partial<UpliftModel> | null;
  if (m === null || typeof m !== "object" || m.format !== "uplift-model/1") throw new InvalidOptionError(fn, "model", m === null || typeof m !== "object" ? m : m.format, 'an uplift model (format "uplift-model/1") from trainUpliftModel');
  if (m.method === "two-model") {
    if (m.treated === null || typeof m.treated !== "object") throw new InvalidOptionError(fn, "model.treated", m.treated, "the treated group's classifier");
    if (m.control === null || typeof m.control !== "object") throw new InvalidOptionError(fn, "model.control", m.control, "the control group's classifier");
  } else if (m.method === "class-transformation") {
    if (m.transformed === null || typeof m.transformed !== "object") throw new InvalidOptionError(fn, "model.transformed", m.transformed, "the classifier of Z");
  } else throw new InvalidOptionError(fn, "model.method", m.method, '"two-model" or "class-transformation"');
}

/**
 * Predicted uplift per row: P(outcome 1 | treated) - P(outcome 1 | control), in [-1, 1].
 *
 * @remarks
 * Two-model: p_treated(x) - p_control(x) from the two classifiers. Class transformation:
 * 2 P(Z = 1 | x) - 1. The features are read with the classifiers' stored encoding
 * (`scoreChurnColumns`): any {@link ChurnFeatureMatrix} holding the model's `features`. O(n p)
 * for the logistic model, O(n depth trees) for trees.
 *
 * @param model - a model from {@link trainUpliftModel}, or its JSON parsed back.
 * @param matrix - the features of the customers to score: columns (any `ChurnFeatureMatrix`) or records (for a model of {@link trainUpliftModelRows}, or any model whose features are numeric); not modified.
 * @returns one uplift per row.
 * @throws {@link InvalidOptionError} when `model` is not an uplift model, or a feature column is missing or of the wrong length.
 * @throws {@link InvalidRecordError} for an infinite feature value (with the row).
 * @example
 * ```ts
 * // model: the model of the trainUpliftModel example
 * Array.from(predictUplift(JSON.parse(JSON.stringify(model)), { data: Float64Array.from([1, 0]), features: ["x"] }));
 * //=> [0.5, 0]
 * ```
 * @category Uplift
 */
export function predictUplift(model: UpliftModel, matrix: ChurnFeatureMatrix | readonly ChurnRow[]): Float64Array {
  const fn = "predictUplift";
  checkUpliftModel(fn, model);
  const score = (m: SingleChurnModel): ArrayLike<number> => (Array.isArray(matrix) ? scoreChurn(m, matrix as readonly ChurnRow[]) : scoreChurnColumns(m, matrix as ChurnFeatureMatrix));
  if (model.method === "two-model") {
    const a = score(model.treated!);
    const b = score(model.control!);
    return Float64Array.from(a, (v, i) => v - b[i]);
  }
  return Float64Array.from(score(model.transformed!), (p) => 2 * p - 1);
}
