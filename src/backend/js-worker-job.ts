import { AggregationError } from "../core/errors.js";
import type { KernelRun } from "../core/metrics.js";
import { isShared, privateCopy } from "../core/typed-views.js";
import { allocateSharedOutputs } from "../input/shared-columns.js";
import type { KernelJob } from "./dispatcher.js";
import { runOnWorker } from "./js-worker-pool.js";
import { copyOutputs } from "./outputs.js";

/**
 * A JS backend job on a worker thread, under the memory rules of docs/contract.md §7, as native's async calls:
 * inputs over SharedArrayBuffers are read in place, others copied when the call starts; the
 * worker writes outputs of the call's own (the caller's, even shared, may alias the inputs
 * through another buffer object), copied into the caller's when it completes — unless one was
 * detached or shrunk meanwhile (AggregationError E_BUFFER_DETACHED, nothing written).
 * `control` is the call's control word (js-worker.ts); a cancelled job rejects with
 * AggregationError E_CANCELLED.
 */
export async function runJobOnWorker(job: KernelJob, control: Int32Array, clean: KernelRun, dirty: KernelRun): Promise<KernelRun> {
  const { scores, stds, weights, evaluations } = job.input;
  const out = allocateSharedOutputs(evaluations);
  const reply = await runOnWorker({
    scores: shareable(scores),
    stds: stds === scores ? null : shareable(stds),
    weights: shareable(weights),
    evaluations,
    thresholds: job.thresholds,
    monteCarlo: job.monteCarlo,
    check: job.bad !== undefined,
    out,
    control,
  });
  if ("error" in reply) throw new AggregationError("E_INTERNAL", `the JS kernel failed: ${reply.error}`);
  if (reply.cancelled) throw new AggregationError("E_CANCELLED", "the call was cancelled");
  if (reply.bad !== null) {
    const { bad } = job;
    reply.bad.slots.forEach((slot, i) => bad?.add(slot, reply.bad!.values[i]!, reply.bad!.isStd[i]!));
    if (bad !== undefined) bad.truncated ||= reply.bad.truncated;
    return dirty;
  }
  copyOutputs(out, job.out);
  return clean;
}

/** `view` itself over a SharedArrayBuffer, else a copy over one. */
function shareable(view: Float64Array): Float64Array {
  return isShared(view) ? view : privateCopy(view);
}
