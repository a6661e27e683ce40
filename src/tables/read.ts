import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type { CopyBuffers } from "./arrow-ffi.js";
import { arrowBatches } from "./arrow-reader.js";
import { csvBatches } from "./csv-reader.js";
import type { TableFormat } from "./formats.js";
import type { TextCodec } from "./text-codec.js";
import { parquetBatches } from "./parquet-reader.js";
import type { RowBatch } from "./rows.js";

/** A table's bytes: a file (which Parquet needs: its index is at the end), or a stream (stdin). */
export type TableInput = { readonly path: string; readonly chunks: AsyncIterable<Uint8Array> } | { readonly path: undefined; readonly chunks: AsyncIterable<Uint8Array> };

export interface TableReadSettings {
  /** The plan key column. */
  readonly idColumn: string;
  /** How a CSV's numbers are read (textCodecFor); the TypeScript codec if absent. */
  readonly codec?: TextCodec | undefined;
  /** Where a Parquet reader copies its batches to (a new CopyBuffers if absent). */
  readonly copies?: CopyBuffers | undefined;
}

/** The rows of a table in `format`, batch by batch. */
export async function* tableBatches(format: TableFormat, input: TableInput, { idColumn, codec, copies }: TableReadSettings): AsyncGenerator<RowBatch> {
  if (format === "csv") yield* csvBatches(input.chunks, { idColumn, codec });
  else if (format === "arrow") yield* arrowBatches(input.chunks, idColumn);
  else if (input.path !== undefined) yield* parquetBatches(input.path, idColumn, copies);
  else yield* spooled(input.chunks, (path) => parquetBatches(path, idColumn, copies));
}

/** Parquet from a stream: written to a temporary file first (removed after), since its index comes last. */
async function* spooled(chunks: AsyncIterable<Uint8Array>, read: (path: string) => AsyncGenerator<RowBatch>): AsyncGenerator<RowBatch> {
  const folder = await mkdtemp(join(tmpdir(), "farfan-"));
  try {
    const path = join(folder, "stdin.parquet");
    await pipeline(Readable.from(chunks), createWriteStream(path));
    yield* read(path);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
