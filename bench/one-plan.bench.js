// One plan, one call: our full `aggregate()` (validation, ten AreaScore objects, metrics)
// against the naive object-grouping code a user would write without this package. Real callers
// pass a new plan each time, so the main rows rotate through 64 distinct plans (distinct objects
// and values, so no caller-side object stays hot in V8's caches); the rows marked "one plan
// reused" call with the same object every time, as older versions of this bench did.
// `npm run bench` (it builds dist/ first) measures every task with tinybench in one run.
//
// Each task is measured in a fresh child process, and the pair is measured in alternating
// order over several rounds: in one shared process whichever task runs second inherits the
// other's JIT feedback and garbage, which moved the naive figure by 20% in our runs.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Bench } from "tinybench";
import { AREA_IDS, AREA_NAMES, CLUSTER_OF_AREA, DIMENSION_IDS, HighPerformanceAreaAggregator, aggregate } from "../dist/index.js";
import { machineLine, writeSection } from "./results.js";

/** Calls per tinybench sample, so timer overhead stays small against ~µs calls. */
const CALLS = 100;
const ROUNDS = 5;

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROTATING_PLANS = 64;
const random = mulberry32(5);
const makePlan = () =>
  AREA_IDS.flatMap((areaId) =>
    DIMENSION_IDS.map((dimensionId) => ({
      areaId,
      dimensionId,
      score: Math.round(random() * 3000) / 1000,
      scoreStd: Math.round((0.05 + random() * 0.35) * 1000) / 1000,
    })),
  );
const plans = Array.from({ length: ROTATING_PLANS }, makePlan);
const plan = plans[0];
let turn = 0;
/** The next of the 64 plans, round robin. */
const next = () => plans[turn++ & (ROTATING_PLANS - 1)];
// Decimal weights for every area: the case where reading and keying the weights costs most.
const weights = Object.fromEntries(
  AREA_IDS.map((areaId, a) => [areaId, Object.fromEntries(DIMENSION_IDS.map((d, i) => [d, 0.1 + ((a + i) % 4) * 0.15]))]),
);

/** What a user writes without this package: group by area, average, propagate, classify. */
function naiveAggregate(dimensionScores) {
  const byArea = {};
  for (const ds of dimensionScores) (byArea[ds.areaId] ??= []).push(ds);
  return Object.keys(byArea)
    .sort()
    .map((areaId) => {
      const dims = byArea[areaId];
      let sum = 0;
      let variance = 0;
      for (const ds of dims) {
        sum += ds.score;
        variance += (ds.scoreStd ?? 0) ** 2;
      }
      const score = Math.min(3, Math.max(0, sum / dims.length));
      const scoreStd = Math.sqrt(variance) / dims.length;
      return {
        areaId,
        areaName: AREA_NAMES[areaId],
        clusterId: CLUSTER_OF_AREA[areaId],
        score,
        scoreStd,
        confidenceInterval95: [Math.max(0, score - 1.96 * scoreStd), Math.min(3, score + 1.96 * scoreStd)],
        qualityLevel: score >= 2.55 ? "EXCELENTE" : score >= 2.1 ? "BUENO" : score >= 1.65 ? "ACEPTABLE" : "INSUFICIENTE",
        dimensionScores: dims,
      };
    });
}

const aggregator = new HighPerformanceAreaAggregator();
const uncached = new HighPerformanceAreaAggregator({ enableCaching: false });
let sink = 0;
/** Tasks by name; a name ending in FORCE_JS_SUFFIX runs its base task with the addon never loaded. */
const FORCE_JS_SUFFIX = ", FARFAN_AGGREGATOR_FORCE_JS=1";
const ROTATING = `, ${ROTATING_PLANS} plans rotating`;
const REUSED = ", one plan reused";
const TASKS = {
  [`naive object grouping (inline)${ROTATING}`]: () => {
    for (let k = 0; k < CALLS; k++) sink += naiveAggregate(next())[0].score;
  },
  [`await aggregate(plan)${ROTATING}`]: async () => {
    for (let k = 0; k < CALLS; k++) sink += (await aggregate(next())).areaScores[0].score;
  },
  [`aggregator.aggregateSync(plan)${ROTATING}`]: () => {
    for (let k = 0; k < CALLS; k++) sink += aggregator.aggregateSync(next()).areaScores[0].score;
  },
  [`await aggregate(plan)${ROTATING}${FORCE_JS_SUFFIX}`]: async () => {
    for (let k = 0; k < CALLS; k++) sink += (await aggregate(next())).areaScores[0].score;
  },
  [`aggregateSync(plan, weights), cache hit${ROTATING}`]: () => {
    for (let k = 0; k < CALLS; k++) sink += aggregator.aggregateSync(next(), weights).areaScores[0].score;
  },
  [`aggregateSync(plan, weights), caching off${ROTATING}`]: () => {
    for (let k = 0; k < CALLS; k++) sink += uncached.aggregateSync(next(), weights).areaScores[0].score;
  },
  [`naive object grouping (inline)${REUSED}`]: () => {
    for (let k = 0; k < CALLS; k++) sink += naiveAggregate(plan)[0].score;
  },
  [`await aggregate(plan)${REUSED}`]: async () => {
    for (let k = 0; k < CALLS; k++) sink += (await aggregate(plan)).areaScores[0].score;
  },
};

/** In a child: measure one task, send its median µs per call. */
async function measure(name) {
  const bench = new Bench({ time: 1500, warmupTime: 300 });
  bench.add(name, TASKS[name]);
  await bench.run();
  const { latency } = bench.tasks[0].result;
  process.send({ medianUs: (latency.p50 * 1000) / CALLS, samples: latency.samples.length, sink });
}

function inChild(name) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    if (name.endsWith(FORCE_JS_SUFFIX)) env.FARFAN_AGGREGATOR_FORCE_JS = "1";
    const child = fork(fileURLToPath(import.meta.url), [name], { env, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.once("message", resolve);
    child.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`${name}: exit ${code}`))));
  });
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];

if (process.argv[2] !== undefined) {
  await measure(process.argv[2]);
} else {
  const names = Object.keys(TASKS);
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? names : names.slice().reverse();
    for (const name of order) runs[name].push((await inChild(name)).medianUs);
  }
  // Each row is compared with the naive code under the same conditions (rotating or reused).
  const naiveOf = (name) => median(runs[name.endsWith(REUSED) ? `naive object grouping (inline)${REUSED}` : names[0]]);
  const lines = [
    `Median µs per call over ${ROUNDS} rounds; each task in a fresh process, tasks in alternating order; ${CALLS} calls per tinybench sample.`,
    "",
    "| task | median µs/call | × naive (same plans) | rounds (µs) |",
    "|---|---|---|---|",
    ...names.map((name) => {
      const m = median(runs[name]);
      return `| ${name} | ${m.toFixed(3)} | ${(m / naiveOf(name)).toFixed(2)} | ${runs[name].map((x) => x.toFixed(2)).join(", ")} |`;
    }),
  ];
  console.log(machineLine());
  console.log(lines.join("\n"));
  writeSection("one-plan", "One plan per call (`bench/one-plan.bench.js`)", lines.join("\n"));
}
