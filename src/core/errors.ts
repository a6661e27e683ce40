/** Codes of `AggregationError`: a call that could not finish for a reason other than its input's values. */
export type AggregationErrorCode =
  /** A caller buffer was detached, transferred or shrunk while an async call ran; nothing was written to it. */
  | "E_BUFFER_DETACHED"
  /** The call was cancelled: its environment (worker thread, process) is shutting down. */
  | "E_CANCELLED"
  /** The engine failed (out of memory); the call wrote nothing the caller can rely on. */
  | "E_INTERNAL";

/**
 * A call that was valid when it started but could not complete. Every error the public API
 * throws is a `ValidationError`, an `OptionsError`, a `BackendUnavailableError` or this.
 */
export class AggregationError extends Error {
  override readonly name = "AggregationError";
  readonly code: AggregationErrorCode;

  constructor(code: AggregationErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
