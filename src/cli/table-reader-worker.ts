/**
 * The thread that reads a table file for the CLI (table-reader.ts): it decodes batch after batch
 * (CSV parsing, Parquet and Arrow decoding) while the main thread gathers, aggregates and writes
 * the one before. Each message asks for the next batch (and may hand back an earlier batch's
 * buffer to pack into); each reply is that batch packed, the end, or why the table cannot be
 * read further. It loads the package's own modules, native addon included (context-aware).
 */
import { parentPort, workerData } from "node:worker_threads";
import { CopyBuffers } from "../tables/arrow-ffi.js";
import { packBatch } from "../tables/packed-batch.js";
import { tableBatches } from "../tables/read.js";
import { rowIds, type RowIds } from "../tables/row-ids.js";
import type { RowBatch } from "../tables/rows.js";
import { textCodecFor } from "../tables/text-codec.js";
import { openSource } from "./input.js";
import { describeError, type ReadReply, type ReadRequest, type ReaderSettings } from "./table-reader-messages.js";

const settings = workerData as ReaderSettings;
// A Parquet row group's copies leave with its batch and come back, rather than being copied again.
const copies = new CopyBuffers();
let reading: Promise<{ batches: AsyncIterator<RowBatch>; bytesRead: () => number }> | undefined;
let ended = false;
/** Row ids' arrays, reused: packBatch copies them into the batch it sends. */
let ids: RowIds | undefined;

async function start() {
  const { format, path, idColumn, backend } = settings;
  // The CSV reader copies each chunk into its batch before it asks for the next.
  const source = await openSource(path, format === "csv" ? "copied" : "kept");
  const batches = (async function* () {
    try {
      yield* tableBatches(format, { path, chunks: source.chunks }, { idColumn, codec: textCodecFor(backend), copies });
    } finally {
      await source.close();
    }
  })();
  return { batches, bytesRead: () => source.bytesRead() };
}

async function reply({ spares }: ReadRequest): Promise<ReadReply> {
  if (ended) return { done: true, bytesRead: 0 };
  const [spare, ...moved] = spares;
  copies.giveBack(moved);
  try {
    const { batches, bytesRead } = await (reading ??= start());
    const next = await batches.next();
    if (next.done === true) {
      ended = true;
      return { done: true, bytesRead: bytesRead() };
    }
    // A long batch's row ids are worked out here, where there is time for them (row-ids.ts).
    const batch = next.value.layout === "long" ? { ...next.value, ids: (ids = rowIds(next.value, ids)) } : next.value;
    return { batch: packBatch(batch, spare, copies), bytesRead: bytesRead() };
  } catch (error) {
    ended = true;
    return { error: describeError(error) };
  }
}

parentPort!.on("message", (request: ReadRequest) => {
  void reply(request).then((answer) => parentPort!.postMessage(answer, "batch" in answer ? [...answer.batch.buffers] : []));
});
