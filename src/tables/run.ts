import { performance } from "node:perf_hooks";
import type { HighPerformanceAreaAggregator } from "../aggregator.js";
import { AREA_COUNT, SLOTS_PER_EVALUATION } from "../core/constants.js";
import type { ColumnOutputs } from "../core/types.js";
import { allocateSharedOutputs } from "../core/kernel-io.js";
import type { PreparedWeights } from "../input/weights.js";
import { PlanGatherer, type GatherSettings, type PlanBlock, type PlanProblem } from "./gather.js";
import type { ResultBlock } from "./results.js";
import type { RowBatch } from "./rows.js";
import { textCodecFor } from "./text-codec.js";
import type { TableWriter } from "./writer.js";

export interface TableRunSettings extends GatherSettings {
  /** The 60 raw weights every plan shares. */
  readonly weights: PreparedWeights;
  /** Result blocks carry the plans' inputs (for outputs that echo them). */
  readonly inputs: boolean;
}

export interface TableRunSinks {
  readonly writer: TableWriter;
  /** A plan that is not aggregated (or a row that names none), in plan order. */
  problem(problem: PlanProblem): void;
  /** `count` more plans were handled (written or reported). */
  advance?(count: number): void;
}

/** Where a run's time went, in seconds (wall time on the JS thread; the kernel's own threads are inside "kernel"). */
export interface TablePhases {
  /** Reading and decoding the input into rows (parsing CSV, decoding Parquet and Arrow). */
  read: number;
  /** Gathering rows into plans (and checking their values). */
  reshape: number;
  kernel: number;
  /** Encoding and writing the results. */
  write: number;
}

export interface TableRunResult {
  readonly plans: number;
  /** Problems reported: plans not written, rows naming no plan, plans found bad after they were written. */
  readonly problems: number;
  /** The most plans open at once: the memory bound at work. */
  readonly peakOpen: number;
  readonly phases: TablePhases;
}

/**
 * A table aggregated end to end: rows gathered into plans, each block of plans aggregated with
 * `aggregateColumns` (its Monte-Carlo streams keyed by the plans' indices, first appearance
 * order), its good plans' results written, its bad plans reported. One block is in hand at a
 * time, so memory holds an input batch, the open plans and a block, whatever the table's size.
 */
export async function runTable(
  batches: AsyncIterable<RowBatch>,
  aggregator: HighPerformanceAreaAggregator,
  settings: TableRunSettings,
  sinks: TableRunSinks,
): Promise<TableRunResult> {
  // Keys are numbered by the aggregator's backend (natively on the native one).
  const gatherer = new PlanGatherer(settings, textCodecFor(aggregator.backend));
  const phases: TablePhases = { read: 0, reshape: 0, kernel: 0, write: 0 };
  const outputs = allocateSharedOutputs(settings.blockPlans);
  let plans = 0;
  let problems = 0;
  const handle = async (blocks: PlanBlock[]) => {
    for (const block of blocks) {
      for (const problem of block.late) sinks.problem(problem);
      problems += block.late.length + block.problems.size;
      let start = performance.now();
      const out = block.count - block.problems.size > 0 ? await aggregate(aggregator, block, settings.weights, outputs) : undefined;
      phases.kernel += (performance.now() - start) / 1000;
      start = performance.now();
      if (out !== undefined) await sinks.writer.write(goodResults(block, out, settings.inputs));
      phases.write += (performance.now() - start) / 1000;
      for (const [, problem] of [...block.problems].sort(([a], [b]) => a - b)) sinks.problem(problem);
      plans += block.count;
      sinks.advance?.(block.count);
      gatherer.recycle(block);
    }
  };
  const iterator = batches[Symbol.asyncIterator]();
  try {
    for (;;) {
      let start = performance.now();
      let next: IteratorResult<RowBatch>;
      try {
        next = await iterator.next();
      } catch (error) {
        // The input broke off: what was read is still aggregated (plans it cut short are reported), then the error stands.
        await handle(gatherer.finish());
        throw error;
      }
      phases.read += (performance.now() - start) / 1000;
      if (next.done) break;
      start = performance.now();
      const blocks = gatherer.add(next.value);
      phases.reshape += (performance.now() - start) / 1000;
      await handle(blocks);
    }
  } finally {
    // However the run ends (a write failed, --fail-fast), the reader lets go of its file (and its thread).
    await iterator.return?.();
  }
  await handle(gatherer.finish());
  const start = performance.now();
  await sinks.writer.end();
  phases.write += (performance.now() - start) / 1000;
  return { plans, problems, peakOpen: gatherer.peakOpen, phases };
}

/** The block's plans through the engine; `outputs` are views of the run's shared buffers. */
async function aggregate(aggregator: HighPerformanceAreaAggregator, block: PlanBlock, weights: PreparedWeights, outputs: ColumnOutputs): Promise<ColumnOutputs> {
  const cells = block.count * AREA_COUNT;
  const views: ColumnOutputs = {
    score: outputs.score.subarray(0, cells),
    std: outputs.std.subarray(0, cells),
    ciLow: outputs.ciLow.subarray(0, cells),
    ciHigh: outputs.ciHigh.subarray(0, cells),
    quality: outputs.quality.subarray(0, cells),
  };
  await aggregator.aggregateColumns({ scores: block.scores, stds: block.stds, weights: weights.vector, firstEvaluation: block.first }, views);
  return views;
}

/** The results of the block's good plans, bad plans left out (their slots held placeholder values). */
function goodResults(block: PlanBlock, out: ColumnOutputs, inputs: boolean): ResultBlock {
  const all = { plans: block.count, keys: block.keys, ...out, inputs: inputs ? { scores: block.scores, stds: block.stds } : undefined };
  if (block.problems.size === 0) return all;
  const good = Array.from({ length: block.count }, (_, e) => e).filter((e) => !block.problems.has(e));
  const pick = <T extends Float64Array | Uint8Array>(from: T, width: number): T => {
    const to = new (from.constructor as new (n: number) => T)(good.length * width);
    good.forEach((e, k) => to.set(from.subarray(e * width, (e + 1) * width), k * width));
    return to;
  };
  const offsets = new Int32Array(good.length + 1);
  const parts = good.map((e) => block.keys.bytes.subarray(block.keys.offsets[e]!, block.keys.offsets[e + 1]!));
  parts.forEach((part, k) => (offsets[k + 1] = offsets[k]! + part.length));
  return {
    plans: good.length,
    keys: { bytes: Buffer.concat(parts), offsets },
    score: pick(out.score, AREA_COUNT),
    std: pick(out.std, AREA_COUNT),
    ciLow: pick(out.ciLow, AREA_COUNT),
    ciHigh: pick(out.ciHigh, AREA_COUNT),
    quality: pick(out.quality, AREA_COUNT),
    inputs: inputs ? { scores: pick(block.scores, SLOTS_PER_EVALUATION), stds: pick(block.stds, SLOTS_PER_EVALUATION) } : undefined,
  };
}
