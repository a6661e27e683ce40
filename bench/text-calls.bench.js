// The cost of one native text call (parseNumbers, formatNumbers, scanCsv, through the engine's
// text codec of `dist/tables/text-codec.js`) at the sizes the CSV reader and writer use: one
// value (where reading and checking the arguments is most of the call) and a batch of 4096
// rows. Given another checkout's directory (its dist/ and build/Release, both built), it runs
// that checkout's codec and addon in the same tinybench run and prints this ÷ that per task:
// how a change to the calls' argument handling moves their cost.
//
//   npm run build && node bench/text-calls.bench.js [baseline-checkout]
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Bench } from "tinybench";
import { loadNativeAddon } from "../dist/backend/native-addon.js";
import { nativeTextCodec, NUMBER_TEXT_BYTES } from "../dist/tables/text-codec.js";
import { machineLine } from "./results.js";
import { mulberry32 } from "./tables-data.js";

const ROWS = 4096;

/** The engine's codec of the checkout in `dir`: its own text-codec.js over its own addon, loaded as it is (no table-name check). */
async function baselineCodec(dir) {
  const module = await import(pathToFileURL(join(dir, "dist", "tables", "text-codec.js")).href);
  const addon = createRequire(import.meta.url)(join(dir, "build", "Release", "farfan_aggregator.node"));
  return module.nativeTextCodec(addon);
}

/** `rows` long records (key, area, dimension, score, std) and the row arrays a scan fills. */
function longCsv(rows, next) {
  const lines = [];
  for (let r = 0; r < rows; r++) lines.push(`P${r},PA0${1 + (r % 9)},DIM0${1 + (r % 6)},${next() * 3},${next() * 0.1}`);
  const bytes = Buffer.from(lines.join("\n") + "\n", "latin1");
  const columns = 5;
  const arrays = { fields: Int32Array.of(0, 1, 2, 3, 4), numberFrom: 3, starts: new Int32Array(rows * columns), ends: new Int32Array(rows * columns), lines: new Int32Array(rows) };
  return { bytes, arrays };
}

/** The tasks of one codec, each a call over arrays of its own (so two codecs never share one). */
function tasks(codec, rows, next) {
  const values = Float64Array.from({ length: rows }, () => next() * 3);
  const out = new Uint8Array(rows * NUMBER_TEXT_BYTES);
  const ends = new Int32Array(rows);
  const written = codec.formatNumbers(values, out, ends);
  const starts = Int32Array.from(ends, (_, i) => (i === 0 ? 0 : ends[i - 1]));
  const text = () => Buffer.from(out.buffer, 0, written).toString("latin1");
  const parsed = new Float64Array(rows);
  const bad = new Uint8Array(rows);
  const csv = longCsv(rows, next);
  const state = new Int32Array(3);
  return {
    parseNumbers: () => codec.parseNumbers(out, text, starts, ends, parsed, bad),
    formatNumbers: () => codec.formatNumbers(values, out, ends),
    scanCsv: () => {
      state.fill(0);
      return codec.scanCsv(csv.bytes, csv.bytes.length, true, csv.arrays, state);
    },
  };
}

const baselineDir = process.argv[2];
const codecs = [["this", nativeTextCodec(loadNativeAddon())]];
if (baselineDir !== undefined) codecs.push(["baseline", await baselineCodec(resolve(baselineDir))]);

const CALLS = ["parseNumbers", "formatNumbers", "scanCsv"];
console.log(machineLine());
for (const rows of [1, ROWS]) {
  const next = mulberry32(rows);
  const built = codecs.map(([name, codec]) => [name, tasks(codec, rows, next)]);
  // Two rounds, the codecs' order swapped in the second, and each task's better median: the
  // first task of a pair tends to run on a warmer or colder machine than the second.
  const ns = new Map();
  for (const order of [built, [...built].reverse()]) {
    const bench = new Bench({ time: 1000, warmupTime: 300 });
    for (const call of CALLS) for (const [name, calls] of order) bench.add(`${call} ${name}`, calls[call]);
    await bench.run();
    for (const task of bench.tasks) {
      if (task.result.error) throw task.result.error;
      ns.set(task.name, Math.min(ns.get(task.name) ?? Infinity, task.result.latency.p50 * 1e6));
    }
  }
  for (const call of CALLS) {
    const mine = ns.get(`${call} this`);
    const base = ns.get(`${call} baseline`);
    const ratio = base === undefined ? "" : `, baseline ${base.toFixed(0)} ns, this ÷ baseline ${(mine / base).toFixed(2)}`;
    console.log(`${call}, ${rows} row${rows === 1 ? "" : "s"}: ${mine.toFixed(0)} ns a call${ratio}`);
  }
}
