// Monte-Carlo intervals (SPEC §6, 1000 samples per area) through the public API, side by side
// in one run: the js backend against the native backend (its best ISA on 1 and 2 threads, and
// its scalar kernel on 2 threads), on the same plans. Prints µs per plan, plans/s, the ratio
// to the js backend and, for native rows, to the memory floor on the same threads (reading the
// inputs and writing the outputs once: bench/floor-probe.js), and writes the "montecarlo" section of bench/RESULTS.md.
// Run with `npm run bench` (it builds dist/ first).
import { Bench } from "tinybench";
import { HighPerformanceAreaAggregator, nativeInfo } from "../dist/index.js";
import { columns, formatTime } from "./columns-data.js";
import { FLOOR_TASK, memoryFloor, timesFloor } from "./floor-probe.js";
import { machineLine, writeSection } from "./results.js";

const PLANS = 64;
const SAMPLES = 1000;
const uncertainty = { method: "monte-carlo", samples: SAMPLES, seed: 1 };
const isa = nativeInfo().isa;
const tasks = {
  "js backend": { backend: "js" },
  [`native ${isa}, 1 thread`]: { backend: "native", maxWorkers: 1 },
  [`native ${isa}, 2 threads`]: { backend: "native", maxWorkers: 2 },
  "native scalar, 2 threads": { backend: "native", maxWorkers: 2, enableVectorization: false },
};

const { scores, stds, weights } = columns(PLANS);
const floors = { 1: memoryFloor([PLANS], 1).get(PLANS), 2: memoryFloor([PLANS], 2).get(PLANS) };
/** The floor per plan for a native task's thread count; undefined for the js backend. */
const floorOf = (name) => (name.startsWith("native") ? floors[name.endsWith("2 threads") ? 2 : 1] / PLANS : undefined);
const bench = new Bench({ time: 2500, warmupTime: 500, iterations: 5 });
for (const [name, options] of Object.entries(tasks)) {
  const aggregator = new HighPerformanceAreaAggregator({ ...options, uncertainty });
  bench.add(name, async () => {
    await aggregator.aggregateColumns({ scores, stds, weights });
  });
}
await bench.run();
for (const task of bench.tasks) if (task.result.error) throw task.result.error;

const perPlan = Object.fromEntries(bench.tasks.map((t) => [t.name, t.result.latency.p50 / 1000 / PLANS]));
const js = perPlan["js backend"];
const two = perPlan[`native ${isa}, 2 threads`];
const lines = [
  `- ${SAMPLES} samples per area, ${PLANS} plans per call: native ${isa} on 2 threads is ${(js / two).toFixed(1)}× the js backend (target ≥ 20×): ${Math.round(1 / two).toLocaleString("en-US")} plans/s against ${Math.round(1 / js).toLocaleString("en-US")}`,
  "",
  "Median of tinybench samples, `aggregateColumns` with `uncertainty: { method: \"monte-carlo\", samples: 1000 }`.",
  "",
  "| task | time per plan | plans/s | × js backend | time ÷ memory floor (same threads) |",
  "|---|---|---|---|---|",
  ...Object.entries(perPlan).map(
    ([name, s]) => `| ${name} | ${formatTime(s)} | ${Math.round(1 / s).toLocaleString("en-US")} | ${(js / s).toFixed(1)} | ${name.startsWith("native") ? timesFloor(s, floorOf(name)) : ""} |`,
  ),
  ...[1, 2].map((t) => `| ${FLOOR_TASK}, ${t} thread${t > 1 ? "s" : ""} | ${floors[t] === undefined ? "–" : formatTime(floors[t] / PLANS)} | | | 1.00 |`),
];
const text = lines.join("\n");
console.log(machineLine());
console.log(text);
writeSection("montecarlo", "Monte-Carlo intervals (`bench/montecarlo.bench.js`)", text);
