/**
 * A worker thread of `--jobs N` (run by tinypool): parses, checks, aggregates and renders the
 * chunks of NDJSON lines it is given. It loads the package's own modules, native addon
 * included (the addon is context-aware: each thread gets its own instance).
 */
import { HighPerformanceAreaAggregator } from "../aggregator.js";
import { aggregatorOptions, ChunkHandler, type ChunkResult, type ChunkSettings } from "./chunk.js";
import { recordOfLine } from "./input.js";
import { unpackLines, type PackedLines } from "./packed-lines.js";

/** One chunk for a worker: its non-blank lines and the study index of the first. */
export interface ChunkTask {
  /** The run's settings, the same in every task (a few KB): a worker serves one run. */
  readonly settings: ChunkSettings;
  readonly lines: PackedLines;
  readonly firstEvaluation: number;
}

let handler: ChunkHandler | undefined;

export default function handleChunk({ settings, lines, firstEvaluation }: ChunkTask): Promise<ChunkResult> {
  // The threads are the CLI's: each worker's native calls stay on its own thread.
  handler ??= new ChunkHandler(settings, new HighPerformanceAreaAggregator({ ...aggregatorOptions(settings.monteCarlo), enableParallel: false }));
  return handler.handle(unpackLines(lines).map(recordOfLine), firstEvaluation);
}
