// Before and after a change at the TypeScript ↔ native seam, side by side in one run: this
// checkout's dist/ against another checkout's, FARFAN_BENCH_BEFORE=<its root> (with its dist/ and
// build/Release built: `npm run build && npm run build:native` there). Both packages are loaded
// into this one process, each with its own addon, and every task runs on both, one after the
// other: one plan (`aggregate`), `aggregateColumns` at 10^4 and 10^6 evaluations, Monte-Carlo
// (64 plans of 1000 samples), and the CLI with --jobs 2 on an NDJSON study (a child process per
// round, rounds alternating). Prints the medians and before ÷ after (above 1: faster after).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Bench } from "tinybench";
import { planLine, studyRandom } from "../examples/generate.js";
import { columns, formatTime } from "./columns-data.js";
import { machineLine } from "./results.js";

const BEFORE = process.env.FARFAN_BENCH_BEFORE;
if (BEFORE === undefined) throw new Error("set FARFAN_BENCH_BEFORE to the root of the checkout to compare with");
const ROOTS = { before: resolve(BEFORE), after: fileURLToPath(new URL("..", import.meta.url)) };
const CLI_PLANS = Number(process.env.FARFAN_BENCH_CLI_PLANS ?? 20_000);
const CLI_ROUNDS = 3;

const packages = {};
for (const [side, root] of Object.entries(ROOTS)) packages[side] = await import(pathToFileURL(join(root, "dist", "index.js")).href);

/** 64 distinct plans, each 60 entries, made anew for every call (as a caller's would be). */
function plans(pkg) {
  let seed = 7;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  return Array.from({ length: 64 }, () =>
    pkg.AREA_IDS.flatMap((areaId) => pkg.DIMENSION_IDS.map((dimensionId) => ({ areaId, dimensionId, score: Math.round(random() * 3000) / 1000, scoreStd: Math.round(random() * 400) / 1000 }))),
  );
}

// aggregateColumns takes { scores, stds, weights }: the evaluations are the scores' length ÷ 60.
const columnsOf = (n) => {
  const { scores, stds, weights } = columns(n);
  return { scores, stds, weights };
};
const small = columnsOf(10_000);
const large = columnsOf(1_000_000);
const sampled = columnsOf(64);
const uncertainty = { method: "monte-carlo", samples: 1000, seed: 1 };
const TASKS = [
  ["one plan, aggregate()", 1, (pkg) => {
    const aggregator = new pkg.HighPerformanceAreaAggregator();
    const list = plans(pkg);
    let i = 0;
    return async () => aggregator.aggregate(list[i++ & 63].map((entry) => ({ ...entry })));
  }],
  ["aggregateColumns, 10^4 evaluations", 10_000, (pkg) => {
    const aggregator = new pkg.HighPerformanceAreaAggregator();
    return async () => aggregator.aggregateColumns(small);
  }],
  ["aggregateColumns, 10^6 evaluations", 1_000_000, (pkg) => {
    const aggregator = new pkg.HighPerformanceAreaAggregator();
    return async () => aggregator.aggregateColumns(large);
  }],
  ["Monte-Carlo, 64 plans × 1000 samples", 64, (pkg) => {
    const aggregator = new pkg.HighPerformanceAreaAggregator({ uncertainty });
    return async () => aggregator.aggregateColumns(sampled);
  }],
];

const rows = [];
for (const [name, evaluations, make] of TASKS) {
  const bench = new Bench({ time: evaluations >= 1_000_000 ? 3000 : 1500, warmupTime: 300, iterations: 5 });
  for (const side of ["before", "after"]) bench.add(side, make(packages[side]));
  await bench.run();
  for (const task of bench.tasks) if (task.result.error) throw task.result.error;
  const [before, after] = bench.tasks.map((task) => task.result.latency.p50);
  rows.push({ name, before, after });
}

// The CLI: one child process per round, before and after alternating, the median of the rounds.
const work = mkdtempSync(join(tmpdir(), "farfan-seam-bench-"));
try {
  const file = join(work, "plans.ndjson");
  const random = studyRandom();
  writeFileSync(file, `${Array.from({ length: CLI_PLANS }, (_, i) => planLine(random, i)).join("\n")}\n`);
  const times = { before: [], after: [] };
  for (let round = 0; round < CLI_ROUNDS; round++) {
    for (const side of ["before", "after"]) {
      const start = performance.now();
      const run = spawnSync(process.execPath, [join(ROOTS[side], "dist", "cli", "main.js"), "--jobs", "2", file], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
      if (run.status !== 0) throw new Error(`${side} CLI failed (${run.status}): ${run.stderr}`);
      times[side].push(performance.now() - start);
    }
  }
  const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  rows.push({ name: `CLI --jobs 2, ${CLI_PLANS.toLocaleString("en-US")} plans (median of ${CLI_ROUNDS})`, before: median(times.before), after: median(times.after) });
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(machineLine());
console.log("\n| task | before | after | before ÷ after |\n|---|---|---|---|");
for (const { name, before, after } of rows) console.log(`| ${name} | ${formatTime(before / 1000)} | ${formatTime(after / 1000)} | ${(before / after).toFixed(2)} |`);
