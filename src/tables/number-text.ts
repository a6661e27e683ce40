import { nativeEngineFor } from "../backend/load-native.js";
import type { NativeAddon } from "../backend/native-addon.js";
import type { BackendName } from "../core/types.js";
import { putAscii } from "./byte-chunks.js";

/** The longest text of a double (`-0.0000012345678901234567`): the room `format` needs a value. */
export const NUMBER_TEXT_BYTES = 25;

/**
 * Numbers read from and written as text, column by column: by the native engine on the native
 * backend (C++17 from_chars and to_chars), in TypeScript on the JS backend. Both give the same
 * doubles and the same bytes (test/tables-number-text.test.ts).
 */
export interface NumberText {
  /**
   * Field r, `bytes[starts[r], ends[r])` (start -1: no field), as a number into `values[r]`, or
   * `bad[r] = 1` (and `values[r] = 0`) when it holds none; `text` is `bytes` as latin1. Returns
   * how many held none.
   */
  parse(bytes: Uint8Array, text: string, starts: Int32Array, ends: Int32Array, values: Float64Array, bad: Uint8Array): number;
  /** Writes each value as `${x}` after the last into `out` (NUMBER_TEXT_BYTES of room a value); `ends[i]` is where value i's text ends. Returns the end. */
  format(values: Float64Array, out: Uint8Array, ends: Int32Array): number;
}

export const JS_NUMBER_TEXT: NumberText = {
  parse(_bytes, text, starts, ends, values, bad) {
    let refused = 0;
    for (let r = 0; r < starts.length; r++) {
      const start = starts[r]!;
      const value = start < 0 ? undefined : parseNumber(text.slice(start, ends[r]!));
      values[r] = value ?? 0;
      bad[r] = value === undefined ? 1 : 0;
      if (value === undefined) refused++;
    }
    return refused;
  },
  format(values, out, ends) {
    let at = 0;
    for (let i = 0; i < values.length; i++) ends[i] = at = putAscii(out, at, `${values[i]}`);
    return at;
  },
};

function nativeNumberText(addon: NativeAddon): NumberText {
  return {
    parse: addon.info().parsesNumbers ? (bytes, _text, starts, ends, values, bad) => addon.parseNumbers(bytes, starts, ends, values, bad) : JS_NUMBER_TEXT.parse,
    format: (values, out, ends) => addon.formatNumbers(values, out, ends),
  };
}

/** The number text of `backend`: the engine's on the native backend, else TypeScript's. */
export function numberTextFor(backend: BackendName): NumberText {
  const engine = backend === "native" ? nativeEngineFor("native") : undefined;
  return engine === undefined ? JS_NUMBER_TEXT : nativeNumberText(engine.addon);
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
