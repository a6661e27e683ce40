import { MAX_ISSUES } from "./constants.js";
import { escapeInvisible } from "./text.js";

/**
 * Every error the package's API throws, each with a stable `code`: ValidationError (bad input),
 * OptionsError (a bad option), BackendUnavailableError (`backend: "native"` without the
 * engine), AggregationError (a valid call that could not complete) and AbortError (a call
 * aborted through its signal).
 */

/** Stable codes of docs/contract.md §3. */
export type IssueCode =
  | "E_COUNT"
  | "E_TYPE"
  | "E_UNKNOWN_ID"
  | "E_HERMETICITY"
  | "E_NON_FINITE"
  | "E_RANGE"
  | "E_WEIGHTS"
  /** JSON text given to `dimensionScoresFromJson` that does not parse (the message says where). */
  | "E_JSON"
  /** Tables: a file that is not the format it claims, or is cut short (the path names the column or row where it is known). */
  | "E_TABLE"
  /** Tables: a column missing, or of a type that cannot hold it (`score` stored as text); the path names the column. */
  | "E_SCHEMA"
  /** Tables read as sorted by plan: a plan key whose rows come in two runs apart. */
  | "E_PLAN_SPLIT"
  /** Tables: a plan still incomplete when the cap of plans open at once was reached. */
  | "E_OPEN_PLANS";

/** One problem of a rejected input: its docs/contract.md §3 code, where it is, and what is wrong in plain words. */
export interface Issue {
  readonly code: IssueCode;
  /** Where: `[17].score`, `weights.PA03.DIM02`, `PA03.DIM04` for a missing pair, `""` for the whole input. */
  readonly path: string;
  readonly message: string;
}

/** How many issues the error message spells out; the rest are in `issues`. */
const ISSUES_IN_MESSAGE = 3;

/**
 * A bad evaluation or bad weights. `code` is the first issue's code; `issues` lists every
 * problem found, up to `MAX_ISSUES` (then `truncated` is true).
 */
export class ValidationError extends Error {
  override readonly name = "ValidationError";
  readonly code: IssueCode;
  readonly issues: readonly Issue[];
  readonly truncated: boolean;

  constructor(issues: readonly Issue[], truncated = false) {
    const first = issues[0];
    if (first === undefined) throw new TypeError("ValidationError needs at least one issue");
    super(describe(issues, truncated));
    this.code = first.code;
    this.issues = Object.freeze(issues.map((i) => Object.freeze({ ...i })));
    this.truncated = truncated;
  }
}

function describe(issues: readonly Issue[], truncated: boolean): string {
  const shown = issues.slice(0, ISSUES_IN_MESSAGE).map((i) => `${escapeInvisible(i.path) || "input"}: ${escapeInvisible(i.message)} (${i.code})`);
  const rest = issues.length - shown.length;
  const more = rest > 0 ? `; and ${rest} more${truncated ? ` (list capped at ${MAX_ISSUES})` : ""}` : "";
  const count = issues.length === 1 ? "1 issue" : `${issues.length}${truncated ? "+" : ""} issues`;
  return `Invalid input, ${count}: ${shown.join("; ")}${more}`;
}

/** A bad option: a precise message and a stable code, thrown when the aggregator is built. */
export class OptionsError extends TypeError {
  override readonly name = "OptionsError";
  readonly code = "E_OPTIONS";
}

/**
 * `backend: "native"` was asked for but the addon is not in use (not built for this platform,
 * failed to load, or FARFAN_AGGREGATOR_FORCE_JS=1). `cause` holds the load error, when there was one.
 */
export class BackendUnavailableError extends Error {
  override readonly name = "BackendUnavailableError";
  readonly code = "E_NATIVE_UNAVAILABLE";
}

/** Codes of `AggregationError`: a call that could not finish for a reason other than its input's values. */
export type AggregationErrorCode =
  /** A caller buffer was detached, transferred or shrunk while an async call ran; nothing was written to it. */
  | "E_BUFFER_DETACHED"
  /** The call was cancelled: its environment (worker thread, process) is shutting down. (A call aborted through its `signal` rejects with `AbortError` instead.) */
  | "E_CANCELLED"
  /** The engine failed (out of memory); the call wrote nothing the caller can rely on. */
  | "E_INTERNAL"
  /** A table format whose library (an optional dependency: apache-arrow, parquet-wasm) is not installed. */
  | "E_FORMAT_UNAVAILABLE";

/** A call that was valid when it started but could not complete. */
export class AggregationError extends Error {
  override readonly name = "AggregationError";
  readonly code: AggregationErrorCode;

  constructor(code: AggregationErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * A call aborted through its `signal` call option, shaped as Node's own (`name` "AbortError",
 * `code` "ABORT_ERR"), with the signal's `reason` as its `cause`. The call's work stops at its
 * next chunk (a few milliseconds); outputs it was given are left unspecified.
 */
export class AbortError extends Error {
  override readonly name = "AbortError";
  readonly code = "ABORT_ERR";

  constructor(message = "The operation was aborted", options?: { cause?: unknown }) {
    super(message, options);
  }
}
