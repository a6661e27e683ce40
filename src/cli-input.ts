import { readFile } from "node:fs/promises";
import { text as readAll } from "node:stream/consumers";
import { show } from "./validate.js";

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

export interface ParsedInput {
  readonly ndjson: boolean;
  /** Lazy for NDJSON, so a caller that stops early (`--fail-fast`) parses no further. */
  readonly records: Iterable<InputRecord>;
}

/** The text of FILE, or of stdin for `-`. */
export async function readSource(file: string): Promise<string> {
  const text = file === "-" ? await readAll(process.stdin) : await readFileText(file);
  // Editors on Windows like to start JSON with a byte-order mark, which JSON.parse rejects.
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
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
 * One evaluation when the whole text parses as JSON; otherwise NDJSON, one evaluation per
 * non-blank line, each line parsed on its own.
 */
export function parseInput(text: string): ParsedInput {
  if (text.trim() === "") {
    return { ndjson: false, records: [{ line: undefined, problem: "empty; expected JSON or NDJSON" }] };
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return { ndjson: true, records: ndjsonRecords(text) };
  }
  return { ndjson: false, records: [recordOf(undefined, document)] };
}

function* ndjsonRecords(text: string): Generator<InputRecord> {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const source = lines[i]!;
    if (source.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      yield { line: i + 1, problem: `not valid JSON: ${(error as Error).message}` };
      continue;
    }
    yield recordOf(i + 1, value);
  }
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
