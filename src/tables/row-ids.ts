import { AREA_IDS, DIMENSION_IDS } from "../core/constants.js";
import { isNull, type LongBatch, type TextColumn } from "./rows.js";

/** A long batch's rows' area and dimension indices (-1: not one of the ids, or null). */
export interface RowIds {
  readonly areas: Int8Array;
  readonly dimensions: Int8Array;
}

/**
 * The batch's row ids, into `scratch`'s arrays when they are long enough. The CLI's reader thread
 * works them out beside the batch it reads (the gatherer's thread has more to do per row);
 * without one, the gatherer does.
 */
export function rowIds(batch: LongBatch, scratch?: RowIds): RowIds {
  const fits = scratch !== undefined && scratch.areas.length >= batch.rows;
  const areas = fits ? scratch.areas : new Int8Array(batch.rows);
  const dimensions = fits ? scratch.dimensions : new Int8Array(batch.rows);
  return { areas: idIndices(batch.area, batch.rows, AREA_IDS, areas), dimensions: idIndices(batch.dimension, batch.rows, DIMENSION_IDS, dimensions) };
}

/**
 * Each of the first `rows` cells' index among `ids` (ASCII, compared byte by byte) into `into`,
 * -1 for a cell that is none of them (or null); returns `into`. A batch at a time, the column's
 * arrays in locals: a call per cell cost more than the comparing.
 */
function idIndices(column: TextColumn, rows: number, ids: readonly string[], into: Int8Array): Int8Array {
  // "PA01"…"PA10" and "DIM01"…"DIM06": the last two bytes are the number, the rest the prefix.
  const { bytes, starts, ends, nulls } = column;
  const length = ids[0]!.length;
  const prefix = Array.from(ids[0]!.slice(0, -2), (c) => c.charCodeAt(0));
  const count = ids.length;
  for (let r = 0; r < rows; r++) {
    const start = starts[r]!;
    into[r] = -1;
    // The length first: it turns away most bad cells.
    if (ends[r]! - start !== length) continue;
    let i = 0;
    while (i < prefix.length && bytes[start + i] === prefix[i]) i++;
    if (i < prefix.length) continue;
    const tens = bytes[start + i]! - 48;
    const units = bytes[start + i + 1]! - 48;
    const n = tens * 10 + units;
    if (tens >= 0 && tens <= 9 && units >= 0 && units <= 9 && n >= 1 && n <= count) into[r] = n - 1;
  }
  if (nulls !== undefined) for (let r = 0; r < rows; r++) if (isNull(nulls, r)) into[r] = -1;
  return into;
}
