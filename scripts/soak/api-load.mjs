// One round of API calls on one backend, sequential and concurrent: one plan (`aggregate`,
// `aggregateSync`), batches (`aggregateBatch`), columns (`aggregateColumns` over plain and
// SharedArrayBuffer memory, with and without outputs of the caller's), Monte-Carlo through each,
// and invalid columns. Each round makes the same number of calls, whatever the machine's speed.
import { HighPerformanceAreaAggregator } from "../../dist/index.js";
import {
  batchItem,
  columnInput,
  columnsReference,
  FIRST_EVALUATIONS,
  LARGE,
  MONTE_CARLO,
  MONTE_CARLO_EVALUATIONS,
  PLAN_COUNT,
  planReference,
  PLANS,
  SHARED_WEIGHTS,
  VARIANTS,
} from "./data.mjs";

const SEQUENTIAL_PLANS = 16;
const CONCURRENT_PLANS = 32;
const MONTE_CARLO_PLANS = 4;
/** The plans Monte-Carlo one-plan calls take (in turn). */
export const MONTE_CARLO_PLAN_POOL = 8;
const CONCURRENT_BATCHES = 3;
const SEQUENTIAL_COLUMNS = 6;
const CONCURRENT_COLUMNS = 6;
const SMALL_SIZES = [1, 7, 8, 100, 1000];
const MEMORIES = ["plain", "shared"];
const OUTPUTS = ["none", "plain", "shared"];
/** Every [variant, memory, outputs] of a columns call. */
const COMBINATIONS = VARIANTS.flatMap((variant) => MEMORIES.flatMap((memory) => OUTPUTS.map((outputs) => [variant, memory, outputs])));
/** Rounds between two large batches (objects for 20,000 plans take a while to build and check). */
const LARGE_BATCH_EVERY = 3;

const ITEMS = PLANS.map(batchItem);
/** A batch of LARGE plans (plan e % 64 at e): large enough to run off the JS thread. */
const LARGE_BATCH = Array.from({ length: LARGE }, (_, e) => ITEMS[e % PLAN_COUNT]);

/** The aggregators one backend's load uses. */
export function aggregatorsFor(backend) {
  return {
    plain: new HighPerformanceAreaAggregator({ backend }),
    uncached: new HighPerformanceAreaAggregator({ backend, enableCaching: false }),
    monteCarlo: new HighPerformanceAreaAggregator({ backend, uncertainty: MONTE_CARLO }),
  };
}

/** Outputs for `n` evaluations, over plain or shared memory; undefined for "none". */
export function newOutputs(kind, n) {
  if (kind === "none") return undefined;
  const memory = (bytes) => (kind === "shared" ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const f64 = () => new Float64Array(memory(n * 80));
  return { score: f64(), std: f64(), ciLow: f64(), ciHigh: f64(), quality: new Uint8Array(memory(n * 10)) };
}

/** The run's API load on one backend: `round()` makes one round of calls. */
export class ApiLoad {
  #backend;
  #aggregators;
  #verify;
  #round = 0;

  constructor(backend, verify) {
    this.#backend = backend;
    this.#aggregators = aggregatorsFor(backend);
    this.#verify = verify;
  }

  async round() {
    const r = this.#round++;
    await this.#plans(r);
    await this.#batches(r);
    await this.#columns(r);
    await this.#monteCarlo(r);
    await this.#invalid();
  }

  /** One plan a call: sequentially (async and sync, cached and not, with and without weights), then many at once. */
  async #plans(r) {
    const { plain, uncached } = this.#aggregators;
    for (let k = 0; k < SEQUENTIAL_PLANS; k++) {
      const plan = PLANS[(r * SEQUENTIAL_PLANS + k) % PLAN_COUNT];
      const equal = k % 2 === 0;
      const aggregator = k % 4 < 2 ? plain : uncached;
      const weights = equal ? undefined : (plan.ownWeights ?? SHARED_WEIGHTS);
      const sync = k % 3 === 0;
      const result = sync ? aggregator.aggregateSync(plan.entries, weights) : await aggregator.aggregate(plan.entries, weights);
      this.#onePlan(sync ? "aggregateSync" : "aggregate", plan, result, undefined, equal);
    }
    const plans = Array.from({ length: CONCURRENT_PLANS }, (_, k) => PLANS[(r * 7 + k * 3) % PLAN_COUNT]);
    const results = await Promise.all(plans.map((plan) => plain.aggregate(plan.entries, plan.ownWeights ?? SHARED_WEIGHTS)));
    results.forEach((result, k) => this.#onePlan("aggregate", plans[k], result, undefined, false));
  }

  /** Checks and counts one plan's result. */
  #onePlan(kind, plan, result, sampled, equal) {
    this.#verify.count(sampled ? `${kind}, Monte-Carlo` : kind, this.#backend);
    const { out, at } = planReference(plan, sampled, equal);
    this.#verify.areaScores(`${kind} of plan ${plan.index}`, this.#backend, [result.areaScores], out, { from: at, sampled: sampled && `plan ${plan.index} ${equal}` });
  }

  /** Batches: all 64 plans, slices of them at once, and now and then a large batch (off the JS thread). */
  async #batches(r) {
    const { plain, uncached } = this.#aggregators;
    const reference = columnsReference("own weights");
    const whole = await plain.aggregateBatch(ITEMS, SHARED_WEIGHTS);
    this.#batch("the 64 plans", whole, reference, 0);
    const starts = Array.from({ length: CONCURRENT_BATCHES }, (_, k) => (r * 5 + k * 17) % (PLAN_COUNT - 20));
    const slices = await Promise.all(starts.map((s, k) => (k % 2 ? uncached : plain).aggregateBatch(ITEMS.slice(s, s + 20), SHARED_WEIGHTS)));
    slices.forEach((result, k) => this.#batch(`plans ${starts[k]}…${starts[k] + 19}`, result, reference, starts[k]));
    if (r % LARGE_BATCH_EVERY === 0) this.#batch(`${LARGE} plans`, await plain.aggregateBatch(LARGE_BATCH, SHARED_WEIGHTS), reference, 0);
  }

  #batch(what, result, reference, from, sampled) {
    this.#verify.count(sampled ? "aggregateBatch, Monte-Carlo" : "aggregateBatch", this.#backend);
    this.#verify.areaScores(`aggregateBatch of ${what}`, this.#backend, result.areaScores, reference, { from, sampled });
  }

  /**
   * Columns: large calls one after another (every variant × memory × outputs in turn, over
   * three rounds), the small sizes (a prefix of the large columns), then a burst of large calls
   * at once.
   */
  async #columns(r) {
    const { plain } = this.#aggregators;
    for (let k = 0; k < SEQUENTIAL_COLUMNS; k++) {
      const combination = (r * SEQUENTIAL_COLUMNS + k) % COMBINATIONS.length;
      await this.#columnsCall(plain, ...COMBINATIONS[combination], LARGE);
    }
    for (const [k, n] of SMALL_SIZES.entries()) {
      await this.#columnsCall(plain, VARIANTS[(r + k) % 3], MEMORIES[(r + k) % 2], OUTPUTS[(r + k) % 3], n);
    }
    await Promise.all(
      Array.from({ length: CONCURRENT_COLUMNS }, (_, k) => this.#columnsCall(plain, VARIANTS[(r + k) % 3], MEMORIES[k % 2], OUTPUTS[(r + k) % 3], LARGE)),
    );
  }

  /** One aggregateColumns call, checked: its result must be the outputs given, when given. */
  async #columnsCall(aggregator, variant, memory, outputKind, n, sampled) {
    const outputs = newOutputs(outputKind, n);
    const input = sampled === undefined ? columnInput(variant, memory, n) : { ...columnInput(variant, memory, n), firstEvaluation: sampled.firstEvaluation };
    const result = await aggregator.aggregateColumns(input, outputs);
    this.#verify.count(`${sampled ? "aggregateColumns, Monte-Carlo" : "aggregateColumns"}, ${memory} inputs`, this.#backend);
    const what = `aggregateColumns n=${n}, ${variant}, ${memory} inputs, outputs ${outputKind}`;
    if (outputs !== undefined) this.#verify.holds(`${what}: result is the outputs given`, result.score === outputs.score && result.quality === outputs.quality ? undefined : "other arrays");
    const key = sampled && `${variant} ${sampled.firstEvaluation}`;
    this.#verify.columns(what, this.#backend, result, columnsReference(variant, sampled), { n, sampled: key });
  }

  /** Monte-Carlo: plans one at a time, batches and columns at two study offsets, off the JS thread and on it. */
  async #monteCarlo(r) {
    const { monteCarlo } = this.#aggregators;
    for (let k = 0; k < MONTE_CARLO_PLANS; k++) {
      const plan = PLANS[(r * MONTE_CARLO_PLANS + k) % MONTE_CARLO_PLAN_POOL];
      const sync = k % 2 === 1;
      const result = sync ? monteCarlo.aggregateSync(plan.entries) : await monteCarlo.aggregate(plan.entries);
      this.#onePlan(sync ? "aggregateSync" : "aggregate", plan, result, true, true);
    }
    for (const firstEvaluation of FIRST_EVALUATIONS) {
      const sampled = { firstEvaluation };
      const result = await monteCarlo.aggregateBatch(ITEMS, SHARED_WEIGHTS, { firstEvaluation });
      this.#batch(`the 64 plans from ${firstEvaluation}`, result, columnsReference("own weights", sampled), 0, `own weights ${firstEvaluation}`);
      for (const [k, n] of [MONTE_CARLO_EVALUATIONS, 2].entries()) {
        await this.#columnsCall(monteCarlo, VARIANTS[(r + k) % 2], MEMORIES[(r + k) % 2], OUTPUTS[(r + k) % 3], n, sampled);
      }
    }
  }

  /** Columns with bad values: a ValidationError naming each bad slot, small (on the JS thread) and large (off it). */
  async #invalid() {
    const { plain } = this.#aggregators;
    for (const n of [100, LARGE]) {
      const scores = columnInput("shared weights", "plain", n).scores.slice();
      const bad = [5, n * 60 - 7];
      scores[bad[0]] = 3.5;
      scores[bad[1]] = Number.NaN;
      this.#verify.count("aggregateColumns, invalid input", this.#backend);
      const what = `aggregateColumns n=${n} with bad scores (${this.#backend})`;
      try {
        this.#verify.unexpected(what, await plain.aggregateColumns({ scores }));
      } catch (error) {
        if (this.#verify.rejection(what, error, { name: "ValidationError", code: "E_RANGE" })) {
          const paths = error.issues.map((issue) => `${issue.path} ${issue.code}`);
          const missing = [`scores[${bad[0]}] E_RANGE`, `scores[${bad[1]}] E_NON_FINITE`].filter((issue) => !paths.includes(issue));
          this.#verify.holds(`${what}: issues`, missing.length === 0 ? undefined : `${missing.join(", ")} not among ${paths.join(", ")}`);
        }
      }
    }
  }
}
