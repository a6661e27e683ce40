import { WorkerPool } from "../core/worker-pool.js";
import { outputBuffers, reportOutcome, type ChunkResult, type ChunkSettings } from "./chunk.js";
import type { NumberedLine } from "./lines.js";
import { packLines } from "./packed-lines.js";
import { KEPT_BUFFERS } from "../core/spare-buffers.js";
import type { ChunkRunner } from "./stream.js";
import type { ChunkTask } from "./worker.js";

/**
 * Each worker thread's young generation, in MB (V8's default here is 48). A worker holds a whole
 * chunk's plans, results and texts while it handles it, so in a small young generation most of
 * what it allocates survives a scavenge and is copied. 32 takes most of the gain of 48 and leaves
 * room under the CLI's 300 MB bound (figures: the benchmark results, "CLI worker threads' young generation").
 */
const WORKER_YOUNG_GENERATION_MB = 32;

/**
 * Chunks handled on up to `jobs` worker threads (the shared pool, worker-pool.ts in core/), started as chunks arrive.
 * A thread that ends in any way fails its chunk, which is then handled again one line at a time
 * on fresh threads: only a line that stops a thread on its own is lost, reported as E_WORKER.
 */
export class ChunkWorkers implements ChunkRunner {
  readonly #jobs: number;
  readonly #pool: WorkerPool<ChunkTask, ChunkResult>;
  /** Output buffers written and handed back, going to the threads with their next chunks (at most KEPT_BUFFERS a thread). */
  #spares: ArrayBuffer[] = [];
  #closed = false;
  readonly parallelChunks: number;

  constructor(jobs: number, settings: ChunkSettings) {
    this.#jobs = jobs;
    this.#pool = new WorkerPool({
      script: () => new URL("./worker.js", import.meta.url),
      size: jobs,
      workerData: settings,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      lost: (why) => (why instanceof Error ? why : new Error(`worker thread exited with code ${String(why)}`)),
    });
    // Two chunks per thread: one being handled, one waiting, so no thread idles while the main thread writes.
    this.parallelChunks = 2 * jobs;
  }

  async run(lines: readonly NumberedLine[], firstEvaluation: number): Promise<ChunkResult> {
    try {
      return await this.#pool.run({ build: () => this.#task(lines, firstEvaluation) });
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
    await this.#pool.close();
  }

  /**
   * The chunk's message, made as a thread takes it. Its bytes move to the thread (no copy): they
   * were packed for this message alone. So do spare buffers: written already, detached here once moved.
   */
  #task(lines: readonly NumberedLine[], firstEvaluation: number): { message: ChunkTask; transfer: ArrayBuffer[] } {
    const message: ChunkTask = { lines: packLines(lines), firstEvaluation, spares: this.#spares.splice(0, KEPT_BUFFERS) };
    return { message, transfer: [message.lines.bytes.buffer, ...message.spares] };
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
