import type { KernelOutput, ThresholdTriple } from "../core/kernel-io.js";
import type { BadSlotRecords } from "../kernels/bad-slots.js";
import type { MonteCarloParams } from "../kernels/montecarlo.js";

/** What the JS backend's worker threads (js-worker.ts) and their pool (js-worker-pool.ts) exchange. */

/** One job, as posted to the worker. */
export interface WorkerTask {
  /** Over an ArrayBuffer transferred with the task, as is every array here but the control word. */
  readonly scores: Float64Array;
  /** Null: the stds are the scores (the caller gave none; they are then not checked as stds). */
  readonly stds: Float64Array | null;
  readonly weights: Float64Array;
  readonly evaluations: number;
  readonly thresholds: ThresholdTriple;
  /** The docs/contract.md §6 pass, only with stds. */
  readonly monteCarlo: MonteCarloParams | undefined;
  readonly check: boolean;
  /** Where to write the results; null: into outputs the worker allocates (they become the caller's). */
  readonly out: KernelOutput | null;
  /** The call's control word (call-control.ts): the only shared memory a job brings. */
  readonly control: Int32Array;
}

/** What a job did; `out` (a clean run's) is over buffers transferred with the reply. */
export type WorkerOutcome =
  | { readonly cancelled: true }
  | {
      readonly cancelled: false;
      readonly bad: BadSlotRecords | null;
      readonly out: KernelOutput | null;
    }
  | { readonly error: string };

/** The worker's answer: what the job did, and the buffers of the task's arrays (taskBuffers), handed back. */
export type WorkerReply = WorkerOutcome & { readonly returned: readonly ArrayBuffer[] };

/** The buffers of a task's arrays, each once (not the control word's, which is shared and stays). */
export function taskBuffers(task: WorkerTask): ArrayBuffer[] {
  const arrays = [task.scores, task.stds, task.weights, ...(task.out === null ? [] : Object.values(task.out))];
  return [...new Set(arrays.filter((array) => array !== null).map((array) => array.buffer as ArrayBuffer))];
}
