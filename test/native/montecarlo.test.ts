import { describe, expect, it } from "vitest";
import { isasToTest } from "../support/isas.js";
import { allocateOutput, type InputWithStds, type ThresholdTriple } from "../../src/core/kernel-io.js";
import { aggregateColumnsJs } from "../../src/kernels/kernel.js";
import { monteCarloColumnsJs, type MonteCarloParams } from "../../src/kernels/montecarlo.js";
import { isaRan, loadNativeAddon, STATS_BUSY_MS, STATS_LENGTH, STATS_THREADS, STATS_WALL_MS, type NativeIsa } from "../../src/backend/native-addon.js";
import { aggregateArgs, monteCarloArgs, type NativeMonteCarloArgs, type NativeMonteCarloRequest } from "../../src/backend/native-abi.js";
import { rejectionOf, thrownBy } from "../support/errors.js";
import { expectSameColumns, nextDown, rng } from "../support/float.js";

// The native Monte-Carlo interval (native/montecarlo*) against its statement in TypeScript,
// monteCarloColumnsJs: the same bits for every ISA, thread count and batch split.

// No skipping: when the addon cannot be loaded, this throws and the whole file fails with it.
const addon = loadNativeAddon();
const info = addon.info();
const ISAS: NativeIsa[] = isasToTest("native Monte-Carlo", info.supportedIsas);
const THRESHOLDS: ThresholdTriple = [2.55, 2.1, 1.65];
const LARGE_FIRST = 2 ** 40 + 5;

// ---------------------------------------------------------------------------------------------
// Data: random values plus edges — scores 0, −0 and 3, σ = 0 (whole areas too), tiny σ and σ
// large enough to clamp most samples; weights with zeros and wide scales.

const SCORE_EDGES = [0, -0, 3, nextDown(3), 1.5];
const STD_EDGES = [0, -0, 1e-300, 5, 1e200];

interface Case {
  readonly input: InputWithStds;
  /** The §4 point scores (aggregateColumnsJs), the native call's `score` input. */
  readonly score: Float64Array;
}

function makeInput(n: number, seed: number, perEvaluation: boolean): InputWithStds {
  const r = rng(seed);
  const scores = new Float64Array(n * 60);
  const stds = new Float64Array(n * 60);
  for (let i = 0; i < n * 60; i++) {
    scores[i] = r() < 0.2 ? SCORE_EDGES[Math.floor(r() * SCORE_EDGES.length)]! : r() * 3;
    stds[i] = r() < 0.15 ? STD_EDGES[Math.floor(r() * STD_EDGES.length)]! : r() * 0.8;
  }
  for (let e = 0; e < n; e += 3) {
    const at = e * 60 + (e % 10) * 6;
    stds.fill(e % 2 === 0 ? 0 : -0, at, at + 6); // a whole area with σ = 0: the interval is the score
  }
  const weights = new Float64Array(perEvaluation ? n * 60 : 60);
  for (let g = 0; g < weights.length / 6; g++) {
    const kind = r();
    for (let d = 0; d < 6; d++) {
      const u = r();
      weights[g * 6 + d] = kind < 0.5 ? u * 2 : kind < 0.7 ? (u < 0.5 ? 0 : u * 10) : kind < 0.85 ? 1 : 10 ** Math.floor(u * 40 - 20);
    }
    if (weights.subarray(g * 6, g * 6 + 6).every((w) => w === 0)) weights[g * 6 + 2] = 0.5;
  }
  return { scores, stds, weights, evaluations: n };
}

function caseOf(input: InputWithStds): Case {
  const out = allocateOutput(input.evaluations);
  aggregateColumnsJs(input, THRESHOLDS, out);
  return { input, score: out.score };
}

interface Interval {
  readonly std: Float64Array;
  readonly ciLow: Float64Array;
  readonly ciHigh: Float64Array;
}

function reference(c: Case, params: MonteCarloParams): Interval {
  const out = allocateOutput(c.input.evaluations);
  out.score.set(c.score);
  monteCarloColumnsJs(c.input, params, out);
  return out;
}

/** Outputs prefilled with NaN, so that an unwritten slot cannot pass. */
function blankInterval(n: number): Interval {
  const make = () => new Float64Array(n * 10).fill(Number.NaN);
  return { std: make(), ciLow: make(), ciHigh: make() };
}

/** The call's request, with `stats` of its own (the run's threads and times land there). */
function mcRequest(c: Case, out: Interval, params: MonteCarloParams, isa: NativeIsa, threads: number, minSamples?: number): NativeMonteCarloRequest {
  const { scores, stds, weights, evaluations } = c.input;
  const { firstEvaluation, seed, samples } = params;
  const stats = new Float64Array(STATS_LENGTH);
  return { scores, stds, weights, evaluations, score: c.score, std: out.std, ciLow: out.ciLow, ciHigh: out.ciHigh, stats, firstEvaluation, seed, samples, isa, threads, minSamplesPerThread: minSamples };
}

function mcArgs(c: Case, out: Interval, params: MonteCarloParams, isa: NativeIsa, threads: number, minSamples?: number): NativeMonteCarloArgs {
  return monteCarloArgs(mcRequest(c, out, params, isa, threads, minSamples));
}

/** Object.is on every output number; reports the first difference precisely. */
function expectIdentical(actual: Interval, expected: Interval, label: string): void {
  expectSameColumns(actual, expected, ["std", "ciLow", "ciHigh"], label);
}

/** A run that returned nothing and wrote its stats (the ISA it was given, threads within what it was given). */
function expectRun(result: void, r: NativeMonteCarloRequest): void {
  expect(result).toBeUndefined();
  expect(isaRan(r.stats)).toBe(r.isa);
  expect(r.stats[STATS_THREADS]).toBeGreaterThanOrEqual(1);
  expect(r.stats[STATS_THREADS]).toBeLessThanOrEqual(r.threads);
  expect(r.stats[STATS_BUSY_MS]).toBeGreaterThanOrEqual(0);
  expect(r.stats[STATS_WALL_MS]).toBeGreaterThanOrEqual(0);
}

/** Every ISA; 1 thread, and 2 threads split as finely as rows allow and by the default rule. */
const RUNS = ISAS.flatMap((isa) => [
  { isa, threads: 1, minSamples: undefined },
  { isa, threads: 2, minSamples: 1 },
  { isa, threads: 2, minSamples: undefined },
]);

function expectAllRuns(c: Case, params: MonteCarloParams, label: string): void {
  const expected = reference(c, params);
  const score = c.score.slice();
  for (const { isa, threads, minSamples } of RUNS) {
    const out = blankInterval(c.input.evaluations);
    const r = mcRequest(c, out, params, isa, threads, minSamples);
    expectRun(addon.monteCarlo(...monteCarloArgs(r)), r);
    expectIdentical(out, expected, `${label} ${isa} threads=${threads} minSamples=${minSamples}`);
  }
  expect(c.score).toEqual(score); // an input: never written
}

// Sample counts around the 8-sample blocks (scalar tails of 0..7) and the prefilter threshold;
// batch sizes crossing SIMD widths and, with 2 threads, task boundaries.
const SMALL_SAMPLES = [2, 3, 7, 8, 9];
const SMALL_SIZES = [1, 2, 9, 31, 300];
const LARGE_SAMPLES = [1000, 1001];
const LARGE_SIZES = [1, 7, 60];

// ---------------------------------------------------------------------------------------------

describe("native monteCarlo is bit-identical to monteCarloColumnsJs", () => {
  for (const perEvaluation of [false, true]) {
    const weightsLabel = perEvaluation ? "per-evaluation" : "shared";

    it(`${weightsLabel} weights, few samples, every ISA, 1 and 2 threads`, () => {
      for (const samples of SMALL_SAMPLES) {
        for (const n of SMALL_SIZES) {
          const c = caseOf(makeInput(n, 1000 * samples + n, perEvaluation));
          for (const firstEvaluation of [0, LARGE_FIRST]) {
            expectAllRuns(c, { samples, seed: 7, firstEvaluation }, `${weightsLabel} N=${samples} n=${n} first=${firstEvaluation}`);
          }
        }
      }
    });

    it(`${weightsLabel} weights, 1000 and 1001 samples, every ISA, 1 and 2 threads`, () => {
      for (const samples of LARGE_SAMPLES) {
        for (const n of LARGE_SIZES) {
          const c = caseOf(makeInput(n, samples + n, perEvaluation));
          const firstEvaluation = n === 7 ? LARGE_FIRST : 0;
          expectAllRuns(c, { samples, seed: 2 ** 53 - 1, firstEvaluation }, `${weightsLabel} N=${samples} n=${n} first=${firstEvaluation}`);
        }
      }
    });
  }

  it("σ = 0 everywhere collapses the interval to the score, on every ISA", () => {
    const input = makeInput(20, 5, false);
    input.stds.fill(0);
    const c = caseOf(input);
    const params = { samples: 1000, seed: 3, firstEvaluation: 0 };
    expectAllRuns(c, params, "σ = 0");
    const out = blankInterval(20);
    addon.monteCarlo(...mcArgs(c, out, params, info.bestIsa, 2));
    expect(out.std.every((x) => Object.is(x, 0))).toBe(true);
    expect(out.ciLow).toEqual(c.score);
    expect(out.ciHigh).toEqual(c.score);
  });

  it("a split run gives the bits of one call: the streams are keyed by firstEvaluation", () => {
    const n = 41, cut = 17;
    const c = caseOf(makeInput(n, 99, true));
    for (const base of [0, LARGE_FIRST]) {
      const params = { samples: 1001, seed: 12345, firstEvaluation: base };
      const whole = blankInterval(n);
      addon.monteCarlo(...mcArgs(c, whole, params, info.bestIsa, 2));
      expectIdentical(whole, reference(c, params), `whole from ${base}`);
      const parts = blankInterval(n);
      for (const [from, to] of [[0, cut], [cut, n]] as const) {
        const part: Case = {
          input: {
            scores: c.input.scores.subarray(from * 60, to * 60),
            stds: c.input.stds.subarray(from * 60, to * 60),
            weights: c.input.weights.subarray(from * 60, to * 60),
            evaluations: to - from,
          },
          score: c.score.subarray(from * 10, to * 10),
        };
        const out = { std: parts.std.subarray(from * 10, to * 10), ciLow: parts.ciLow.subarray(from * 10, to * 10), ciHigh: parts.ciHigh.subarray(from * 10, to * 10) };
        addon.monteCarlo(...mcArgs(part, out, { ...params, firstEvaluation: base + from }, "scalar", 1));
      }
      expectIdentical(parts, whole, `split at ${cut} from ${base}`);
    }
  });

  it("another seed or firstEvaluation gives other draws", () => {
    const c = caseOf(makeInput(3, 17, false));
    const run = (seed: number, firstEvaluation: number) => {
      const out = blankInterval(3);
      addon.monteCarlo(...mcArgs(c, out, { samples: 200, seed, firstEvaluation }, info.bestIsa, 1));
      return out;
    };
    const base = run(1, 0);
    expect(Array.from(run(2, 0).std)).not.toEqual(Array.from(base.std));
    expect(Array.from(run(1, 1).std)).not.toEqual(Array.from(base.std));
  });

  it("async calls give the same bits on every ISA", async () => {
    const c = caseOf(makeInput(50, 4242, true));
    const params = { samples: 1000, seed: 11, firstEvaluation: LARGE_FIRST };
    const expected = reference(c, params);
    const outs = ISAS.map(() => blankInterval(50));
    const requests = ISAS.map((isa, j) => mcRequest(c, outs[j]!, params, isa, 2, 1));
    const results = await Promise.all(requests.map((r) => addon.monteCarloAsync(...monteCarloArgs(r))));
    results.forEach((result, j) => {
      expectRun(result, requests[j]!);
      expectIdentical(outs[j]!, expected, `async ${ISAS[j]}`);
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe("native monteCarlo argument checks", () => {
  const n = 2;
  const c = caseOf(makeInput(n, 1, false));
  const goodRequest = (): NativeMonteCarloRequest => mcRequest(c, blankInterval(n), { samples: 100, seed: 0, firstEvaluation: 0 }, "scalar", 1);
  const good = (): NativeMonteCarloArgs => monteCarloArgs(goodRequest());
  const withField = (name: keyof NativeMonteCarloRequest, value: unknown): NativeMonteCarloRequest =>
    ({ ...goodRequest(), [name]: value }) as NativeMonteCarloRequest;
  const withArg = (name: keyof NativeMonteCarloRequest, value: unknown): NativeMonteCarloArgs => monteCarloArgs(withField(name, value));
  // ES2024 constructors, newer than this project's TypeScript lib.
  type Resizing = new (bytes: number, options: { maxByteLength: number }) => ArrayBufferLike;
  const resizable = (length: number) => new Float64Array(new (ArrayBuffer as unknown as Resizing)(length * 8, { maxByteLength: length * 16 }));
  const growable = (length: number) => new Float64Array(new (SharedArrayBuffer as unknown as Resizing)(length * 8, { maxByteLength: length * 16 }));
  const shared = new Float64Array(n * 10);

  const BAD: [string, NativeMonteCarloArgs][] = [
    ["too few arguments", good().slice(0, 13) as unknown as NativeMonteCarloArgs],
    ["scores not a typed array", withArg("scores", [1, 2, 3])],
    ["stds a Float32Array", withArg("stds", new Float32Array(n * 60))],
    ["stds null", withArg("stds", null)],
    ["scores too short", withArg("scores", new Float64Array(n * 60 - 1))],
    ["weights neither 60 nor n*60", withArg("weights", new Float64Array(61))],
    ["score too long", withArg("score", new Float64Array(n * 10 + 1))],
    ["ciLow a shorter view of std's memory", monteCarloArgs({ ...goodRequest(), std: shared, ciLow: shared.subarray(5) })],
    ["ciHigh overlaps the input score", withArg("ciHigh", c.score)],
    ["n not an integer", withArg("evaluations", 1.5)],
    ["stats one element too long", withArg("stats", new Float64Array(STATS_LENGTH + 1))],
    ["firstEvaluation negative", withArg("firstEvaluation", -1)],
    ["firstEvaluation not an integer", withArg("firstEvaluation", 0.5)],
    ["firstEvaluation unsafe", withArg("firstEvaluation", 2 ** 53)],
    ["firstEvaluation + n beyond 2^53", withArg("firstEvaluation", 2 ** 53 - 1)],
    ["seed negative", withArg("seed", -1)],
    ["seed unsafe", withArg("seed", 2 ** 53)],
    ["seed a string", withArg("seed", "1")],
    ["samples 1", withArg("samples", 1)],
    ["samples above 1e6", withArg("samples", 1_000_001)],
    ["samples not an integer", withArg("samples", 100.5)],
    ["isa unknown", withArg("isa", "sse9")],
    ["threads 0", withArg("threads", 0)],
    ["minSamplesPerThread 0", withArg("minSamplesPerThread", 0)],
  ];

  it("accepts the good arguments, firstEvaluation + n = 2^53 included", () => {
    for (const r of [goodRequest(), withField("firstEvaluation", 2 ** 53 - n), withField("seed", 2 ** 53 - 1)]) {
      expectRun(addon.monteCarlo(...monteCarloArgs(r)), r);
    }
  });

  it.each(BAD)("%s: throws E_NATIVE_ARGS, or E_NATIVE_OVERLAP for an overlap (sync) and rejects with it (async)", async (label, args) => {
    const code = label === "ciHigh overlaps the input score" ? "E_NATIVE_OVERLAP" : "E_NATIVE_ARGS";
    const thrown = thrownBy(() => addon.monteCarlo(...args));
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as { code?: string }).code).toBe(code);
    const rejected = await rejectionOf(addon.monteCarloAsync(...args));
    expect((rejected as { code?: string }).code).toBe(code);
    expect((rejected as Error).message).toBe((thrown as Error).message.replace("monteCarlo:", "monteCarloAsync:"));
  });

  it("arrays over resizable and growable buffers give the results of ordinary ones, sync and async", async () => {
    const params = { samples: 100, seed: 0, firstEvaluation: 0 };
    const expected = reference(c, params);
    const cases = [
      { name: "scores", array: resizable(n * 60), source: c.input.scores },
      { name: "stds", array: growable(n * 60), source: c.input.stds },
      { name: "score", array: resizable(n * 10), source: c.score },
    ] as const;
    for (const { name, array, source } of cases) {
      array.set(source);
      for (const call of ["sync", "async"] as const) {
        const out = blankInterval(n);
        const r = { ...mcRequest(c, out, params, "scalar", 1), [name]: array };
        expectRun(call === "sync" ? addon.monteCarlo(...monteCarloArgs(r)) : await addon.monteCarloAsync(...monteCarloArgs(r)), r);
        expectIdentical(out, expected, `${call} with ${name} resizable`);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe("async calls whose buffers are detached while they run (SPEC §7)", () => {
  // N-API cannot pin a buffer: async calls work on copies of arrays over ordinary buffers, so a
  // transfer during the call frees nothing they use; results go back to an output only if it is
  // still there.
  const detach = (buffer: ArrayBufferLike): ArrayBuffer => structuredClone(buffer as ArrayBuffer, { transfer: [buffer as ArrayBuffer] });

  it("monteCarloAsync with an input transferred meanwhile resolves with the results of the values it copied", async () => {
    const n = 400;
    const input = makeInput(n, 31, true);
    const c = caseOf(input);
    const params = { samples: 1000, seed: 1, firstEvaluation: 0 };
    const expected = reference(caseOf(makeInput(n, 31, true)), params);
    const out = blankInterval(n);
    const r = mcRequest(c, out, params, info.bestIsa, 2);
    const pending = addon.monteCarloAsync(...monteCarloArgs(r));
    const moved = new Float64Array(detach(input.scores.buffer));
    moved.fill(Number.NaN); // the memory the call does not use
    expectRun(await pending, r);
    expectIdentical(out, expected, "input transferred during the call");
  });

  it("aggregateAsync with an output transferred meanwhile rejects with E_BUFFER_DETACHED and writes nothing", async () => {
    const n = 200_000;
    const input = makeInput(n, 33, false);
    const out = allocateOutput(n);
    out.score.fill(-7);
    const aggregateRequest = (size: number, o: typeof out, isa: NativeIsa, threads: number) => ({
      scores: input.scores.subarray(0, size * 60), stds: input.stds.subarray(0, size * 60), weights: input.weights, evaluations: size,
      thresholds: Float64Array.from(THRESHOLDS), score: o.score, std: o.std, ciLow: o.ciLow, ciHigh: o.ciHigh, quality: o.quality,
      stats: new Float64Array(STATS_LENGTH), isa, threads, check: false,
    });
    const pending = addon.aggregateAsync(...aggregateArgs(aggregateRequest(n, out, info.bestIsa, 2)));
    const moved = new Float64Array(detach(out.ciHigh.buffer));
    moved.fill(5);
    const error = await rejectionOf(pending);
    expect((error as { code?: string }).code).toBe("E_BUFFER_DETACHED");
    expect((error as Error).message).toMatch(/aggregateAsync: output ciHigh was detached/);
    expect(moved.every((x) => x === 5)).toBe(true);
    expect(out.score.every((x) => x === -7)).toBe(true);

    const fresh = allocateOutput(1);
    const request = aggregateRequest(1, fresh, "scalar", 1);
    const result = await addon.aggregateAsync(...aggregateArgs(request));
    expect(result).toEqual({ bad: null, outputs: null });
    expect(isaRan(request.stats)).toBe("scalar");
  });
});
