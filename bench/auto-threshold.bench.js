// Where `backend: "auto"` should switch: the TypeScript kernel against the native kernel's
// synchronous and asynchronous (AsyncWorker) entries, at growing evaluation counts, measured
// side by side with tinybench. The crossings justify AUTO_NATIVE_MIN_EVALUATIONS and
// ASYNC_MIN_EVALUATIONS in src/backend/dispatch.ts; the table lands in bench/RESULTS.md.
import { Bench } from "tinybench";
import { ASYNC_MIN_EVALUATIONS, AUTO_NATIVE_MIN_EVALUATIONS } from "../dist/index.js";
import { allocateOutput } from "../dist/core/kernel-io.js";
import { aggregateColumnsJs } from "../dist/kernels/kernel.js";
import { aggregateArgs } from "../dist/backend/native-abi.js";
import { loadNativeAddon, STATS_LENGTH } from "../dist/backend/native-addon.js";
import { machineLine, writeSection } from "./results.js";

const SIZES = [1, 4, 8, 16, 32, 64, 256, 1024, 4096, 16_384, 65_536];
const THRESHOLDS = [2.55, 2.1, 1.65];
const addon = loadNativeAddon();
const isa = addon.info().supportedIsas[0];

const rows = [];
for (const n of SIZES) {
  const scores = Float64Array.from({ length: n * 60 }, (_, i) => ((i * 7919) % 3001) / 1000);
  const stds = Float64Array.from({ length: n * 60 }, (_, i) => ((i * 104729) % 401) / 1000);
  const weights = new Float64Array(60).fill(1);
  const input = { scores, stds, weights, evaluations: n };
  const out = allocateOutput(n);
  const thresholds = Float64Array.from(THRESHOLDS);
  const args = aggregateArgs({ ...input, thresholds, ...out, stats: new Float64Array(STATS_LENGTH), isa, threads: 2, check: false });
  const reps = Math.max(1, Math.floor(4096 / n));
  const bench = new Bench({ time: 400, warmupTime: 100 });
  bench
    .add("TS kernel", () => {
      for (let r = 0; r < reps; r++) aggregateColumnsJs(input, THRESHOLDS, out);
    })
    .add("native sync", () => {
      for (let r = 0; r < reps; r++) addon.aggregate(...args);
    })
    .add("native async", async () => {
      for (let r = 0; r < reps; r++) await addon.aggregateAsync(...args);
    });
  await bench.run();
  const us = Object.fromEntries(bench.tasks.map((t) => [t.name, (t.result.latency.p50 * 1000) / reps]));
  rows.push({ n, ...us });
}

const lines = [
  `Median µs per call, native kernel ${isa} on up to 2 threads. auto runs native from ${AUTO_NATIVE_MIN_EVALUATIONS} evaluations and async from ${ASYNC_MIN_EVALUATIONS}.`,
  "",
  "| evaluations | TS kernel µs | native sync µs | native async µs |",
  "|---|---|---|---|",
  ...rows.map((r) => `| ${r.n} | ${r["TS kernel"].toFixed(2)} | ${r["native sync"].toFixed(2)} | ${r["native async"].toFixed(2)} |`),
];
console.log(machineLine());
console.log(lines.join("\n"));
writeSection("auto-threshold", "Where auto switches (`bench/auto-threshold.bench.js`)", lines.join("\n"));
