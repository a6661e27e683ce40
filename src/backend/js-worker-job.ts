import { AREA_COUNT } from "../core/constants.js";
import { AggregationError } from "../core/errors.js";
import type { KernelOutput } from "../core/kernel-io.js";
import { copyInto, isShared, viewLength } from "../core/typed-views.js";
import type { WorkerTask } from "./js-worker-task.js";
import { runOnWorker } from "./js-worker-pool.js";
import { monteCarloPass, type ControlledCall, type KernelResults } from "./kernel-call.js";
import { copyOutputs } from "./outputs.js";
import { keepTransferBuffers, takeTransferBuffer } from "./transfer-memory.js";

/**
 * A JS backend call on a worker thread, under the memory rules of docs/contract.md §7, as native's async calls:
 * the worker reads copies of the inputs and writes outputs of its own, copied into the call's
 * at the end, or, for a call whose outputs the engine provides, given to the caller. Every one
 * of those is an ordinary ArrayBuffer transferred to the worker and back (js-worker.ts), so the
 * worker keeps nothing of a call once it settles; buffers that come back are kept for later
 * calls (transfer-memory.ts), the outputs a caller receives are theirs, counted and collected by V8.
 *
 * Inputs over ordinary ArrayBuffers are copied when the call starts (the caller may change or
 * detach them as soon as it regains control); inputs over SharedArrayBuffers, which the caller
 * keeps unchanged during the call, are copied when a worker takes the job, so a job waiting in
 * line holds no copy of them. A call cancelled while it waits is dropped from the line unposted
 * (js-worker-pool.ts); one cancelled while it runs stops at its worker's next chunk. A
 * cancelled call rejects with AggregationError E_CANCELLED.
 */

/** `call` on a worker thread (JS_KERNEL.runOffThread). */
export async function runOnWorkerThread(call: ControlledCall): Promise<KernelResults> {
  const target = call.outputs.owner === "engine" ? undefined : call.outputs.out;
  const reply = await runOnWorker(taskOf(call), call.control);
  try {
    if ("error" in reply) throw new AggregationError("E_INTERNAL", `the JS kernel failed: ${reply.error}`);
    if (reply.cancelled) throw new AggregationError("E_CANCELLED", "the call was cancelled");
    if (reply.bad !== null) return { bad: reply.bad };
    if (reply.out === null) throw new AggregationError("E_INTERNAL", "the JS backend's worker reported a clean run without outputs");
    if (target === undefined) return { out: reply.out };
    copyOutputs(reply.out, target);
    return { out: target };
  } finally {
    keepTransferBuffers(reply.returned);
  }
}

/**
 * The task of `call`, built when a worker takes it (js-worker-pool.ts); ordinary inputs are
 * copied now. For a call with outputs the worker writes transfer buffers, to be copied into them;
 * else it allocates outputs, and they become the caller's.
 */
function taskOf(call: ControlledCall): () => WorkerTask {
  const { scores, stds, weights, evaluations } = call.input;
  const readScores = reader(scores);
  const readStds = stds === undefined ? undefined : reader(stds);
  const readWeights = reader(weights);
  return () => ({
    scores: readScores(),
    stds: readStds?.() ?? null,
    weights: readWeights(),
    evaluations,
    thresholds: call.thresholds,
    monteCarlo: monteCarloPass(call)?.params,
    check: call.check,
    out: call.outputs.owner === "engine" ? null : transferOutputs(evaluations),
    control: call.control,
  });
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

/** Outputs in transfer buffers, for results that are copied into the call's. */
function transferOutputs(evaluations: number): KernelOutput {
  const rows = evaluations * AREA_COUNT;
  return { score: float64s(rows), std: float64s(rows), ciLow: float64s(rows), ciHigh: float64s(rows), quality: new Uint8Array(takeTransferBuffer(rows), 0, rows) };
}
