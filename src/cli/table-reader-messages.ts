import { AggregationError, ValidationError, type AggregationErrorCode, type Issue } from "../core/errors.js";
import type { BackendName } from "../core/types.js";
import type { TableFormat } from "../tables/formats.js";
import type { PackedBatch } from "../tables/packed-batch.js";
import { UsageError, type UsageCode } from "./usage.js";

/** What the reader thread reads: a table file, its key column, numbers parsed as `backend` parses them. */
export interface ReaderSettings {
  readonly format: TableFormat;
  readonly path: string;
  readonly idColumn: string;
  readonly backend: BackendName;
}

/** Asks for the next batch; `spares` are an earlier batch's buffers, read and done with. */
export interface ReadRequest {
  readonly spares: readonly ArrayBuffer[];
}

/** The next batch, the end of the table, or why it cannot be read further; `bytesRead` for the progress bar. */
export type ReadReply =
  | { readonly batch: PackedBatch; readonly bytesRead: number }
  | { readonly done: true; readonly bytesRead: number }
  | { readonly error: ErrorDescription };

/** One of our coded errors as a message can carry it (a class does not survive the trip between threads). */
export type ErrorDescription =
  | { readonly kind: "validation"; readonly issues: readonly Issue[]; readonly truncated: boolean }
  | { readonly kind: "aggregation"; readonly code: AggregationErrorCode; readonly message: string }
  | { readonly kind: "usage"; readonly code: UsageCode; readonly message: string };

export function describeError(error: unknown): ErrorDescription {
  if (error instanceof ValidationError) return { kind: "validation", issues: error.issues, truncated: error.truncated };
  if (error instanceof AggregationError) return { kind: "aggregation", code: error.code, message: error.message };
  if (error instanceof UsageError) return { kind: "usage", code: error.code, message: error.message };
  const why = error instanceof Error ? error.message : String(error);
  return { kind: "aggregation", code: "E_INTERNAL", message: `the table reader thread failed: ${why}` };
}

/** The error a description describes, of the class it was thrown as. */
export function rebuiltError(description: ErrorDescription): Error {
  switch (description.kind) {
    case "validation":
      return new ValidationError(description.issues, description.truncated);
    case "aggregation":
      return new AggregationError(description.code, description.message);
    case "usage":
      return new UsageError(description.message, description.code);
  }
}
