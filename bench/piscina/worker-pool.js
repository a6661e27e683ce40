// src/core/worker-pool.ts's WorkerPool on piscina, for bench/pool.bench.js only: it replaces
// dist/core/worker-pool.js in a copy of the built package, so the JS backend and the CLI run the
// same code on either pool. Their worker scripts answer one message with one (on parentPort);
// piscina-thread.js turns that into piscina's task handler.
import Piscina from "piscina";

/** A day: piscina retires workers idle this long (ours keeps them, unref'd); its timer must fit 32 bits. */
const IDLE_TIMEOUT_MS = 86_400_000;

export class WorkerPool {
  #options;
  #piscina;

  constructor(options) {
    this.#options = options;
  }

  /** Like ours, the script is asked, and the first worker started, at the first job. */
  #pool() {
    const { script, size, workerData, resourceLimits } = this.#options;
    this.#piscina ??= new Piscina({
      filename: new URL("./piscina-thread.js", import.meta.url).href,
      argv: [script().href],
      minThreads: 0,
      maxThreads: size,
      idleTimeout: IDLE_TIMEOUT_MS,
      workerData,
      resourceLimits,
    });
    return this.#piscina;
  }

  /** piscina takes a task's message when it is queued: built here, not when a worker takes it. */
  run(job) {
    const { signal } = job;
    if (signal?.aborted) return Promise.reject(signal.reason);
    let built;
    try {
      built = job.build();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#pool()
      .run(built.message, { transferList: [...built.transfer], signal })
      .catch((error) => {
        if (signal?.aborted) throw signal.reason;
        throw this.#options.lost(error, true);
      });
  }

  idleWorkers() {
    return [];
  }

  async close() {
    await this.#piscina?.destroy();
  }
}
