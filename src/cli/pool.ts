import Tinypool from "tinypool";
import { reportOutcome, type ChunkResult, type ChunkSettings } from "./chunk.js";
import type { NumberedLine } from "./lines.js";
import { packLines } from "./packed-lines.js";
import type { ChunkRunner } from "./stream.js";
import type { ChunkTask } from "./worker.js";

/** Long enough that a worker is never dropped mid-run (say while stdout is slow) only to be started again. */
const IDLE_TIMEOUT_MS = 10 * 60_000;

/**
 * Chunks handled on up to `jobs` worker threads (tinypool), started as chunks arrive. A chunk
 * whose worker stops is handled again one line at a time on fresh workers, so only a line that
 * stops a worker on its own is lost, and it is reported (E_WORKER): the run never waits on a
 * dead worker.
 */
export class WorkerPool implements ChunkRunner {
  readonly #pool: Tinypool;
  readonly #settings: ChunkSettings;
  readonly parallelChunks: number;
  #closed = false;

  constructor(jobs: number, settings: ChunkSettings) {
    this.#settings = settings;
    // Two chunks per worker: one being handled, one waiting, so no worker idles while the main thread writes.
    this.parallelChunks = 2 * jobs;
    this.#pool = new Tinypool({
      filename: new URL("./worker.js", import.meta.url).href,
      minThreads: 0,
      maxThreads: jobs,
      idleTimeout: IDLE_TIMEOUT_MS,
      // No resourceLimits: on Node 20 a worker past its heap cap can abort the whole process
      // (seen here), so a cap would turn a heavy line into a crash; workers get the default heap.
    });
  }

  async run(lines: readonly NumberedLine[], firstEvaluation: number): Promise<ChunkResult> {
    const task: ChunkTask = { settings: this.#settings, lines: packLines(lines), firstEvaluation };
    try {
      return (await this.#pool.run(task, { transferList: [task.lines.bytes.buffer] })) as ChunkResult;
    } catch (error) {
      if (this.#closed) return { outcomes: [], summary: new Float64Array(0) };
      if (lines.length === 1) return { outcomes: [reportOutcome(lines[0]!.line, workerProblem(error))], summary: new Float64Array(0) };
      return joined(await Promise.all(lines.map((line, i) => this.run([line], firstEvaluation + i))));
    }
  }

  /** Stops the workers; chunks still in flight resolve empty. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#pool.destroy();
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
