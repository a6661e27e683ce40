// Writing Parquet results, the write phase alone: the same result blocks (100,000 plans in the
// CLI's blocks of 16,384, random numbers, fixed seed) through each candidate writer into a sink
// that only counts bytes, side by side in one run:
//
//   wasm snappy:       parquet-wasm's streaming writer, snappy, its default dictionary and
//                      statistics (the writer before ours): block → apache-arrow table → IPC → wasm;
//   wasm uncompressed: the same, UNCOMPRESSED;
//   wasm plain:        the same, UNCOMPRESSED, no dictionary, no statistics;
//   ours:              src/tables/parquet-writer.ts (TypeScript, uncompressed, dictionary text columns).
//
// Each candidate's CPU time (process.cpuUsage, user + sys, per run) and output bytes; wall
// time from tinybench. Few runs each: parquet-wasm keeps ~140 MB of its memory per run and
// panics ("unreachable") past its 4 GiB. The whole CLI run's figures are in bench/RESULTS.md ("Parquet out").
//
//   npm run build && node bench/parquet-out.bench.js
import { Bench } from "tinybench";
import * as arrow from "apache-arrow";
import wasm from "parquet-wasm/node";
import { resultTable } from "../dist/tables/arrow-results.js";
import { parquetWriter } from "../dist/tables/parquet-writer.js";
import { ResultTextColumns } from "../dist/tables/results.js";
import { writeSection } from "./results.js";

const PLANS = 100_000;
const BLOCK = 16_384;
const AREAS = 10;
const settings = { idColumn: "plan_id", method: "weighted_average", inputs: false };

function random(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function blocks() {
  const next = random(7);
  const encoder = new TextEncoder();
  const out = [];
  for (let first = 0; first < PLANS; first += BLOCK) {
    const plans = Math.min(BLOCK, PLANS - first);
    const keys = Array.from({ length: plans }, (_, p) => encoder.encode(`P${String(first + p).padStart(7, "0")}`));
    const offsets = new Int32Array(plans + 1);
    keys.forEach((k, p) => (offsets[p + 1] = offsets[p] + k.length));
    const bytes = new Uint8Array(offsets[plans]);
    keys.forEach((k, p) => bytes.set(k, offsets[p]));
    const numbers = () => Float64Array.from({ length: plans * AREAS }, () => next() * 3);
    const quality = Uint8Array.from({ length: plans * AREAS }, () => Math.floor(next() * 4));
    out.push({ plans, keys: { bytes, offsets }, score: numbers(), std: numbers(), ciLow: numbers(), ciHigh: numbers(), quality, inputs: undefined });
  }
  return out;
}

const BLOCKS = blocks();

function countingSink() {
  const sink = { bytes: 0, write: async (data, written) => ((sink.bytes += data.length), written?.(), true) };
  return sink;
}

/** The blocks through parquet-wasm's streaming writer with `properties` (as the writer before ours did, minus its back-pressure). */
async function wasmWrite(properties) {
  const sink = countingSink();
  const textColumns = new ResultTextColumns(settings.method);
  let i = 0;
  const input = new ReadableStream({
    pull(controller) {
      if (i === BLOCKS.length) return controller.close();
      const ipc = arrow.tableToIPC(resultTable(arrow, BLOCKS[i++], settings, textColumns), "stream");
      for (const batch of wasm.Table.fromIPCStream(ipc).recordBatches()) controller.enqueue(batch);
    },
  }, { highWaterMark: 0 });
  const output = await wasm.transformParquetStream(input, properties());
  for await (const chunk of output) await sink.write(chunk);
  return sink.bytes;
}

const wasmProperties = (compression, plain) => () => {
  let builder = new wasm.WriterPropertiesBuilder().setCompression(compression).setMaxRowGroupSize(BLOCK * AREAS);
  if (plain) builder = builder.setDictionaryEnabled(false).setStatisticsEnabled(wasm.EnabledStatistics.None);
  return builder.build();
};

async function oursWrite() {
  const sink = countingSink();
  const writer = parquetWriter(sink, settings);
  for (const block of BLOCKS) await writer.write(block);
  await writer.end();
  return sink.bytes;
}

const CANDIDATES = {
  "wasm snappy (before)": () => wasmWrite(wasmProperties(wasm.Compression.SNAPPY, false)),
  "wasm uncompressed": () => wasmWrite(wasmProperties(wasm.Compression.UNCOMPRESSED, false)),
  "wasm plain (uncompressed, no dictionary, no statistics)": () => wasmWrite(wasmProperties(wasm.Compression.UNCOMPRESSED, true)),
  "ours (TypeScript)": oursWrite,
};

const cpu = {};
const sizes = {};
const bench = new Bench({ iterations: 4, warmupIterations: 1, time: 0 });
for (const [name, run] of Object.entries(CANDIDATES)) {
  cpu[name] = { micros: 0, runs: 0 };
  bench.add(name, async () => {
    const before = process.cpuUsage();
    sizes[name] = await run();
    const used = process.cpuUsage(before);
    cpu[name].micros += used.user + used.system;
    cpu[name].runs++;
  });
}
await bench.run();

const base = "wasm snappy (before)";
const cpuSeconds = (name) => cpu[name].micros / cpu[name].runs / 1e6;
const lines = [
  `Write phase alone: ${PLANS.toLocaleString("en-US")} plans (${(PLANS * AREAS).toLocaleString("en-US")} rows, no inputs) in blocks of ${BLOCK.toLocaleString("en-US")} into a sink that counts bytes. CPU s per run (user + sys, mean of the runs, warm-up included); wall ms (tinybench median).`,
  "",
  "| writer | CPU s | × before | wall ms | output bytes |",
  "|---|---:|---:|---:|---:|",
  ...bench.tasks.map((t) => {
    const ms = t.result.latency?.p50 ?? t.result.median;
    return `| ${t.name} | ${cpuSeconds(t.name).toFixed(3)} | ${(cpuSeconds(t.name) / cpuSeconds(base)).toFixed(2)} | ${ms.toFixed(0)} | ${sizes[t.name].toLocaleString("en-US")} |`;
  }),
];
console.log(lines.join("\n"));
if (process.env.FARFAN_BENCH_WRITE !== "0") writeSection("parquet-out-write", "Parquet out: the write phase alone (`bench/parquet-out.bench.js`)", lines.join("\n"));
