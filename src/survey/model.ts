/**
 * PLS path models as data: a measurement model (blocks of items, reflective or formative) and a
 * structural model (directed paths between constructs), with validation and the ECSI and ACSI
 * presets.
 * @module
 */
import { InvalidOptionError } from "../core/errors.js";

/**
 * How a block's outer weights are estimated. `"A"` (reflective): each weight is the covariance
 * of its item with the inner estimate (correlation weights). `"B"` (formative): the weights are
 * the multiple-regression coefficients of the inner estimate on the block's items.
 * @category Survey
 */
export type PlsMode = "A" | "B";

/**
 * One construct (latent variable) and its items (manifest variables).
 * @category Survey
 */
export interface PlsBlock {
  /** Construct name, unique in the model. */
  readonly name: string;
  /** Item (column) names, at least one, unique across the model. */
  readonly items: readonly string[];
  /** Measurement mode. Default `"A"` (reflective). */
  readonly mode?: PlsMode;
}

/**
 * One structural path `from → to`.
 * @category Survey
 */
export interface PlsPath {
  /** The predecessor (cause) construct. */
  readonly from: string;
  /** The endogenous construct the path points to. */
  readonly to: string;
}

/**
 * A PLS path model: the blocks and the structural paths (a directed acyclic graph in which
 * every construct has at least one path).
 * @category Survey
 */
export interface PlsModel {
  /** The measurement model. */
  readonly blocks: readonly PlsBlock[];
  /** The structural model. */
  readonly paths: readonly PlsPath[];
}

/**
 * A validated model in index form (used by the estimators).
 * @internal
 */
export interface CheckedModel {
  names: string[];
  items: string[][];
  modes: PlsMode[];
  /** `pred[j]`: construct indices with a path into `j`, ascending. */
  pred: number[][];
  /** `succ[j]`: construct indices `j` points to, ascending. */
  succ: number[][];
  /** Construct indices in a topological order (causes first, ties by block order). */
  order: number[];
  paths: { from: number; to: number }[];
}

/**
 * Check a model and convert it to index form.
 * @throws {@link InvalidOptionError} naming the offending block, item or path: no blocks, an
 *   empty or duplicate name, a block without items, an item used twice, a mode other than A/B,
 *   a path to an unknown construct, a self-path or repeated path, a cycle, or a construct
 *   without any path.
 * @internal
 */
export function checkModel(fn: string, model: PlsModel): CheckedModel {
  if (model === null || typeof model !== "object" || !Array.isArray(model.blocks) || !Array.isArray(model.paths)) {
    throw new InvalidOptionError(fn, "model", model, "an object { blocks: PlsBlock[], paths: PlsPath[] }");
  }
  if (model.blocks.length < 2) throw new InvalidOptionError(fn, "model.blocks", model.blocks.length, "at least two blocks");
  const index = new Map<string, number>();
  const seenItems = new Map<string, string>();
  const names: string[] = [];
  const items: string[][] = [];
  const modes: PlsMode[] = [];
  model.blocks.forEach((b, j) => {
    if (typeof b?.name !== "string" || b.name === "") throw new InvalidOptionError(fn, `model.blocks[${j}].name`, b?.name, "a non-empty string");
    if (index.has(b.name)) throw new InvalidOptionError(fn, `model.blocks[${j}].name`, b.name, "a construct name not used by another block");
    if (!Array.isArray(b.items) || b.items.length === 0) throw new InvalidOptionError(fn, `model.blocks[${j}].items`, b.items, "a non-empty list of item names");
    for (const it of b.items) {
      if (typeof it !== "string" || it === "") throw new InvalidOptionError(fn, `model.blocks[${j}].items`, it, "item names as non-empty strings");
      const other = seenItems.get(it);
      if (other !== undefined) throw new InvalidOptionError(fn, `model.blocks[${j}].items`, it, `an item not already measuring "${other}"`);
      seenItems.set(it, b.name);
    }
    const mode = b.mode ?? "A";
    if (mode !== "A" && mode !== "B") throw new InvalidOptionError(fn, `model.blocks[${j}].mode`, b.mode, '"A" (reflective) or "B" (formative)');
    index.set(b.name, j);
    names.push(b.name);
    items.push([...b.items]);
    modes.push(mode);
  });
  const k = names.length;
  const pred: number[][] = Array.from({ length: k }, () => []);
  const succ: number[][] = Array.from({ length: k }, () => []);
  const paths: { from: number; to: number }[] = [];
  const seen = new Set<string>();
  model.paths.forEach((p, i) => {
    const from = index.get(p?.from);
    const to = index.get(p?.to);
    if (from === undefined) throw new InvalidOptionError(fn, `model.paths[${i}].from`, p?.from, "the name of a block in model.blocks");
    if (to === undefined) throw new InvalidOptionError(fn, `model.paths[${i}].to`, p?.to, "the name of a block in model.blocks");
    if (from === to) throw new InvalidOptionError(fn, `model.paths[${i}]`, `${p.from} -> ${p.to}`, "a path between two different constructs");
    const key = `${from},${to}`;
    if (seen.has(key)) throw new InvalidOptionError(fn, `model.paths[${i}]`, `${p.from} -> ${p.to}`, "each path listed once");
    seen.add(key);
    pred[to].push(from);
    succ[from].push(to);
    paths.push({ from, to });
  });
  for (const list of [...pred, ...succ]) list.sort((a, b) => a - b);
  for (let j = 0; j < k; j++) {
    if (pred[j].length + succ[j].length === 0) throw new InvalidOptionError(fn, "model.paths", names[j], `a path to or from every construct ("${names[j]}" has none)`);
  }
  // Kahn's algorithm, smallest block index first among the ready constructs.
  const indeg = pred.map((p) => p.length);
  const order: number[] = [];
  const ready = indeg.flatMap((d, j) => (d === 0 ? [j] : []));
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const j = ready.shift() as number;
    order.push(j);
    for (const s of succ[j]) if (--indeg[s] === 0) ready.push(s);
  }
  if (order.length < k) {
    const inCycle = names.filter((_, j) => indeg[j] > 0);
    throw new InvalidOptionError(fn, "model.paths", inCycle.join(", "), "an acyclic structural model (these constructs lie on or after a cycle)");
  }
  return { names, items, modes, pred, succ, order, paths };
}

/**
 * Items of the ECSI model by construct (the item names of the `mobi` data).
 * @category Survey
 */
export interface EcsiItems {
  /** Corporate image. */
  readonly image: readonly string[];
  /** Customer expectations. */
  readonly expectation: readonly string[];
  /** Perceived quality. */
  readonly quality: readonly string[];
  /** Perceived value. */
  readonly value: readonly string[];
  /** Customer satisfaction. */
  readonly satisfaction: readonly string[];
  /** Complaints. */
  readonly complaints: readonly string[];
  /** Loyalty. */
  readonly loyalty: readonly string[];
}

/** The item names of the `mobi` / `mobile` ECSI data. */
const MOBI_ITEMS: EcsiItems = Object.freeze({
  image: ["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"],
  expectation: ["CUEX1", "CUEX2", "CUEX3"],
  quality: ["PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERQ6", "PERQ7"],
  value: ["PERV1", "PERV2"],
  satisfaction: ["CUSA1", "CUSA2", "CUSA3"],
  complaints: ["CUSCO"],
  loyalty: ["CUSL1", "CUSL2", "CUSL3"],
});

/**
 * The European Customer Satisfaction Index model: seven reflective constructs (Image,
 * Expectation, Quality, Value, Satisfaction, Complaints, Loyalty) and its twelve paths.
 *
 * @remarks
 * Paths (Tenenhaus et al. 2005, fig. 1): Image → Expectation, Satisfaction, Loyalty;
 * Expectation → Quality, Value, Satisfaction; Quality → Value, Satisfaction; Value →
 * Satisfaction; Satisfaction → Complaints, Loyalty; Complaints → Loyalty.
 *
 * @param items - item names per construct; default the `mobi` data's (IMAG1–5, CUEX1–3,
 *   PERQ1–7, PERV1–2, CUSA1–3, CUSCO, CUSL1–3). Construct names are fixed.
 * @param mode - measurement mode of every block; default `"A"`.
 * @returns the model, ready for {@link plsPathModel}.
 * @example
 * ```ts
 * const m = ecsiModel();
 * [m.blocks.length, m.paths.length, m.blocks[5].items];
 * //=> [7, 12, ["CUSCO"]]
 * ```
 * @category Survey
 */
export function ecsiModel(items: EcsiItems = MOBI_ITEMS, mode: PlsMode = "A"): PlsModel {
  return {
    blocks: [
      { name: "Image", items: [...items.image], mode },
      { name: "Expectation", items: [...items.expectation], mode },
      { name: "Quality", items: [...items.quality], mode },
      { name: "Value", items: [...items.value], mode },
      { name: "Satisfaction", items: [...items.satisfaction], mode },
      { name: "Complaints", items: [...items.complaints], mode },
      { name: "Loyalty", items: [...items.loyalty], mode },
    ],
    paths: [
      { from: "Image", to: "Expectation" },
      { from: "Image", to: "Satisfaction" },
      { from: "Image", to: "Loyalty" },
      { from: "Expectation", to: "Quality" },
      { from: "Expectation", to: "Value" },
      { from: "Expectation", to: "Satisfaction" },
      { from: "Quality", to: "Value" },
      { from: "Quality", to: "Satisfaction" },
      { from: "Value", to: "Satisfaction" },
      { from: "Satisfaction", to: "Complaints" },
      { from: "Satisfaction", to: "Loyalty" },
      { from: "Complaints", to: "Loyalty" },
    ],
  };
}

/**
 * Items of the ACSI model by construct.
 * @category Survey
 */
export type AcsiItems = Omit<EcsiItems, "image">;

/**
 * The American Customer Satisfaction Index model: six reflective constructs (Expectation,
 * Quality, Value, Satisfaction, Complaints, Loyalty) and nine paths.
 *
 * @remarks
 * Paths (Fornell, Johnson, Anderson, Cha & Bryant 1996, fig. 1): Expectation → Quality, Value,
 * Satisfaction; Quality → Value, Satisfaction; Value → Satisfaction; Satisfaction → Complaints,
 * Loyalty; Complaints → Loyalty. It is the ECSI model without Image.
 *
 * @param items - item names per construct; default the `mobi` items without the image block.
 * @param mode - measurement mode of every block; default `"A"`.
 * @returns the model.
 * @example
 * ```ts
 * const m = acsiModel();
 * [m.blocks.map((b) => b.name).join(" "), m.paths.length];
 * //=> ["Expectation Quality Value Satisfaction Complaints Loyalty", 9]
 * ```
 * @category Survey
 */
export function acsiModel(items: AcsiItems = MOBI_ITEMS, mode: PlsMode = "A"): PlsModel {
  const e = ecsiModel({ ...items, image: ["(unused)"] }, mode);
  return {
    blocks: e.blocks.filter((b) => b.name !== "Image"),
    paths: e.paths.filter((p) => p.from !== "Image"),
  };
}

/**
 * Read a PLS model from JSON text (a model file), checking every entry.
 *
 * @remarks
 * The text is `{ "blocks": [{ "name", "items", "mode"? }], "paths": [{ "from", "to" }] }`, the
 * {@link PlsModel} shape; `mode` is `"A"` (reflective, default) or `"B"` (formative). Unknown keys
 * are errors (a misspelt `"mdoe"` would otherwise silently mean mode A). Then the checks of
 * {@link plsPathModel} apply: unique names and items, known constructs in paths, no self-paths,
 * repeats or cycles, every construct on a path.
 *
 * @param text - the JSON text.
 * @returns the model.
 * @throws {@link InvalidOptionError} naming the bad entry (`model.blocks[2].mode`,
 *   `model.paths[4].to`, ...) with its value, or the JSON syntax error.
 * @example
 * ```ts
 * const m = parsePlsModelJson('{"blocks":[{"name":"X","items":["x1","x2"]},{"name":"Y","items":["y"],"mode":"B"}],"paths":[{"from":"X","to":"Y"}]}');
 * [m.blocks[1].mode, m.paths[0].to];
 * //=> ["B", "Y"]
 * try { parsePlsModelJson('{"blocks":[{"name":"X","items":["x"]},{"name":"Y","items":["y"]}],"paths":[{"from":"X","to":"Z"}]}'); }
 * catch (e) { console.log([e.option, e.value]); }
 * //=> ["model.paths[0].to", "Z"]
 * ```
 * @category Survey
 */
export function parsePlsModelJson(text: string): PlsModel {
  const fn = "parsePlsModelJson";
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InvalidOptionError(fn, "model", String(text).slice(0, 40), `JSON text (${(e as Error).message})`);
  }
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  const onlyKeys = (v: Record<string, unknown>, where: string, allowed: readonly string[]) => {
    for (const key of Object.keys(v)) if (!allowed.includes(key)) throw new InvalidOptionError(fn, `${where}.${key}`, v[key], `no other keys than ${allowed.join(", ")}`);
  };
  if (!isObject(raw)) throw new InvalidOptionError(fn, "model", raw, 'an object { "blocks": [...], "paths": [...] }');
  onlyKeys(raw, "model", ["blocks", "paths"]);
  if (!Array.isArray(raw.blocks)) throw new InvalidOptionError(fn, "model.blocks", raw.blocks, 'a list of blocks { "name", "items", "mode"? }');
  if (!Array.isArray(raw.paths)) throw new InvalidOptionError(fn, "model.paths", raw.paths, 'a list of paths { "from", "to" }');
  const blocks: PlsBlock[] = raw.blocks.map((b: unknown, j: number) => {
    const where = `model.blocks[${j}]`;
    if (!isObject(b)) throw new InvalidOptionError(fn, where, b, 'a block { "name", "items", "mode"? }');
    onlyKeys(b, where, ["name", "items", "mode"]);
    if (!Array.isArray(b.items)) throw new InvalidOptionError(fn, `${where}.items`, b.items, "a list of item names");
    return { name: b.name as string, items: b.items as string[], ...(b.mode !== undefined ? { mode: b.mode as PlsMode } : {}) };
  });
  const paths: PlsPath[] = raw.paths.map((p: unknown, i: number) => {
    const where = `model.paths[${i}]`;
    if (!isObject(p)) throw new InvalidOptionError(fn, where, p, 'a path { "from", "to" }');
    onlyKeys(p, where, ["from", "to"]);
    return { from: p.from as string, to: p.to as string };
  });
  const model = { blocks, paths };
  checkModel(fn, model);
  return model;
}
