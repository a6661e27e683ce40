// The CSV writer's number text on the native backend against `${x}`, side by side in one
// tinybench run: each text codec's formatNumbers (`dist/tables/text-codec.js`) over 10^6
// doubles on [0, 3) (result scores) and 10^6 random finite bit patterns. The engine's codec
// runs the addon this checkout loads (build/Release, or a prebuild with PREBUILDS_ONLY=1);
// `bench/format-probe.cc` compares the same C++ with std::to_chars. Figures in bench/RESULTS.md
// ("Native text in and out").
//
//   npm run build && node bench/format-numbers.bench.js
import { Bench } from "tinybench";
import { loadNativeAddon } from "../dist/backend/native-addon.js";
import { JS_TEXT_CODEC, nativeTextCodec, NUMBER_TEXT_BYTES } from "../dist/tables/text-codec.js";
import { machineLine } from "./results.js";
import { mulberry32 } from "./tables-data.js";

const COUNT = 1_000_000;
const native = nativeTextCodec(loadNativeAddon());

function scores(next) {
  return Float64Array.from({ length: COUNT }, () => next() * 3);
}

function bitPatterns(next) {
  const values = new Float64Array(COUNT);
  const words = new Uint32Array(values.buffer);
  for (let i = 0; i < COUNT; i++) {
    do {
      words[2 * i] = Math.floor(next() * 2 ** 32);
      words[2 * i + 1] = Math.floor(next() * 2 ** 32);
    } while (!Number.isFinite(values[i]));
  }
  return values;
}

const next = mulberry32(20);
const out = new Uint8Array(COUNT * NUMBER_TEXT_BYTES);
const ends = new Int32Array(COUNT);
console.log(machineLine());
for (const [name, values] of [["10^6 doubles on [0, 3)", scores(next)], ["10^6 random finite bit patterns", bitPatterns(next)]]) {
  const bench = new Bench({ time: 3000, warmupTime: 500, iterations: 5 });
  bench.add("engine formatNumbers", () => native.formatNumbers(values, out, ends)).add("`${x}` (TypeScript codec)", () => JS_TEXT_CODEC.formatNumbers(values, out, ends));
  await bench.run();
  for (const task of bench.tasks) if (task.result.error) throw task.result.error;
  const [engine, js] = bench.tasks.map((task) => (task.result.latency.p50 * 1e6) / COUNT);
  console.log(`${name}: engine ${engine.toFixed(1)} ns a double, \`\${x}\` ${js.toFixed(1)} ns; \`\${x}\` ÷ engine ${(js / engine).toFixed(1)}`);
}
