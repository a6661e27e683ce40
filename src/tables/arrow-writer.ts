import { emptyBlock, resultTable } from "./arrow-results.js";
import type { ArrowModule } from "./formats.js";
import { ResultTextColumns, type ResultBlock, type ResultSettings } from "./results.js";
import type { ByteSink, TableWriter } from "./writer.js";

/**
 * Results as Arrow IPC, file or stream format, a record batch per block (apache-arrow's
 * writer). Each block's bytes are handed to the sink before `write` resolves, so memory holds
 * one block whatever the output's size.
 */
export function arrowWriter(arrow: ArrowModule, sink: ByteSink, settings: ResultSettings, flavour: "file" | "stream"): TableWriter {
  const writer = flavour === "file" ? new arrow.RecordBatchFileWriter() : new arrow.RecordBatchStreamWriter();
  const chunks = writer[Symbol.asyncIterator]();
  const textColumns = new ResultTextColumns(settings.method);
  let wrote = false;
  // apache-arrow queues the bytes it writes and offers them only as an async iterator, which
  // waits when the queue is empty; its queue's length (not public) says when to stop reading.
  // Without it the bytes are all read at the end: the same output, held in memory meanwhile.
  const queued = () => (writer as unknown as { _sink?: { _values?: unknown } })._sink?._values;
  /** Hands the sink every byte the writer has made so far (`all`: up to the end of the output). */
  const drain = async (all: boolean) => {
    for (;;) {
      const pending = queued();
      if (!all && (!Array.isArray(pending) || pending.length === 0)) return;
      const next = await chunks.next();
      if (next.done) return;
      await sink.write(next.value);
    }
  };
  const put = async (block: ResultBlock) => {
    for (const batch of resultTable(arrow, block, settings, textColumns).batches) writer.write(batch);
    wrote = true;
    await drain(false);
  };
  return {
    write: async (block) => {
      if (block.plans > 0) await put(block);
    },
    async end() {
      if (!wrote) await put(emptyBlock());
      writer.finish();
      await drain(true);
    },
  };
}
