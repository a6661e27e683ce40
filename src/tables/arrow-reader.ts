import { arrowLayout, arrowRows, type ArrowBatch, type ArrowField, type ArrowLayout } from "./arrow-batches.js";
import { loadArrow } from "./formats.js";
import { why } from "./parquet-reader.js";
import type { RowBatch } from "./rows.js";
import { tableError } from "./table-errors.js";

/**
 * Arrow IPC, file or stream format (apache-arrow tells them apart by the file's magic), read
 * one record batch at a time from a byte stream: memory holds one batch whatever the size.
 */
export async function* arrowBatches(chunks: AsyncIterable<Uint8Array>, idColumn: string): AsyncGenerator<RowBatch> {
  const arrow = await loadArrow();
  let reader: AsyncIterable<unknown>;
  try {
    reader = await arrow.RecordBatchReader.from(chunks as AsyncIterable<Uint8Array>);
  } catch (error) {
    throw tableError("E_TABLE", "", `not an Arrow IPC file or stream (${why(error)})`);
  }
  let layout: ArrowLayout | undefined;
  let row = 1;
  const batches = reader[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<unknown>;
    try {
      next = await batches.next();
    } catch (error) {
      throw tableError("E_TABLE", `row ${row}`, `the Arrow data cannot be read past here (${why(error)})`);
    }
    if (next.done) break;
    const batch = next.value as ArrowBatch;
    layout ??= arrowLayout(batch.schema.fields, idColumn);
    yield arrowRows(batch, layout, row);
    row += batch.numRows;
  }
  if (layout === undefined && row === 1) {
    const schema = (reader as { schema?: { fields: ArrowField[] } }).schema;
    if (schema === undefined) throw tableError("E_TABLE", "", "not an Arrow IPC file or stream (no schema)");
    arrowLayout(schema.fields, idColumn);
  }
}
