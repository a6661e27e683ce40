import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { isasToTest } from "../support/isas.js";
import { thrownBy } from "../support/errors.js";
import { allocateOutput, type KernelOutput, type ThresholdTriple } from "../../src/core/kernel-io.js";
import { aggregateColumnsJs } from "../../src/kernels/kernel.js";
import { isaRan, loadNativeAddon, NATIVE_FUNCTIONS, PACKAGE_ROOT, STATS_BUSY_MS, STATS_LENGTH, STATS_THREADS, STATS_WALL_MS, type NativeBadSlots, type NativeIsa } from "../../src/backend/native-addon.js";
import { aggregateArgs, type NativeAggregateArgs, type NativeAggregateRequest } from "../../src/backend/native-abi.js";
import { expectSameColumns, nextDown, nextUp, rng } from "../support/float.js";

// No skipping: when the addon cannot be loaded, this throws and the whole file fails with it.
const addon = loadNativeAddon();
const info = addon.info();
const ISAS: NativeIsa[] = isasToTest("native kernel", info.supportedIsas);
const DEFAULT_THRESHOLDS: ThresholdTriple = [2.55, 2.1, 1.65];

// ---------------------------------------------------------------------------------------------
// Data: a deterministic mix of random values and edge values.

const SUBNORMALS = [Number.MIN_VALUE, 2.2250738585072009e-308, 1e-310, 3 * Number.MIN_VALUE];
const SCORE_EDGES = [
  0, -0, 3, nextDown(3), 1.5, 1, 2,
  ...[2.55, 2.1, 1.65].flatMap((t) => [t, nextDown(t), nextUp(t)]),
  ...SUBNORMALS,
];
const STD_EDGES = [0, -0, 1e-300, 1e150, 1e200, 0.5, 3, ...SUBNORMALS];

interface Dataset {
  readonly n: number;
  readonly scores: Float64Array;
  readonly stds: Float64Array;
  readonly sharedWeights: Float64Array;
  readonly weights: Float64Array; // per evaluation
}

/** Six weights of one area with sum > 0 and <= DBL_MAX/4: random scales, zeros, subnormals. */
function areaWeights(r: () => number, out: Float64Array, at: number): void {
  const kind = r();
  for (let d = 0; d < 6; d++) {
    const u = r();
    let w: number;
    if (kind < 0.4) w = u * 2;
    else if (kind < 0.5) w = 1;
    else if (kind < 0.6) w = u < 0.5 ? 0 : u * 10; // zeros
    else if (kind < 0.7) w = Math.floor(u * 5); // small integers, zeros
    else if (kind < 0.8) w = u < 0.5 ? SUBNORMALS[Math.floor(u * 8)]! : u;
    else if (kind < 0.9) w = 10 ** (Math.floor(u * 600) - 300); // 1e-300 .. 1e299
    else w = u * 1e300;
    out[at + d] = w;
  }
  let sum = 0;
  for (let d = 0; d < 6; d++) sum += out[at + d]!;
  if (!(sum > 0)) out[at + Math.floor(r() * 6)] = 0.5;
}

function makeDataset(n: number, seed: number): Dataset {
  const r = rng(seed);
  const scores = new Float64Array(n * 60);
  const stds = new Float64Array(n * 60);
  for (let i = 0; i < n * 60; i++) {
    const u = r();
    scores[i] = u < 0.25 ? SCORE_EDGES[Math.floor(r() * SCORE_EDGES.length)]! : r() * 3;
    const v = r();
    stds[i] = v < 0.2 ? STD_EDGES[Math.floor(r() * STD_EDGES.length)]! : v < 0.3 ? 0 : r();
  }
  // Whole areas on an edge: six equal scores (exactly that score back), six zeros (+0, never -0).
  for (let e = 0; e < n; e += 7) {
    const a = e % 10;
    const value = SCORE_EDGES[e % SCORE_EDGES.length]!;
    for (let d = 0; d < 6; d++) scores[e * 60 + a * 6 + d] = value;
    if (e % 3 === 0) for (let d = 0; d < 6; d++) stds[e * 60 + a * 6 + d] = 0;
  }
  const sharedWeights = new Float64Array(60);
  for (let a = 0; a < 10; a++) areaWeights(r, sharedWeights, a * 6);
  const weights = new Float64Array(n * 60);
  for (let g = 0; g < n * 10; g++) areaWeights(r, weights, g * 6);
  return { n, scores, stds, sharedWeights, weights };
}

const BIG = makeDataset(100_017, 20240601);

// ---------------------------------------------------------------------------------------------
// Helpers

/** Outputs carved from one buffer at an element offset, so alignment varies between cases. */
function outputsAt(n: number, offset: number): KernelOutput {
  const m = n * 10 + offset;
  const stride = Math.ceil(m / 8) * 8; // 64-byte steps between the four double outputs
  const buffer = new Float64Array(stride * 4);
  buffer.fill(Number.NaN);
  const quality = new Uint8Array(m);
  quality.fill(255);
  return {
    score: buffer.subarray(offset, offset + n * 10),
    std: buffer.subarray(stride + offset, stride + offset + n * 10),
    ciLow: buffer.subarray(2 * stride + offset, 2 * stride + offset + n * 10),
    ciHigh: buffer.subarray(3 * stride + offset, 3 * stride + offset + n * 10),
    quality: quality.subarray(offset),
  };
}

interface Case {
  readonly scores: Float64Array;
  readonly stds: Float64Array;
  readonly weights: Float64Array;
  readonly n: number;
  readonly thresholds: ThresholdTriple;
}

function caseOf(data: Dataset, start: number, n: number, perEvaluation: boolean, thresholds = DEFAULT_THRESHOLDS): Case {
  return {
    scores: data.scores.subarray(start * 60, (start + n) * 60),
    stds: data.stds.subarray(start * 60, (start + n) * 60),
    weights: perEvaluation ? data.weights.subarray(start * 60, (start + n) * 60) : data.sharedWeights,
    n,
    thresholds,
  };
}

function reference(c: Case): KernelOutput {
  const out = allocateOutput(c.n);
  aggregateColumnsJs({ scores: c.scores, stds: c.stds, weights: c.weights, evaluations: c.n }, c.thresholds, out);
  return out;
}

/** The call's request, with `stats` of its own (the run's threads and times land there). */
function request(c: Case, out: KernelOutput, isa: NativeIsa, threads: number, options: { check?: boolean; minChunk?: number | undefined } = {}): NativeAggregateRequest {
  return {
    scores: c.scores, stds: c.stds, weights: c.weights, evaluations: c.n, thresholds: Float64Array.from(c.thresholds),
    score: out.score, std: out.std, ciLow: out.ciLow, ciHigh: out.ciHigh, quality: out.quality,
    stats: new Float64Array(STATS_LENGTH), isa, threads, check: options.check ?? false, minChunk: options.minChunk,
  };
}

const aggregate = (r: NativeAggregateRequest): NativeBadSlots | null => addon.aggregate(...aggregateArgs(r));
const aggregateAsync = async (r: NativeAggregateRequest): Promise<NativeBadSlots | null> => (await addon.aggregateAsync(...aggregateArgs(r))).bad;

/** Object.is on every output number; reports the first difference precisely. */
function expectIdentical(actual: KernelOutput, expected: KernelOutput, label: string): void {
  expectSameColumns(actual, expected, ["score", "std", "ciLow", "ciHigh", "quality"], label);
}

/** A clean run: no bad slots, and stats the call wrote (the ISA it was given, threads within what it was given). */
function expectRun(bad: NativeBadSlots | null, r: NativeAggregateRequest): void {
  expect(bad).toBeNull();
  expect(isaRan(r.stats)).toBe(r.isa);
  expect(r.stats[STATS_THREADS]).toBeGreaterThanOrEqual(1);
  expect(r.stats[STATS_THREADS]).toBeLessThanOrEqual(r.threads);
  expect(r.stats[STATS_BUSY_MS]).toBeGreaterThanOrEqual(0);
  expect(r.stats[STATS_WALL_MS]).toBeGreaterThanOrEqual(0);
}

/** Every bad slot of the columns by a plain scan, as the kernel records them: [slot, "score" | "std", value], capped at 100. */
function scanBad(scores: Float64Array, stds: Float64Array): [number, string, number][] {
  const found: [number, string, number][] = [];
  for (let i = 0; i < scores.length; i++) {
    if (!(scores[i]! >= 0 && scores[i]! <= 3)) found.push([i, "score", scores[i]!]);
    if (!(stds[i]! >= 0 && stds[i]! <= 1e50)) found.push([i, "std", stds[i]!]);
  }
  return found.slice(0, 100);
}

/** A case whose stds are all within SPEC §3's bound (the dataset's edges go beyond it, for the arithmetic). */
function checkable(c: Case): Case {
  return { ...c, stds: c.stds.map((x) => (x > 1e50 ? 1e50 : x)) };
}

function recorded(bad: NativeBadSlots | null): [number, string, number][] {
  return bad === null ? [] : bad.slots.map((slot, k) => [slot, bad.isStd[k] ? "std" : "score", bad.values[k]!]);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return (error as { code?: string }).code;
  }
  return undefined;
}

// Batch sizes crossing SIMD widths (4, 8) and, with minChunk 1..2 and 2 threads, chunk boundaries.
const SIZES = [1, 2, 7, 8, 9, 15, 16, 17, 100, 1000, 4097, 100_000];

// ---------------------------------------------------------------------------------------------

describe("native addon", () => {
  it("describes itself", () => {
    expect(Object.keys(addon).sort()).toEqual([...NATIVE_FUNCTIONS].sort());
    expect(info.supportedIsas.at(-1)).toBe("scalar");
    expect(info.bestIsa).toBe(info.supportedIsas[0]);
    expect(typeof info.version).toBe("string");
    expect(info.hardwareThreads).toBeGreaterThanOrEqual(1);
    expect(info.poolThreads).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(PACKAGE_ROOT, "package.json"))).toBe(true);
  });

  describe.each(ISAS)("%s kernel is bit-identical to aggregateColumnsJs", (isa) => {
    for (const perEvaluation of [false, true]) {
      const weightsLabel = perEvaluation ? "per-evaluation" : "shared";
      it(`${weightsLabel} weights, sync, 1 and 2 threads, every batch size`, () => {
        let start = 0;
        for (const n of SIZES) {
          const c = caseOf(BIG, start % 17, n, perEvaluation);
          const expected = reference(c);
          for (const threads of [1, 2]) {
            // minChunk 1 splits even tiny batches, so chunk boundaries fall inside SIMD blocks.
            for (const minChunk of threads === 1 ? [undefined] : [1, 3, undefined]) {
              for (const offset of [0, 1, 3]) {
                const out = outputsAt(n, offset);
                const r = request(c, out, isa, threads, { minChunk });
                expectRun(aggregate(r), r);
                expectIdentical(out, expected, `${isa} ${weightsLabel} n=${n} threads=${threads} minChunk=${minChunk} offset=${offset}`);
              }
            }
          }
          start += 1;
        }
      });

      it(`${weightsLabel} weights, async, 1 and 2 threads`, async () => {
        for (const n of SIZES) {
          const c = caseOf(BIG, 5, n, perEvaluation);
          const expected = reference(c);
          for (const threads of [1, 2]) {
            const out = outputsAt(n, 0);
            const r = request(c, out, isa, threads, { minChunk: threads === 2 ? 2 : undefined });
            expectRun(await aggregateAsync(r), r);
            expectIdentical(out, expected, `${isa} async ${weightsLabel} n=${n} threads=${threads}`);
          }
        }
      });
    }

    it("other thresholds, including equal and non-monotonic ones", () => {
      for (const thresholds of [[2.5, 2.5, 0], [3, 0, 0], [1, 2, 0.5], [nextUp(2.55), 2.1, nextDown(1.65)]] as ThresholdTriple[]) {
        const c = caseOf(BIG, 11, 1000, false, thresholds);
        const out = outputsAt(1000, 0);
        aggregate(request(c, out, isa, 2, { minChunk: 100 }));
        expectIdentical(out, reference(c), `${isa} thresholds ${thresholds.join(",")}`);
      }
    });

    it("the check pass leaves results unchanged on clean data", () => {
      const c = checkable(caseOf(BIG, 0, 4097, true));
      const out = outputsAt(4097, 0);
      const r = request(c, out, isa, 2, { check: true, minChunk: 1000 });
      expectRun(aggregate(r), r);
      expectIdentical(out, reference(c), `${isa} check on clean data`);
    });

    it("the check records every bad slot with the value it read, lowest indices first, across tasks", () => {
      const n = 3000;
      const base = checkable(caseOf(BIG, 0, n, false));
      const scores = base.scores.slice();
      const stds = base.stds.slice();
      scores[150_000] = Number.NaN;
      scores[100_001] = Number.POSITIVE_INFINITY;
      scores[170_000] = -1;
      scores[120_007] = 3.0000000000000004;
      scores[99] = -0; // legal
      stds[5] = -0; // legal
      stds[64_001] = Number.NEGATIVE_INFINITY;
      stds[90_000] = Number.NaN;
      stds[179_999] = -1e-300;
      stds[33] = 1e50; // legal: MAX_STD
      stds[34] = 1.0000000000000002e50; // above MAX_STD
      stds[100_001] = 2e300; // after the score of the same slot
      const c = { ...base, scores, stds };
      const expected = scanBad(scores, stds);
      expect(expected).toHaveLength(9);
      for (const threads of [1, 2]) {
        for (const minChunk of [1, 500, undefined]) {
          const bad = aggregate(request(c, outputsAt(n, 0), isa, threads, { check: true, minChunk }));
          expect(recorded(bad), `${threads} threads, minChunk ${minChunk}`).toEqual(expected);
          expect(bad!.truncated).toBe(false);
        }
      }
      expect(aggregate(request(c, outputsAt(n, 0), isa, 1))).toBeNull();
    });

    it("the check keeps the lowest MAX_ISSUES bad slots over every task and says there were more", () => {
      const n = 4000;
      const base = checkable(caseOf(BIG, 0, n, false));
      const scores = base.scores.slice();
      for (let i = 7; i < scores.length; i += 997) scores[i] = -2; // ~240 bad slots spread over every task
      const expected = scanBad(scores, base.stds);
      for (const threads of [1, 2]) {
        const bad = aggregate(request({ ...base, scores }, outputsAt(n, 0), isa, threads, { check: true, minChunk: 64 }));
        expect(recorded(bad)).toEqual(expected);
        expect(bad!.truncated).toBe(true);
      }
    });
  });

  it("check finds single bad values anywhere, agreeing with a plain scan", () => {
    const n = 257;
    const base = checkable(caseOf(BIG, 3, n, false));
    const r = rng(7);
    const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1e-320, 3.5, -0.1];
    for (let trial = 0; trial < 60; trial++) {
      const scores = base.scores.slice();
      const stds = base.stds.slice();
      for (let k = 0; k < 3; k++) {
        const target = r() < 0.5 ? scores : stds;
        target[Math.floor(r() * n * 60)] = bad[Math.floor(r() * bad.length)]!;
      }
      const expected = scanBad(scores, stds);
      for (const isa of ISAS) {
        const bad = aggregate(request({ ...base, scores, stds }, outputsAt(n, 0), isa, 2, { check: true, minChunk: 7 }));
        expect(recorded(bad), `${isa} trial ${trial}`).toEqual(expected);
      }
    }
  });

  it("rejects bad arguments with coded errors (sync throws, async rejects)", async () => {
    const c = caseOf(BIG, 0, 10, false);
    const out = outputsAt(10, 0);
    const good = request(c, out, "scalar", 1);
    const bad = (name: keyof NativeAggregateRequest, value: unknown): NativeAggregateArgs =>
      aggregateArgs({ ...good, [name]: value } as NativeAggregateRequest);
    const cases: [string, NativeAggregateArgs][] = [
      ["scores as a plain array", bad("scores", Array.from(c.scores))],
      ["scores as Float32Array", bad("scores", new Float32Array(600))],
      ["scores null", bad("scores", null)],
      ["stds too short", bad("stds", new Float64Array(599))],
      ["weights of length 61", bad("weights", new Float64Array(61))],
      ["n fractional", bad("evaluations", 10.5)],
      ["n negative", bad("evaluations", -1)],
      ["n as a string", bad("evaluations", "10")],
      ["n not matching the lengths", bad("evaluations", 9)],
      ["thresholds of length 2", bad("thresholds", new Float64Array(2))],
      ["score output too long", bad("score", new Float64Array(101))],
      ["one output null, the others not", bad("std", null)],
      ["quality as Uint8ClampedArray", bad("quality", new Uint8ClampedArray(100))],
      ["quality as Int8Array", bad("quality", new Int8Array(100))],
      ["stats of length 2", bad("stats", new Float64Array(2))],
      ["unknown isa", bad("isa", "sse2")],
      ["isa not a string", bad("isa", 2)],
      ["threads 0", bad("threads", 0)],
      ["threads 257", bad("threads", 257)],
      ["threads fractional", bad("threads", 1.5)],
      ["check not a boolean", bad("check", 1)],
      ["minChunk 0", bad("minChunk", 0)],
      ["too few arguments", aggregateArgs(good).slice(0, 13) as unknown as NativeAggregateArgs],
    ];
    for (const [label, bogus] of cases) {
      expect(codeOf(() => addon.aggregate(...bogus)), label).toBe("E_NATIVE_ARGS");
      await expect(addon.aggregateAsync(...bogus), label).rejects.toMatchObject({ code: "E_NATIVE_ARGS" });
    }
    // Outputs sharing memory: their own code, naming both arguments.
    const overlaps: [string, NativeAggregateArgs, string, string][] = [
      ["std output aliasing score output", bad("std", out.score), "std", "score"],
      ["ciLow overlapping scores", bad("ciLow", new Float64Array(c.scores.buffer, c.scores.byteOffset, 100)), "ciLow", "scores"],
    ];
    for (const [label, bogus, argument, other] of overlaps) {
      expect(thrownBy(() => addon.aggregate(...bogus)), label).toMatchObject({ code: "E_NATIVE_OVERLAP", argument, other });
      await expect(addon.aggregateAsync(...bogus), label).rejects.toMatchObject({ code: "E_NATIVE_OVERLAP", argument, other });
    }
    expect(codeOf(() => addon.setPoolSize(0))).toBe("E_NATIVE_ARGS");
    expect(codeOf(() => addon.setPoolSize(1.5))).toBe("E_NATIVE_ARGS");
    for (const bytes of [0.5, Number.NaN, Infinity, 2 ** 60, "1", undefined]) {
      expect(codeOf(() => addon.adjustExternalMemory(bytes as number)), String(bytes)).toBe("E_NATIVE_ARGS");
    }
    // Nothing was written by the rejected calls.
    expect(out.quality.every((q) => q === 255)).toBe(true);
    for (const isa of ["avx2", "avx512"] as const) {
      if (info.supportedIsas.includes(isa)) {
        expect(addon.aggregate(...bad("isa", isa))).toBeNull();
        expect(isaRan(good.stats)).toBe(isa);
      } else {
        expect(codeOf(() => addon.aggregate(...bad("isa", isa)))).toBe("E_ISA_UNSUPPORTED");
        await expect(addon.aggregateAsync(...bad("isa", isa))).rejects.toMatchObject({ code: "E_ISA_UNSUPPORTED" });
      }
    }
  });

  it("async outputs left null: the call hands over five buffers holding the results", async () => {
    for (const n of [1, 17, 20_000]) {
      const c = caseOf(BIG, 3, n, true);
      const none = { score: null, std: null, ciLow: null, ciHigh: null, quality: null };
      const r = { ...request(c, outputsAt(n, 0), info.bestIsa, 2), ...none };
      const { bad, outputs } = await addon.aggregateAsync(...aggregateArgs(r));
      expect(bad).toBeNull();
      const [score, std, ciLow, ciHigh, quality] = outputs!;
      const handed = { score: new Float64Array(score), std: new Float64Array(std), ciLow: new Float64Array(ciLow), ciHigh: new Float64Array(ciHigh), quality: new Uint8Array(quality) };
      expectIdentical(handed, reference(c), `handed n=${n}`);
    }
  });

  it("n = 0 is a no-op", () => {
    const empty = new Float64Array(0);
    const c: Case = { scores: empty, stds: empty, weights: new Float64Array(60), n: 0, thresholds: DEFAULT_THRESHOLDS };
    const out = { score: empty, std: new Float64Array(0), ciLow: new Float64Array(0), ciHigh: new Float64Array(0), quality: new Uint8Array(0) };
    expect(aggregate(request(c, out, "scalar", 2, { check: true }))).toBeNull();
  });

  it("adjusts V8's count of external memory and returns the new total", () => {
    // A collection between two calls may move the total by itself: one of three tries is enough.
    const moves = [0, 1, 2].map(() => {
      const before = addon.adjustExternalMemory(0);
      const after = addon.adjustExternalMemory(1 << 20);
      addon.adjustExternalMemory(-(1 << 20));
      return after - before;
    });
    expect(moves).toContain(1 << 20);
  });

  it("resizes the pool", () => {
    expect(addon.setPoolSize(3)).toBe(3);
    expect(addon.info().poolThreads).toBe(3);
    expect(addon.setPoolSize(1)).toBe(1);
    expect(addon.info().poolThreads).toBe(1);
    // A call asking for more threads grows the pool lazily.
    const c = caseOf(BIG, 0, 4097, false);
    const out = outputsAt(4097, 0);
    aggregate(request(c, out, "scalar", 2, { minChunk: 1 }));
    expect(addon.info().poolThreads).toBe(2);
    expectIdentical(out, reference(c), "after resize");
  });

  it("runs concurrent async and sync calls on one pool", async () => {
    const jobs = ISAS.flatMap((isa, k) => [false, true].map((perEvaluation) => ({ isa, c: caseOf(BIG, 1000 * k, 20_000, perEvaluation) })));
    const outs = jobs.map(() => outputsAt(20_000, 0));
    const requests = jobs.map(({ isa, c }, j) => request(c, outs[j]!, isa, 2, { minChunk: 1000 }));
    const pending = requests.map(aggregateAsync);
    const syncCase = caseOf(BIG, 77, 5000, true);
    const syncOut = outputsAt(5000, 0);
    aggregate(request(syncCase, syncOut, info.bestIsa, 2, { minChunk: 100 }));
    expectIdentical(syncOut, reference(syncCase), "sync during async");
    const results = await Promise.all(pending);
    results.forEach((bad, j) => {
      expectRun(bad, requests[j]!);
      expectIdentical(outs[j]!, reference(jobs[j]!.c), `concurrent ${jobs[j]!.isa} #${j}`);
    });
  });

  it("keeps the typed arrays of an async call alive after JS drops them", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const n = 60_000;
    const expected = reference(caseOf(BIG, 0, n, true));
    const start = (): { done: Promise<NativeBadSlots | null>; r: NativeAggregateRequest; out: KernelOutput } => {
      // Private copies that nothing but the native call references once this function returns.
      const c: Case = {
        scores: BIG.scores.slice(0, n * 60),
        stds: BIG.stds.slice(0, n * 60),
        weights: BIG.weights.slice(0, n * 60),
        n,
        thresholds: DEFAULT_THRESHOLDS,
      };
      const out = allocateOutput(n);
      const r = request(c, out, "scalar", 1);
      return { done: aggregateAsync(r), r, out };
    };
    const { done, r, out } = start();
    let garbage = 0;
    for (let i = 0; i < 50; i++) {
      garbage += new Float64Array(1 << 20).length; // 8 MiB each
      if (i % 10 === 0) gc();
    }
    gc();
    const bad = await done;
    expect(garbage).toBeGreaterThan(0);
    expectRun(bad, r);
    expectIdentical(out, expected, "async after GC");
  });

  it("loads in several worker threads and survives terminating one mid-call", async () => {
    const source = `
      const { parentPort, workerData } = require("node:worker_threads");
      const addon = require(workerData.nodeGypBuild)(workerData.root);
      const { argumentsOf } = require(workerData.abi);
      const n = workerData.n;
      const scores = new Float64Array(n * 60).fill(1.5), stds = new Float64Array(n * 60).fill(0.25);
      const w = new Float64Array(60).fill(1), th = Float64Array.from([2.55, 2.1, 1.65]);
      const o = [0, 1, 2, 3].map(() => new Float64Array(n * 10)), q = new Uint8Array(n * 10);
      (async () => {
        for (let i = 0; i < workerData.rounds; i++) {
          const request = { scores, stds, weights: w, evaluations: n, thresholds: th, score: o[0], std: o[1], ciLow: o[2], ciHigh: o[3], quality: q, stats: new Float64Array(workerData.statsLength), isa: "scalar", threads: 2, check: false };
          await addon.aggregateAsync(...argumentsOf("aggregate", request));
          if (i === 0) parentPort.postMessage("running");
        }
        parentPort.postMessage({ score: o[0][n * 10 - 1], std: o[1][0], quality: q[5] });
      })();`;
    const nodeGypBuild = createRequire(import.meta.url).resolve("node-gyp-build");
    const spawn = (rounds: number) =>
      new Worker(source, { eval: true, workerData: { root: PACKAGE_ROOT, nodeGypBuild, abi: join(PACKAGE_ROOT, "scripts", "abi.cjs"), statsLength: STATS_LENGTH, n: 50_000, rounds } });
    // Both listen from the start: a worker's message with no listener yet is dropped, and on a
    // busy machine the survivor may finish its rounds before the victim has run one.
    const victim = spawn(1000);
    const victimRunning = new Promise<void>((resolve, reject) => {
      victim.once("message", () => resolve());
      victim.once("error", reject);
    });
    const survivor = spawn(3);
    const finished = new Promise((resolve, reject) => {
      survivor.on("message", (m) => (m === "running" ? undefined : resolve(m)));
      survivor.once("error", reject);
    });
    await victimRunning;
    await victim.terminate(); // mid-flight: an async call is running or queued
    expect(await finished).toEqual({ score: 1.5, std: jsStdOfUniformArea(), quality: 0 });
    await survivor.terminate();
    // The main thread's addon is unaffected.
    const c = caseOf(BIG, 0, 100, false);
    const out = outputsAt(100, 0);
    aggregate(request(c, out, info.bestIsa, 2));
    expectIdentical(out, reference(c), "after workers");
  });
});

/** The std of six dimensions of std 0.25 with unit weights, by the JS kernel. */
function jsStdOfUniformArea(): number {
  const out = allocateOutput(1);
  aggregateColumnsJs(
    { scores: new Float64Array(60).fill(1.5), stds: new Float64Array(60).fill(0.25), weights: new Float64Array(60).fill(1), evaluations: 1 },
    DEFAULT_THRESHOLDS,
    out,
  );
  return out.std[0]!;
}
