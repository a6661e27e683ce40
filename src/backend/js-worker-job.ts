import { AREA_COUNT } from "../core/constants.js";
import { AggregationError } from "../core/errors.js";
import type { KernelOutput } from "../core/kernel-io.js";
import type { KernelRun } from "../core/metrics.js";
import { copyInto, isShared, viewLength } from "../core/typed-views.js";
import type { FreshJob, FreshRun } from "./dispatcher.js";
import type { WorkerReply, WorkerTask } from "./js-worker-task.js";
import { runOnWorker } from "./js-worker-pool.js";
import { copyOutputs } from "./outputs.js";
import { keepTransferBuffers, takeTransferBuffer } from "./transfer-memory.js";

/**
 * A JS backend job on a worker thread, under the memory rules of docs/contract.md §7, as native's async calls:
 * the worker reads copies of the inputs and writes outputs of its own, copied into the caller's
 * at the end, or, for a call without `outputs`, given to the caller. Every one of those is an
 * ordinary ArrayBuffer transferred to the worker and back (js-worker.ts), so the worker keeps
 * nothing of a call once it settles; buffers that come back are kept for later jobs
 * (transfer-memory.ts), the outputs a caller receives are theirs, counted and collected by V8.
 *
 * Inputs over ordinary ArrayBuffers are copied when the call starts (the caller may change or
 * detach them as soon as it regains control); inputs over SharedArrayBuffers, which the caller
 * keeps unchanged during the call, are copied when a worker takes the job, so a job waiting in
 * line holds no copy of them. A call cancelled while it waits is dropped from the line unposted
 * (js-worker-pool.ts); one cancelled while it runs stops at its worker's next chunk. A
 * cancelled job rejects with AggregationError E_CANCELLED.
 */

/** `job` on a worker, into new outputs that the caller receives (Kernel.runAsyncFresh). */
export async function runFreshOnWorker(job: FreshJob, control: Int32Array, clean: KernelRun, dirty: KernelRun): Promise<FreshRun> {
  const reply = await runOnWorker(taskOf(job, control, () => null), control);
  const run = outcome(reply, job, clean, dirty);
  keepTransferBuffers(reply.returned);
  return { run, out: "out" in reply && reply.out !== null ? reply.out : undefined };
}

/** `job` on a worker, its results copied into `out` (Kernel.runAsync). */
export async function runOnWorkerInto(job: FreshJob, out: KernelOutput, control: Int32Array, clean: KernelRun, dirty: KernelRun): Promise<KernelRun> {
  const reply = await runOnWorker(taskOf(job, control, () => transferOutputs(job.input.evaluations)), control);
  try {
    const run = outcome(reply, job, clean, dirty);
    if (run === clean) copyOutputs((reply as { out: KernelOutput }).out, out);
    return run;
  } finally {
    keepTransferBuffers(reply.returned);
  }
}

/** The task of `job`, built when a worker takes it (js-worker-pool.ts); ordinary inputs are copied now. */
function taskOf(job: FreshJob, control: Int32Array, outputs: () => KernelOutput | null): () => WorkerTask {
  const { scores, stds, weights, evaluations } = job.input;
  const readScores = reader(scores);
  const readStds = stds === scores ? undefined : reader(stds);
  const readWeights = reader(weights);
  return () => ({
    scores: readScores(),
    stds: readStds?.() ?? null,
    weights: readWeights(),
    evaluations,
    thresholds: job.thresholds,
    monteCarlo: job.monteCarlo,
    check: job.bad !== undefined,
    out: outputs(),
    control,
  });
}

/** The run a reply reports, its bad slots recorded in `job.bad`; throws for a failed or cancelled job. */
function outcome(reply: WorkerReply, job: FreshJob, clean: KernelRun, dirty: KernelRun): KernelRun {
  if ("error" in reply) throw new AggregationError("E_INTERNAL", `the JS kernel failed: ${reply.error}`);
  if (reply.cancelled) throw new AggregationError("E_CANCELLED", "the call was cancelled");
  if (reply.bad !== null) {
    const { bad } = job;
    reply.bad.slots.forEach((slot, i) => bad?.add(slot, reply.bad!.values[i]!, reply.bad!.isStd[i]!));
    if (bad !== undefined) bad.truncated ||= reply.bad.truncated;
    return dirty;
  }
  if (reply.out === null) throw new AggregationError("E_INTERNAL", "the JS backend's worker reported a clean run without outputs");
  return clean;
}

/**
 * What the worker gets of one input: a copy in a transfer buffer, made now for ordinary memory,
 * or when the job is posted for shared memory (see above).
 */
function reader(view: Float64Array): () => Float64Array {
  if (isShared(view)) return () => transferCopy(view);
  const copy = transferCopy(view);
  return () => copy;
}

function transferCopy(view: Float64Array): Float64Array {
  const copy = float64s(viewLength(view));
  copyInto(copy, view);
  return copy;
}

function float64s(length: number): Float64Array {
  return new Float64Array(takeTransferBuffer(length * Float64Array.BYTES_PER_ELEMENT), 0, length);
}

/** Outputs in transfer buffers, for results that are copied into the caller's. */
function transferOutputs(evaluations: number): KernelOutput {
  const rows = evaluations * AREA_COUNT;
  return { score: float64s(rows), std: float64s(rows), ciLow: float64s(rows), ciHigh: float64s(rows), quality: new Uint8Array(takeTransferBuffer(rows), 0, rows) };
}
