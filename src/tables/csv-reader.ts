import { JS_NUMBER_TEXT, type NumberText } from "./number-text.js";
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
  /** Who reads the numbers (the backend's: numberTextFor). @default TypeScript */
  readonly numbers?: NumberText | undefined;
}

/**
 * A CSV (RFC 4180: comma-separated, fields quoted with `"` and `""` inside, CRLF or LF, a header
 * row) read as batches of rows, chunk by chunk: memory holds one batch of text whatever the
 * file's size. Only the columns the layout needs are read; others are skipped.
 *
 * The text is scanned as latin1 (one character a byte, so string offsets are byte offsets and
 * `indexOf` finds delimiters at memchr speed); keys and ids are compared and kept as their UTF-8
 * bytes, numbers are parsed a column at a time by `settings.numbers` (correctly rounded: the
 * same double as JSON.parse gives), within a strict grammar (`parseNumber`).
 */
export async function* csvBatches(chunks: AsyncIterable<Uint8Array>, settings: CsvSettings): AsyncGenerator<RowBatch> {
  const scanner = new Scanner();
  let layout: Layout | undefined;
  /** One builder for the run: its columns are filled again for each batch, once the consumer is done with the last. */
  let builder: BatchBuilder | undefined;
  let buffer = Buffer.alloc(BATCH_BYTES * 2);
  let held = 0;
  let line = 1;
  const flush = function* (eof: boolean): Generator<RowBatch> {
    const text = buffer.toString("latin1", 0, held);
    let at = 0;
    if (layout === undefined) {
      const header = scanner.record(text, 0, eof);
      if (header < 0) return;
      layout = layoutFrom(scanner.fieldTexts(buffer), settings);
      line += scanner.newlines;
      at = header;
    }
    const batch = (builder ??= new BatchBuilder(layout, settings.numbers ?? JS_NUMBER_TEXT));
    batch.reset(buffer, line);
    for (;;) {
      const next = scanner.record(text, at, eof);
      if (next < 0) break;
      if (!scanner.blank) batch.add(scanner, line);
      line += scanner.newlines;
      at = next;
      if (next >= held) break;
    }
    if (batch.rows > 0) yield batch.build(text);
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
  readonly #numberText: NumberText;
  #buffer: Uint8Array = new Uint8Array(0);
  #firstLine = 0;
  rows = 0;
  #capacity = 4096;
  #lines = new Int32Array(this.#capacity);
  readonly #text: TextBuilder[];
  readonly #numbers: NumberBuilder[];
  /** Per layout column: which builder (text or number) and the field index it reads. */
  readonly #textFields: number[];
  readonly #numberFields: number[];

  constructor(layout: Layout, numberText: NumberText) {
    this.#layout = layout;
    this.#numberText = numberText;
    this.#textFields = layout.kind === "long" ? [layout.key, layout.area, layout.dimension] : [layout.key];
    this.#numberFields = layout.kind === "long" ? [layout.score, layout.std] : [...layout.scores, ...layout.stds];
    this.#text = this.#textFields.map(() => new TextBuilder(this.#capacity));
    this.#numbers = this.#numberFields.map(() => new NumberBuilder(this.#capacity));
  }

  /** Starts a batch over `buffer`, its first row at `firstLine`. */
  reset(buffer: Uint8Array, firstLine: number): void {
    this.#buffer = buffer;
    this.#firstLine = firstLine;
    this.rows = 0;
    for (const t of this.#text) t.reset();
  }

  add(scanner: Scanner, line: number): void {
    const r = this.rows++;
    if (r === this.#capacity) this.#grow();
    this.#lines[r] = line;
    const count = scanner.count;
    for (let c = 0; c < this.#textFields.length; c++) {
      const f = this.#textFields[c]!;
      const column = this.#text[c]!;
      if (f >= count) {
        column.starts[r] = 0;
        column.ends[r] = 0;
        column.missing(r);
      } else {
        column.starts[r] = scanner.starts[f]!;
        column.ends[r] = scanner.unescape(this.#buffer, f);
      }
    }
    for (let c = 0; c < this.#numberFields.length; c++) {
      const f = this.#numberFields[c]!;
      if (f < 0) continue;
      const column = this.#numbers[c]!;
      const start = f < count ? scanner.starts[f]! : -1;
      const end = f < count ? scanner.ends[f]! : -1;
      // A missing field, or an empty one unquoted, is null (start -1); `""` is an empty text.
      const none = start === end && (start < 0 || scanner.quoted[f] === 0);
      column.starts[r] = none ? -1 : start;
      column.ends[r] = none ? -1 : end;
    }
  }

  /** The batch's columns; `text` is its buffer as latin1. */
  build(text: string): RowBatch {
    const rows = this.rows;
    const texts = this.#text.map((t) => t.build(this.#buffer, rows));
    const numbers = this.#numbers.map((n, c) => (this.#numberFields[c]! < 0 ? undefined : n.build(this.#buffer, text, rows, this.#numberText)));
    const base = { rows, rowName: "line" as const, firstRow: this.#firstLine, rowNumbers: this.#lines.subarray(0, rows), key: texts[0]! };
    if (this.#layout.kind === "long") {
      return { ...base, layout: "long", area: texts[1]!, dimension: texts[2]!, score: numbers[0]!, std: numbers[1] };
    }
    return { ...base, layout: "wide", scores: numbers.slice(0, 60) as NumberColumn[], stds: numbers.slice(60) };
  }

  #grow(): void {
    this.#capacity *= 2;
    this.#lines = grownTo(this.#lines, this.#capacity);
    for (const t of this.#text) t.grow(this.#capacity);
    for (const n of this.#numbers) n.grow(this.#capacity);
  }
}

class TextBuilder {
  starts: Int32Array;
  ends: Int32Array;
  /** Rows whose field is missing (a short record): the key is then null. */
  #missing: number[] = [];

  constructor(capacity: number) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  missing(r: number): void {
    this.#missing.push(r);
  }

  reset(): void {
    this.#missing = [];
  }

  grow(capacity: number): void {
    this.starts = grownTo(this.starts, capacity);
    this.ends = grownTo(this.ends, capacity);
  }

  build(bytes: Uint8Array, rows: number): TextColumn {
    if (this.#missing.length === 0) return { bytes, starts: this.starts.subarray(0, rows), ends: this.ends.subarray(0, rows) };
    const bitmap = new Uint8Array((rows + 7) >> 3).fill(0xff);
    for (const r of this.#missing) bitmap[r >> 3]! &= ~(1 << (r & 7));
    return { bytes, starts: this.starts.subarray(0, rows), ends: this.ends.subarray(0, rows), nulls: { bitmap, offset: 0 } };
  }
}

/** A number column's fields, read a column at a time when the batch is built. */
class NumberBuilder {
  starts: Int32Array;
  ends: Int32Array;
  values: Float64Array;
  bad: Uint8Array;

  constructor(capacity: number) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.values = new Float64Array(capacity);
    this.bad = new Uint8Array(capacity);
  }

  grow(capacity: number): void {
    this.starts = grownTo(this.starts, capacity);
    this.ends = grownTo(this.ends, capacity);
    this.values = new Float64Array(capacity);
    this.bad = new Uint8Array(capacity);
  }

  build(bytes: Uint8Array, text: string, rows: number, numberText: NumberText): NumberColumn {
    const starts = this.starts.subarray(0, rows);
    const ends = this.ends.subarray(0, rows);
    const values = this.values.subarray(0, rows);
    const refused = numberText.parse(bytes, text, starts, ends, values, this.bad.subarray(0, rows));
    if (refused === 0) return { values };
    // The cells as they were, for the messages: null for none, else the field's text.
    const bad = new Map<number, unknown>();
    for (let r = 0; r < rows; r++) if (this.bad[r] === 1) bad.set(r, starts[r]! < 0 ? null : text.slice(starts[r]!, ends[r]!));
    return { values, bad };
  }
}

/** A copy of `array` with room for `length` elements. */
function grownTo<T extends Int32Array | Uint8Array>(array: T, length: number): T {
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array);
  return copy;
}
