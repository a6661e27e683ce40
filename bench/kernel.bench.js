// The SPEC §4 kernel over columns, side by side in one run: the TypeScript kernel, the native
// kernels (every ISA this CPU has, on 1 and 2 threads), and a memory-copy probe that copies the
// same input arrays once with Float64Array.prototype.set, and the plain C++ time to read the
// inputs and write the outputs once on 1 and 2 threads (bench/floor-probe.js) — the floor any
// pass over the data pays. Prints evaluations/s and ratios and writes them to bench/RESULTS.md
// (section "kernel").
// Run with `npm run bench` (it builds dist/ first).
import { Bench } from "tinybench";
import { allocateOutput } from "../dist/core/kernel-io.js";
import { aggregateColumnsJs } from "../dist/kernels/kernel.js";
import { aggregateArgs } from "../dist/backend/native-abi.js";
import { loadNativeAddon, STATS_LENGTH } from "../dist/backend/native-addon.js";
import { columns, formatTime } from "./columns-data.js";
import { FLOOR_TASK, memoryFloor, timesFloor } from "./floor-probe.js";
import { machineLine, writeSection } from "./results.js";

const SIZES = [1, 100, 10_000, 1_000_000];
const THRESHOLDS = [2.55, 2.1, 1.65];
const addon = loadNativeAddon();
const isas = addon.info().supportedIsas;

// The floor of every native row, on its own thread count, measured in this run.
const floors = { 1: memoryFloor(SIZES, 1), 2: memoryFloor(SIZES, 2) };
const threadsOf = (task) => (task.endsWith("2 threads") ? 2 : task.endsWith("1 thread") ? 1 : undefined);

const rows = [];
for (const n of SIZES) {
  const input = columns(n);
  const out = allocateOutput(n);
  const copyScores = new Float64Array(n * 60);
  const copyStds = new Float64Array(n * 60);
  const thresholds = Float64Array.from(THRESHOLDS);
  // Small inputs repeat the call inside one sample so the timer's overhead stays negligible.
  const reps = Math.max(1, Math.floor(20_000 / n));
  const bench = new Bench({ time: n >= 1_000_000 ? 1500 : 700, warmupTime: 200, iterations: 5 });
  bench.add("TS kernel", () => {
    for (let r = 0; r < reps; r++) aggregateColumnsJs(input, THRESHOLDS, out);
  });
  for (const isa of isas) {
    for (const threads of [1, 2]) {
      const args = aggregateArgs({ ...input, thresholds, ...out, stats: new Float64Array(STATS_LENGTH), isa, threads, check: false });
      bench.add(`native ${isa}, ${threads} thread${threads > 1 ? "s" : ""}`, () => {
        for (let r = 0; r < reps; r++) addon.aggregate(...args);
      });
    }
  }
  bench.add("copy probe: Float64Array.set of the inputs", () => {
    for (let r = 0; r < reps; r++) {
      copyScores.set(input.scores);
      copyStds.set(input.stds);
    }
  });
  await bench.run();
  for (const task of bench.tasks) {
    const seconds = task.result.latency.p50 / 1000 / reps;
    rows.push({ n, task: task.name, seconds, perSecond: n / seconds });
  }
  for (const threads of [1, 2]) {
    const seconds = floors[threads].get(n);
    if (seconds !== undefined) rows.push({ n, task: `${FLOOR_TASK}, ${threads} thread${threads > 1 ? "s" : ""}`, seconds, perSecond: n / seconds });
  }
}

const lines = [];
for (const n of SIZES) {
  const at = rows.filter((r) => r.n === n);
  const ts = at.find((r) => r.task === "TS kernel");
  const copy = at.find((r) => r.task.startsWith("copy probe"));
  lines.push(`\n### n = ${n.toLocaleString("en-US")} evaluations\n`);
  lines.push("| task | median time | evaluations/s | × TS kernel (speed) | time ÷ copy probe | time ÷ floor (same threads) |");
  lines.push("|---|---|---|---|---|---|");
  for (const r of at) {
    const floor = r.task.startsWith("native") ? timesFloor(r.seconds, floors[threadsOf(r.task)].get(n)) : "";
    lines.push(`| ${r.task} | ${formatTime(r.seconds)} | ${(r.perSecond / 1e6).toFixed(2)} M | ${(ts.seconds / r.seconds).toFixed(2)} | ${(r.seconds / copy.seconds).toFixed(2)} | ${floor} |`);
  }
}
/** The targets, as ratios from this run. */
function targets() {
  const best = (n, threads) =>
    rows.filter((r) => r.n === n && r.task.startsWith("native") && r.task.endsWith(threads)).sort((a, b) => a.seconds - b.seconds)[0];
  const at = (n, prefix) => rows.find((r) => r.n === n && r.task.startsWith(prefix));
  const out = [];
  const one = best(10_000, "1 thread");
  const ts = at(10_000, "TS kernel");
  const oneFloor = floors[1].get(10_000);
  out.push(
    `- n = 10,000, 1 thread: best native (${one.task}) is ${(ts.seconds / one.seconds).toFixed(2)}× the TS kernel (target ≥ 8×)` +
      (oneFloor ? `; ${timesFloor(one.seconds, oneFloor)}× the memory floor on 1 thread` : ""),
  );
  const two = best(1_000_000, "2 threads");
  const copy = at(1_000_000, "copy probe");
  const twoFloor = floors[2].get(1_000_000);
  out.push(
    `- n = 1,000,000, 2 threads: best native (${two.task}) takes ${(two.seconds / copy.seconds).toFixed(2)}× the copy probe's time (target ≤ 0.5×): ${(two.perSecond / 1e6).toFixed(1)} M evaluations/s` +
      (twoFloor ? `; ${timesFloor(two.seconds, twoFloor)}× the memory floor on 2 threads` : ""),
  );
  return out;
}

const text = [
  ...targets(),
  "",
  `Median of tinybench samples; "× TS kernel" is the TS kernel's time over the task's (higher is faster);`,
  `"time ÷ copy probe" is the task's time over copying the same input arrays once (lower is better);`,
  `"time ÷ floor" is a native task's time over reading its inputs and writing its outputs once in C++ on the same threads (1.00 is the floor).`,
  ...lines,
].join("\n");
console.log(machineLine());
console.log(text);
writeSection("kernel", "Kernel over columns (`bench/kernel.bench.js`)", text);
