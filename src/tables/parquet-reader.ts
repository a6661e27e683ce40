import { openAsBlob } from "node:fs";
import { arrowLayout, arrowRows, type ArrowBatch, type ArrowField } from "./arrow-batches.js";
import { loadArrow, loadParquet } from "./formats.js";
import type { RowBatch } from "./rows.js";
import { tableError } from "./table-errors.js";

/** Columns decoded per parquet-wasm read. */
const COLUMNS_PER_READ = 16;

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
    const metadata = file.metadata();
    const groups = metadata.numRowGroups();
    let row = 1;
    for (let g = 0; g < groups; g++) {
      const rows = metadata.rowGroup(g).numRows();
      if (rows === 0) continue;
      const parts: { readonly batches: readonly unknown[] }[] = [];
      // A few columns per read: parquet-wasm decoding a wide row group's 121 columns at once took
      // 3x the CPU time and 4x the wasm memory of reading them 16 at a time.
      for (let c = 0; c < columns.length; c += COLUMNS_PER_READ) {
        try {
          const read = await file.read({ rowGroups: [g], columns: columns.slice(c, c + COLUMNS_PER_READ), batchSize: rows });
          parts.push(arrow.tableFromIPC(read.intoIPCStream()));
        } catch (error) {
          throw tableError("E_TABLE", `row ${row}`, `row group ${g + 1} of ${groups} cannot be read (${why(error)})`);
        }
      }
      // Each part is the whole row group as one record batch (batchSize = its rows): side by side, they are its columns.
      const batches = parts.map((part) => part.batches[0] as unknown as ArrowBatch | undefined);
      if (batches.some((batch) => batch === undefined || batch.numRows !== rows) || parts.some((part) => part.batches.length !== 1)) {
        throw tableError("E_TABLE", `row ${row}`, `row group ${g + 1} of ${groups} did not decode as ${rows} rows`);
      }
      const fields = batches.flatMap((batch) => batch!.schema.fields);
      const batch: ArrowBatch = { numRows: rows, schema: { fields }, data: { children: batches.flatMap((b) => b!.data.children) } };
      yield arrowRows(batch, arrowLayout(fields, idColumn), row);
      row += rows;
    }
  } finally {
    file.free();
  }
}

/** An error's own words, for the coded error that replaces it (a wasm panic says only "unreachable"). */
export function why(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
