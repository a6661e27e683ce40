import { openAsBlob } from "node:fs";
import { arrowLayout, arrowRows, type ArrowBatch, type ArrowField } from "./arrow-batches.js";
import { loadArrow, loadParquet } from "./formats.js";
import type { RowBatch } from "./rows.js";
import { tableError } from "./table-errors.js";

/**
 * A Parquet file read one row group at a time (parquet-wasm decodes, apache-arrow holds the
 * result), only the columns the layout needs: memory holds one row group's columns whatever
 * the file's size. Parquet keeps its schema and row-group index at the end, so it is read from
 * a file (stdin is spooled to one first; see spoolToFile).
 */
export async function* parquetBatches(path: string, idColumn: string): AsyncGenerator<RowBatch> {
  const [wasm, arrow] = await Promise.all([loadParquet(), loadArrow()]);
  let file: Awaited<ReturnType<typeof wasm.ParquetFile.fromFile>>;
  try {
    file = await wasm.ParquetFile.fromFile(await openAsBlob(path));
  } catch (error) {
    throw tableError("E_TABLE", "", `not a readable Parquet file (${why(error)})`);
  }
  try {
    const schema = arrow.tableFromIPC(file.schema().intoIPCStream()).schema;
    const fields = schema.fields as unknown as ArrowField[];
    const layout = arrowLayout(fields, idColumn);
    const columns = (layout.kind === "long" ? [layout.key, layout.area, layout.dimension, layout.score, layout.std] : [layout.key, ...layout.scores, ...layout.stds])
      .filter((c) => c >= 0)
      .map((c) => fields[c]!.name);
    const groups = file.metadata().numRowGroups();
    let row = 1;
    for (let g = 0; g < groups; g++) {
      let table: ReturnType<typeof arrow.tableFromIPC>;
      try {
        table = arrow.tableFromIPC((await file.read({ rowGroups: [g], columns })).intoIPCStream());
      } catch (error) {
        throw tableError("E_TABLE", `row ${row}`, `row group ${g + 1} of ${groups} cannot be read (${why(error)})`);
      }
      // The projection reorders nothing it was not asked for, but its column indices are its own.
      const projected = arrowLayout(table.schema.fields as unknown as ArrowField[], idColumn);
      for (const batch of table.batches) {
        yield arrowRows(batch as unknown as ArrowBatch, projected, row);
        row += batch.numRows;
      }
    }
  } finally {
    file.free();
  }
}

/** An error's own words, for the coded error that replaces it (a wasm panic says only "unreachable"). */
export function why(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
