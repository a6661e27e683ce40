import type { ArrowModule } from "./formats.js";
import { INPUT_COLUMNS, inputColumn, keyCells, RESULT_NUMBER_COLUMNS, resultNumbers, type ResultBlock, type ResultSettings, type ResultTextColumns, type TextCells } from "./results.js";

/** A block's results as one apache-arrow table (one record batch): text columns Utf8, numbers Float64. */
export function resultTable(arrow: ArrowModule, block: ResultBlock, settings: ResultSettings, textColumns: ResultTextColumns) {
  const text = (cells: TextCells) =>
    arrow.makeVector(arrow.makeData({ type: new arrow.Utf8(), length: cells.offsets.length - 1, valueOffsets: cells.offsets, data: cells.bytes }));
  const cells = textColumns.of(block);
  const numbers = resultNumbers(block);
  const columns: Record<string, unknown> = {
    [settings.idColumn]: text(keyCells(block)),
    area_id: text(cells["area_id"]!),
    area_name: text(cells["area_name"]!),
    cluster_id: text(cells["cluster_id"]!),
  };
  RESULT_NUMBER_COLUMNS.forEach((name, k) => (columns[name] = arrow.makeVector(numbers[k]!)));
  columns["quality_level"] = text(cells["quality_level"]!);
  columns["aggregation_method"] = text(cells["aggregation_method"]!);
  if (settings.inputs) INPUT_COLUMNS.forEach((name, c) => (columns[name] = arrow.makeVector(inputColumn(block, c))));
  return new arrow.Table(columns as unknown as Record<string, InstanceType<typeof arrow.Vector>>);
}

/** No results: the table's columns with no rows, so an empty output still has its schema. */
export function emptyBlock(): ResultBlock {
  const none = new Float64Array(0);
  return { plans: 0, keys: { bytes: new Uint8Array(0), offsets: new Int32Array(1) }, score: none, std: none, ciLow: none, ciHigh: none, quality: new Uint8Array(0), inputs: { scores: none, stds: none } };
}
