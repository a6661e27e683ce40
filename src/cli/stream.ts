import { outputBuffers, type ChunkHandler, type ChunkResult } from "./chunk.js";
import type { Layout } from "./format.js";
import { recordOfLine } from "./input.js";
import { isBlankLine, type NumberedLine } from "./lines.js";
import type { Output } from "./output.js";
import type { Progress } from "./progress.js";
import { SUMMARY_RECORD_LENGTH, type ScoreSummary } from "./summary.js";

/** Where chunks of NDJSON lines are handled: in this thread, or on worker threads. */
export interface ChunkRunner {
  /** Chunks handed out before the oldest is written: enough to keep every thread busy, few enough to keep memory flat. */
  readonly parallelChunks: number;
  /** The chunk's outcomes; never rejects (whatever fails is some line's report). */
  run(lines: readonly NumberedLine[], firstEvaluation: number): Promise<ChunkResult>;
  /** Takes back a result whose output bytes are written: later chunks' outputs go in its buffers. */
  recycle(result: ChunkResult): void;
}

/** Chunks handled here, one at a time, before the next is read. */
export function inThisThread(handler: ChunkHandler): ChunkRunner {
  return {
    parallelChunks: 1,
    run: (lines, firstEvaluation) => handler.handle(lines.map(recordOfLine), firstEvaluation),
    recycle: (result) => handler.recycle(outputBuffers(result)),
  };
}

export interface StreamSettings {
  /** Evaluations per chunk: the run holds about `parallelChunks` times this many plans at a time. */
  readonly chunkSize: number;
  readonly failFast: boolean;
}

export interface StreamSinks {
  readonly output: Output;
  readonly layout: Layout;
  readonly progress: Progress;
  readonly summary: ScoreSummary | undefined;
}

/**
 * Splits NDJSON into chunks, has them handled, and writes their outcomes in input order. Line
 * i of the input that is not blank is evaluation i of the study (`firstEvaluation` of its
 * chunk plus its place there), wherever and whenever its chunk is handled. At most
 * `parallelChunks` chunks are out at once, and the next line is read only once the oldest is
 * written, so a slow reader of stdout holds the input back too.
 */
export class StreamRun {
  readonly #settings: StreamSettings;
  readonly #sinks: StreamSinks;
  #failed = false;
  #stopped = false;

  constructor(settings: StreamSettings, sinks: StreamSinks) {
    this.#settings = settings;
    this.#sinks = sinks;
  }

  /** True when some evaluation was bad (exit status 1). */
  get failed(): boolean {
    return this.#failed;
  }

  /** NDJSON: every non-blank line is an evaluation, read chunk by chunk. */
  async lines(lines: AsyncIterable<NumberedLine>, runner: ChunkRunner): Promise<void> {
    const inFlight: Promise<ChunkResult>[] = [];
    let nextEvaluation = 0;
    const send = (chunk: NumberedLine[]) => {
      inFlight.push(runner.run(chunk, nextEvaluation));
      nextEvaluation += chunk.length;
    };
    let chunk: NumberedLine[] = [];
    for await (const line of lines) {
      if (isBlankLine(line)) continue;
      chunk.push(line);
      if (chunk.length < this.#settings.chunkSize) continue;
      send(chunk);
      chunk = [];
      if (inFlight.length >= runner.parallelChunks) await this.#writeOldest(inFlight, runner);
      // Leaving the loop closes the input: nothing more is read.
      if (this.#stopped) return;
    }
    if (chunk.length > 0) send(chunk);
    while (inFlight.length > 0 && !this.#stopped) await this.#writeOldest(inFlight, runner);
  }

  async #writeOldest(inFlight: Promise<ChunkResult>[], runner: ChunkRunner): Promise<void> {
    const result = await inFlight.shift()!;
    await this.write(result, () => runner.recycle(result));
  }

  /**
   * Writes a chunk's outcomes: results to stdout, reports to stderr, until the run stops. The
   * results between two reports go out in one write (one system call, not one a line).
   * `written` is called once stdout is done with every byte of the chunk (a stream may hold
   * them after taking them): not before, as its buffers are then filled again.
   */
  async write({ outcomes, summary }: ChunkResult, written?: () => void): Promise<void> {
    const { output, layout, progress } = this.#sinks;
    let pieces: Uint8Array[] = [];
    let results = 0;
    // Writes of this chunk not yet done, plus one for the chunk itself until all are issued.
    let unfinished = 1;
    const finished = () => {
      if (--unfinished === 0) written?.();
    };
    const flush = async () => {
      if (pieces.length === 0) return;
      unfinished++;
      const open = await output.write(pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces), finished);
      if (!open) this.#stopped = true;
      pieces = [];
    };
    for (const outcome of outcomes) {
      if ("report" in outcome) {
        await flush();
        if (this.#stopped) return;
        this.#failed = true;
        progress.log(outcome.report);
        if (this.#settings.failFast) this.#stopped = true;
      } else {
        const before = layout.before();
        if (before !== "") pieces.push(Buffer.from(before));
        append(pieces, outcome.output);
        this.#sinks.summary?.add(summary.subarray(results * SUMMARY_RECORD_LENGTH, ++results * SUMMARY_RECORD_LENGTH));
      }
      progress.advance(1);
      if (this.#stopped) return;
    }
    await flush();
    finished();
  }
}

/**
 * Adds `piece` to the pieces of one write, as a longer view of the last piece when it follows
 * it in the same buffer (a chunk's outputs are written one after another in one buffer), so an
 * NDJSON chunk without reports goes out as it is, not concatenated into a copy.
 */
function append(pieces: Uint8Array[], piece: Uint8Array): void {
  const last = pieces.at(-1);
  if (last !== undefined && last.buffer === piece.buffer && last.byteOffset + last.byteLength === piece.byteOffset) {
    pieces[pieces.length - 1] = new Uint8Array(last.buffer, last.byteOffset, last.byteLength + piece.byteLength);
  } else {
    pieces.push(piece);
  }
}
