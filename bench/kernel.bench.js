// The SPEC §4 kernel over columns, side by side in one run: the TypeScript kernel, the native
// kernels (every ISA this CPU has, on 1 and 2 threads), and a memory-copy probe that copies the
// same input arrays once with Float64Array.prototype.set, and the plain C++ time to read them
// (bench/read-probe.cc) — the floor any pass over the data pays. Prints evaluations/s and ratios and writes them to bench/RESULTS.md (section "kernel").
// Run with `npm run bench` (it builds dist/ first).
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Bench } from "tinybench";
import { allocateOutput } from "../dist/core/kernel-io.js";
import { aggregateColumnsJs } from "../dist/kernels/kernel.js";
import { loadNativeAddon } from "../dist/backend/native-addon.js";
import { columns, formatTime } from "./columns-data.js";
import { machineLine, writeSection } from "./results.js";

const SIZES = [1, 100, 10_000, 1_000_000];
const THRESHOLDS = [2.55, 2.1, 1.65];
const addon = loadNativeAddon();
const isas = addon.info().supportedIsas;

/**
 * Best µs to merely read the inputs once, per n, from bench/read-probe.cc built with the
 * machine's compiler (tuned for this CPU: it is a probe, not shipped); empty without a compiler.
 */
function readFloor() {
  try {
    const exe = join(mkdtempSync(join(tmpdir(), "farfan-probe-")), "read-probe");
    execFileSync("c++", ["-O3", "-march=native", "-o", exe, fileURLToPath(new URL("read-probe.cc", import.meta.url))]);
    const lines = execFileSync(exe, SIZES.map(String), { encoding: "utf8" }).trim().split("\n");
    return new Map(lines.map((line) => line.split(" ").map(Number)).map(([n, us]) => [n, us / 1e6]));
  } catch (error) {
    console.warn(`read probe unavailable: ${error.message}`);
    return new Map();
  }
}
const floor = readFloor();

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
      bench.add(`native ${isa}, ${threads} thread${threads > 1 ? "s" : ""}`, () => {
        for (let r = 0; r < reps; r++) {
          addon.aggregate(input.scores, input.stds, input.weights, n, thresholds, out.score, out.std, out.ciLow, out.ciHigh, out.quality, isa, threads, false);
        }
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
  if (floor.has(n)) {
    const seconds = floor.get(n);
    rows.push({ n, task: "floor: C++ read of the inputs (read-probe.cc, best of many)", seconds, perSecond: n / seconds });
  }
}

const lines = [];
for (const n of SIZES) {
  const at = rows.filter((r) => r.n === n);
  const ts = at.find((r) => r.task === "TS kernel");
  const copy = at.find((r) => r.task.startsWith("copy probe"));
  lines.push(`\n### n = ${n.toLocaleString("en-US")} evaluations\n`);
  lines.push("| task | median time | evaluations/s | × TS kernel (speed) | time ÷ copy probe |");
  lines.push("|---|---|---|---|---|");
  for (const r of at) {
    lines.push(`| ${r.task} | ${formatTime(r.seconds)} | ${(r.perSecond / 1e6).toFixed(2)} M | ${(ts.seconds / r.seconds).toFixed(2)} | ${(r.seconds / copy.seconds).toFixed(2)} |`);
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
  const readFloor = at(10_000, "floor");
  out.push(
    `- n = 10,000, 1 thread: best native (${one.task}) is ${(ts.seconds / one.seconds).toFixed(2)}× the TS kernel (target ≥ 8×)` +
      (readFloor ? `; merely reading the inputs once is ${(ts.seconds / readFloor.seconds).toFixed(2)}× the TS kernel` : ""),
  );
  const two = best(1_000_000, "2 threads");
  const copy = at(1_000_000, "copy probe");
  out.push(`- n = 1,000,000, 2 threads: best native (${two.task}) takes ${(two.seconds / copy.seconds).toFixed(2)}× the copy probe's time (target ≤ 0.5×): ${(two.perSecond / 1e6).toFixed(1)} M evaluations/s`);
  return out;
}

const text = [
  ...targets(),
  "",
  `Median of tinybench samples; "× TS kernel" is the TS kernel's time over the task's (higher is faster);`,
  `"time ÷ copy probe" is the task's time over copying the same input arrays once (lower is better).`,
  ...lines,
].join("\n");
console.log(machineLine());
console.log(text);
writeSection("kernel", "Kernel over columns (`bench/kernel.bench.js`)", text);
