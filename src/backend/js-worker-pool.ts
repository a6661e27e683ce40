import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { AggregationError } from "../core/errors.js";
import { WorkerPool } from "../core/worker-pool.js";
import { isCancelled, whenCancelled } from "./call-control.js";
import { taskBuffers, type WorkerReply, type WorkerTask } from "./js-worker-task.js";

/**
 * The worker threads that run the JS backend's large async calls (js-worker.ts), so the event
 * loop stays free: at most one per core but the main thread's, each running one job at a time
 * (the shared pool, worker-pool.ts in core/, says how they start, wait and are retired).
 */

/**
 * The worker script. Running from the TypeScript sources (the tests), it is the built copy in
 * dist/ (`npm test` builds it first): a worker thread cannot load a .ts file on Node 20.
 */
function workerUrl(): URL {
  return import.meta.url.endsWith(".ts") ? new URL("../../dist/backend/js-worker.js", import.meta.url) : new URL("./js-worker.js", import.meta.url);
}

const pool = new WorkerPool<WorkerTask, WorkerReply>({
  script: workerUrl,
  size: Math.max(1, availableParallelism() - 1),
  lost: (why, started) => failure(started ? "failed" : "could not be started", why),
});

const CANCELLED: WorkerReply = Object.freeze({ cancelled: true, returned: [] });

/**
 * Runs the task `task()` builds on a worker thread, building it only when a worker takes it
 * and transferring its arrays' buffers (they must be the task's own). A call cancelled (its
 * `control` word) before a worker takes it is answered `{ cancelled: true }` without building
 * or posting anything, and leaves the line at once. Rejects with AggregationError E_INTERNAL
 * if no worker can be started or the worker dies.
 */
export async function runOnWorker(task: () => WorkerTask, control: Int32Array): Promise<WorkerReply> {
  if (isCancelled(control)) return CANCELLED;
  const waiting = new AbortController();
  const unlisten = whenCancelled(control, () => waiting.abort(CANCELLED));
  try {
    const build = () => {
      const message = task();
      return { message, transfer: taskBuffers(message) };
    };
    return await pool.run({ build, signal: waiting.signal });
  } catch (error) {
    if (error === CANCELLED) return CANCELLED;
    if (error instanceof AggregationError) throw error; // the worker was lost (`lost` above)
    // Building or posting the task failed (no memory for a copy): this job fails, the worker takes the next.
    throw new AggregationError("E_INTERNAL", `the JS backend could not prepare a job: ${String(error)}`, { cause: error });
  } finally {
    unlisten();
  }
}

/** For tests: the workers idle now, so that a test can make one fail between jobs. */
export function idleWorkers(): readonly Worker[] {
  return pool.idleWorkers();
}

function failure(what: string, why: unknown): AggregationError {
  const message = why instanceof Error ? why.message : typeof why === "number" ? `exit code ${why}` : String(why);
  return new AggregationError("E_INTERNAL", `the JS backend's worker thread ${what}: ${message}`, { cause: why });
}
