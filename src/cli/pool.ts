import { Worker } from "node:worker_threads";
import { outputBuffers, reportOutcome, type ChunkResult, type ChunkSettings } from "./chunk.js";
import type { NumberedLine } from "./lines.js";
import { packLines } from "./packed-lines.js";
import { KEPT_BUFFERS } from "./spare-buffers.js";
import type { ChunkRunner } from "./stream.js";
import type { ChunkTask } from "./worker.js";

/**
 * Each worker thread's young generation, in MB (V8's default here is 48). A worker holds a whole
 * chunk's plans, results and texts while it handles it, so in a young generation of 16 MB most
 * of what it allocates survives a scavenge and is copied: per plan, scavenging cost 2.5× what it
 * costs the main thread alone. On 10⁵ plans (perf, `--jobs 2`, three runs each, counted in
 * samples per sample of JSON work, which every run does alike) GC fell from 0.18–0.19 at 16 MB
 * to 0.11 at 32 and 0.10–0.11 at 48, and all work from 2.94–3.09 to 2.86–2.92 (−3%). Peak RSS:
 * 154–179 MB at 16, 214–221 at 32, 187–218 at 48. 32 takes most of the gain and leaves room
 * under the 300 MB bound.
 */
const WORKER_YOUNG_GENERATION_MB = 32;

/** A chunk waiting for, or being handled on, a worker thread. */
interface Job {
  /** The chunk; spare buffers join it when it is sent. */
  readonly task: Omit<ChunkTask, "spares">;
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
  /** Output buffers written and handed back, going to the threads with their next chunks (at most KEPT_BUFFERS a thread). */
  #spares: ArrayBuffer[] = [];
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

  recycle(result: ChunkResult): void {
    this.#spares = [...this.#spares, ...outputBuffers(result)].slice(-KEPT_BUFFERS * this.#jobs);
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
      // The chunk's bytes move to the thread (no copy); they were packed for this job alone. So do
      // spare buffers: written already, and detached here once moved.
      const spares = this.#spares.splice(0, KEPT_BUFFERS);
      const task: ChunkTask = { ...job.task, spares };
      worker.postMessage(task, [task.lines.bytes.buffer, ...spares]);
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
