/**
 * The `customer-analytics survey` command: a satisfaction model from a survey export.
 *
 *   customer-analytics survey answers.csv --model ecsi --scale 1-10 --out results
 *
 * Reads the answers (strict, or `--lenient`), fits the PLS path model (ECSI, ACSI or a model
 * file), optionally bootstraps it, computes the 0–100 index, the importance–performance map and
 * the satisfaction trap, and writes `survey-model.json` and `survey-report.html`. Exit codes as
 * `analyze`: 0 success, 1 bad input (the row, field and value are printed), 2 bad arguments
 * (including a bad model file) or an output folder that cannot be written.
 * @module
 */
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { plsBootstrap, type PlsBootstrapResult } from "../survey/bootstrap.js";
import { respondentIndex, satisfactionIndex } from "../survey/csi.js";
import { plsImportancePerformance } from "../survey/ipa.js";
import { kanoClassify, parseKanoCsv, type KanoAttribute } from "../survey/kano.js";
import { acsiModel, ecsiModel, parsePlsModelJson, type PlsModel } from "../survey/model.js";
import { plsPathModel, type PlsMissing, type PlsScheme } from "../survey/pls.js";
import { surveyReport } from "../survey/report.js";
import { parseSurveyCsv, type SurveyReadResult } from "../survey/table.js";
import { satisfactionTrap, type SatisfactionTrapResult } from "../survey/trap.js";
import type { SurveyScale } from "../survey/types.js";
import { replaceAsSet } from "./main.js";

/** Usage of the survey command. @internal */
export const SURVEY_HELP = `customer-analytics survey — a customer satisfaction model (PLS path model) from survey answers

Usage:
  customer-analytics survey <answers.csv> [options]

The CSV has a header line and one row per respondent; item columns hold the answers (empty or
NA = no answer). Only the model's items are read.

Model:
  --model M           ecsi | acsi | FILE.json (default ecsi). ecsi and acsi use the item names
                      of the mobi data (IMAG1-5, CUEX1-3, PERQ1-7, PERV1-2, CUSA1-3, CUSCO,
                      CUSL1-3). A model file is JSON:
                        {"blocks": [{"name": "Quality", "items": ["q1", "q2"], "mode": "A"}, ...],
                         "paths": [{"from": "Quality", "to": "Satisfaction"}, ...]}
                      mode "A" reflective (default) or "B" formative
  --scale A-B         the answer scale, e.g. 1-10 or 1-5 (default 1-10); answers outside it are
                      bad input
  --scheme S          path | centroid | factorial inner weighting (default path)
  --missing M         mean | casewise treatment of missing answers (default mean)
  --bootstrap N       bootstrap samples for standard errors and intervals (default 0: none)
  --seed N            seed of the bootstrap and of the trap's interval (default 1)
  --target NAME       target construct of the importance-performance map (default Loyalty)
  --satisfaction NAME --loyalty NAME
                      constructs of the satisfaction-trap chart (default Satisfaction, Loyalty)
  --kano FILE.csv     Kano answer pairs to classify and report: columns attribute, functional,
                      dysfunctional (1-5 or like, must-be, neutral, live-with, dislike), one row
                      per respondent and attribute
Reading:
  --respondent-id COL respondent id column (default: respondents numbered by row)
  --customer-id COL   customer id column (kept for joining with transactions)
  --lenient           set bad rows aside and count them instead of stopping at the first
Output:
  --out DIR           output folder (default ./survey-out): survey-model.json (the fit; the same
                      bytes for the same input, options and seed) and survey-report.html

Example:
  customer-analytics survey mobi.csv --model ecsi --scale 1-10 --bootstrap 500 --seed 7 --out results

Exit codes: 0 success, 1 bad input (the file), 2 bad arguments, a bad model file or an output
folder that cannot be written.`;

class UsageError extends Error {}

/** `--scale A-B`. */
function parseScale(raw: string): SurveyScale {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\s*$/.exec(raw);
  const min = m ? Number(m[1]) : NaN;
  const max = m ? Number(m[2]) : NaN;
  if (!(min < max)) throw new UsageError(`--scale must look like 1-10 (lowest-highest answer), got "${raw}"`);
  return { min, max, integer: Number.isInteger(min) && Number.isInteger(max) };
}

/** A whole number flag. */
function wholeNumber(flag: string, raw: string | undefined, fallback: number, ok: (x: number) => boolean, expected: string): number {
  if (raw === undefined) return fallback;
  const x = Number(raw);
  if (!/^\s*-?\d+\s*$/.test(raw) || !ok(x)) throw new UsageError(`--${flag} must be ${expected}, got "${raw}"`);
  return x;
}

/** The model named by `--model`: a preset, or a JSON model file (errors are usage errors). */
function loadModel(spec: string): { model: PlsModel; name: string } {
  const preset = spec.toLowerCase();
  if (preset === "ecsi") return { model: ecsiModel(), name: "ecsi" };
  if (preset === "acsi") return { model: acsiModel(), name: "acsi" };
  let text: string;
  try {
    text = readFileSync(spec, "utf8");
  } catch (e) {
    throw new UsageError(`--model must be ecsi, acsi or a readable JSON model file; cannot read ${JSON.stringify(spec)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return { model: parsePlsModelJson(text), name: basename(spec) };
  } catch (e) {
    if (e instanceof InvalidOptionError) throw new UsageError(`model file ${JSON.stringify(spec)}: entry ${e.option}: got ${JSON.stringify(e.value) ?? String(e.value)}, expected ${e.expected}`);
    throw e;
  }
}

/** Make sure `dir` is a folder we can write into, creating it if needed. */
function prepareOutDir(dir: string): void {
  try {
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) throw new Error("it exists and is not a folder");
    } else if (existsSync(dirname(dir))) mkdirSync(dir);
    else mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    const why = e instanceof Error ? ((e as NodeJS.ErrnoException).code ?? e.message) : String(e);
    throw new UsageError(`--out ${JSON.stringify(dir)} cannot be used as the output folder (${why})`);
  }
}

function printReading(r: SurveyReadResult, out: NodeJS.WriteStream): void {
  out.write(`rows read ${r.read}: accepted ${r.accepted}, rejected ${r.rejected}; ${r.missingAnswers} missing answers\n`);
  for (const i of r.issues.slice(0, 10)) out.write(`  row ${i.row}, ${i.field}: got ${JSON.stringify(i.value)}, expected ${i.expected}\n`);
  if (r.issues.length > 10) out.write(`  ... ${r.issues.length - 10} more\n`);
}

/** JSON with numbers as they are (shortest round-trip form): the same values, the same bytes. */
function json(value: unknown): string {
  return `${JSON.stringify(value, null, 1)}\n`;
}

/**
 * Run the survey command with its own arguments (after the word "survey"); returns the exit code
 * (0 success, 1 bad input, 2 bad arguments).
 * @internal
 */
export async function surveyMain(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        help: { type: "boolean", short: "h" },
        model: { type: "string" },
        scale: { type: "string" },
        scheme: { type: "string" },
        missing: { type: "string" },
        bootstrap: { type: "string" },
        seed: { type: "string" },
        target: { type: "string" },
        satisfaction: { type: "string" },
        loyalty: { type: "string" },
        kano: { type: "string" },
        "respondent-id": { type: "string" },
        "customer-id": { type: "string" },
        lenient: { type: "boolean" },
        out: { type: "string" },
      },
    });
  } catch (e) {
    process.stderr.write(`customer-analytics survey: ${(e as Error).message}\nRun customer-analytics survey --help for usage.\n`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  if (v.help || positionals.length === 0) {
    process.stdout.write(`${SURVEY_HELP}\n`);
    return v.help ? 0 : 2;
  }
  const t0 = performance.now();
  try {
    const [file, ...extra] = positionals;
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
    const scale = parseScale(v.scale ?? "1-10");
    const scheme = (v.scheme ?? "path") as PlsScheme;
    if (!["path", "centroid", "factorial"].includes(scheme)) throw new UsageError(`--scheme must be path, centroid or factorial, got "${v.scheme}"`);
    const missing = (v.missing ?? "mean") as PlsMissing;
    if (!["mean", "casewise"].includes(missing)) throw new UsageError(`--missing must be mean or casewise, got "${v.missing}"`);
    const samples = wholeNumber("bootstrap", v.bootstrap, 0, (x) => x === 0 || (x >= 10 && x <= 100_000), "0 or a whole number of samples in 10..100000");
    const seed = wholeNumber("seed", v.seed, 1, Number.isSafeInteger, "an integer");
    const { model, name: modelName } = loadModel(v.model ?? "ecsi");
    const constructs = model.blocks.map((b) => b.name);
    for (const [flag, value] of [["target", v.target], ["satisfaction", v.satisfaction], ["loyalty", v.loyalty]] as const) {
      if (value !== undefined && !constructs.includes(value)) throw new UsageError(`--${flag} must name a construct of the model (${constructs.join(", ")}), got "${value}"`);
    }
    if (v.target !== undefined && !model.paths.some((p) => p.to === v.target)) throw new UsageError(`--target must name a construct with a path into it, got "${v.target}"`);
    const outDir = resolve(v.out ?? "survey-out");
    prepareOutDir(outDir);

    // read
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      process.stderr.write(`customer-analytics survey: bad input: cannot read ${JSON.stringify(file)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
      return 1;
    }
    const items = model.blocks.flatMap((b) => [...b.items]);
    let read: SurveyReadResult;
    try {
      read = parseSurveyCsv(text, {
        scale,
        items,
        mode: v.lenient ? "lenient" : "strict",
        ...(v["respondent-id"] !== undefined ? { respondentColumn: v["respondent-id"] } : {}),
        ...(v["customer-id"] !== undefined ? { customerColumn: v["customer-id"] } : {}),
      });
    } catch (e) {
      if (e instanceof InvalidRecordError) {
        process.stderr.write(`customer-analytics survey: bad input: ${e.message}\nFix the row, or run with --lenient to set bad rows aside and count them.\n`);
        return 1;
      }
      if (e instanceof InvalidOptionError && ["items", "respondentColumn", "customerColumn", "text"].includes(e.option)) {
        // the file lacks a column the model or a flag names: bad input
        process.stderr.write(`customer-analytics survey: bad input: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
    let kano: KanoAttribute[] | null = null;
    if (v.kano !== undefined) {
      try {
        kano = kanoClassify(parseKanoCsv(readFileSync(v.kano, "utf8")));
      } catch (e) {
        const why = e instanceof AnalyticsError ? e.message : `cannot read ${JSON.stringify(v.kano)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
        process.stderr.write(`customer-analytics survey: bad input in the Kano file: ${why}\n`);
        return 1;
      }
    }
    printReading(read, process.stdout);
    if (read.accepted === 0) {
      process.stderr.write("customer-analytics survey: bad input: no valid rows\n");
      return 1;
    }

    // fit
    let fit;
    let boot: PlsBootstrapResult | null = null;
    let trap: SatisfactionTrapResult | null = null;
    const notes: string[] = [];
    try {
      fit = plsPathModel(read.table, model, { scheme, missing });
      if (samples > 0) boot = plsBootstrap(read.table, model, { scheme, missing, samples, seed });
    } catch (e) {
      if (e instanceof InvalidRecordError || (e instanceof AnalyticsError && ["INVALID_RECORD", "EMPTY_INPUT", "NOT_CONVERGED"].includes(e.code))) {
        process.stderr.write(`customer-analytics survey: bad input: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
    let index = null;
    let ipa = null;
    try {
      index = satisfactionIndex(fit);
    } catch (e) {
      if (!(e instanceof AnalyticsError)) throw e;
      notes.push(`no 0-100 index: ${e.message}`);
    }
    const target = v.target ?? (model.paths.some((p) => p.to === "Loyalty") ? "Loyalty" : null);
    if (index !== null && target !== null) ipa = { target, ...plsImportancePerformance(fit, { target }) };
    const satName = v.satisfaction ?? "Satisfaction";
    const loyName = v.loyalty ?? "Loyalty";
    if (index !== null && constructs.includes(satName) && constructs.includes(loyName)) {
      try {
        const scores = respondentIndex(fit, read.table, { constructs: [satName, loyName] });
        trap = satisfactionTrap(scores.get(satName)!, scores.get(loyName)!, { seed });
      } catch (e) {
        if (!(e instanceof AnalyticsError)) throw e;
        notes.push(`no satisfaction trap: ${e.message}`);
      }
    } else notes.push(`no satisfaction trap: the model needs constructs "${satName}" and "${loyName}" (name them with --satisfaction and --loyalty) and a 0-100 index`);

    const document = {
      format: "customer-analytics survey model 1",
      input: { file: basename(file), read: read.read, accepted: read.accepted, rejected: read.rejected, missingAnswers: read.missingAnswers, issues: read.issues.map(({ row, field, value, expected }) => ({ row, field, value, expected })) },
      options: { model: modelName, scale, scheme, missing, bootstrap: samples, seed },
      model,
      fit: {
        n: fit.n,
        iterations: fit.iterations,
        imputed: fit.imputed,
        dropped: fit.dropped,
        constructs: fit.constructs,
        blocks: fit.blocks,
        weights: fit.weights,
        loadings: fit.loadings,
        paths: fit.paths,
        r2: fit.r2,
        ave: fit.ave,
        rhoC: fit.rhoC,
        rhoA: fit.rhoA,
        alpha: fit.alpha,
        htmt: fit.htmt,
        effects: fit.effects,
        itemMeans: fit.itemMeans,
        itemSds: fit.itemSds,
      },
      index,
      bootstrap: boot,
      ipa,
      kano,
      trap: trap === null ? null : { satisfaction: satName, loyalty: loyName, ...trap },
      notes,
    };
    const html = await surveyReport(fit, {
      title: `Customer satisfaction survey: ${basename(file)}`,
      ...(boot ? { bootstrap: boot } : {}),
      ...(ipa ? { target: ipa.target } : {}),
      ...(kano ? { kano } : {}),
      ...(trap ? { trap, trapLabels: { satisfaction: `${satName} (index 0-100)`, loyalty: `${loyName} (index 0-100)` } } : {}),
      notes: [...notes, ...read.issues.slice(0, 20).map((i) => `row ${i.row} set aside: ${i.message}`)],
    });

    const names = ["survey-model.json", "survey-report.html"];
    try {
      const tmp = mkdtempSync(join(outDir, ".partial-"));
      try {
        writeFileSync(join(tmp, names[0]), json(document));
        writeFileSync(join(tmp, names[1]), html);
        replaceAsSet(tmp, outDir, names);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    } catch (e) {
      throw new UsageError(`could not write the outputs to ${JSON.stringify(outDir)}: ${e instanceof Error ? e.message : String(e)}`);
    }

    const out = process.stdout;
    out.write(`model ${modelName}: ${fit.n} respondents, ${fit.constructs.length} constructs, ${fit.paths.length} paths, converged in ${fit.iterations} iterations (${scheme} scheme)\n`);
    for (const p of fit.paths) {
      const st = boot?.paths.find((q) => q.from === p.from && q.to === p.to);
      out.write(`  ${p.from} -> ${p.to}: ${p.coefficient.toFixed(3)}${st ? ` (SE ${st.standardError.toFixed(3)}, ${Math.round(boot!.level * 100)}% ${st.lower.toFixed(3)} to ${st.upper.toFixed(3)})` : ""}\n`);
    }
    if (index) out.write(`index (0-100): ${index.map((x) => `${x.construct} ${x.index.toFixed(1)}`).join(", ")}\n`);
    if (trap) {
      out.write(trap.trap
        ? `satisfaction trap: loyalty rises ${trap.slopeBelow.toFixed(3)} per point up to ${satName} ${trap.breakpoint.toFixed(1)}, then ${trap.slopeAbove.toFixed(3)}\n`
        : `no satisfaction trap: loyalty rises ${trap.slopeBelow.toFixed(3)} per point up to ${satName} ${trap.breakpoint.toFixed(1)}, then ${trap.slopeAbove.toFixed(3)} (not steeper)\n`);
    }
    if (kano) out.write(`Kano: ${kano.map((a) => `${a.attribute} ${a.category}`).join(", ")}\n`);
    for (const n of notes) out.write(`note: ${n}\n`);
    out.write(`\nWrote ${names.join(", ")} to ${outDir}\nDone in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`customer-analytics survey: ${e.message}\nRun customer-analytics survey --help for usage.\n`);
      return 2;
    }
    throw e;
  }
}
