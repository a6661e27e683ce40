import { ValidationError } from "../core/errors.js";

/**
 * Codes of what the CLI itself finds wrong with one input record (the aggregator's own
 * findings are `ValidationError`s with their `IssueCode`s):
 * - E_JSON: the text is not JSON (Python's NaN and Infinity tokens are read as numbers);
 * - E_LINE_TOO_LONG: a line over MAX_LINE_BYTES, skipped unread;
 * - E_SHAPE: neither a list of dimension scores nor an object with "dimension_scores";
 * - E_EMPTY: an input with nothing but blank lines;
 * - E_NESTING: extras nested too deeply to copy or write;
 * - E_TOO_LARGE: a result too large to write as one JSON text;
 * - E_WORKER: the worker thread handling the record (alone, after its chunk's worker stopped) stopped too;
 * - E_INTERNAL: anything else that failed while handling the record.
 */
export type RecordCode = "E_JSON" | "E_LINE_TOO_LONG" | "E_SHAPE" | "E_EMPTY" | "E_NESTING" | "E_TOO_LARGE" | "E_WORKER" | "E_INTERNAL";

/** What is wrong with one record, in the CLI's own words. */
export interface RecordProblem {
  /** A RecordCode, or the code of the coded error that stopped the record. */
  readonly code: string;
  readonly message: string;
}

/** A record's problem: the CLI's own, or the aggregator's validation issues. */
export type Problem = RecordProblem | ValidationError;

/**
 * Any exception thrown while one record was checked, aggregated or written, as that record's
 * problem: coded errors keep their code and message; the engine's own RangeErrors (a stack
 * overflow on deep nesting, a string past V8's limit) get ours, so no raw text reaches stderr.
 */
export function failureProblem(error: unknown): Problem {
  if (error instanceof ValidationError) return error;
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return { code: "E_NESTING", message: "its extras are nested too deeply to copy or write" };
  }
  if (error instanceof RangeError && /string length/i.test(error.message)) {
    return { code: "E_TOO_LARGE", message: "its result is too large to write as JSON" };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === "string" && code.startsWith("E_")) return { code, message: error.message };
  return { code: "E_INTERNAL", message: `could not be processed (${error instanceof Error ? error.name : typeof error})` };
}
