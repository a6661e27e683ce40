// aggregateColumns through the public API, side by side in one run: the js and native backends
// (2 threads) at n = 1 … 10⁶ evaluations, against one Float64Array.prototype.set copy of the
// same input arrays; and, at n = 10⁴, what object input costs on top (packing the objects into
// columns, then building AreaScore objects); and, at n = 10⁶, outputs reused against fresh ones,
// over plain and SharedArrayBuffer columns, each beside a copy of the inputs made the same way
// (`set` into touched buffers; `slice()`), and fresh ones once more beside ~100 MB of live
// objects. Native rows also show the memory floor on their 2 threads (bench/floor-probe.js),
// and what the floor costs with outputs in new memory. Writes the "columns" section of
// bench/RESULTS.md and draws bench/throughput.svg. Run with `npm run bench` (it builds dist/ first).
import { writeFileSync } from "node:fs";
import { Bench } from "tinybench";
import { allocateSharedColumns, AREA_IDS, DIMENSION_IDS, HighPerformanceAreaAggregator } from "../dist/index.js";
import { allocateColumns, packEvaluation } from "../dist/input/pack-plans.js";
import { allocateOutput } from "../dist/core/kernel-io.js";
import { IssueCollector } from "../dist/core/validate.js";
import { throughputChart } from "./chart.js";
import { columns, formatTime } from "./columns-data.js";
import { FLOOR_TASK, FRESH_FLOOR_TASK, memoryFloor, timesFloor } from "./floor-probe.js";
import { machineLine, writeSection } from "./results.js";

const SIZES = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
const PACKING_N = 10_000;
const NATIVE = "native backend, 2 threads";
const backends = {
  "js backend": new HighPerformanceAreaAggregator({ backend: "js" }),
  [NATIVE]: new HighPerformanceAreaAggregator({ backend: "native", maxWorkers: 2 }),
};
const COPY = "copy probe: Float64Array.set of the inputs";
const floor = memoryFloor(SIZES, 2);

const rows = [];
for (const n of SIZES) {
  const { scores, stds, weights } = columns(n);
  const input = { scores, stds, weights };
  const outputs = allocateOutput(n); // reused, as a batch job would
  const copies = [new Float64Array(n * 60), new Float64Array(n * 60)];
  const reps = Math.max(1, Math.floor(10_000 / n));
  const bench = new Bench({ time: n >= 100_000 ? 1500 : 600, warmupTime: 200, iterations: 5 });
  for (const [name, aggregator] of Object.entries(backends)) {
    bench.add(name, async () => {
      for (let r = 0; r < reps; r++) await aggregator.aggregateColumns(input, outputs);
    });
  }
  bench.add(COPY, () => {
    for (let r = 0; r < reps; r++) {
      copies[0].set(scores);
      copies[1].set(stds);
    }
  });
  await bench.run();
  for (const task of bench.tasks) if (task.result.error) throw task.result.error;
  for (const task of bench.tasks) {
    const seconds = task.result.latency.p50 / 1000 / reps;
    rows.push({ n, task: task.name, seconds, perSecond: n / seconds });
  }
}

/** Plan objects (the public DimensionScore shape) holding the same numbers as `columns(n)`. */
function plans(n) {
  const { scores, stds } = columns(n);
  return Array.from({ length: n }, (_, e) =>
    AREA_IDS.flatMap((areaId, a) =>
      DIMENSION_IDS.map((dimensionId, d) => ({ areaId, dimensionId, score: scores[e * 60 + a * 6 + d], scoreStd: stds[e * 60 + a * 6 + d] })),
    ),
  );
}

const packing = [];
{
  const objects = plans(PACKING_N);
  const { scores, stds, weights } = columns(PACKING_N);
  const input = { scores, stds, weights };
  const native = backends[NATIVE];
  const bench = new Bench({ time: 1500, warmupTime: 300 });
  bench
    .add("aggregateColumns(columns)", async () => {
      await native.aggregateColumns(input);
    })
    .add("packing only: objects → columns, validated", () => {
      const packed = allocateColumns(PACKING_N);
      const issues = new IssueCollector();
      for (let e = 0; e < PACKING_N; e++) packEvaluation(objects[e], packed, e, issues);
    })
    .add("aggregateBatch(objects): pack, kernel, AreaScore objects", async () => {
      await native.aggregateBatch(objects);
    });
  await bench.run();
  for (const task of bench.tasks) if (task.result.error) throw task.result.error;
  for (const task of bench.tasks) packing.push({ task: task.name, seconds: task.result.latency.p50 / 1000 });
  // tinybench keeps its tasks, and with them these 600,000 objects (60 MB): every collection of
  // the rest of the run would walk them, and the fresh-outputs rows pay one collection a call.
  objects.length = 0;
}

// Fresh against reused outputs at n = 10⁶ on the native backend, over plain and shared columns.
// Each call without `outputs` gets result arrays of the package's own: on the native backend,
// memory the engine takes back once V8 has collected earlier results, so after the first calls
// memory already faulted in; each pair is beside a copy of the inputs made the same way.
const FRESH_N = 1_000_000;
const SHARED = "SharedArrayBuffer columns (allocateSharedColumns)";
const FRESH = "outputs fresh";
const SLICE = "copy of the inputs: slice()";
const HEAP_OBJECTS = 1_500_000; // ~100 MB of live objects
const FRESH_BESIDE_HEAP = "outputs fresh, beside 1.5 M live objects (~100 MB) in the heap";
const freshFloor = memoryFloor([FRESH_N], 2, { fresh: true }).get(FRESH_N);
const fresh = [];
{
  const plain = columns(FRESH_N);
  const shared = allocateSharedColumns(FRESH_N);
  shared.scores.set(plain.scores);
  shared.stds.set(plain.stds);
  const kinds = {
    "plain Float64Array columns": { input: { scores: plain.scores, stds: plain.stds, weights: plain.weights }, outputs: allocateOutput(FRESH_N) },
    [SHARED]: { input: { scores: shared.scores, stds: shared.stds, weights: plain.weights }, outputs: shared.outputs },
  };
  const native = backends[NATIVE];
  for (const [kind, { input, outputs }] of Object.entries(kinds)) {
    const touched = [new Float64Array(FRESH_N * 60), new Float64Array(FRESH_N * 60)];
    const bench = new Bench({ time: 1500, warmupTime: 200, iterations: 5 });
    bench
      .add("outputs reused", async () => {
        await native.aggregateColumns(input, outputs);
      })
      .add("copy of the inputs: set into touched buffers", () => {
        touched[0].set(input.scores);
        touched[1].set(input.stds);
      })
      .add(FRESH, async () => {
        await native.aggregateColumns(input);
      });
    // Each fresh call's 330 MB of new ArrayBuffers brings a full collection, which walks every
    // live object: the same call beside a heap as a service might hold.
    if (kind === SHARED) {
      let heap = [];
      bench.add(FRESH_BESIDE_HEAP, async () => {
        await native.aggregateColumns(input);
      }, {
        beforeAll: () => {
          heap = Array.from({ length: HEAP_OBJECTS }, (_, i) => ({ i, name: `object ${i}` }));
        },
        afterAll: () => {
          heap = [];
        },
      });
    }
    bench
      .add(SLICE, () => {
        input.scores.slice();
        input.stds.slice();
      });
    await bench.run();
    for (const task of bench.tasks) if (task.result.error) throw task.result.error;
    for (const task of bench.tasks) fresh.push({ kind, task: task.name, seconds: task.result.latency.p50 / 1000 });
  }
}
const freshAt = (kind, task) => fresh.find((r) => r.kind === kind && r.task === task).seconds;

const at = (n, task) => rows.find((r) => r.n === n && r.task === task);
const nativeMillion = at(1_000_000, NATIVE);
const copyMillion = at(1_000_000, COPY);
const lines = [
  `- n = 1,000,000, native backend on 2 threads: aggregateColumns takes ${(nativeMillion.seconds / copyMillion.seconds).toFixed(2)}× the time of one Float64Array.set copy of its inputs (target ≤ 0.5×), ${(nativeMillion.perSecond / 1e6).toFixed(1)} M evaluations/s`,
  `- n = ${PACKING_N.toLocaleString("en-US")}, native: packing objects into columns takes ${formatTime(packing[1].seconds)}, ${((packing[1].seconds / packing[2].seconds) * 100).toFixed(0)}% of aggregateBatch's ${formatTime(packing[2].seconds)}; aggregateColumns on the same numbers takes ${formatTime(packing[0].seconds)}`,
  "",
  "Median of tinybench samples, outputs supplied by the caller and reused. `time ÷ copy` is the task's time over copying the same input arrays once (lower is better).",
  "",
  "| n | task | median time | evaluations/s | time ÷ copy | time ÷ floor (2 threads) |",
  "|---|---|---|---|---|---|",
];
for (const r of rows) {
  const overFloor = r.task === NATIVE ? timesFloor(r.seconds, floor.get(r.n)) : "";
  lines.push(`| ${r.n.toLocaleString("en-US")} | ${r.task} | ${formatTime(r.seconds)} | ${(r.perSecond / 1e6).toFixed(3)} M | ${(r.seconds / at(r.n, COPY).seconds).toFixed(2)} | ${overFloor} |`);
  if (r.task === COPY && floor.has(r.n)) lines.push(`| ${r.n.toLocaleString("en-US")} | ${FLOOR_TASK}, 2 threads | ${formatTime(floor.get(r.n))} | ${(r.n / floor.get(r.n) / 1e6).toFixed(3)} M | ${(floor.get(r.n) / r.seconds).toFixed(2)} | 1.00 |`);
}
lines.push("", `Object input at n = ${PACKING_N.toLocaleString("en-US")} (native backend, 2 threads):`, "", "| task | median time |", "|---|---|");
for (const p of packing) lines.push(`| ${p.task} | ${formatTime(p.seconds)} |`);
lines.push(
  "",
  `Outputs reused and fresh at n = ${FRESH_N.toLocaleString("en-US")} (native backend, 2 threads), each beside a copy of the inputs made the same way; the floor is the memory probe's on 2 threads into touched memory (fresh outputs are memory the engine took back from earlier results). Fresh outputs, shared columns: ${(freshAt(SHARED, FRESH) / freshAt(SHARED, "outputs reused")).toFixed(2)}× the reused call (target ≤ 1.5×), ${(freshAt(SHARED, FRESH) / freshAt(SHARED, SLICE)).toFixed(2)}× a slice() of the inputs (target ≤ 0.3×); beside ~100 MB of live objects, ${(freshAt(SHARED, FRESH_BESIDE_HEAP) / freshAt(SHARED, "outputs reused")).toFixed(2)}× the reused call (the collection each call's new ArrayBuffers bring walks them).`,
  "",
  "| columns | task | median time | time ÷ same-way copy | time ÷ floor (2 threads) |",
  "|---|---|---|---|---|",
);
const sameWay = { "outputs reused": "copy of the inputs: set into touched buffers", [FRESH]: SLICE, [FRESH_BESIDE_HEAP]: SLICE };
const floorOf = { "outputs reused": floor.get(FRESH_N), [FRESH]: floor.get(FRESH_N), [FRESH_BESIDE_HEAP]: floor.get(FRESH_N) };
for (const r of fresh) {
  const copy = sameWay[r.task];
  const cells = copy === undefined ? ["", ""] : [(r.seconds / freshAt(r.kind, copy)).toFixed(2), timesFloor(r.seconds, floorOf[r.task])];
  lines.push(`| ${r.kind} | ${r.task} | ${formatTime(r.seconds)} | ${cells.join(" | ")} |`);
}
for (const [task, seconds] of [[FLOOR_TASK, floor.get(FRESH_N)], [FRESH_FLOOR_TASK, freshFloor]]) {
  if (seconds !== undefined) lines.push(`| – | ${task}, 2 threads | ${formatTime(seconds)} | | 1.00 |`);
}
if (freshFloor !== undefined && floor.has(FRESH_N)) {
  lines.push(
    "",
    `New memory costs the floor ${(freshFloor / floor.get(FRESH_N)).toFixed(2)}× the floor into touched memory: what every fresh call paid while its outputs were new memory, before the engine took them back for later calls.`,
  );
}
lines.push("", "![throughput against n](throughput.svg)");

const text = lines.join("\n");
console.log(machineLine());
console.log(text);
writeSection("columns", "aggregateColumns through the public API (`bench/columns.bench.js`)", text);
const series = [...Object.keys(backends), COPY].map((task) => ({
  name: task === COPY ? "copy of the inputs" : task,
  dashed: task === COPY,
  points: rows.filter((r) => r.task === task).map((r) => [r.n, r.perSecond]),
}));
writeFileSync(new URL("throughput.svg", import.meta.url), throughputChart(`aggregateColumns throughput (${machineLine().split(";")[0]})`, series));
