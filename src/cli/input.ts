import { open, readFile } from "node:fs/promises";
import { isBlank, numberedLines, type NumberedLine } from "./lines.js";
import type { InputPosition } from "./progress.js";
import { show } from "../core/validate.js";

/** A mistake in how the tool was called (exit status 2), as opposed to bad data (exit status 1). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** One evaluation as it came: its snake_case dimension scores and the weights it carries, if any. */
export interface RawEvaluation {
  readonly dimensionScores: unknown;
  /** Undefined when the evaluation carries no weights of its own. */
  readonly weights: unknown;
}

/**
 * An evaluation, or why it could not be read. `line` is the 1-based line of NDJSON input and
 * undefined for a single JSON document.
 */
export type InputRecord =
  | { readonly line: number | undefined; readonly evaluation: RawEvaluation }
  | { readonly line: number | undefined; readonly problem: string };

/**
 * The input as the CLI takes it: one JSON document (a single evaluation), or NDJSON lines still
 * to be read. Only NDJSON is streamed; a document is read whole, as it must be to be parsed.
 */
export type Input =
  | { readonly ndjson: false; readonly record: InputRecord }
  | { readonly ndjson: true; readonly lines: AsyncIterable<NumberedLine> };

/** An input stream and how far through it the reader is (for the progress bar). */
export interface Source extends InputPosition {
  readonly chunks: AsyncIterable<string>;
}

/** Read size: larger than the 64 KiB default, as NDJSON plans run to ~10 KB a line. */
const READ_CHUNK_BYTES = 256 * 1024;

/**
 * The largest input that may still be taken for one JSON document when its first line is not a
 * JSON value on its own. A plan is ~15 KB pretty-printed; past this the input is NDJSON, so a
 * stream whose first line is bad is never held whole.
 */
export const MAX_DOCUMENT_CHARS = 64 * 1024 * 1024;

/** FILE, or stdin for `-`, opened for streaming; errors opening FILE are usage errors. */
export async function openSource(file: string): Promise<Source> {
  if (file === "-") {
    process.stdin.setEncoding("utf8");
    return { chunks: process.stdin, totalBytes: undefined, bytesRead: () => 0 };
  }
  let handle;
  try {
    handle = await open(file, "r");
    const stats = await handle.stat();
    if (stats.isDirectory()) throw new Error("is a directory");
    const stream = handle.createReadStream({ encoding: "utf8", highWaterMark: READ_CHUNK_BYTES });
    return { chunks: stream, totalBytes: stats.isFile() ? stats.size : undefined, bytesRead: () => stream.bytesRead };
  } catch (error) {
    await handle?.close();
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

async function readFileText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** The `--weights` file's JSON; its content is the aggregator's to validate. */
export async function readWeightsFile(file: string): Promise<unknown> {
  const text = await readFileText(file);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--weights ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Tells NDJSON from one JSON document by reading only as far as it must — the old rule (text that
 * parses as one JSON document is one evaluation, anything else NDJSON), decided early:
 * - the first non-blank line is a complete JSON value and another non-blank line follows: two
 *   values cannot be one document, so NDJSON, streamed from there;
 * - otherwise (a pretty-printed document spans lines) the input is held, up to
 *   MAX_DOCUMENT_CHARS: if all of it parses, one document; if not, or once it outgrows the
 *   cap, NDJSON after all (the held lines first).
 */
export async function classifyInput(source: Source): Promise<Input> {
  const iterator = numberedLines(source.chunks)[Symbol.asyncIterator]();
  const held: NumberedLine[] = [];
  let chars = 0;
  let firstIsValue: boolean | undefined;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    held.push(next.value);
    chars += next.value.text.length + 1;
    if (isBlank(next.value.text)) continue;
    if (firstIsValue === undefined) firstIsValue = parses(next.value.text);
    else if (firstIsValue || chars > MAX_DOCUMENT_CHARS) return { ndjson: true, lines: resumed(held, iterator) };
  }
  if (firstIsValue === undefined) return { ndjson: false, record: { line: undefined, problem: "empty; expected JSON or NDJSON" } };
  let document: unknown;
  try {
    document = JSON.parse(held.map((l) => l.text).join("\n"));
  } catch {
    return { ndjson: true, lines: resumed(held, iterator) };
  }
  return { ndjson: false, record: recordOf(undefined, document) };
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
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
export function recordOfLine({ line, text }: NumberedLine): InputRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, problem: `not valid JSON: ${(error as Error).message}` };
  }
  return recordOf(line, value);
}

/** A list of dimension scores, or `{ dimension_scores, weights }`; other keys (e.g. `municipality`) are ignored. */
function recordOf(line: number | undefined, value: unknown): InputRecord {
  if (Array.isArray(value)) return { line, evaluation: { dimensionScores: value, weights: undefined } };
  if (typeof value === "object" && value !== null && Object.hasOwn(value, "dimension_scores")) {
    const { dimension_scores: dimensionScores, weights } = value as Record<string, unknown>;
    // `"weights": null` means "none of its own", like an absent key, so shared weights still apply.
    return { line, evaluation: { dimensionScores, weights: weights ?? undefined } };
  }
  return { line, problem: `expected a list of dimension scores or an object with "dimension_scores", got ${show(value)}` };
}
