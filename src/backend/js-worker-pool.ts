import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { AggregationError } from "../core/errors.js";
import type { WorkerReply, WorkerTask } from "./js-worker.js";

/**
 * The worker threads that run the JS backend's large async calls (js-worker.ts), so the event
 * loop stays free. Started on first use, at most one per core but the main thread's, each
 * running one job at a time; a job waits in line when all are busy. An idle worker does not
 * keep the process alive. Plain worker_threads: one message each way per job (~0.1 ms), and
 * nothing a pool library would add is needed here.
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

interface Pending {
  readonly task: WorkerTask;
  readonly resolve: (reply: WorkerReply) => void;
  readonly reject: (error: Error) => void;
}

const idle: Worker[] = [];
const queue: Pending[] = [];
let started = 0;

/** Runs `task` on a worker thread; rejects with AggregationError E_INTERNAL if the worker dies. */
export function runOnWorker(task: WorkerTask): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const pending = { task, resolve, reject };
    const worker = idle.pop() ?? (started < MAX_WORKERS ? startWorker() : undefined);
    if (worker === undefined) queue.push(pending);
    else dispatch(worker, pending);
  });
}

function startWorker(): Worker {
  started++;
  const worker = new Worker(workerUrl());
  worker.unref(); // idle until dispatch() refs it
  return worker;
}

function dispatch(worker: Worker, pending: Pending): void {
  const onMessage = (reply: WorkerReply) => {
    settle();
    pending.resolve(reply);
    const next = queue.shift();
    if (next === undefined) idle.push(worker);
    else dispatch(worker, next);
  };
  const onFailure = (error: unknown) => {
    settle();
    started--;
    void worker.terminate();
    const message = error instanceof Error ? error.message : `exit code ${String(error)}`;
    pending.reject(new AggregationError("E_INTERNAL", `the JS backend's worker thread failed: ${message}`, { cause: error }));
    const next = queue.shift();
    if (next !== undefined) runOnWorker(next.task).then(next.resolve, next.reject);
  };
  const settle = () => {
    worker.off("message", onMessage).off("error", onFailure).off("exit", onFailure);
    worker.unref();
  };
  // A job in flight keeps the process alive, as any pending I/O does.
  worker.ref();
  worker.on("message", onMessage).once("error", onFailure).once("exit", onFailure);
  worker.postMessage(pending.task);
}
