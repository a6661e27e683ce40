import { arrowLayout, arrowRows, type ArrowBatch, type ArrowData, type ArrowField } from "./arrow-batches.js";
import { CopyBuffers, ffiColumns, ffiFields } from "./arrow-ffi.js";
import { openFileBlob } from "./file-blob.js";
import { loadParquet, type ParquetModule } from "./formats.js";
import type { RowBatch } from "./rows.js";
import { tableError } from "./table-errors.js";

type ParquetFile = Awaited<ReturnType<ParquetModule["ParquetFile"]["fromFile"]>>;

/** Columns decoded per parquet-wasm read. */
const COLUMNS_PER_READ = 4;

/**
 * A Parquet file read one row group at a time (parquet-wasm decodes; its Arrow arrays are copied
 * out of the wasm memory through the C data interface), only the columns the layout needs:
 * memory holds one row group's columns whatever the file's size. Parquet keeps its schema and
 * row-group index at the end, so it is read from a file (stdin is spooled to one first; see
 * spoolToFile). The batches lie in `copies`, reused row group after row group.
 */
export async function* parquetBatches(path: string, idColumn: string, copies = new CopyBuffers()): AsyncGenerator<RowBatch> {
  const wasm = await loadParquet();
  let input: Awaited<ReturnType<typeof openFileBlob>> | undefined;
  let file: ParquetFile;
  try {
    input = await openFileBlob(path);
    file = await wasm.ParquetFile.fromFile(input.blob as Blob);
  } catch (error) {
    await input?.close();
    throw tableError("E_TABLE", "", `not a readable Parquet file (${why(error)})`);
  }
  try {
    const fields = fileFields(wasm, file);
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
      copies.rewind();
      const fields: ArrowField[] = [];
      const children: ArrowData[] = [];
      // A few columns per read: parquet-wasm decoding a wide row group's 121 columns at once took
      // 3x the CPU time and 4x the wasm memory of reading them 16 at a time, and 16 at a time
      // 3.5-3.7 s against 2.9-3.0 s for 4 at a time (the 10^6 wide file read alone, less wasm
      // memory touched); a long file's 5 columns read alike either way.
      for (let c = 0; c < columns.length; c += COLUMNS_PER_READ) {
        const part = await readColumns(wasm, file, g, columns.slice(c, c + COLUMNS_PER_READ), rows, copies).catch((error: unknown) => {
          throw tableError("E_TABLE", `row ${row}`, `row group ${g + 1} of ${groups} cannot be read (${why(error)})`);
        });
        if (part === undefined) throw tableError("E_TABLE", `row ${row}`, `row group ${g + 1} of ${groups} did not decode as ${rows} rows`);
        fields.push(...part.fields);
        children.push(...part.columns);
      }
      const batch: ArrowBatch = { numRows: rows, schema: { fields }, data: { children } };
      yield arrowRows(batch, arrowLayout(fields, idColumn), row);
      row += rows;
    }
  } finally {
    file.free();
    await input.close();
  }
}

function fileFields(wasm: ParquetModule, file: ParquetFile): ArrowField[] {
  const schema = file.schema().intoFFI();
  try {
    return ffiFields(wasm.wasmMemory().buffer, schema.addr());
  } catch (error) {
    throw tableError("E_TABLE", "", `the file's schema cannot be read (${why(error)})`);
  } finally {
    schema.free();
  }
}

/**
 * Some columns of row group `g` as one record batch (batchSize = its rows), copied out of the
 * wasm memory; undefined when it did not decode as one batch of `rows` rows.
 */
async function readColumns(wasm: ParquetModule, file: ParquetFile, g: number, columns: string[], rows: number, copies: CopyBuffers) {
  const stream = (await file.read({ rowGroups: [g], columns, batchSize: rows })).intoFFI();
  try {
    if (stream.numArrays() !== 1) return undefined;
    const schema = stream.schemaAddr();
    const array = stream.arrayAddr(0);
    const memory = wasm.wasmMemory().buffer;
    const fields = ffiFields(memory, schema);
    const part = ffiColumns(memory, fields, array, copies);
    return part.rows === rows ? { fields, columns: part.columns } : undefined;
  } finally {
    stream.free();
  }
}

/** An error's own words, for the coded error that replaces it (a wasm panic says only "unreachable"). */
export function why(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
