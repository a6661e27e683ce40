import type { Stats } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { isBlank, lineText, MAX_LINE_BYTES, numberedLines, type NumberedLine } from "./lines.js";
import type { RecordProblem } from "./problems.js";
import type { InputPosition } from "./progress.js";
import { fileProblem, UsageError } from "./usage.js";
import { show } from "../core/validate.js";
import { describeJsonProblem, parsePythonJson } from "../input/python-json.js";

/** One evaluation as it came: its snake_case dimension scores and the weights it carries, if any. */
export interface RawEvaluation {
  readonly dimensionScores: unknown;
  /** Undefined when the evaluation carries no weights of its own. */
  readonly weights: unknown;
  /** The object the plan came in (`{"plan_id": …, "dimension_scores": …}`), for its plan key; undefined for a bare list. */
  readonly fields: Readonly<Record<string, unknown>> | undefined;
}

/**
 * An evaluation, or why it could not be read. `line` is the 1-based line of NDJSON input and
 * undefined for a single JSON document.
 */
export type InputRecord =
  | { readonly line: number | undefined; readonly evaluation: RawEvaluation }
  | { readonly line: number | undefined; readonly problem: RecordProblem };

/**
 * The input as the CLI takes it: one JSON document (a single evaluation), or NDJSON lines still
 * to be read. Only NDJSON is streamed; a document is read whole, as it must be to be parsed.
 */
export type Input =
  | { readonly ndjson: false; readonly record: InputRecord }
  | { readonly ndjson: true; readonly lines: AsyncIterable<NumberedLine> };

/** An input stream and how far through it the reader is (for the progress bar). */
export interface Source extends InputPosition {
  readonly chunks: AsyncIterable<Uint8Array>;
  /**
   * Closes the file, read to its end or not (a run that stopped early, a Parquet file read by
   * path). A file handle left to garbage collection prints two warnings on stderr.
   */
  close(): Promise<void>;
}

/** Read size: larger than the 64 KiB default, as NDJSON plans run to ~10 KB a line. */
const READ_CHUNK_BYTES = 256 * 1024;

/**
 * The largest input that may still be taken for one JSON document when its first line is not a
 * JSON value on its own. A plan is ~15 KB pretty-printed; past this the input is NDJSON, so a
 * stream whose first line is bad is never held whole.
 */
export const MAX_DOCUMENT_CHARS = 64 * 1024 * 1024;

/**
 * How a consumer uses the chunks it is given: "kept" (a reader may hold on to them, as the NDJSON
 * line reader does with a partial line) or "copied" (each is copied before the next is asked
 * for, as the CSV reader does).
 */
export type ChunkUse = "kept" | "copied";

/** FILE, or stdin for `-`, opened for streaming; errors opening FILE are usage errors. */
export async function openSource(file: string, use: ChunkUse = "kept"): Promise<Source> {
  if (file === "-") {
    return { chunks: readErrorsAsUsage(process.stdin, "stdin"), totalBytes: undefined, bytesRead: () => 0, close: async () => {} };
  }
  const { handle, stats } = await openFile(file);
  const totalBytes = stats.isFile() ? stats.size : undefined;
  if (use === "copied") {
    const reader = new ReusedBufferReader(handle);
    return { chunks: readErrorsAsUsage(reader.chunks(), file), totalBytes, bytesRead: () => reader.bytesRead, close: () => reader.close() };
  }
  const stream = handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
  // Destroying the stream closes its handle (autoClose), whether it was read or not.
  const close = () => new Promise<void>((resolve) => (stream.closed ? resolve() : stream.once("close", () => resolve()).destroy()));
  return { chunks: readErrorsAsUsage(stream, file), totalBytes, bytesRead: () => stream.bytesRead, close };
}

/** Bytes a read of a file whose chunks are copied: a few large reads, into the same two buffers. */
const REUSED_READ_BYTES = 1 << 20;

/**
 * A file read into two buffers in turn, one read ahead of the consumer: each chunk is valid until
 * the next is asked for. A stream's chunks are fresh memory each time, and touching fresh pages
 * cost more than the reading (CSV at 10^5 plans: 35 MB less peak RSS, ~0.3 s less system time).
 */
class ReusedBufferReader {
  bytesRead = 0;
  readonly #handle: FileHandle;
  /** The read under way, which must land before the file is closed. */
  #pending: Promise<unknown> | undefined;
  #closing: Promise<void> | undefined;

  constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  async *chunks(): AsyncGenerator<Uint8Array> {
    const buffers = [Buffer.allocUnsafe(REUSED_READ_BYTES), Buffer.allocUnsafe(REUSED_READ_BYTES)];
    let next = 0;
    const read = () => (this.#pending = this.#handle.read(buffers[next]!, 0, REUSED_READ_BYTES, null));
    let pending = read();
    try {
      for (;;) {
        const { bytesRead, buffer } = await pending;
        if (bytesRead === 0) return;
        this.bytesRead += bytesRead;
        // The other buffer: the consumer was done with it when it asked for this chunk.
        next ^= 1;
        pending = read();
        yield buffer.subarray(0, bytesRead);
      }
    } finally {
      await this.close();
    }
  }

  /** Closes the file once, after the read under way (if any) has landed. */
  close(): Promise<void> {
    return (this.#closing ??= (async () => {
      await this.#pending?.catch(() => {});
      await this.#handle.close();
    })());
  }
}

/** The chunks of a stream, a failed read (stdin a directory, an I/O error) turned into our usage error. */
async function* readErrorsAsUsage(chunks: AsyncIterable<Uint8Array>, name: string): AsyncGenerator<Uint8Array> {
  try {
    yield* chunks;
  } catch (error) {
    throw fileProblem(name, error);
  }
}

/** A file opened for reading, or the usage error that says why it cannot be. */
async function openFile(file: string): Promise<{ handle: FileHandle; stats: Stats }> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, "r");
    const stats = await handle.stat();
    if (stats.isDirectory()) throw Object.assign(new Error(file), { code: "EISDIR" });
    return { handle, stats };
  } catch (error) {
    await handle?.close();
    throw fileProblem(file, error);
  }
}

/** Weights for 60 pairs are ~2 KB of JSON; a --weights file past this is not one. */
const MAX_WEIGHTS_FILE_BYTES = 1024 * 1024;

async function readWeightsText(file: string): Promise<string> {
  const { handle, stats } = await openFile(file);
  try {
    if (stats.size > MAX_WEIGHTS_FILE_BYTES) {
      throw new UsageError(`--weights ${file} is larger than ${MAX_WEIGHTS_FILE_BYTES / 2 ** 20} MiB; weights are a few KB`);
    }
    return await handle.readFile("utf8");
  } catch (error) {
    throw error instanceof UsageError ? error : fileProblem(file, error);
  } finally {
    await handle.close();
  }
}

/** The `--weights` file's JSON; its content is the aggregator's to validate. */
export async function readWeightsFile(file: string): Promise<unknown> {
  const parsed = parsePythonJson(await readWeightsText(file));
  if (!parsed.ok) throw new UsageError(`--weights ${file} is ${describeJsonProblem(parsed.problem)}`, "E_JSON");
  return parsed.value;
}

/**
 * Tells NDJSON from one JSON document by reading only as far as it must (JSON here is Python's:
 * NaN and Infinity tokens are numbers):
 * - the first non-blank line is a complete JSON value and another non-blank line follows: two
 *   values cannot be one document, so NDJSON, streamed from there;
 * - otherwise (a pretty-printed document spans lines) the input is held, up to
 *   MAX_DOCUMENT_CHARS (a line over MAX_LINE_BYTES is past it): if all of it parses, one
 *   document. If it does not, it is NDJSON after all when some held line is an evaluation on its
 *   own (a non-empty list or object, as NDJSON lines are and a pretty-printed document's lines
 *   are not), and otherwise one malformed document, reported once with the line and column of
 *   its first mistake. Input past the cap is NDJSON.
 */
export async function classifyInput(source: Source): Promise<Input> {
  const iterator = numberedLines(source.chunks)[Symbol.asyncIterator]();
  const held: NumberedLine[] = [];
  let chars = 0;
  let firstIsValue: boolean | undefined;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    const text = lineText(next.value);
    held.push(next.value);
    if (text === undefined) return { ndjson: true, lines: resumed(held, iterator) };
    chars += text.length + 1;
    if (isBlank(text)) continue;
    if (firstIsValue === undefined) firstIsValue = parsePythonJson(text).ok;
    else if (firstIsValue || chars > MAX_DOCUMENT_CHARS) return { ndjson: true, lines: resumed(held, iterator) };
  }
  if (firstIsValue === undefined) {
    return { ndjson: false, record: { line: undefined, problem: { code: "E_EMPTY", message: "empty; expected JSON or NDJSON" } } };
  }
  const parsed = parsePythonJson(held.map(lineText).join("\n"));
  if (parsed.ok) return { ndjson: false, record: recordOf(undefined, parsed.value) };
  if (held.some(isEvaluationLine)) return { ndjson: true, lines: resumed(held, iterator) };
  return { ndjson: false, record: { line: undefined, problem: { code: "E_JSON", message: describeJsonProblem(parsed.problem) } } };
}

/** A line that holds a non-empty list or object on its own, as every NDJSON evaluation does. */
function isEvaluationLine(line: NumberedLine): boolean {
  const text = lineText(line);
  if (text === undefined || !/^\s*[[{]/.test(text)) return false;
  const parsed = parsePythonJson(text);
  return parsed.ok && Object.keys(parsed.value as object).length > 0;
}

/** The held lines, then the rest of the input. */
async function* resumed(held: NumberedLine[], rest: AsyncIterator<NumberedLine>): AsyncGenerator<NumberedLine> {
  try {
    yield* held.splice(0);
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
  } finally {
    // A consumer that stops early (--fail-fast, a closed pipe) closes the input stream too.
    await rest.return?.();
  }
}

/** One NDJSON line (not blank) as a record. */
export function recordOfLine(numbered: NumberedLine): InputRecord {
  const { line } = numbered;
  const text = lineText(numbered);
  if (text === undefined) {
    const limit = `${MAX_LINE_BYTES / 2 ** 20} MiB`;
    return { line, problem: { code: "E_LINE_TOO_LONG", message: `longer than ${limit}, the longest line read; skipped unread` } };
  }
  const parsed = parsePythonJson(text);
  if (!parsed.ok) return { line, problem: { code: "E_JSON", message: describeJsonProblem(parsed.problem, true) } };
  return recordOf(line, parsed.value);
}

/** A list of dimension scores, or `{ dimension_scores, weights }`; other keys (e.g. `municipality`) are ignored. */
function recordOf(line: number | undefined, value: unknown): InputRecord {
  if (Array.isArray(value)) return { line, evaluation: { dimensionScores: value, weights: undefined, fields: undefined } };
  if (typeof value === "object" && value !== null && Object.hasOwn(value, "dimension_scores")) {
    const fields = value as Record<string, unknown>;
    const { dimension_scores: dimensionScores, weights } = fields;
    // `"weights": null` means "none of its own", like an absent key, so shared weights still apply.
    return { line, evaluation: { dimensionScores, weights: weights ?? undefined, fields } };
  }
  const message = `expected a list of dimension scores or an object with "dimension_scores", got ${show(value)}`;
  return { line, problem: { code: "E_SHAPE", message } };
}
