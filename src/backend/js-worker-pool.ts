import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { AggregationError } from "../core/errors.js";
import type { WorkerReply, WorkerTask } from "./js-worker.js";

/**
 * The worker threads that run the JS backend's large async calls (js-worker.ts), so the event
 * loop stays free. Started on first use, at most one per core but the main thread's, each
 * running one job at a time; a job waits in line when all are busy. An idle worker does not
 * keep the process alive. A worker that fails or exits, busy or idle, is retired (its job, if
 * any, rejects) and the next job starts a new one: nothing a worker does can take the host down.
 * Plain worker_threads: one message each way per job (~0.1 ms), and nothing a pool library
 * would add is needed here.
 */

// Running from the TypeScript sources (the tests), the worker is the built copy in dist/
// (`npm test` builds it first): a worker thread cannot load a .ts file on Node 20.
const WORKER_URL = import.meta.url.endsWith(".ts")
  ? new URL("../../dist/backend/js-worker.js", import.meta.url)
  : new URL("./js-worker.js", import.meta.url);

const MAX_WORKERS = Math.max(1, availableParallelism() - 1);

/**
 * The host's Node options minus `--input-type`, which a worker inherits and which makes it refuse
 * to load a file: a host started as `node --input-type=module -e …` could not start one.
 */
function workerExecArgv(): string[] {
  const argv = process.execArgv;
  return argv.filter((arg, i) => !arg.startsWith("--input-type") && argv[i - 1] !== "--input-type");
}

interface Pending {
  readonly task: WorkerTask;
  readonly resolve: (reply: WorkerReply) => void;
  readonly reject: (error: Error) => void;
}

/** Every live worker, and the job it runs (undefined while idle). */
const workers = new Map<Worker, Pending | undefined>();
const idle: Worker[] = [];
const queue: Pending[] = [];

/** Runs `task` on a worker thread; rejects with AggregationError E_INTERNAL if the worker dies. */
export function runOnWorker(task: WorkerTask): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const pending = { task, resolve, reject };
    const worker = idle.pop() ?? (workers.size < MAX_WORKERS ? startWorker() : undefined);
    if (worker === undefined) queue.push(pending);
    else dispatch(worker, pending);
  });
}

/** For tests: the workers idle now, so that a test can make one fail between jobs. */
export function idleWorkers(): readonly Worker[] {
  return [...idle];
}

function startWorker(): Worker {
  const worker = new Worker(WORKER_URL, { execArgv: workerExecArgv() });
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
  workers.set(worker, pending);
  // A job in flight keeps the process alive, as any pending I/O does.
  worker.ref();
  worker.postMessage(pending.task);
}

function finish(worker: Worker, reply: WorkerReply): void {
  const pending = workers.get(worker);
  if (pending === undefined) return;
  worker.unref();
  workers.set(worker, undefined);
  pending.resolve(reply);
  const next = queue.shift();
  if (next === undefined) idle.push(worker);
  else dispatch(worker, next);
}

/** Takes a failed or exited worker out of the pool (once: an error is followed by an exit). */
function retire(worker: Worker, why: Error | number): void {
  if (!workers.has(worker)) return;
  const pending = workers.get(worker);
  workers.delete(worker);
  const at = idle.indexOf(worker);
  if (at !== -1) idle.splice(at, 1);
  void worker.terminate();
  if (pending !== undefined) {
    const message = why instanceof Error ? why.message : `exit code ${why}`;
    pending.reject(new AggregationError("E_INTERNAL", `the JS backend's worker thread failed: ${message}`, { cause: why }));
  }
  const next = queue.shift();
  if (next !== undefined) dispatch(startWorker(), next);
}
