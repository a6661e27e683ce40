import { JS_TEXT_CODEC, SCAN_STATE, SCAN_STOP, type CsvRowArrays, type TextCodec } from "./text-codec.js";
import { tableError } from "./table-errors.js";
import { LONG_COLUMNS, layoutOf, WIDE_SCORE_COLUMNS, WIDE_STD_COLUMNS, type NumberColumn, type RowBatch, type TextColumn } from "./rows.js";

/** Bytes parsed per batch: large enough that per-batch work is noise, small enough to keep memory flat. */
const BATCH_BYTES = 4 << 20;
const COMMA = 44;
const QUOTE = 34;
const NEWLINE = 10;
const RETURN = 13;

export interface CsvSettings {
  /** The plan key column. */
  readonly idColumn: string;
  /** Who scans the records and reads the numbers (the backend's: textCodecFor). @default TypeScript's */
  readonly codec?: TextCodec | undefined;
}

/**
 * A CSV (RFC 4180: comma-separated, fields quoted with `"` and `""` inside, CRLF or LF, a header
 * row) read as batches of rows, chunk by chunk: memory holds one batch of text whatever the
 * file's size. Only the columns the layout needs are read; others are skipped.
 *
 * Records are scanned by `settings.codec`: natively on the native backend up to a record with a
 * quoted field, which the TypeScript scanner reads, as it reads every record on the JS backend
 * (over the text as latin1: one character a byte, so string offsets are byte offsets and
 * `indexOf` finds delimiters at memchr speed). Keys and ids are compared and kept as their UTF-8
 * bytes; numbers are parsed a column at a time by the codec (correctly rounded: the same double
 * as JSON.parse gives), within a strict grammar (`parseNumber`).
 */
export async function* csvBatches(chunks: AsyncIterable<Uint8Array>, settings: CsvSettings): AsyncGenerator<RowBatch> {
  const scanner = new Scanner();
  let layout: Layout | undefined;
  /** One builder for the run: its columns are filled again for each batch, once the consumer is done with the last. */
  let builder: BatchBuilder | undefined;
  let buffer = Buffer.alloc(BATCH_BYTES * 2);
  let held = 0;
  let line = 1;
  const codec = settings.codec ?? JS_TEXT_CODEC;
  const scan = new Int32Array(3);
  const flush = function* (eof: boolean): Generator<RowBatch> {
    // The text as latin1, made only when the TypeScript scanner or a message needs it.
    let text: string | undefined;
    const textOf = () => (text ??= buffer.toString("latin1", 0, held));
    let at = 0;
    if (layout === undefined) {
      const header = scanner.record(textOf(), 0, eof);
      if (header < 0) return;
      layout = layoutFrom(scanner.fieldTexts(buffer), settings);
      line += scanner.newlines;
      at = header;
    }
    const batch = (builder ??= new BatchBuilder(layout, codec));
    // The text held, not the whole buffer: a batch's bytes are copied when it moves to another thread.
    batch.reset(buffer.subarray(0, held), line);
    for (;;) {
      if (codec.scanCsv !== undefined && at < held) {
        // The records without quoted fields natively; then one record here, or more room.
        if (batch.full) batch.grow();
        scan[SCAN_STATE.at] = at;
        scan[SCAN_STATE.line] = line;
        scan[SCAN_STATE.rows] = batch.rows;
        const stop = codec.scanCsv(buffer, held, eof, batch.arrays, scan);
        at = scan[SCAN_STATE.at]!;
        line = scan[SCAN_STATE.line]!;
        batch.rows = scan[SCAN_STATE.rows]!;
        if (stop === SCAN_STOP.full) continue;
        if (stop !== SCAN_STOP.quoted) break;
      }
      const next = scanner.record(textOf(), at, eof);
      if (next < 0) break;
      if (!scanner.blank) batch.add(scanner, line);
      line += scanner.newlines;
      at = next;
      if (next >= held) break;
    }
    if (batch.rows > 0) yield batch.build(textOf);
    // The unfinished record moves to the front, after the consumer is done with the batch.
    buffer.copy(buffer, 0, at, held);
    held -= at;
  };
  for await (const chunk of chunks) {
    if (held + chunk.length > buffer.length) {
      const bigger = Buffer.alloc(Math.max(buffer.length * 2, held + chunk.length));
      buffer.copy(bigger, 0, 0, held);
      buffer = bigger;
    }
    buffer.set(chunk, held);
    held += chunk.length;
    if (held >= BATCH_BYTES) yield* flush(false);
  }
  yield* flush(true);
  if (held > 0) throw tableError("E_TABLE", `line ${line}`, "the file ends inside a quoted field");
  if (layout === undefined) throw tableError("E_TABLE", "", "empty: no header row");
}

/** Where the layout's columns are among the header's fields. */
type Layout =
  | { readonly kind: "long"; readonly key: number; readonly area: number; readonly dimension: number; readonly score: number; readonly std: number }
  | { readonly kind: "wide"; readonly key: number; readonly scores: readonly number[]; readonly stds: readonly number[] };

function layoutFrom(names: string[], settings: CsvSettings): Layout {
  if (names[0]?.charCodeAt(0) === 0xfeff) names[0] = names[0].slice(1);
  const kind = layoutOf(names);
  const find = (name: string, required: boolean) => {
    const at = names.indexOf(name);
    if (at < 0 && required) throw tableError("E_SCHEMA", name, `no column "${name}" in the header`);
    return at;
  };
  const key = find(settings.idColumn, true);
  if (kind === "long") {
    return { kind, key, area: find(LONG_COLUMNS.area, true), dimension: find(LONG_COLUMNS.dimension, true), score: find(LONG_COLUMNS.score, true), std: find(LONG_COLUMNS.std, false) };
  }
  if (kind === "wide") {
    const stds = WIDE_STD_COLUMNS.map((name) => names.indexOf(name));
    const someStd = stds.some((at) => at >= 0);
    return { kind, key, scores: WIDE_SCORE_COLUMNS.map((name) => find(name, true)), stds: someStd ? WIDE_STD_COLUMNS.map((name) => find(name, true)) : stds };
  }
  throw tableError("E_SCHEMA", LONG_COLUMNS.area, `neither a long table (${LONG_COLUMNS.area}, ${LONG_COLUMNS.dimension}, ${LONG_COLUMNS.score}) nor a wide one (${WIDE_SCORE_COLUMNS[0]} …)`);
}

/**
 * Finds the fields of one record at a time. After `record`, fields 0 … `count - 1` are
 * `[starts[f], ends[f])` of the buffer; `escaped[f]` marks a quoted field with `""` inside, whose
 * bytes `unescape` rewrites in place.
 */
class Scanner {
  starts = new Int32Array(256);
  ends = new Int32Array(256);
  escaped = new Uint8Array(256);
  quoted = new Uint8Array(256);
  count = 0;
  /** Line breaks the last record took (1, or more inside quoted fields; 0 for a last line without one). */
  newlines = 0;
  blank = false;

  /** Scans the record at `at`; returns where the next one starts, or -1 if the text ends inside it (more is needed). */
  record(text: string, at: number, eof: boolean): number {
    const length = text.length;
    if (at >= length) return -1;
    let count = 0;
    let pos = at;
    let newlines = 0;
    // The record's line end, found once (again only after a quoted field, which may hold line breaks).
    let newline = -1;
    for (;;) {
      if (count === this.starts.length) this.#grow();
      if (pos < length && text.charCodeAt(pos) === QUOTE) {
        let close = pos + 1;
        let escaped = 0;
        for (;;) {
          close = text.indexOf('"', close);
          if (close < 0 || (close + 1 === length && !eof)) return -1;
          if (text.charCodeAt(close + 1) !== QUOTE) break;
          escaped = 1;
          close += 2;
        }
        for (let i = text.indexOf("\n", pos); i >= 0 && i < close; i = text.indexOf("\n", i + 1)) newlines++;
        this.starts[count] = pos + 1;
        this.ends[count] = close;
        this.escaped[count] = escaped;
        this.quoted[count++] = 1;
        pos = close + 1;
        // After the closing quote: a comma, a line end, or the end; anything else is kept as text up to the delimiter.
        const c = pos < length ? text.charCodeAt(pos) : -1;
        if (c === COMMA) {
          pos++;
          continue;
        }
        if (c !== NEWLINE && c !== RETURN && c !== -1) {
          const stop = nextDelimiter(text, pos);
          if (stop < 0 && !eof) return -1;
          this.ends[count - 1] = stop < 0 ? length : stop;
          pos = stop < 0 ? length : stop;
          if (pos < length && text.charCodeAt(pos) === COMMA) {
            pos++;
            continue;
          }
        }
        return this.#end(text, pos, count, newlines);
      }
      if (newline < pos) {
        newline = text.indexOf("\n", pos);
        if (newline < 0) {
          if (!eof) return -1;
          newline = length;
        }
      }
      const comma = text.indexOf(",", pos);
      this.starts[count] = pos;
      this.escaped[count] = 0;
      this.quoted[count] = 0;
      if (comma >= 0 && comma < newline) {
        this.ends[count++] = comma;
        pos = comma + 1;
        continue;
      }
      this.ends[count++] = newline > pos && text.charCodeAt(newline - 1) === RETURN ? newline - 1 : newline;
      this.count = count;
      this.newlines = newlines + (newline < length ? 1 : 0);
      this.blank = count === 1 && this.ends[0] === this.starts[0];
      return Math.min(newline + 1, length);
    }
  }

  /** The record ends at `pos` (a line break or the end of the text). */
  #end(text: string, pos: number, count: number, newlines: number): number {
    let next = pos;
    if (next < text.length && text.charCodeAt(next) === RETURN) next++;
    const broke = next < text.length && text.charCodeAt(next) === NEWLINE;
    this.count = count;
    this.newlines = newlines + (broke ? 1 : 0);
    this.blank = false;
    return broke ? next + 1 : next;
  }

  /** Rewrites escaped field f's `""` as `"` in the buffer; returns its new end. */
  unescape(buffer: Uint8Array, f: number): number {
    if (this.escaped[f] === 0) return this.ends[f]!;
    let write = this.starts[f]!;
    for (let read = write; read < this.ends[f]!; read++, write++) {
      buffer[write] = buffer[read]!;
      if (buffer[read] === QUOTE) read++;
    }
    this.escaped[f] = 0;
    return (this.ends[f] = write);
  }

  /** Every field of the last record as text (the header). */
  fieldTexts(buffer: Uint8Array): string[] {
    const decoder = new TextDecoder();
    return Array.from({ length: this.count }, (_, f) => decoder.decode(buffer.subarray(this.starts[f]!, this.unescape(buffer, f))));
  }

  #grow(): void {
    const length = this.starts.length * 2;
    this.starts = grownTo(this.starts, length);
    this.ends = grownTo(this.ends, length);
    this.escaped = grownTo(this.escaped, length);
    this.quoted = grownTo(this.quoted, length);
  }
}

function nextDelimiter(text: string, from: number): number {
  const comma = text.indexOf(",", from);
  const newline = text.indexOf("\n", from);
  if (comma < 0) return newline;
  return newline < 0 ? comma : Math.min(comma, newline);
}

/** Rows of one batch, column by column, as the layout asks. */
class BatchBuilder {
  readonly #layout: Layout;
  readonly #codec: TextCodec;
  #buffer: Uint8Array = new Uint8Array(0);
  #firstLine = 0;
  rows = 0;
  /**
   * The rows' cells: column c (the text columns, then the numbers) reads record field
   * `fields[c]` (-1: none, a table without stds); its cell r is `bytes[starts[i], ends[i])`,
   * i = c * capacity + r, or -1 and -1 where the record has no such field (null) or, for a
   * number, the field is empty and unquoted (null too). `lines` holds each row's line.
   */
  arrays: CsvRowArrays;
  readonly #columns: number;
  #values: Float64Array[];
  #bad: Uint8Array;

  constructor(layout: Layout, codec: TextCodec) {
    this.#layout = layout;
    this.#codec = codec;
    const texts = layout.kind === "long" ? [layout.key, layout.area, layout.dimension] : [layout.key];
    const numbers = layout.kind === "long" ? [layout.score, layout.std] : [...layout.scores, ...layout.stds];
    const capacity = 4096;
    this.#columns = texts.length + numbers.length;
    this.arrays = {
      fields: Int32Array.from([...texts, ...numbers]),
      numberFrom: texts.length,
      starts: new Int32Array(capacity * this.#columns),
      ends: new Int32Array(capacity * this.#columns),
      lines: new Int32Array(capacity),
    };
    this.#values = numbers.map(() => new Float64Array(capacity));
    this.#bad = new Uint8Array(capacity);
  }

  get full(): boolean {
    return this.rows === this.arrays.lines.length;
  }

  /** Starts a batch over `buffer`, its first row at `firstLine`. */
  reset(buffer: Uint8Array, firstLine: number): void {
    this.#buffer = buffer;
    this.#firstLine = firstLine;
    this.rows = 0;
  }

  add(scanner: Scanner, line: number): void {
    if (this.full) this.grow();
    const r = this.rows++;
    const { fields, numberFrom, starts, ends, lines } = this.arrays;
    const capacity = lines.length;
    lines[r] = line;
    const count = scanner.count;
    for (let c = 0; c < this.#columns; c++) {
      const f = fields[c]!;
      if (f < 0) continue;
      const cell = c * capacity + r;
      if (f >= count) {
        starts[cell] = ends[cell] = -1;
      } else if (c < numberFrom) {
        starts[cell] = scanner.starts[f]!;
        ends[cell] = scanner.unescape(this.#buffer, f);
      } else {
        // An empty field unquoted is null; `""` is an empty text.
        const none = scanner.starts[f] === scanner.ends[f] && scanner.quoted[f] === 0;
        starts[cell] = none ? -1 : scanner.starts[f]!;
        ends[cell] = none ? -1 : scanner.ends[f]!;
      }
    }
  }

  /** The batch's columns; `text()` is its buffer as latin1. */
  build(text: () => string): RowBatch {
    const rows = this.rows;
    const { fields, numberFrom, starts, ends, lines } = this.arrays;
    const capacity = lines.length;
    const cells = (c: number) => [starts.subarray(c * capacity, c * capacity + rows), ends.subarray(c * capacity, c * capacity + rows)] as const;
    const texts = Array.from({ length: numberFrom }, (_, c) => textColumn(this.#buffer, ...cells(c)));
    const numbers = this.#values.map((values, n) => (fields[numberFrom + n]! < 0 ? undefined : this.#numberColumn(text, ...cells(numberFrom + n), values.subarray(0, rows))));
    const base = { rows, rowName: "line" as const, firstRow: this.#firstLine, rowNumbers: lines.subarray(0, rows), key: texts[0]! };
    if (this.#layout.kind === "long") {
      return { ...base, layout: "long", area: texts[1]!, dimension: texts[2]!, score: numbers[0]!, std: numbers[1] };
    }
    return { ...base, layout: "wide", scores: numbers.slice(0, 60) as NumberColumn[], stds: numbers.slice(60) };
  }

  #numberColumn(text: () => string, starts: Int32Array, ends: Int32Array, values: Float64Array): NumberColumn {
    const rows = starts.length;
    const bad = this.#bad.subarray(0, rows);
    if (this.#codec.parseNumbers(this.#buffer, text, starts, ends, values, bad) === 0) return { values };
    // The cells as they were, for the messages: null for none, else the field's text.
    const cells = new Map<number, unknown>();
    for (let r = 0; r < rows; r++) if (bad[r] === 1) cells.set(r, starts[r]! < 0 ? null : text().slice(starts[r]!, ends[r]!));
    return { values, bad: cells };
  }

  /** Twice the rows. */
  grow(): void {
    const { fields, numberFrom, starts, ends, lines } = this.arrays;
    const capacity = lines.length;
    const grown = capacity * 2;
    const regrid = (from: Int32Array) => {
      const to = new Int32Array(grown * this.#columns);
      for (let c = 0; c < this.#columns; c++) to.set(from.subarray(c * capacity, (c + 1) * capacity), c * grown);
      return to;
    };
    this.arrays = { fields, numberFrom, starts: regrid(starts), ends: regrid(ends), lines: grownTo(lines, grown) };
    this.#values = this.#values.map(() => new Float64Array(grown));
    this.#bad = new Uint8Array(grown);
  }
}

/** A text column's cells; those with start -1 (no such field) are null, read as empty. */
function textColumn(bytes: Uint8Array, starts: Int32Array, ends: Int32Array): TextColumn {
  let bitmap: Uint8Array | undefined;
  for (let r = 0; r < starts.length; r++) {
    if (starts[r]! >= 0) continue;
    bitmap ??= new Uint8Array((starts.length + 7) >> 3).fill(0xff);
    bitmap[r >> 3]! &= ~(1 << (r & 7));
    starts[r] = ends[r] = 0;
  }
  return { bytes, starts, ends, nulls: bitmap === undefined ? undefined : { bitmap, offset: 0 } };
}

/** A copy of `array` with room for `length` elements. */
function grownTo<T extends Int32Array | Uint8Array>(array: T, length: number): T {
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array);
  return copy;
}
