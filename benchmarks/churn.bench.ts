/**
 * Churn benchmark: model training on seeded synthetic feature tables, and the whole chain
 * (dataset building + tree training + scoring) on a seeded synthetic log of about 1,000,000
 * transactions.
 *
 *   npm run bench -- churn
 *
 * Baseline measured in the same run: ml-cart 2.1 (`DecisionTreeClassifier`, depth 5) on a
 * smaller table (its fit time grows too fast to run it on 5,000 x 45 inside a benchmark: the
 * spec measured 33 s there).
 */
import { DecisionTreeClassifier } from "ml-cart";
import { churnDataset, createRng, generateTransactions, scoreChurn, trainChurnModel, type ChurnRow } from "../src/index.js";
import { peakRssMiB, printMachine, printMarkdownTable, timeit } from "./util.js";

/** A seeded table: a third integer features (few values), the rest continuous; label from a logistic model of 6 of them. */
function table(n: number, p: number, seed: number): { rows: ChurnRow[]; X: number[][]; y: number[] } {
  const rng = createRng(seed);
  const rows: ChurnRow[] = [];
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row: Record<string, number | boolean> = {};
    const x: number[] = [];
    for (let j = 0; j < p; j++) {
      const v = j % 3 === 0 ? Math.floor(rng.next() * 12) : Math.round(rng.next() * 1e4) / 100;
      row[`f${j}`] = v;
      x.push(v);
    }
    const z = 0.25 * (x[0] - 6) - 0.03 * (x[1] - 50) + 0.02 * (x[2] - 50) + 0.2 * (x[3] - 6) - 0.02 * (x[4] - 50) + (rng.next() - 0.5) * 2;
    const label = rng.next() < 1 / (1 + Math.exp(-z));
    row.churned = label;
    rows.push(row);
    X.push(x);
    y.push(label ? 1 : 0);
  }
  return { rows, X, y };
}

await printMachine("Churn");
const load = (await import("node:os")).loadavg().map((v) => v.toFixed(1)).join(" ");
console.log(`load average at start: ${load}\n`);

{
  // the whole chain first, so the peak RSS after each stage is the chain's own
  const gen = timeit(() => generateTransactions({ customers: 155_000, seed: 11 }));
  const tx = gen.result;
  const rssGen = peakRssMiB();
  let last = -Infinity;
  for (const t of tx) last = Math.max(last, t.date.getTime());
  const cutoff = new Date(last - 180 * 86_400_000);
  const ds = timeit(() => churnDataset(tx, { cutoff, churnWindowDays: 180 }));
  const rssDs = peakRssMiB();
  const train = timeit(() => trainChurnModel(ds.result.rows, { model: "tree", maxDepth: 6, minSamplesLeaf: 50 }));
  const rssTrain = peakRssMiB();
  const score = timeit(() => scoreChurn(train.result, ds.result.rows));
  const rssScore = peakRssMiB();
  const chain = ds.seconds + train.seconds + score.seconds;
  printMarkdownTable(
    ["stage", "input", "wall s", "cpu s", "peak RSS MiB"],
    [
      ["(setup) generateTransactions", `${tx.length.toLocaleString("en-US")} transactions`, gen.seconds, gen.cpu, rssGen],
      ["churnDataset (cutoff = end - 180 d, window 180 d)", `${ds.result.rows.length.toLocaleString("en-US")} customers, ${ds.result.features.length} features`, ds.seconds, ds.cpu, rssDs],
      ["trainChurnModel tree depth 6, min leaf 50", `churn rate ${(ds.result.report.churned / ds.result.rows.length).toFixed(3)}`, train.seconds, train.cpu, rssTrain],
      ["scoreChurn", `${ds.result.rows.length.toLocaleString("en-US")} rows`, score.seconds, score.cpu, rssScore],
      ["whole chain (target < 20 s)", "", chain, ds.cpu + train.cpu + score.cpu, ""],
    ],
  );
  console.log("");
}
const results: (string | number)[][] = [];
{
  const { rows } = table(5000, 45, 1);
  trainChurnModel(rows.slice(0, 500), { model: "tree" }); // warm up the JIT
  const tree = timeit(() => trainChurnModel(rows, { model: "tree", maxDepth: 5 }), { repeat: 5, warmup: 1 });
  results.push(["tree depth 5", "5,000 x 45", tree.seconds * 1000, tree.cpu * 1000, "< 50 ms"]);
  const logistic = timeit(() => trainChurnModel(rows, { model: "logistic" }), { repeat: 5, warmup: 1 });
  results.push(["logistic (L2, Newton)", "5,000 x 45", logistic.seconds * 1000, logistic.cpu * 1000, "< 100 ms"]);
  const forest = timeit(() => trainChurnModel(rows, { model: "forest", trees: 100, seed: 1 }), { repeat: 1 });
  results.push(["forest 100 trees (unlimited depth)", "5,000 x 45", forest.seconds * 1000, forest.cpu * 1000, "< 3,000 ms"]);
  const score = timeit(() => scoreChurn(forest.result, rows), { repeat: 3 });
  results.push(["score forest 100 trees", "5,000 x 45", score.seconds * 1000, score.cpu * 1000, ""]);
  const small = table(1000, 45, 2);
  const ours = timeit(() => trainChurnModel(small.rows, { model: "tree", maxDepth: 5 }), { repeat: 5, warmup: 1 });
  results.push(["tree depth 5 (ours, baseline size)", "1,000 x 45", ours.seconds * 1000, ours.cpu * 1000, ""]);
  const cart = timeit(() => new DecisionTreeClassifier({ maxDepth: 5 }).train(small.X, small.y), { repeat: 1 });
  results.push(["baseline: ml-cart 2.1 depth 5", "1,000 x 45", cart.seconds * 1000, cart.cpu * 1000, ""]);
}
{
  const { rows } = table(1_000_000, 20, 3);
  const tree = timeit(() => trainChurnModel(rows, { model: "tree", maxDepth: 8 }), { repeat: 1 });
  results.push(["tree depth 8", "1,000,000 x 20", tree.seconds * 1000, tree.cpu * 1000, "< 10,000 ms"]);
}
printMarkdownTable(["model", "rows x features", "wall ms", "cpu ms", "target"], results);
console.log(`\npeak RSS ${peakRssMiB().toFixed(0)} MiB (whole process); load average at end: ${(await import("node:os")).loadavg().map((v) => v.toFixed(1)).join(" ")}`);

