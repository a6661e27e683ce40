// What SPEC §7's memory safety costs: aggregateColumns on the native backend
// (2 threads) at n = 10⁴ and 10⁶ with columns and outputs over ordinary ArrayBuffers (an async
// call copies them in, and the outputs back) against the same over SharedArrayBuffers (used in
// place), each beside the memory floor on the same 2 threads (reading the inputs and writing the
// outputs once: bench/floor-probe.js), and one plan through aggregate(). Runs on any commit of the package (it builds its
// SharedArrayBuffer columns by hand), so the figures before and after compare: `npm run build
// && node bench/memory-safety.bench.js`.
import { Bench } from "tinybench";
import { aggregate, AREA_IDS, DIMENSION_IDS, HighPerformanceAreaAggregator } from "../dist/index.js";
import { columns, formatTime } from "./columns-data.js";
import { FLOOR_TASK, memoryFloor, timesFloor } from "./floor-probe.js";
import { machineLine } from "./results.js";

const aggregator = new HighPerformanceAreaAggregator({ backend: "native", maxWorkers: 2 });

function outputs(n, Buffer) {
  const f64 = () => new Float64Array(new Buffer(n * 80));
  return { score: f64(), std: f64(), ciLow: f64(), ciHigh: f64(), quality: new Uint8Array(new Buffer(n * 10)) };
}

function shared(array) {
  const copy = new Float64Array(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}

const SIZES = [10_000, 1_000_000];
const floor = memoryFloor(SIZES, 2);
const rows = [];
for (const n of SIZES) {
  const { scores, stds, weights } = columns(n);
  const plain = { input: { scores, stds, weights }, out: outputs(n, ArrayBuffer) };
  const sab = { input: { scores: shared(scores), stds: shared(stds), weights }, out: outputs(n, SharedArrayBuffer) };
  const bench = new Bench({ time: n >= 1_000_000 ? 3000 : 1000, warmupTime: 300, iterations: 5 });
  bench.add(`n = ${n}, ArrayBuffer columns`, () => aggregator.aggregateColumns(plain.input, plain.out));
  bench.add(`n = ${n}, SharedArrayBuffer columns`, () => aggregator.aggregateColumns(sab.input, sab.out));
  await bench.run();
  for (const task of bench.tasks) if (task.result.error) throw task.result.error;
  const [a, b] = bench.tasks.map((t) => t.result.latency.p50 / 1000);
  rows.push([bench.tasks[0].name, formatTime(a), `${(a / b).toFixed(2)}× the SAB time`, timesFloor(a, floor.get(n))]);
  rows.push([bench.tasks[1].name, formatTime(b), "1.00×", timesFloor(b, floor.get(n))]);
  if (floor.has(n)) rows.push([`n = ${n}, ${FLOOR_TASK}, 2 threads`, formatTime(floor.get(n)), "", "1.00"]);
}

const plan = AREA_IDS.flatMap((areaId, a) => DIMENSION_IDS.map((dimensionId, d) => ({ areaId, dimensionId, score: ((a + d) % 7) * 0.4, scoreStd: 0.1 })));
const one = new Bench({ time: 1000, warmupTime: 300 });
one.add("one plan, aggregate()", () => aggregate(plan));
await one.run();
rows.push([one.tasks[0].name, formatTime(one.tasks[0].result.latency.p50 / 1000), "", ""]);

console.log(machineLine());
console.log("| call | median | ratio | time ÷ floor (2 threads) |\n|---|---|---|---|");
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
