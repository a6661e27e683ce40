/**
 * A worker thread of `--jobs N`: parses, checks, aggregates and renders the chunks of NDJSON
 * lines it is sent, one at a time, and sends back their outcomes. It loads the package's own
 * modules, native addon included (the addon is context-aware: each thread gets its own instance).
 * An exception that escapes a chunk (none should: every failure is some line's report) ends the
 * thread, and the pool handles its chunk again line by line.
 */
import { parentPort, workerData } from "node:worker_threads";
import { HighPerformanceAreaAggregator } from "../aggregator.js";
import { aggregatorOptions, ChunkHandler, transferables, type ChunkSettings } from "./chunk.js";
import { recordOfLine } from "./input.js";
import { unpackLines, type PackedLines } from "./packed-lines.js";

/** One chunk for a worker: its non-blank lines and the study index of the first; output buffers it may fill again. */
export interface ChunkTask {
  readonly lines: PackedLines;
  readonly firstEvaluation: number;
  /** Buffers of this thread's earlier outputs (or another's), written to stdout already. */
  readonly spares: readonly ArrayBuffer[];
}

const settings = workerData as ChunkSettings;
// The threads are the CLI's: each worker's native calls stay on its own thread.
const handler = new ChunkHandler(settings, new HighPerformanceAreaAggregator({ ...aggregatorOptions(settings.monteCarlo), enableParallel: false }));

parentPort!.on("message", ({ lines, firstEvaluation, spares }: ChunkTask) => {
  handler.recycle(spares);
  // The outputs' bytes move to the main thread, uncopied: they were written for this message alone.
  void handler.handle(unpackLines(lines).map(recordOfLine), firstEvaluation).then((result) => parentPort!.postMessage(result, transferables(result)));
});
