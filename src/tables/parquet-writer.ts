import { AREA_COUNT, AREA_ROWS, QUALITY_BY_CODE } from "../core/constants.js";
import { ByteChunks } from "./byte-chunks.js";
import { bitPacked, bitWidthOf, repeatedRuns } from "./rle-hybrid.js";
import { cyclingCells, INPUT_COLUMNS, inputColumn, RESULT_NUMBER_COLUMNS, resultColumnNames, resultNumbers, type ResultBlock, type ResultSettings, type TextCells } from "./results.js";
import { binary, BINARY, i16, I32, i32, i64, list, STRUCT, struct, thriftBytes, type ThriftValue } from "./thrift-compact.js";
import type { ByteSink, TableWriter } from "./writer.js";

// Parquet's enums (parquet.thrift), the values this writer uses.
const DOUBLE = 5;
const BYTE_ARRAY = 6;
const REQUIRED = 0;
const UTF8 = 0;
const PLAIN = 0;
const RLE = 3;
const RLE_DICTIONARY = 8;
const DATA_PAGE = 0;
const DICTIONARY_PAGE = 2;
const UNCOMPRESSED = 0;

const encoder = new TextEncoder();
const MAGIC = encoder.encode("PAR1");
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A column's place in a row group, for the footer. */
interface ChunkPlace {
  readonly name: string;
  readonly type: number;
  readonly dictionaryOffset: number | undefined;
  readonly dataOffset: number;
  readonly bytes: number;
}

function pageHeader(type: number, size: number, header: ThriftValue): Uint8Array {
  return thriftBytes(struct([[1, i32(type)], [2, i32(size)], [3, i32(size)], [type === DICTIONARY_PAGE ? 7 : 5, header]]));
}

const dataPageHeader = (rows: number, encoding: number) => struct([[1, i32(rows)], [2, i32(encoding)], [3, i32(RLE)], [4, i32(RLE)]]);

/**
 * Results as Parquet, written here: one row group per block, every column REQUIRED and
 * uncompressed in one data page (v1). Numbers are PLAIN doubles (the Float64Array's bytes); text
 * columns are dictionary-encoded: the block's plan keys as the key column's dictionary (each
 * index repeated ten times), the ten areas, the quality levels and the method as theirs.
 * Uncompressed: random doubles barely compress, and the text columns are small once dictionary-encoded.
 * Memory holds one block's bytes in the making (see ByteChunks) and the footer's few bytes per column chunk.
 */
export function parquetWriter(sink: ByteSink, settings: ResultSettings): TableWriter {
  const out = new ByteChunks(sink);
  let offset = 0;
  const rowGroups: ThriftValue[] = [];
  let totalRows = 0;
  // Each dictionary: its texts once, entry i at bytes[offsets[i], offsets[i + 1]).
  const dictionary = (texts: readonly string[]) => cyclingCells(texts.length, texts);
  const areaIds = dictionary(AREA_ROWS.map((row) => row.areaId));
  const areaNames = dictionary(AREA_ROWS.map((row) => row.areaName));
  const clusterIds = dictionary(AREA_ROWS.map((row) => row.clusterId));
  const qualities = dictionary(QUALITY_BY_CODE);
  const method = dictionary([settings.method]);
  // The indices that are the same for every block of a size (all of a run's blocks but the last).
  let same: { rows: number; areas?: Uint8Array; method?: Uint8Array } = { rows: -1 };

  const put = async (bytes: Uint8Array) => {
    await out.room(bytes.length);
    out.bytes.set(bytes, out.at);
    out.at += bytes.length;
    offset += bytes.length;
  };

  const putDoubles = async (values: Float64Array) => {
    const size = values.length * 8;
    await out.room(size);
    if (LITTLE_ENDIAN) out.bytes.set(new Uint8Array(values.buffer, values.byteOffset, size), out.at);
    else {
      const view = new DataView(out.bytes.buffer, out.bytes.byteOffset + out.at, size);
      for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i]!, true);
    }
    out.at += size;
    offset += size;
  };

  const doubleChunk = async (name: string, values: Float64Array): Promise<ChunkPlace> => {
    const start = offset;
    await put(pageHeader(DATA_PAGE, values.length * 8, dataPageHeader(values.length, PLAIN)));
    await putDoubles(values);
    return { name, type: DOUBLE, dictionaryOffset: undefined, dataOffset: start, bytes: offset - start };
  };

  /** A dictionary page of `texts` (PLAIN: each a 4-byte length and its bytes), then a data page of `rows` indices, `indices(width)` encoded. */
  const textChunk = async (name: string, texts: TextCells, rows: number, indices: (width: number) => Uint8Array): Promise<ChunkPlace> => {
    const start = offset;
    const count = texts.offsets.length - 1;
    const first = texts.offsets[0]!;
    const plain = new Uint8Array(count * 4 + texts.offsets[count]! - first);
    const view = new DataView(plain.buffer);
    for (let i = 0, at = 0; i < count; i++) {
      const from = texts.offsets[i]!;
      const length = texts.offsets[i + 1]! - from;
      view.setInt32(at, length, true);
      plain.set(texts.bytes.subarray(from, from + length), at + 4);
      at += 4 + length;
    }
    await put(pageHeader(DICTIONARY_PAGE, plain.length, struct([[1, i32(count)], [2, i32(PLAIN)]])));
    await put(plain);
    const dataOffset = offset;
    const width = bitWidthOf(count - 1);
    const encoded = indices(width);
    await put(pageHeader(DATA_PAGE, 1 + encoded.length, dataPageHeader(rows, RLE_DICTIONARY)));
    await put(Uint8Array.of(width));
    await put(encoded);
    return { name, type: BYTE_ARRAY, dictionaryOffset: start, dataOffset, bytes: offset - start };
  };

  const rowGroup = async (block: ResultBlock) => {
    const rows = block.plans * AREA_COUNT;
    if (same.rows !== rows) same = { rows };
    const areas = (width: number) => (same.areas ??= bitPacked(Uint8Array.from({ length: rows }, (_, r) => r % AREA_COUNT), width));
    const start = offset;
    const chunks = [
      await textChunk(settings.idColumn, block.keys, rows, (width) => repeatedRuns(block.plans, AREA_COUNT, width)),
      await textChunk("area_id", areaIds, rows, areas),
      await textChunk("area_name", areaNames, rows, areas),
      await textChunk("cluster_id", clusterIds, rows, areas),
    ];
    const numbers = resultNumbers(block);
    for (const [k, name] of RESULT_NUMBER_COLUMNS.entries()) chunks.push(await doubleChunk(name, numbers[k]!));
    chunks.push(await textChunk("quality_level", qualities, rows, (width) => bitPacked(block.quality.subarray(0, rows), width)));
    chunks.push(await textChunk("aggregation_method", method, rows, (width) => (same.method ??= repeatedRuns(1, rows, width))));
    if (settings.inputs) for (const [c, name] of INPUT_COLUMNS.entries()) chunks.push(await doubleChunk(name, inputColumn(block, c)));
    const bytes = offset - start;
    rowGroups.push(
      struct([[1, list(STRUCT, chunks.map((chunk) => columnChunk(chunk, rows)))], [2, i64(bytes)], [3, i64(rows)], [5, i64(start)], [6, i64(bytes)], [7, i16(rowGroups.length)]]),
    );
    totalRows += rows;
  };

  return {
    async write(block) {
      if (offset === 0) await put(MAGIC);
      if (block.plans > 0) await rowGroup(block);
    },
    async end() {
      if (offset === 0) await put(MAGIC);
      const footer = thriftBytes(fileMetaData(settings, totalRows, rowGroups));
      await put(footer);
      const length = new Uint8Array(4);
      new DataView(length.buffer).setInt32(0, footer.length, true);
      await put(length);
      await put(MAGIC);
      await out.flush();
    },
  };
}

function columnChunk(chunk: ChunkPlace, rows: number): ThriftValue {
  const encodings = chunk.dictionaryOffset === undefined ? [PLAIN] : [PLAIN, RLE_DICTIONARY];
  const metaData = struct([
    [1, i32(chunk.type)],
    [2, list(I32, encodings.map(i32))],
    [3, list(BINARY, [binary(chunk.name)])],
    [4, i32(UNCOMPRESSED)],
    [5, i64(rows)],
    [6, i64(chunk.bytes)],
    [7, i64(chunk.bytes)],
    [9, i64(chunk.dataOffset)],
    chunk.dictionaryOffset === undefined ? undefined : [11, i64(chunk.dictionaryOffset)],
  ]);
  return struct([[2, i64(chunk.dictionaryOffset ?? chunk.dataOffset)], [3, metaData]]);
}

function fileMetaData(settings: ResultSettings, rows: number, rowGroups: readonly ThriftValue[]): ThriftValue {
  const text = (name: string) => struct([[1, i32(BYTE_ARRAY)], [3, i32(REQUIRED)], [4, binary(name)], [6, i32(UTF8)], [10, struct([[1, struct([])]])]]);
  const double = (name: string) => struct([[1, i32(DOUBLE)], [3, i32(REQUIRED)], [4, binary(name)]]);
  const numbers = new Set<string>([...RESULT_NUMBER_COLUMNS, ...INPUT_COLUMNS]);
  const [key, ...rest] = resultColumnNames(settings);
  const columns = [text(key!), ...rest.map((name) => (numbers.has(name) ? double(name) : text(name)))];
  const root = struct([[4, binary("schema")], [5, i32(columns.length)]]);
  return struct([
    [1, i32(2)],
    [2, list(STRUCT, [root, ...columns])],
    [3, i64(rows)],
    [4, list(STRUCT, rowGroups)],
    [6, binary("farfan-area-aggregator")],
  ]);
}
