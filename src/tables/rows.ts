import { AREA_IDS, DIMENSION_IDS, SLOTS_PER_EVALUATION } from "../core/constants.js";
import type { RowIds } from "./row-ids.js";

/**
 * Rows as every reader gives them to the gatherer: columns of one batch (a CSV chunk, a Parquet
 * row group, an Arrow record batch), text as UTF-8 bytes, numbers as doubles. A reader may reuse
 * a batch's arrays for the next one (the CSV and Parquet readers do): read a batch before pulling
 * the next.
 */

/** Cell r is `bytes[starts[r], ends[r])`, UTF-8; null where `nulls` says so. */
export interface TextColumn {
  readonly bytes: Uint8Array;
  readonly starts: ArrayLike<number>;
  readonly ends: ArrayLike<number>;
  readonly nulls?: NullMask | undefined;
}

/** Cell r is `values[r]`, unless it is null or was not a number: then `bad` holds what it was. */
export interface NumberColumn {
  readonly values: Float64Array;
  /** Row → the cell as it was (text that is not a number, or null), for the message; only the bad rows. */
  readonly bad?: ReadonlyMap<number, unknown> | undefined;
  readonly nulls?: NullMask | undefined;
}

/** Arrow's validity bitmap: bit `offset + r` set means row r is valid. */
export interface NullMask {
  readonly bitmap: Uint8Array;
  readonly offset: number;
}

export function isNull(mask: NullMask | undefined, r: number): boolean {
  if (mask === undefined) return false;
  const bit = mask.offset + r;
  return (mask.bitmap[bit >> 3]! & (1 << (bit & 7))) === 0;
}

/** How a reader names a row in messages: a CSV's line, or a Parquet/Arrow file's row (1-based). */
export type RowName = "line" | "row";

interface BatchBase {
  readonly rows: number;
  readonly rowName: RowName;
  /** The number (line or row) of the batch's first row. */
  readonly firstRow: number;
  /** Each row's own number when they are not consecutive (a CSV record that spans lines); else undefined. */
  readonly rowNumbers?: Int32Array | undefined;
  readonly key: TextColumn;
}

/** One row per plan × area × dimension. */
export interface LongBatch extends BatchBase {
  readonly layout: "long";
  readonly area: TextColumn;
  readonly dimension: TextColumn;
  readonly score: NumberColumn;
  /** Absent: the table has no std column (σ = 0). */
  readonly std: NumberColumn | undefined;
  /** The rows' area and dimension indices, when the reader worked them out (row-ids.ts); else the gatherer does. */
  readonly ids?: RowIds | undefined;
}

/** One row per plan: 60 score columns and (optionally) 60 std columns, slot `a*6 + d`. */
export interface WideBatch extends BatchBase {
  readonly layout: "wide";
  readonly scores: readonly NumberColumn[];
  readonly stds: readonly (NumberColumn | undefined)[];
}

export type RowBatch = LongBatch | WideBatch;

export function rowNumber(batch: RowBatch, r: number): number {
  return batch.rowNumbers === undefined ? batch.firstRow + r : batch.rowNumbers[r]!;
}

/** The plan key column's default name (the Python pipeline's). */
export const DEFAULT_ID_COLUMN = "plan_id";
export const LONG_COLUMNS = Object.freeze({ area: "area_id", dimension: "dimension_id", score: "score", std: "score_std" });

/** Wide columns: `score_PA01_DIM01` … and `score_std_PA01_DIM01` …, slot `a*6 + d` (pandas' pivot, levels joined by "_"). */
export const WIDE_SCORE_COLUMNS: readonly string[] = Array.from(
  { length: SLOTS_PER_EVALUATION },
  (_, s) => `score_${AREA_IDS[Math.floor(s / 6)]}_${DIMENSION_IDS[s % 6]}`,
);
export const WIDE_STD_COLUMNS: readonly string[] = WIDE_SCORE_COLUMNS.map((name) => name.replace("score_", "score_std_"));

/** Which layout a table's column names make: long when it names area_id, wide when it names the 60 score columns. */
export function layoutOf(names: readonly string[]): "long" | "wide" | undefined {
  if (names.includes(LONG_COLUMNS.area) || names.includes(LONG_COLUMNS.dimension)) return "long";
  if (names.includes(WIDE_SCORE_COLUMNS[0]!)) return "wide";
  return undefined;
}
