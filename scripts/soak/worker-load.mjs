// One round of worker threads that load the native engine (addon-worker.mjs): each makes native
// calls whose results come back here to be checked, then is terminated while a long call runs.
// A terminated worker exits with code 1 and takes its engine's threads and memory with it.
import { Worker } from "node:worker_threads";
import { COLUMNS, columnsReference, LARGE, MONTE_CARLO, MONTE_CARLO_EVALUATIONS } from "./data.mjs";
import { describe } from "./verify.mjs";

const WORKERS_PER_ROUND = 2;
const WORKER = new URL("./addon-worker.mjs", import.meta.url);
/** The long call a worker is terminated in: thousands of 1000-sample plans, seconds of work today. */
const LONG = { longSamples: 1000, longEvaluations: 4000 };

export class WorkerLoad {
  #verify;

  constructor(verify) {
    this.#verify = verify;
  }

  async round() {
    await Promise.all(Array.from({ length: WORKERS_PER_ROUND }, (_, k) => this.#worker(k)));
  }

  async #worker(k) {
    const { scores, stds, weights } = COLUMNS.shared;
    const workerData = { scores, stds, weights, evaluations: LARGE, monteCarlo: MONTE_CARLO, monteCarloEvaluations: MONTE_CARLO_EVALUATIONS, ...LONG };
    const worker = new Worker(WORKER, { workerData });
    this.#verify.count("worker threads loading the engine");
    let finished = false;
    const failed = new Promise((resolve) => worker.once("error", (error) => resolve(`failed: ${describe(error)}`)));
    const exited = new Promise((resolve) => worker.once("exit", (code) => resolve(`exited by itself (code ${code}) before its long call`)));
    const inFlight = new Promise((resolve) =>
      worker.on("message", (message) => {
        if (message.results !== undefined) this.#check(k, message);
        if (message.finished) finished = true;
        if (message.inFlight) resolve(undefined);
      }),
    );
    const problem = await Promise.race([inFlight, failed, exited]);
    const exitCode = await worker.terminate();
    if (problem !== undefined) {
      this.#verify.holds(`worker ${k}`, problem);
      return;
    }
    // A terminated worker exits with code 1. One that finished its long call first (a machine
    // far faster than today's) is not counted as terminated mid-call.
    if (finished) return;
    this.#verify.holds(`worker ${k}: exit code`, exitCode === 1 ? undefined : `exit code ${exitCode}`);
    this.#verify.count("workers terminated mid-call");
  }

  #check(k, { results, sampled }) {
    const reference = columnsReference("own weights");
    results.forEach((result, c) => {
      this.#verify.count("aggregateColumns in a worker thread", "native");
      this.#verify.columns(`worker ${k} call ${c}`, "native", result, reference, { n: LARGE });
    });
    this.#verify.count("aggregateColumns in a worker thread", "native");
    const mc = columnsReference("own weights", { firstEvaluation: 0 });
    this.#verify.columns(`worker ${k} Monte-Carlo call`, "native", sampled, mc, { n: MONTE_CARLO_EVALUATIONS, sampled: "own weights 0" });
  }
}
