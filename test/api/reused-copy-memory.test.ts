/**
 * An async call over ordinary (not shared) arrays works on copies of them (SPEC §7),
 * and the native backend keeps large copy blocks for later calls (native/copy_memory.cc). Whatever
 * earlier calls left in that memory — other numbers, more evaluations, per-evaluation weights,
 * other outputs — each call's results are exactly those of the same call over
 * SharedArrayBuffer columns, which runs in place on the caller's memory without any copy.
 */
import { describe, expect, it } from "vitest";
import { allocateSharedColumns, HighPerformanceAreaAggregator, type ColumnOutputs, type ColumnsResult } from "../../src/index.js";
import { rng } from "../support/float.js";

const aggregator = new HighPerformanceAreaAggregator();

interface Call {
  readonly n: number;
  readonly seed: number;
  /** Weights of its own for every evaluation (another n*60 copy). */
  readonly perEvaluationWeights: boolean;
  /** Ordinary arrays the caller supplies as outputs (copied out at the end), else default ones. */
  readonly plainOutputs: boolean;
}

// Copies from 64 KiB are kept (huge-page blocks from 4 MiB), and from 8 MiB (scores and stds
// from n ≈ 17,500) they are copied on two threads. Each call is smaller than, or as large
// as, one before it, so it gets memory an earlier call wrote: outputs of n = 20,000 (1.6 MB
// each) get what those of n = 40,000 left. (n = 12,000 runs synchronously, in place: below
// 16,384 evaluations no call copies.)
const CALLS: readonly Call[] = [
  { n: 80_000, seed: 1, perEvaluationWeights: true, plainOutputs: true },
  { n: 72_000, seed: 2, perEvaluationWeights: false, plainOutputs: true },
  { n: 40_000, seed: 3, perEvaluationWeights: true, plainOutputs: true },
  { n: 20_000, seed: 4, perEvaluationWeights: false, plainOutputs: true },
  { n: 80_000, seed: 5, perEvaluationWeights: false, plainOutputs: false },
  { n: 12_000, seed: 6, perEvaluationWeights: false, plainOutputs: false },
];

function randomColumn(length: number, scale: number, random: () => number): Float64Array {
  const column = new Float64Array(length);
  for (let i = 0; i < length; i++) column[i] = random() * scale;
  return column;
}

function plainOutputs(n: number): ColumnOutputs {
  const rows = n * 10;
  return { score: new Float64Array(rows), std: new Float64Array(rows), ciLow: new Float64Array(rows), ciHigh: new Float64Array(rows), quality: new Uint8Array(rows) };
}

const bytes = (view: ArrayBufferView) => Buffer.from(view.buffer, view.byteOffset, view.byteLength);

function expectSameResults(actual: ColumnsResult, expected: ColumnsResult, label: string): void {
  for (const key of ["score", "std", "ciLow", "ciHigh", "quality"] as const) {
    expect(bytes(actual[key]).equals(bytes(expected[key])), `${label}: ${key}`).toBe(true);
  }
}

describe("async calls over ordinary arrays, one after another", () => {
  it("give each call the results of the same call made in place, whatever earlier calls left behind", async () => {
    for (const call of CALLS) {
      const random = rng(call.seed);
      const slots = call.n * 60;
      const scores = randomColumn(slots, 3, random);
      const stds = randomColumn(slots, 0.5, random);
      const weights = call.perEvaluationWeights ? randomColumn(slots, 1, random).map((w) => w + 0.01) : undefined;
      const label = `n = ${call.n}, seed ${call.seed}`;

      const shared = allocateSharedColumns(call.n);
      shared.scores.set(scores);
      shared.stds.set(stds);
      const inPlace = await aggregator.aggregateColumns({ scores: shared.scores, stds: shared.stds, weights });

      const outputs = call.plainOutputs ? plainOutputs(call.n) : undefined;
      const copied = await aggregator.aggregateColumns({ scores, stds, weights }, outputs);
      expectSameResults(copied, inPlace, label);
      if (outputs !== undefined) expect(copied.score, label).toBe(outputs.score);
    }
  });
});
