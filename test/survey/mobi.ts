/** The ECSI `mobi` data (../shared/data/mobi) as columns, and the frozen plspm reference. */
import { readFileSync } from "node:fs";

/** Read mobi.csv (plain numbers, quoted header) into columns by item. */
export function mobiColumns(): Record<string, number[]> {
  const lines = readFileSync(new URL("../../../shared/data/mobi/mobi.csv", import.meta.url), "utf8").trim().split(/\r?\n/);
  const head = lines[0].split(",").map((h) => h.replace(/"/g, ""));
  const cols: Record<string, number[]> = {};
  for (const h of head) cols[h] = [];
  for (const line of lines.slice(1)) line.split(",").forEach((v, i) => cols[head[i]].push(Number(v)));
  return cols;
}

/** The text of mobi.csv. */
export function mobiText(): string {
  return readFileSync(new URL("../../../shared/data/mobi/mobi.csv", import.meta.url), "utf8");
}

/** One plspm run as frozen in survey_mobi.json. */
export interface RefRun {
  iterations: number;
  weights: Record<string, number>;
  loadings: Record<string, number>;
  paths: Record<string, number>;
  r2: Record<string, number>;
  ave: Record<string, number>;
  rho_c: Record<string, number>;
  rho_A: Record<string, number>;
  alpha: Record<string, number>;
  alpha_plspm: Record<string, number>;
  htmt: number[][];
  total: Record<string, number>;
  indirect: Record<string, number>;
  scores_first3: number[][];
  n?: number;
}

/** test/reference/survey_mobi.json (written by survey_mobi.R with plspm 0.4.9). */
export const REF = JSON.parse(readFileSync(new URL("../reference/survey_mobi.json", import.meta.url), "utf8")) as {
  n: number;
  path: RefRun;
  centroid: RefRun;
  factorial: RefRun;
  modeB: RefRun;
  mean_replacement: RefRun;
  casewise: RefRun;
  missing_cells: { row: number; item: string }[];
};
