import { tableError } from "./table-errors.js";
import { LONG_COLUMNS, layoutOf, WIDE_SCORE_COLUMNS, WIDE_STD_COLUMNS, type NullMask, type NumberColumn, type RowBatch, type TextColumn } from "./rows.js";

/**
 * Arrow record batches (apache-arrow's, whichever copy made them: only their documented shape is
 * read, never `instanceof`) as the gatherer's rows, without a copy where the layout allows:
 * text stays in the batch's UTF-8 buffer, doubles in its Float64Array.
 */

/** Arrow type ids (apache-arrow's `Type`); NONE for any type read here as unsupported. */
export const ARROW_TYPE = Object.freeze({ NONE: 0, INT: 2, FLOAT: 3, UTF8: 5, LARGE_UTF8: 20, DICTIONARY: -1 });
const { INT, FLOAT, UTF8, LARGE_UTF8, DICTIONARY } = ARROW_TYPE;

/** The parts of apache-arrow's `Data` read here. */
export interface ArrowData {
  readonly type: ArrowType;
  readonly length: number;
  readonly offset: number;
  readonly nullCount: number;
  readonly values: ArrayLike<number | bigint> & { subarray(start: number, end: number): ArrayLike<number | bigint> };
  readonly valueOffsets?: ArrayLike<number | bigint>;
  readonly nullBitmap?: Uint8Array | undefined;
  readonly dictionary?: { readonly data: readonly ArrowData[] } | undefined;
}

export interface ArrowType {
  readonly typeId: number;
  readonly bitWidth?: number;
  readonly precision?: number;
  readonly dictionary?: ArrowType;
  toString(): string;
}

export interface ArrowField {
  readonly name: string;
  readonly type: ArrowType;
}

/** An Arrow record batch: its schema and one Data per column. */
export interface ArrowBatch {
  readonly numRows: number;
  readonly schema: { readonly fields: readonly ArrowField[] };
  readonly data: { readonly children: readonly ArrowData[] };
}

/** Which column of the batch each of the layout's columns is (checked once, from the schema). */
export type ArrowLayout =
  | { readonly kind: "long"; readonly key: number; readonly area: number; readonly dimension: number; readonly score: number; readonly std: number }
  | { readonly kind: "wide"; readonly key: number; readonly scores: readonly number[]; readonly stds: readonly number[] };

const isText = (type: ArrowType): boolean =>
  type.typeId === UTF8 || type.typeId === LARGE_UTF8 || (type.typeId === DICTIONARY && type.dictionary !== undefined && isText(type.dictionary));
const isNumber = (type: ArrowType): boolean => type.typeId === FLOAT || type.typeId === INT;

/** The layout of a schema, or a coded E_SCHEMA error naming the column that is missing or of the wrong type. */
export function arrowLayout(fields: readonly ArrowField[], idColumn: string): ArrowLayout {
  const names = fields.map((f) => f.name);
  const find = (name: string, required: boolean, ok: (type: ArrowType) => boolean, expected: string) => {
    const at = names.indexOf(name);
    if (at < 0) {
      if (required) throw tableError("E_SCHEMA", name, `no column "${name}"`);
      return -1;
    }
    const type = fields[at]!.type;
    if (!ok(type)) throw tableError("E_SCHEMA", name, `column "${name}" holds ${String(type)}; expected ${expected}`);
    return at;
  };
  const key = find(idColumn, true, (t) => isText(t) || t.typeId === INT, "text or integers (the plan key)");
  const kind = layoutOf(names);
  if (kind === "long") {
    return {
      kind,
      key,
      area: find(LONG_COLUMNS.area, true, isText, "text"),
      dimension: find(LONG_COLUMNS.dimension, true, isText, "text"),
      score: find(LONG_COLUMNS.score, true, isNumber, "numbers"),
      std: find(LONG_COLUMNS.std, false, isNumber, "numbers"),
    };
  }
  if (kind === "wide") {
    const someStd = WIDE_STD_COLUMNS.some((name) => names.includes(name));
    return {
      kind,
      key,
      scores: WIDE_SCORE_COLUMNS.map((name) => find(name, true, isNumber, "numbers")),
      stds: WIDE_STD_COLUMNS.map((name) => find(name, someStd, isNumber, "numbers")),
    };
  }
  throw tableError("E_SCHEMA", LONG_COLUMNS.area, `neither a long table (${LONG_COLUMNS.area}, ${LONG_COLUMNS.dimension}, ${LONG_COLUMNS.score}) nor a wide one (${WIDE_SCORE_COLUMNS[0]} …)`);
}

/** One record batch as rows numbered from `firstRow`. */
export function arrowRows(batch: ArrowBatch, layout: ArrowLayout, firstRow: number): RowBatch {
  const columns = batch.data.children;
  const rows = batch.numRows;
  const base = { rows, rowName: "row" as const, firstRow, rowNumbers: undefined, key: keyColumn(columns[layout.key]!) };
  if (layout.kind === "long") {
    return {
      ...base,
      layout: "long",
      area: textColumn(columns[layout.area]!),
      dimension: textColumn(columns[layout.dimension]!),
      score: numberColumn(columns[layout.score]!),
      std: layout.std < 0 ? undefined : numberColumn(columns[layout.std]!),
    };
  }
  return {
    ...base,
    layout: "wide",
    scores: layout.scores.map((c) => numberColumn(columns[c]!)),
    stds: layout.stds.map((c) => (c < 0 ? undefined : numberColumn(columns[c]!))),
  };
}

function nulls(data: ArrowData): NullMask | undefined {
  return data.nullCount > 0 && data.nullBitmap !== undefined && data.nullBitmap.length > 0 ? { bitmap: data.nullBitmap, offset: data.offset } : undefined;
}

/** Utf8, LargeUtf8 or a dictionary of either, as byte ranges. */
function textColumn(data: ArrowData): TextColumn {
  if (data.type.typeId === DICTIONARY) {
    const dictionary = data.dictionary!.data;
    if (dictionary.length !== 1) throw tableError("E_TABLE", "", "a dictionary in several parts (not supported)");
    const words = textColumn(dictionary[0]!);
    const starts = new Int32Array(data.length);
    const ends = new Int32Array(data.length);
    const indices = data.values;
    for (let r = 0; r < data.length; r++) {
      const w = Number(indices[data.offset + r]);
      starts[r] = words.starts[w] ?? 0;
      ends[r] = words.ends[w] ?? 0;
    }
    return { bytes: words.bytes, starts, ends, nulls: nulls(data) };
  }
  const offsets = data.valueOffsets!;
  const bytes = data.values as Uint8Array;
  if (offsets instanceof Int32Array) {
    return { bytes, starts: offsets.subarray(data.offset, data.offset + data.length), ends: offsets.subarray(data.offset + 1, data.offset + data.length + 1), nulls: nulls(data) };
  }
  const starts = Int32Array.from({ length: data.length }, (_, r) => Number(offsets[data.offset + r]));
  const ends = Int32Array.from({ length: data.length }, (_, r) => Number(offsets[data.offset + r + 1]));
  return { bytes, starts, ends, nulls: nulls(data) };
}

/** Text keys as they are; integer keys as their decimal text (so every format keys plans alike). */
function keyColumn(data: ArrowData): TextColumn {
  if (data.type.typeId !== INT) return textColumn(data);
  const texts = Array.from({ length: data.length }, (_, r) => String(data.values[data.offset + r]));
  const bytes = Buffer.from(texts.join(""), "latin1");
  const starts = new Int32Array(data.length);
  const ends = new Int32Array(data.length);
  let at = 0;
  texts.forEach((t, r) => {
    starts[r] = at;
    ends[r] = at += t.length;
  });
  return { bytes, starts, ends, nulls: nulls(data) };
}

/** Floats (any precision) and integers as doubles: a Float64Array is used as it is. */
function numberColumn(data: ArrowData): NumberColumn {
  const values = data.values.subarray(data.offset, data.offset + data.length);
  if (values instanceof Float64Array) return { values, nulls: nulls(data) };
  return { values: Float64Array.from(values as ArrayLike<number | bigint>, Number), nulls: nulls(data) };
}
