import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { AggregationError } from "../core/errors.js";
import { isCancelled, whenCancelled } from "./call-control.js";
import { taskBuffers, type WorkerReply, type WorkerTask } from "./js-worker-task.js";

/**
 * The worker threads that run the JS backend's large async calls (js-worker.ts), so the event
 * loop stays free. Started on first use, at most one per core but the main thread's, each
 * running one job at a time; a job waits in line when all are busy. An idle worker does not
 * keep the process alive. A worker that fails or exits, busy or idle, is retired (its job, if
 * any, rejects) and the next job starts a new one: nothing a worker does can take the host down.
 * Plain worker_threads: one message each way per job (~0.1 ms), and nothing a pool library
 * would add is needed here.
 */

/**
 * The worker script. Running from the TypeScript sources (the tests), it is the built copy in
 * dist/ (`npm test` builds it first): a worker thread cannot load a .ts file on Node 20. Found
 * when the first worker starts, not at import: a bundle, whose `import.meta` may be empty, starts none.
 */
function workerUrl(): URL {
  return import.meta.url.endsWith(".ts") ? new URL("../../dist/backend/js-worker.js", import.meta.url) : new URL("./js-worker.js", import.meta.url);
}

const MAX_WORKERS = Math.max(1, availableParallelism() - 1);

// The worker is started from code that imports it rather than from its file: a worker inherits
// the host's --input-type, with which Node refuses to start one from a file (a host run as
// `node --input-type=module -e …`), and a dynamic import reads the same either way.
function workerCode(): string {
  return `import(${JSON.stringify(workerUrl().href)});`;
}

interface Pending {
  /** Builds the task when a worker takes it (see runOnWorker). */
  readonly task: () => WorkerTask;
  readonly control: Int32Array;
  readonly resolve: (reply: WorkerReply) => void;
  readonly reject: (error: Error) => void;
  /** Stops listening for the call's cancellation while it waits in line. */
  unlisten: () => void;
}

const CANCELLED: WorkerReply = Object.freeze({ cancelled: true, returned: [] });

/** Every live worker, and the job it runs (undefined while idle). */
const workers = new Map<Worker, Pending | undefined>();
const idle: Worker[] = [];
const queue: Pending[] = [];

/**
 * Runs the task `task()` builds on a worker thread, building it only when a worker takes it
 * and transferring its arrays' buffers (they must be the task's own). A call cancelled (its
 * `control` word) before a worker takes it is answered `{ cancelled: true }` without building
 * or posting anything, and leaves the line at once. Rejects with AggregationError E_INTERNAL
 * if no worker can be started or the worker dies.
 */
export function runOnWorker(task: () => WorkerTask, control: Int32Array): Promise<WorkerReply> {
  if (isCancelled(control)) return Promise.resolve(CANCELLED);
  return new Promise((resolve, reject) => place({ task, control, resolve, reject, unlisten: () => {} }));
}

/** For tests: the workers idle now, so that a test can make one fail between jobs. */
export function idleWorkers(): readonly Worker[] {
  return [...idle];
}

/** Gives `pending` a worker (idle, or new while there are fewer than MAX_WORKERS), else a place in line. */
function place(pending: Pending): void {
  let worker = idle.pop();
  if (worker === undefined && workers.size < MAX_WORKERS) {
    try {
      worker = startWorker();
    } catch (error) {
      return pending.reject(failure("could not be started", error));
    }
  }
  if (worker !== undefined) return dispatch(worker, pending);
  queue.push(pending);
  pending.unlisten = whenCancelled(pending.control, () => {
    queue.splice(queue.indexOf(pending), 1);
    pending.resolve(CANCELLED);
  });
}

function startWorker(): Worker {
  const worker = new Worker(workerCode(), { eval: true });
  worker.unref(); // idle until dispatch() refs it
  workers.set(worker, undefined);
  // Listened to for the worker's whole life: an 'error' event nobody hears would crash the host.
  worker
    .on("message", (reply: WorkerReply) => finish(worker, reply))
    .on("error", (error: Error) => retire(worker, error))
    .on("exit", (code: number) => retire(worker, code));
  return worker;
}

function dispatch(worker: Worker, pending: Pending): void {
  let task: WorkerTask;
  try {
    task = pending.task();
  } catch (error) {
    // Building the task failed (no memory for a copy): this job fails, the worker takes the next.
    pending.reject(new AggregationError("E_INTERNAL", `the JS backend could not prepare a job: ${String(error)}`, { cause: error }));
    return next(worker);
  }
  workers.set(worker, pending);
  // A job in flight keeps the process alive, as any pending I/O does.
  worker.ref();
  worker.postMessage(task, taskBuffers(task));
}

/** Gives `worker` the next job in line, or makes it idle. */
function next(worker: Worker): void {
  const pending = queue.shift();
  if (pending === undefined) return void idle.push(worker);
  pending.unlisten();
  dispatch(worker, pending);
}

function finish(worker: Worker, reply: WorkerReply): void {
  const pending = workers.get(worker);
  if (pending === undefined) return;
  worker.unref();
  workers.set(worker, undefined);
  pending.resolve(reply);
  next(worker);
}

/** Takes a failed or exited worker out of the pool (once: an error is followed by an exit). */
function retire(worker: Worker, why: Error | number): void {
  if (!workers.has(worker)) return;
  const pending = workers.get(worker);
  workers.delete(worker);
  const at = idle.indexOf(worker);
  if (at !== -1) idle.splice(at, 1);
  void worker.terminate();
  pending?.reject(failure("failed", why));
  const waiting = queue.shift();
  if (waiting === undefined) return;
  waiting.unlisten();
  place(waiting);
}

function failure(what: string, why: unknown): AggregationError {
  const message = why instanceof Error ? why.message : typeof why === "number" ? `exit code ${why}` : String(why);
  return new AggregationError("E_INTERNAL", `the JS backend's worker thread ${what}: ${message}`, { cause: why });
}
