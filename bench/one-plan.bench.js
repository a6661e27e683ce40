// One plan, one call: our full `aggregate()` (validation, ten AreaScore objects, metrics)
// against the naive object-grouping code a user would write without this package. Real callers
// pass a new plan each time, so the main rows rotate through 64 distinct plans (distinct objects
// and values, so no caller-side object stays hot in V8's caches); the rows marked "one plan
// reused" call with the same object every time, as older versions of this bench did.
// `npm run bench` (it builds dist/ first) measures every task with tinybench in one run.
//
// Paired rounds. On this shared VM a process's speed swings by up to 2× over seconds (CPU time
// too, not only wall time: a neighbour on the same core), so timing each task in a process of
// its own compared states, not code. Each task is measured instead in its own fresh process
// beside the naive code: tinybench runs the two for ~25 ms each, in alternating order, again
// and again; each round's ratio compares two figures taken within ~50 ms of each other, and the
// table gives the median ratio over all rounds of all processes. The naive code and ours share
// no functions, so neither inherits the other's JIT feedback.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Bench } from "tinybench";
import { AREA_IDS, AREA_NAMES, CLUSTER_OF_AREA, DIMENSION_IDS, HighPerformanceAreaAggregator, aggregate } from "../dist/index.js";
import { machineLine, writeSection } from "./results.js";

/** Calls per tinybench sample, so timer overhead stays small against ~µs calls. */
const CALLS = 100;
const ROUND_MS = 25;
const ROUNDS_PER_PROCESS = 30;
const PROCESSES = 3;

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

/**
 * The naive result completed as SPEC §3 and §5 require ours to be: each area's entries copied
 * (no output shares an object with the input) and validationDetails added. What the output's
 * shape alone costs over the naive code. With `checkExtras`, each entry's fields are also listed
 * (`for...in`), as ours must to find the extra fields SPEC §2 carries along; the bench's entries
 * have none, so nothing more is copied.
 */
function naiveWithCopies(dimensionScores, checkExtras = false) {
  const areas = naiveAggregate(dimensionScores);
  for (const area of areas) {
    area.dimensionScores = area.dimensionScores.map((entry) => {
      if (checkExtras) {
        for (const key in entry) if (key !== "areaId" && key !== "dimensionId" && key !== "score" && key !== "scoreStd") sink++;
      }
      const { areaId, dimensionId, score, scoreStd } = entry;
      return { areaId, dimensionId, score, scoreStd };
    });
    area.validationDetails = { hermeticity: true, weightSource: "equal", weightSum: area.dimensionScores.length };
  }
  return areas;
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
  [`naive object grouping, plus the output copies ours must make${ROTATING}`]: () => {
    for (let k = 0; k < CALLS; k++) sink += naiveWithCopies(next())[0].score;
  },
  [`naive object grouping, plus the output copies and the extra-field check ours must make${ROTATING}`]: () => {
    for (let k = 0; k < CALLS; k++) sink += naiveWithCopies(next(), true)[0].score;
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

const NAIVE = `naive object grouping (inline)${ROTATING}`;
const NAIVE_REUSED = `naive object grouping (inline)${REUSED}`;
/** The naive row each task is paired with: the one under the same conditions (rotating or reused). */
const naiveOf = (name) => (name.endsWith(REUSED) ? NAIVE_REUSED : NAIVE);

/** Tinybench's median µs per call of `name`, over about `time` ms. */
async function medianUs(name, time, warmupTime) {
  const bench = new Bench({ time, warmupTime });
  bench.add(name, TASKS[name]);
  await bench.run();
  return (bench.tasks[0].result.latency.p50 * 1000) / CALLS;
}

/** In a child: paired rounds of one task and its naive row; sends every round's two medians. */
async function measure(name) {
  const naive = naiveOf(name);
  await medianUs(naive, 200, 200);
  await medianUs(name, 200, 200);
  const rounds = [];
  for (let round = 0; round < ROUNDS_PER_PROCESS; round++) {
    const first = round % 2 === 0 ? naive : name;
    const a = await medianUs(first, ROUND_MS, 0);
    const b = await medianUs(first === naive ? name : naive, ROUND_MS, 0);
    rounds.push(first === naive ? [b, a] : [a, b]);
  }
  process.send({ rounds, sink });
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
  const names = Object.keys(TASKS).filter((name) => name !== NAIVE && name !== NAIVE_REUSED);
  const rounds = Object.fromEntries(names.map((n) => [n, []]));
  for (let p = 0; p < PROCESSES; p++) {
    for (const name of names) rounds[name].push(...(await inChild(name)).rounds);
  }
  const row = (name, pairs) => {
    const ratios = pairs.map(([task, naive]) => task / naive);
    const q = (xs, f) => xs.slice().sort((a, b) => a - b)[Math.floor(f * (xs.length - 1))];
    return `| ${name} | ${median(pairs.map(([t]) => t)).toFixed(3)} | ${median(pairs.map(([, n]) => n)).toFixed(3)} | **${median(ratios).toFixed(2)}** | ${q(ratios, 0.25).toFixed(2)}–${q(ratios, 0.75).toFixed(2)} |`;
  };
  const total = rounds[names[0]].length;
  const lines = [
    `${total} paired rounds per task (${PROCESSES} fresh processes × ${ROUNDS_PER_PROCESS}); each round: tinybench, ~${ROUND_MS} ms of the task and ~${ROUND_MS} ms of the naive code beside it, in alternating order; ${CALLS} calls per tinybench sample. µs are medians over the rounds; the ratio is the median of the rounds' ratios (with its interquartile range).`,
    "",
    "| task | µs/call | naive µs/call, same rounds | × naive (same plans) | ratio, middle half of rounds |",
    "|---|---|---|---|---|",
    ...names.map((name) => row(name, rounds[name])),
  ];
  console.log(machineLine());
  console.log(lines.join("\n"));
  writeSection("one-plan", "One plan per call (`bench/one-plan.bench.js`)", lines.join("\n"));
}
