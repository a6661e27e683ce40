// Run by check:qemu and check:wine inside the Node under test (an arm64 Node under qemu, the
// Windows Node under wine): loads the package (dist/) as users do, then compares the native
// backend with the JS one over seeded plans with weights, with analytic intervals on each
// thread count of --threads and with Monte-Carlo intervals (bit-identical by design, see
// src/kernels/normal.ts), optionally also in --workers worker_threads at once. Every output
// number is compared with Object.is. Prints one JSON line: what loaded, which kernel ran, counts.
//   node agreement-probe.mjs --plans=2000 --mc-plans=50 --threads=1,4 --workers=3
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

const settings = isMainThread
  ? Object.fromEntries(process.argv.slice(2).map((arg) => /^--([\w-]+)=(.*)$/.exec(arg).slice(1)))
  : workerData;
const plans = Number(settings.plans);
const mcPlans = Number(settings["mc-plans"]);
const threadCounts = settings.threads.split(",").map(Number);
const workers = Number(settings.workers ?? 0);

const loaded = [];
const dlopen = process.dlopen;
process.dlopen = (module, file, ...rest) => {
  loaded.push(file);
  return dlopen.call(process, module, file, ...rest);
};
const warnings = [];
process.on("warning", (warning) => warnings.push(warning.code));
const { HighPerformanceAreaAggregator, nativeInfo, AREA_IDS, DIMENSION_IDS } = await import(new URL("../dist/index.js", import.meta.url).href);

let x = 12345;
const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
const batch = Array.from({ length: Math.max(plans, mcPlans) }, () =>
  AREA_IDS.flatMap((areaId) => DIMENSION_IDS.map((dimensionId) => ({ areaId, dimensionId, score: Math.round(next() * 3000) / 1000, scoreStd: next() * 0.4 }))),
);
const weights = Object.fromEntries(AREA_IDS.slice(0, 5).map((areaId) => [areaId, Object.fromEntries(DIMENSION_IDS.map((d) => [d, 0.25 + next() * 3]))]));

let compared = 0;
let differ = 0;
const isas = new Set();
const compare = (native, js) =>
  native.areaScores.forEach((areas, e) =>
    areas.forEach((area, a) => {
      const other = js.areaScores[e][a];
      for (const key of ["score", "scoreStd"]) {
        compared++;
        if (!Object.is(area[key], other[key])) differ++;
      }
      for (const i of [0, 1]) {
        compared++;
        if (!Object.is(area.confidenceInterval95[i], other.confidenceInterval95[i])) differ++;
      }
      if (area.qualityLevel !== other.qualityLevel) differ++;
    }),
  );
const run = (backend, list, extra) => new HighPerformanceAreaAggregator({ backend, ...extra }).aggregateBatch(list, weights);
const mc = { uncertainty: { method: "monte-carlo", samples: 200, seed: 3 } };
for (const maxWorkers of threadCounts) {
  const native = await run("native", batch.slice(0, plans), { maxWorkers });
  isas.add(native.metrics.isa);
  compare(native, await run("js", batch.slice(0, plans)));
  const nativeMc = await run("native", batch.slice(0, mcPlans), { maxWorkers, ...mc });
  isas.add(nativeMc.metrics.isa);
  compare(nativeMc, await run("js", batch.slice(0, mcPlans), mc));
}

const results = await Promise.all(
  Array.from(
    { length: isMainThread ? workers : 0 },
    () =>
      new Promise((resolve, reject) => {
        const worker = new Worker(new URL(import.meta.url), { workerData: { ...settings, workers: 0 } });
        worker.once("message", resolve);
        worker.once("error", reject);
      }),
  ),
);
await new Promise((resolve) => setImmediate(resolve));
const info = nativeInfo();
const out = {
  platform: process.platform,
  arch: process.arch,
  loaded,
  isas: [...isas],
  backend: info.loaded ? "native" : "js",
  supportedIsas: info.supportedIsas,
  compared,
  differ,
  warnings,
  workers: results,
};
if (isMainThread) console.log(JSON.stringify(out));
else parentPort.postMessage(out);
