import { Worker } from "node:worker_threads";
import { reportOutcome, type ChunkResult, type ChunkSettings } from "./chunk.js";
import type { NumberedLine } from "./lines.js";
import { packLines } from "./packed-lines.js";
import type { ChunkRunner } from "./stream.js";
import type { ChunkTask } from "./worker.js";

/**
 * Each worker thread's young generation, in MB (V8's default here is 48). On 10⁵ plans
 * (bench/cli.bench.js, --jobs 2, two rounds each) 48 MB gave 4,419–4,881 lines/s and 32 MB
 * 4,345–4,453, against 4,194–4,407 at 16: within this VM's swings, while peak RSS rose from
 * 238–241 MB to 274–305 MB, at and past the 300 MB bound.
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/** A chunk waiting for, or being handled on, a worker thread. */
interface Job {
  readonly task: ChunkTask;
  resolve(result: ChunkResult): void;
  reject(error: unknown): void;
}

/**
 * Chunks handled on up to `jobs` worker threads, started as chunks arrive. Ours rather than a
 * pool library's: tinypool 2.2 never settles a task whose thread exits without an 'error'
 * (process.exit, a terminated isolate), so a run would end early and silently. Here a thread
 * that ends in any way fails its chunk, which is then handled again one line at a time on fresh
 * threads: only a line that stops a thread on its own is lost, reported as E_WORKER.
 */
export class WorkerPool implements ChunkRunner {
  readonly #jobs: number;
  readonly #settings: ChunkSettings;
  readonly #idle: Worker[] = [];
  readonly #busy = new Map<Worker, Job>();
  readonly #queue: Job[] = [];
  #threads = 0;
  #closed = false;
  readonly parallelChunks: number;

  constructor(jobs: number, settings: ChunkSettings) {
    this.#jobs = jobs;
    this.#settings = settings;
    // Two chunks per thread: one being handled, one waiting, so no thread idles while the main thread writes.
    this.parallelChunks = 2 * jobs;
  }

  async run(lines: readonly NumberedLine[], firstEvaluation: number): Promise<ChunkResult> {
    try {
      return await new Promise<ChunkResult>((resolve, reject) => {
        this.#queue.push({ task: { lines: packLines(lines), firstEvaluation }, resolve, reject });
        this.#dispatch();
      });
    } catch (error) {
      if (this.#closed) return { outcomes: [], summary: new Float64Array(0) };
      if (lines.length === 1) return { outcomes: [reportOutcome(lines[0]!.line, workerProblem(error))], summary: new Float64Array(0) };
      return joined(await Promise.all(lines.map((line, i) => this.run([line], firstEvaluation + i))));
    }
  }

  /** Stops the threads; chunks still in flight resolve empty. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(new Error("closed"));
    await Promise.all([...this.#idle.splice(0), ...this.#busy.keys()].map((worker) => worker.terminate()));
  }

  #dispatch(): void {
    while (this.#queue.length > 0 && !this.#closed) {
      const worker = this.#idle.pop() ?? (this.#threads < this.#jobs ? this.#start() : undefined);
      if (worker === undefined) return;
      const job = this.#queue.shift()!;
      this.#busy.set(worker, job);
      // The chunk's bytes move to the thread (no copy); they were packed for this job alone.
      worker.postMessage(job.task, [job.task.lines.bytes.buffer]);
    }
  }

  #start(): Worker {
    const worker = new Worker(new URL("./worker.js", import.meta.url), {
      workerData: this.#settings,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    this.#threads++;
    let ended = false;
    worker.on("message", (result: ChunkResult) => {
      const job = this.#busy.get(worker);
      this.#busy.delete(worker);
      this.#idle.push(worker);
      job?.resolve(result);
      this.#dispatch();
    });
    // An uncaught error (a module that does not load, say) is followed by 'exit'; either ends the thread.
    const end = (error: unknown) => {
      if (ended) return;
      ended = true;
      this.#threads--;
      const idle = this.#idle.indexOf(worker);
      if (idle !== -1) this.#idle.splice(idle, 1);
      const job = this.#busy.get(worker);
      this.#busy.delete(worker);
      job?.reject(error);
      this.#dispatch();
    };
    worker.on("error", end);
    worker.on("exit", (code) => end(new Error(`worker thread exited with code ${code}`)));
    return worker;
  }
}

function workerProblem(error: unknown) {
  const outOfMemory = (error as { code?: unknown } | null)?.code === "ERR_WORKER_OUT_OF_MEMORY";
  const why = outOfMemory ? "ran out of memory handling it" : "stopped while handling it";
  return { code: "E_WORKER", message: `its worker thread ${why}, also with the line alone` };
}

/** Consecutive chunk results as one. */
function joined(parts: readonly ChunkResult[]): ChunkResult {
  const summary = new Float64Array(parts.reduce((length, part) => length + part.summary.length, 0));
  let at = 0;
  for (const part of parts) {
    summary.set(part.summary, at);
    at += part.summary.length;
  }
  return { outcomes: parts.flatMap((part) => part.outcomes), summary };
}
