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

/**
 * A call that was valid when it started but could not complete. Every error the public API
 * throws is a `ValidationError`, an `OptionsError`, a `BackendUnavailableError`, an
 * `AbortError` or this.
 */
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
