import { Worker, type ResourceLimits, type TransferListItem } from "node:worker_threads";

/**
 * Worker threads, each running one job at a time: the JS backend's large async calls
 * (js-worker-pool.ts in backend/) and the CLI's `--jobs N` chunks (pool.ts in cli/). Each use gives its
 * worker script, its message types and the error a lost job rejects with. A worker answers each
 * message it is sent with one message. Workers start on demand, up to `size`; a job waits in line
 * while all are busy. An idle worker does not keep the process alive, a busy one does (as any
 * pending I/O does). A worker that fails or exits, busy or idle, is retired (its job, if any,
 * rejects) and the next job starts a new one: nothing a worker does can take the host down.
 */

export interface WorkerPoolOptions {
  /** The worker's module; asked when the first worker starts, not at import (a bundle's `import.meta` may be empty). */
  readonly script: () => URL;
  /** The most workers at once. */
  readonly size: number;
  readonly workerData?: unknown;
  readonly resourceLimits?: ResourceLimits;
  /**
   * The error a job rejects with when no worker could be started for it (`started` false) or its
   * worker ended before answering; `why` is the thread's error or its exit code.
   */
  readonly lost: (why: unknown, started: boolean) => Error;
}

export interface PoolJob<Task> {
  /**
   * The job's message and what it moves to the worker, built when a worker takes the job, so a
   * job waiting in line holds nothing yet. What it throws (or a message that cannot be posted)
   * rejects the job, and the worker takes the next.
   */
  build(): { readonly message: Task; readonly transfer: readonly TransferListItem[] };
  /** Aborted while the job waits in line: it leaves the line unposted and rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

interface Pending<Task, Reply> {
  readonly job: PoolJob<Task>;
  readonly resolve: (reply: Reply) => void;
  readonly reject: (error: unknown) => void;
  /** Stops listening for the job's abort while it waits in line. */
  unlisten: () => void;
}

export class WorkerPool<Task, Reply> {
  readonly #options: WorkerPoolOptions;
  /** Every live worker, and the job it runs (undefined while idle). */
  readonly #workers = new Map<Worker, Pending<Task, Reply> | undefined>();
  readonly #idle: Worker[] = [];
  readonly #queue: Pending<Task, Reply>[] = [];
  #closed = false;

  constructor(options: WorkerPoolOptions) {
    this.#options = options;
  }

  /** The worker's reply to `job`. */
  run(job: PoolJob<Task>): Promise<Reply> {
    if (job.signal?.aborted) return Promise.reject(job.signal.reason);
    return new Promise((resolve, reject) => this.#place({ job, resolve, reject, unlisten: () => {} }));
  }

  /** For tests: the workers idle now, so that a test can make one fail between jobs. */
  idleWorkers(): readonly Worker[] {
    return [...this.#idle];
  }

  /** Stops every worker: jobs in line reject, and so do those running (their workers are lost). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#queue.splice(0)) {
      pending.unlisten();
      pending.reject(new Error("the worker pool was closed"));
    }
    await Promise.all([...this.#workers.keys()].map((worker) => worker.terminate()));
  }

  /** Gives `pending` a worker (idle, or new while there are fewer than `size`), else a place in line. */
  #place(pending: Pending<Task, Reply>): void {
    if (this.#closed) return pending.reject(new Error("the worker pool was closed"));
    let worker = this.#idle.pop();
    if (worker === undefined && this.#workers.size < this.#options.size) {
      try {
        worker = this.#start();
      } catch (error) {
        return pending.reject(this.#options.lost(error, false));
      }
    }
    if (worker !== undefined) return this.#dispatch(worker, pending);
    this.#queue.push(pending);
    const { signal } = pending.job;
    if (signal === undefined) return;
    const leave = () => {
      this.#queue.splice(this.#queue.indexOf(pending), 1);
      pending.reject(signal.reason);
    };
    signal.addEventListener("abort", leave, { once: true });
    pending.unlisten = () => signal.removeEventListener("abort", leave);
  }

  #start(): Worker {
    const { script, workerData, resourceLimits } = this.#options;
    // Started from code that imports the script rather than from its file: a worker inherits the
    // host's --input-type, with which Node refuses to start one from a file (a host run as
    // `node --input-type=module -e …`), and a dynamic import reads the same either way.
    const worker = new Worker(`import(${JSON.stringify(script().href)});`, { eval: true, workerData, resourceLimits });
    worker.unref(); // idle until #dispatch refs it
    this.#workers.set(worker, undefined);
    // Listened to for the worker's whole life: an 'error' event nobody hears would crash the host.
    worker
      .on("message", (reply: Reply) => this.#finish(worker, reply))
      .on("error", (error: Error) => this.#retire(worker, error))
      .on("exit", (code: number) => this.#retire(worker, code));
    return worker;
  }

  #dispatch(worker: Worker, pending: Pending<Task, Reply>): void {
    try {
      const { message, transfer } = pending.job.build();
      worker.postMessage(message, transfer);
    } catch (error) {
      pending.reject(error);
      return this.#next(worker);
    }
    this.#workers.set(worker, pending);
    worker.ref();
  }

  /** Gives `worker` the next job in line, or makes it idle. */
  #next(worker: Worker): void {
    const pending = this.#queue.shift();
    if (pending === undefined) return void this.#idle.push(worker);
    pending.unlisten();
    this.#dispatch(worker, pending);
  }

  #finish(worker: Worker, reply: Reply): void {
    const pending = this.#workers.get(worker);
    // A reply that arrives after close() is dropped: its job rejects when the worker exits, and
    // the worker stays ref'd, or the process could end while close() waits for that exit.
    if (pending === undefined || this.#closed) return;
    worker.unref();
    this.#workers.set(worker, undefined);
    pending.resolve(reply);
    this.#next(worker);
  }

  /** Takes a failed or exited worker out of the pool (once: an error is followed by an exit). */
  #retire(worker: Worker, why: Error | number): void {
    if (!this.#workers.has(worker)) return;
    const pending = this.#workers.get(worker);
    this.#workers.delete(worker);
    const at = this.#idle.indexOf(worker);
    if (at !== -1) this.#idle.splice(at, 1);
    void worker.terminate();
    pending?.reject(this.#options.lost(why, true));
    const waiting = this.#queue.shift();
    if (waiting === undefined) return;
    waiting.unlisten();
    this.#place(waiting);
  }
}
