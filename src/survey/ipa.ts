/**
 * Importance–performance analysis (Martilla & James 1977): attributes placed by importance and
 * performance into four quadrants; importance stated by the user or derived from a PLS model's
 * total effects on a target construct.
 * @module
 */
import { InvalidOptionError } from "../core/errors.js";
import { satisfactionIndex, type SatisfactionIndexOptions } from "./csi.js";
import type { PlsResult } from "./pls.js";

/**
 * IPA quadrant. High importance & high performance: `"keep up the good work"`; high
 * importance & low performance: `"concentrate here"`; low & low: `"low priority"`; low
 * importance & high performance: `"possible overkill"`.
 * @category Survey
 */
export type IpaQuadrant = "keep up the good work" | "concentrate here" | "low priority" | "possible overkill";

/**
 * One attribute's importance and performance.
 * @category Survey
 */
export interface IpaInput {
  /** Attribute or construct name. */
  readonly name: string;
  /** Importance (any scale; e.g. a stated rating or a PLS total effect). */
  readonly importance: number;
  /** Performance (any scale; e.g. a 0–100 index or a mean rating). */
  readonly performance: number;
}

/**
 * An attribute with its quadrant.
 * @category Survey
 */
export interface IpaPoint extends IpaInput {
  /** Quadrant; a value equal to a crosshair counts as high. */
  readonly quadrant: IpaQuadrant;
}

/**
 * Options of {@link importancePerformance}.
 * @category Survey
 */
export interface ImportancePerformanceOptions {
  /** Crosshair: `"mean"` of the attributes' values (default), or fixed values. */
  crosshair?: "mean" | {
    /** Importance at the vertical crosshair. */
    readonly importance: number;
    /** Performance at the horizontal crosshair. */
    readonly performance: number;
  };
}

/**
 * Result of an importance–performance analysis.
 * @category Survey
 */
export interface IpaResult {
  /** The crosshair used. */
  readonly crosshair: {
    /** Importance at the vertical crosshair. */
    readonly importance: number;
    /** Performance at the horizontal crosshair. */
    readonly performance: number;
  };
  /** The attributes with their quadrants, in input order. */
  readonly points: readonly IpaPoint[];
}

/**
 * Place attributes into the four importance–performance quadrants.
 *
 * @remarks
 * Quadrant boundaries at the crosshair (by default the means of importance and performance over
 * the attributes, the data-centred variant of Martilla & James 1977); a value on a boundary counts as
 * high. O(attributes).
 *
 * @param attributes - name, importance and performance of each attribute (finite numbers).
 * @param options - {@link ImportancePerformanceOptions}.
 * @returns the crosshair and the quadrant of each attribute.
 * @throws {@link InvalidOptionError} for no attributes, a non-finite value (naming the
 *   attribute) or a malformed crosshair.
 * @example
 * ```ts
 * importancePerformance([
 *   { name: "price", importance: 0.5, performance: 40 },
 *   { name: "network", importance: 0.1, performance: 80 },
 * ]).points.map((p) => p.quadrant);
 * //=> ["concentrate here", "possible overkill"]
 * ```
 * @category Survey
 */
export function importancePerformance(attributes: readonly IpaInput[], options: ImportancePerformanceOptions = {}): IpaResult {
  const fn = "importancePerformance";
  if (!Array.isArray(attributes) || attributes.length === 0) throw new InvalidOptionError(fn, "attributes", attributes, "a non-empty list of { name, importance, performance }");
  for (const a of attributes) {
    if (!(Number.isFinite(a?.importance) && Number.isFinite(a?.performance))) throw new InvalidOptionError(fn, "attributes", a?.name, "finite importance and performance for every attribute");
  }
  const ch = options.crosshair ?? "mean";
  let crosshair: { importance: number; performance: number };
  if (ch === "mean") {
    crosshair = {
      importance: attributes.reduce((s, a) => s + a.importance, 0) / attributes.length,
      performance: attributes.reduce((s, a) => s + a.performance, 0) / attributes.length,
    };
  } else if (ch !== null && typeof ch === "object" && Number.isFinite(ch.importance) && Number.isFinite(ch.performance)) {
    crosshair = { importance: ch.importance, performance: ch.performance };
  } else throw new InvalidOptionError(fn, "crosshair", ch, '"mean" or { importance, performance } with finite numbers');
  const points = attributes.map((a): IpaPoint => {
    const hi = a.importance >= crosshair.importance;
    const hp = a.performance >= crosshair.performance;
    const quadrant: IpaQuadrant = hi ? (hp ? "keep up the good work" : "concentrate here") : hp ? "possible overkill" : "low priority";
    return { name: a.name, importance: a.importance, performance: a.performance, quadrant };
  });
  return { crosshair, points };
}

/**
 * Options of {@link plsImportancePerformance}.
 * @category Survey
 */
export interface PlsImportancePerformanceOptions extends ImportancePerformanceOptions {
  /** The target construct (for example `"Satisfaction"` or `"Loyalty"`). Required. */
  target: string;
  /** Answer scale for the 0–100 performance, as in {@link satisfactionIndex}. Default: the fit's scales. */
  scale?: SatisfactionIndexOptions["scale"];
}

/**
 * Importance–performance map of a PLS model: for every construct with an effect on `target`,
 * importance = its total effect on the target and performance = its 0–100 index.
 *
 * @remarks
 * The construct-level importance–performance map of Ringle & Sarstedt (2016, *Industrial
 * Management & Data Systems* 116(9)): importance from {@link PlsResult.effects} (`total`),
 * performance from {@link satisfactionIndex}; then {@link importancePerformance}.
 *
 * @param fit - a {@link plsPathModel} result.
 * @param options - {@link PlsImportancePerformanceOptions}.
 * @returns the quadrants of the target's antecedents, in the fit's construct order.
 * @throws {@link InvalidOptionError} for an unknown target or one without antecedents; the errors
 *   of {@link satisfactionIndex}.
 * @example
 * ```ts
 * const data = { x: [1, 2, 3, 4, 5], m: [2, 1, 4, 3, 5], y: [1, 3, 2, 5, 4] };
 * const fit = plsPathModel(data, {
 *   blocks: [{ name: "X", items: ["x"] }, { name: "M", items: ["m"] }, { name: "Y", items: ["y"] }],
 *   paths: [{ from: "X", to: "M" }, { from: "M", to: "Y" }],
 * });
 * plsImportancePerformance(fit, { target: "Y", scale: { min: 1, max: 5 } }).points.map((p) => p.name);
 * //=> ["X", "M"]
 * ```
 * @category Survey
 */
export function plsImportancePerformance(fit: PlsResult, options: PlsImportancePerformanceOptions): IpaResult {
  const fn = "plsImportancePerformance";
  const target = options?.target;
  if (!fit.constructs.includes(target)) throw new InvalidOptionError(fn, "target", target, `one of ${fit.constructs.join(", ")}`);
  const effects = fit.effects.filter((e) => e.to === target);
  if (effects.length === 0) throw new InvalidOptionError(fn, "target", target, "a construct with at least one antecedent");
  const names = fit.constructs.filter((c) => effects.some((e) => e.from === c));
  const index = satisfactionIndex(fit, { scale: options.scale, constructs: names });
  return importancePerformance(
    names.map((c, q) => ({ name: c, importance: effects.find((e) => e.from === c)!.total, performance: index[q].index })),
    { crosshair: options.crosshair },
  );
}
