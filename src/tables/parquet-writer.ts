import { emptyBlock, resultTable } from "./arrow-results.js";
import type { ArrowModule, ParquetModule } from "./formats.js";
import { AREA_COUNT } from "../core/constants.js";
import { ResultTextColumns, type ResultBlock, type ResultSettings } from "./results.js";
import type { ByteSink, TableWriter } from "./writer.js";

/**
 * Results as Parquet (parquet-wasm's streaming writer, snappy-compressed), a row group every
 * `blockPlans` plans. A block is turned into Arrow IPC and handed to the writer when it asks for
 * more; `write` resolves then, so memory holds a block and one row group in the making.
 */
export function parquetWriter(arrow: ArrowModule, wasm: ParquetModule, sink: ByteSink, settings: ResultSettings, blockPlans: number): TableWriter {
  const waiting: { block: ResultBlock | null; taken: () => void }[] = [];
  let wake: (() => void) | undefined;
  let wrote = false;
  const textColumns = new ResultTextColumns(settings.method);
  const next = async () => {
    while (waiting.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    return waiting.shift()!;
  };
  const input = new ReadableStream<unknown>(
    {
      async pull(controller) {
        const { block, taken } = await next();
        if (block === null) {
          taken();
          controller.close();
          return;
        }
        const ipc = arrow.tableToIPC(resultTable(arrow, block, settings, textColumns), "stream");
        taken();
        const table = wasm.Table.fromIPCStream(ipc);
        for (const batch of table.recordBatches()) controller.enqueue(batch);
      },
    },
    { highWaterMark: 0 },
  );
  const properties = new wasm.WriterPropertiesBuilder()
    .setCompression(wasm.Compression.SNAPPY)
    .setMaxRowGroupSize(blockPlans * AREA_COUNT)
    .build();
  // Not awaited here: the writer pulls its first block before it resolves, and blocks come only once this returns.
  const pump = (async () => {
    const output = await wasm.transformParquetStream(input as ReadableStream, properties);
    for await (const chunk of output as unknown as AsyncIterable<Uint8Array>) await sink.write(chunk);
  })();
  // A failure of the writer rejects the write or end that waits on it.
  const failed = pump.then(() => new Promise<never>(() => {}));
  failed.catch(() => {});
  const put = async (block: ResultBlock | null) => {
    const taken = new Promise<void>((resolve) => waiting.push({ block, taken: resolve }));
    wake?.();
    await Promise.race([taken, failed]);
  };
  return {
    async write(block) {
      if (block.plans === 0) return;
      wrote = true;
      await put(block);
    },
    async end() {
      if (!wrote) await put(emptyBlock());
      await put(null);
      await pump;
    },
  };
}
