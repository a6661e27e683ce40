import { nativeEngineFor } from "../backend/load-native.js";
import { formatCsvRowsArgs, formatNumbersArgs, indexKeysArgs, parseNumbersArgs, scanCsvArgs, type NativeFormatCsvRowsRequest } from "../backend/native-abi.js";
import type { NativeAddon } from "../backend/native-addon.js";
import type { BackendName } from "../core/types.js";
import { putAscii, putBytes } from "./byte-chunks.js";

/** The longest text of a double (`-0.0000012345678901234567`): the room `formatNumbers` needs a value. */
export const NUMBER_TEXT_BYTES = 25;

/**
 * A block's CSV lines of results (csv-writer.ts): line r is key r / H, head r % H (H heads),
 * row r of `values` comma-joined, tail `quality[r]`, row r of `after` each after a comma, and a
 * line feed. Texts are lists (text i is `bytes[offsets[i], offsets[i + 1])`).
 */
export type CsvLines = Omit<NativeFormatCsvRowsRequest, "out" | "state">;

/** A CSV scan's state, an Int32Array read and written in place: the next record's offset, its line, the rows so far. */
export const SCAN_STATE = Object.freeze({ at: 0, line: 1, rows: 2 });
/** Why a scan stopped: the text ended (or a record needs more of the file), a quoted field, the rows are full. */
export const SCAN_STOP = Object.freeze({ textEnd: 0, quoted: 1, full: 2 });

/** The rows a CSV scan fills: column c reads field `fields[c]` into `starts`/`ends` at `c * lines.length + row`. */
export interface CsvRowArrays {
  readonly fields: Int32Array;
  /** Columns from here on are numbers, whose empty fields are null. */
  readonly numberFrom: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly lines: Int32Array;
}

/**
 * Text in and out of tables, column by column: by the native engine on the native backend
 * (exact integer arithmetic and C++17 from_chars for numbers in, Ryū's shortest digits out, memchr), in TypeScript on the JS backend. Both give the same
 * doubles and the same bytes (the repository's text-codec.test.ts in test/native/).
 */
export interface TextCodec {
  /**
   * Field r, `bytes[starts[r], ends[r])` (start -1: no field), as a number into `values[r]`, or
   * `bad[r] = 1` (and `values[r] = 0`) when it holds none; `text()` is `bytes` as latin1.
   * Returns how many held none.
   */
  parseNumbers(bytes: Uint8Array, text: () => string, starts: Int32Array, ends: Int32Array, values: Float64Array, bad: Uint8Array): number;
  /** Writes each value as `${x}` after the last into `out` (NUMBER_TEXT_BYTES of room a value); `ends[i]` is where value i's text ends. Returns the end. */
  formatNumbers(values: Float64Array, out: Uint8Array, ends: Int32Array): number;
  /**
   * Scans the CSV records of `bytes[state[SCAN_STATE.at], end)` without quoted fields into `rows`, as
   * the TypeScript scanner would; returns why it stopped (SCAN_STOP). Absent: the TypeScript
   * scanner reads every record.
   */
  readonly scanCsv?: ((bytes: Uint8Array, end: number, eof: boolean, rows: CsvRowArrays, state: Int32Array) => number) | undefined;
  /**
   * Writes `lines` from line state[0] at out[state[1]] while out has room for a whole line (its
   * numbers at NUMBER_TEXT_BYTES each); writes back the next line and where it would start.
   */
  formatCsvRows(lines: CsvLines, out: Uint8Array, state: Int32Array): void;
  /**
   * Numbers row r's key `bytes[starts[r], ends[r])` (start -1: none, plans[r] = -1) in `table`
   * (KeyIndex's arrays, read and appended to), from row state[0] while the table has room for a
   * new key; writes back the next row, the keys' count and the arena's bytes used. Absent:
   * KeyIndex numbers them itself.
   */
  readonly indexKeys?: ((bytes: Uint8Array, starts: Int32Array, ends: Int32Array, plans: Int32Array, table: KeyTable, state: Int32Array) => void) | undefined;
}

/** KeyIndex's table: key k is `arena[keyStarts[k], keyStarts[k + 1])`; `slots` hold key + 1, 0 for none. */
export interface KeyTable {
  readonly arena: Uint8Array;
  readonly keyStarts: Int32Array;
  readonly slots: Int32Array;
}

export const JS_TEXT_CODEC: TextCodec = {
  parseNumbers(_bytes, text, starts, ends, values, bad) {
    const all = text();
    let refused = 0;
    for (let r = 0; r < starts.length; r++) {
      const start = starts[r]!;
      const value = start < 0 ? undefined : parseNumber(all.slice(start, ends[r]!));
      values[r] = value ?? 0;
      bad[r] = value === undefined ? 1 : 0;
      if (value === undefined) refused++;
    }
    return refused;
  },
  formatNumbers(values, out, ends) {
    let at = 0;
    for (let i = 0; i < values.length; i++) ends[i] = at = putAscii(out, at, `${values[i]}`);
    return at;
  },
  formatCsvRows(lines, out, state) {
    const { keys, keyOffsets, heads, headOffsets, values, quality, tails, tailOffsets, after } = lines;
    const group = headOffsets.length - 1;
    const rows = quality.length;
    const perRow = rows === 0 ? 0 : values.length / rows;
    const afterPerRow = rows === 0 ? 0 : after.length / rows;
    const numbersRoom = (perRow + afterPerRow) * (NUMBER_TEXT_BYTES + 1) + 1;
    const text = (bytes: Uint8Array, offsets: Int32Array, i: number) => bytes.subarray(offsets[i]!, offsets[i + 1]!);
    let [r, at] = [state[0]!, state[1]!];
    for (; r < rows; r++) {
      const key = text(keys, keyOffsets, Math.floor(r / group));
      const head = text(heads, headOffsets, r % group);
      const tail = text(tails, tailOffsets, quality[r]!);
      if (key.length + head.length + tail.length + numbersRoom > out.length - at) break;
      at = putBytes(out, putBytes(out, at, key), head);
      for (let v = 0; v < perRow; v++) {
        if (v > 0) out[at++] = 0x2c;
        at = putAscii(out, at, `${values[r * perRow + v]}`);
      }
      at = putBytes(out, at, tail);
      for (let v = 0; v < afterPerRow; v++) {
        out[at++] = 0x2c;
        at = putAscii(out, at, `${after[r * afterPerRow + v]}`);
      }
      out[at++] = 0x0a;
    }
    state[0] = r;
    state[1] = at;
  },
};

/** The engine's codec over `addon`. */
export function nativeTextCodec(addon: NativeAddon): TextCodec {
  return {
    parseNumbers: (bytes, _text, starts, ends, values, bad) => addon.parseNumbers(...parseNumbersArgs({ bytes, starts, ends, values, bad })),
    formatNumbers: (values, out, ends) => addon.formatNumbers(...formatNumbersArgs({ values, out, ends })),
    scanCsv: (bytes, end, eof, { fields, numberFrom, starts, ends, lines }, state) =>
      addon.scanCsv(...scanCsvArgs({ bytes, end, eof, fields, numberFrom, starts, ends, lines, state })),
    formatCsvRows: (lines, out, state) => addon.formatCsvRows(...formatCsvRowsArgs({ ...lines, out, state })),
    indexKeys: (bytes, starts, ends, plans, table, state) => addon.indexKeys(...indexKeysArgs({ bytes, starts, ends, plans, ...table, state })),
  };
}

/** The text codec of `backend`: the engine's on the native backend, else TypeScript's. */
export function textCodecFor(backend: BackendName): TextCodec {
  const engine = backend === "native" ? nativeEngineFor("native") : undefined;
  return engine === undefined ? JS_TEXT_CODEC : nativeTextCodec(engine.addon);
}

/** Python's and pandas' words for the non-finite numbers, read as those numbers (then refused as E_NON_FINITE). */
const NON_FINITE: ReadonlyMap<string, number> = new Map([
  ["NaN", NaN],
  ["nan", NaN],
  ["inf", Infinity],
  ["-inf", -Infinity],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
]);

/**
 * The number a CSV field holds, or undefined when it holds none: decimal digits with an optional
 * `-`, fraction and exponent (what JSON and C++'s from_chars read, plus a leading `.` or `+` in
 * the exponent), so hex, `1_000` and surrounding spaces are not numbers. `Number` does the
 * conversion, correctly rounded.
 */
export function parseNumber(text: string): number | undefined {
  const first = text.charCodeAt(0);
  // Digits, '-', '.': the only first characters of a decimal number; then Number() must agree.
  if ((first >= 48 && first <= 57) || first === 45 || first === 46) {
    const second = text.charCodeAt(1);
    // "0x10", "0b1", "0o7" are numbers to Number(), not to a CSV reader.
    if (first === 48 && (second | 32) >= 98 && (second | 32) !== 101) return undefined;
    const last = text.charCodeAt(text.length - 1);
    if (last < 48 || last > 57) {
      if (last !== 46) return NON_FINITE.get(text);
    }
    const value = Number(text);
    return Number.isNaN(value) ? undefined : value;
  }
  return NON_FINITE.get(text);
}
