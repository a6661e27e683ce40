import { AggregationError } from "../core/errors.js";
import type { BackendName } from "../core/types.js";
import { WorkerPool } from "../core/worker-pool.js";
import type { TableFormat } from "../tables/formats.js";
import { unpackBatch } from "../tables/packed-batch.js";
import { tableBatches } from "../tables/read.js";
import type { RowBatch } from "../tables/rows.js";
import { textCodecFor } from "../tables/text-codec.js";
import type { Source } from "./input.js";
import type { InputPosition } from "./progress.js";
import { rebuiltError, type ReaderSettings, type ReadReply, type ReadRequest } from "./table-reader-messages.js";

export interface TableRows {
  readonly batches: AsyncGenerator<RowBatch>;
  /** How far the reading is, for the progress bar (Parquet is read by row groups: none shown). */
  readonly position: InputPosition;
}

/**
 * The rows of the CLI's input table. A file is read on a thread of its own when `jobs` allows a
 * second thread: reading and decoding take about half of a table run and gathering, aggregating
 * and writing the other half, so the two overlap. Stdin (and `--jobs 1`) is read on this thread.
 * `source` is the input, opened already (a missing file is a usage error before any output).
 */
export function tableRows(source: Source, file: string, format: TableFormat, idColumn: string, backend: BackendName, jobs: number): TableRows {
  const totalBytes = format === "parquet" ? undefined : source.totalBytes;
  if (file === "-" || jobs < 2) {
    const input = { path: file === "-" ? undefined : file, chunks: source.chunks };
    return { batches: tableBatches(format, input, { idColumn, codec: textCodecFor(backend) }), position: format === "parquet" ? { totalBytes, bytesRead: () => 0 } : source };
  }
  const read = { bytes: 0 };
  return { batches: readOnThread({ format, path: file, idColumn, backend }, read), position: { totalBytes, bytesRead: () => read.bytes } };
}

/**
 * Batches read by the reader thread (table-reader-worker.ts), one asked for ahead: while this
 * thread handles batch k, that one reads batch k+1. A batch's buffers come back with the request
 * after next, so memory holds two batches (the one read here, the one read there) and the
 * reader's own buffers (none for Parquet: its row groups' copies move whole). Closing the generator (the run
 * ended, or stopped early) stops the thread.
 */
async function* readOnThread(settings: ReaderSettings, read: { bytes: number }): AsyncGenerator<RowBatch> {
  const pool = new WorkerPool<ReadRequest, ReadReply>({
    script: () => new URL("./table-reader-worker.js", import.meta.url),
    size: 1,
    workerData: settings,
    lost: (why) => new AggregationError("E_INTERNAL", `the table reader thread stopped (${why instanceof Error ? why.message : `exit code ${String(why)}`})`, { cause: why }),
  });
  const ask = (spares: readonly ArrayBuffer[]) => {
    const reply = pool.run({ build: () => ({ message: { spares }, transfer: spares }) });
    // Awaited below, unless the run stops first: then its rejection (the thread stopped) is of no interest.
    reply.catch(() => {});
    return reply;
  };
  try {
    let asked = ask([]);
    let spares: readonly ArrayBuffer[] = [];
    for (;;) {
      const reply = await asked;
      if ("error" in reply) throw rebuiltError(reply.error);
      read.bytes = reply.bytesRead;
      if ("done" in reply) return;
      // The batch before this one is done with: the caller asked for this one.
      asked = ask(spares);
      yield unpackBatch(reply.batch);
      spares = reply.batch.buffers;
    }
  } finally {
    await pool.close();
  }
}
