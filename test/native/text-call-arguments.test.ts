/**
 * The text calls (parseNumbers, formatNumbers, scanCsv, formatCsvRows, indexKeys) refuse a bad argument with a coded error
 * before they use it, as every call does (their rows of native/abi.json, checked by args.cc): a
 * wrong type, too few arguments, an integer out of its range, lengths that disagree, a detached
 * array (length 0), offsets outside the text; outputs that share memory with another array get
 * E_NATIVE_OVERLAP. Arrays over a SharedArrayBuffer are taken like any others.
 */
import { describe, expect, it } from "vitest";
import { loadNativeAddon } from "../../src/backend/native-addon.js";
import {
  formatCsvRowsArgs,
  formatNumbersArgs,
  indexKeysArgs,
  parseNumbersArgs,
  scanCsvArgs,
  type NativeFormatCsvRowsRequest,
  type NativeFormatNumbersRequest,
  type NativeIndexKeysRequest,
  type NativeParseNumbersRequest,
  type NativeScanCsvRequest,
} from "../../src/backend/native-abi.js";
import { JS_TEXT_CODEC, SCAN_STATE, SCAN_STOP } from "../../src/tables/text-codec.js";
import { thrownBy } from "../support/errors.js";

// No skipping: when the addon cannot be loaded, this throws and the whole file fails with it.
const addon = loadNativeAddon();

const codeOf = (call: () => unknown): unknown => (thrownBy(call) as { code?: unknown }).code;
/** An array whose buffer was transferred away: the engine reports it 0 long. */
function detached<T extends ArrayBufferView>(array: T): T {
  structuredClone(array.buffer, { transfer: [array.buffer as ArrayBuffer] });
  return array;
}
/** A copy of `array` over a SharedArrayBuffer. */
function shared<T extends Int32Array | Float64Array | Uint8Array>(array: T): T {
  const type = array instanceof Float64Array ? Float64Array : array instanceof Int32Array ? Int32Array : Uint8Array;
  // A SharedArrayBuffer where the union of constructors' overloads accepts only an ArrayBuffer.
  const copy = new type(new SharedArrayBuffer(array.byteLength) as unknown as ArrayBuffer);
  copy.set(array);
  return copy as T;
}

const parseRequest = (): NativeParseNumbersRequest => ({
  bytes: Buffer.from("1.5,x", "latin1"),
  starts: Int32Array.of(0, 4, -1),
  ends: Int32Array.of(3, 5, -1),
  values: new Float64Array(3).fill(7),
  bad: new Uint8Array(3).fill(9),
});

const formatRequest = (): NativeFormatNumbersRequest => ({ values: Float64Array.of(1.5, -0, 1e21), out: new Uint8Array(75), ends: new Int32Array(3) });

const CSV = Buffer.from("a,1\nb,\nc,2", "latin1");
const scanRequest = (): NativeScanCsvRequest => ({
  bytes: CSV,
  end: CSV.length,
  eof: true,
  fields: Int32Array.of(0, 1),
  numberFrom: 1,
  starts: new Int32Array(8),
  ends: new Int32Array(8),
  lines: new Int32Array(4),
  state: Int32Array.of(0, 1, 0),
});

/** Two plans of three lines: "k1" and "k,2" (quoted), heads per line, two values and a tail per line, one number after. */
const KEYS = Buffer.from('k1"k,2"', "latin1");
const csvRowsRequest = (): NativeFormatCsvRowsRequest => ({
  keys: KEYS,
  keyOffsets: Int32Array.of(0, 2, 7),
  heads: Buffer.from(",a,,b,,c,", "latin1"),
  headOffsets: Int32Array.of(0, 3, 6, 9),
  values: Float64Array.of(1.5, 0.25, -0, 1e21, 2, 3, 1, 1, 0.1, 0.2, 5e-7, 7),
  quality: Uint8Array.of(0, 1, 0, 1, 1, 0),
  tails: Buffer.from(",X,Y", "latin1"),
  tailOffsets: Int32Array.of(0, 2, 4),
  after: Float64Array.of(1, 2, 3, 4, 5, 6),
  out: new Uint8Array(1024),
  state: Int32Array.of(0, 0),
});

/** Keys "a", "bb", none, "a" again, into an empty table. */
const KEY_TEXT = Buffer.from("abba", "latin1");
const keysRequest = (): NativeIndexKeysRequest => ({
  bytes: KEY_TEXT,
  starts: Int32Array.of(0, 1, -1, 3),
  ends: Int32Array.of(1, 3, -1, 4),
  plans: new Int32Array(4).fill(9),
  arena: new Uint8Array(16),
  keyStarts: new Int32Array(8),
  slots: new Int32Array(8),
  state: Int32Array.of(0, 0, 0),
});

/** What a call returned and wrote, as plain values. */
const parseOutcome = (q: NativeParseNumbersRequest) => [addon.parseNumbers(...parseNumbersArgs(q)), Array.from(q.values), Array.from(q.bad)];
const formatOutcome = (q: NativeFormatNumbersRequest) => [addon.formatNumbers(...formatNumbersArgs(q)), Array.from(q.out), Array.from(q.ends)];
const scanOutcome = (q: NativeScanCsvRequest) => [addon.scanCsv(...scanCsvArgs(q)), ...[q.starts, q.ends, q.lines, q.state].map((a) => Array.from(a))];

describe("the text calls' arguments", () => {
  it("as the requests here give them, are taken: each call reads and writes what the TypeScript codec would", () => {
    const parse = parseRequest();
    const js = parseRequest();
    const refusedByJs = JS_TEXT_CODEC.parseNumbers(js.bytes, () => Buffer.from(js.bytes).toString("latin1"), js.starts, js.ends, js.values, js.bad);
    expect(parseOutcome(parse)).toEqual([refusedByJs, Array.from(js.values), Array.from(js.bad)]);
    const format = formatRequest();
    const jsFormat = formatRequest();
    expect(formatOutcome(format)).toEqual([JS_TEXT_CODEC.formatNumbers(jsFormat.values, jsFormat.out, jsFormat.ends), Array.from(jsFormat.out), Array.from(jsFormat.ends)]);
    // The three records scanned to the end of the text.
    const scan = scanRequest();
    expect(addon.scanCsv(...scanCsvArgs(scan))).toBe(SCAN_STOP.textEnd);
    expect([scan.state[SCAN_STATE.at], scan.state[SCAN_STATE.rows]]).toEqual([CSV.length, CSV.toString("latin1").split("\n").length]);
    const rows = csvRowsRequest();
    const jsRows = csvRowsRequest();
    addon.formatCsvRows(...formatCsvRowsArgs(rows));
    JS_TEXT_CODEC.formatCsvRows(jsRows, jsRows.out, jsRows.state);
    expect([Array.from(rows.state), Buffer.from(rows.out).toString("latin1", 0, rows.state[1])]).toEqual([Array.from(jsRows.state), Buffer.from(jsRows.out).toString("latin1", 0, jsRows.state[1])]);
    expect(Buffer.from(rows.out).toString("latin1", 0, rows.state[1]).split("\n")[1]).toBe("k1,b,0,1e+21,Y,2");
    const keys = keysRequest();
    addon.indexKeys(...indexKeysArgs(keys));
    expect([Array.from(keys.plans), Array.from(keys.state), Buffer.from(keys.arena).toString("latin1", 0, 3), Array.from(keys.keyStarts.subarray(0, 3))]).toEqual([
      [0, 1, -1, 0],
      [4, 2, 3],
      "abb",
      [0, 1, 3],
    ]);
  });

  it("over SharedArrayBuffers, are taken the same", () => {
    const parse = parseRequest();
    const sharedParse = { bytes: shared(parse.bytes), starts: shared(parse.starts), ends: shared(parse.ends), values: shared(parse.values), bad: shared(parse.bad) };
    expect(parseOutcome(sharedParse)).toEqual(parseOutcome(parse));
    const format = formatRequest();
    expect(formatOutcome({ values: shared(format.values), out: shared(format.out), ends: shared(format.ends) })).toEqual(formatOutcome(format));
    const scan = scanRequest();
    const sharedScan = { ...scan, bytes: shared(scan.bytes), fields: shared(scan.fields), starts: shared(scan.starts), ends: shared(scan.ends), lines: shared(scan.lines), state: shared(scan.state) };
    expect(scanOutcome(sharedScan)).toEqual(scanOutcome(scan));
  });

  const parseWith = (name: keyof NativeParseNumbersRequest, value: unknown) => () => addon.parseNumbers(...parseNumbersArgs({ ...parseRequest(), [name]: value }));
  const formatWith = (name: keyof NativeFormatNumbersRequest, value: unknown) => () => addon.formatNumbers(...formatNumbersArgs({ ...formatRequest(), [name]: value }));
  const scanWith = (name: keyof NativeScanCsvRequest, value: unknown) => () => addon.scanCsv(...scanCsvArgs({ ...scanRequest(), [name]: value }));
  const rowsWith = (name: keyof NativeFormatCsvRowsRequest, value: unknown) => () => addon.formatCsvRows(...formatCsvRowsArgs({ ...csvRowsRequest(), [name]: value }));
  const keysWith = (name: keyof NativeIndexKeysRequest, value: unknown) => () => addon.indexKeys(...indexKeysArgs({ ...keysRequest(), [name]: value }));
  const refused: [string, () => unknown][] = [
    ["parseNumbers: too few arguments", () => (addon.parseNumbers as (...args: unknown[]) => number)(...parseNumbersArgs(parseRequest()).slice(0, 4))],
    ["parseNumbers: bytes as a string", parseWith("bytes", "1.5,x")],
    ["parseNumbers: bytes as an Int8Array", parseWith("bytes", new Int8Array(5))],
    ["parseNumbers: bytes as a Uint8ClampedArray", parseWith("bytes", new Uint8ClampedArray(5))],
    ["parseNumbers: starts as a Uint32Array", parseWith("starts", Uint32Array.of(0, 4, 0))],
    ["parseNumbers: starts null", parseWith("starts", null)],
    ["parseNumbers: ends as a plain array", parseWith("ends", [3, 5, -1])],
    ["parseNumbers: ends shorter than starts", parseWith("ends", Int32Array.of(3, 5))],
    ["parseNumbers: values as a Float32Array", parseWith("values", new Float32Array(3))],
    ["parseNumbers: values longer than starts", parseWith("values", new Float64Array(4))],
    ["parseNumbers: values detached", parseWith("values", detached(new Float64Array(3)))],
    ["parseNumbers: bad as an Int8Array", parseWith("bad", new Int8Array(3))],
    ["parseNumbers: bad shorter than starts", parseWith("bad", new Uint8Array(2))],
    ["parseNumbers: a field past the bytes", parseWith("ends", Int32Array.of(3, 6, -1))],
    ["parseNumbers: a field ending before it starts", parseWith("starts", Int32Array.of(4, 4, -1))],
    ["formatNumbers: too few arguments", () => (addon.formatNumbers as (...args: unknown[]) => number)(...formatNumbersArgs(formatRequest()).slice(0, 2))],
    ["formatNumbers: values as a plain array", formatWith("values", [1.5, 0, 1])],
    ["formatNumbers: values as a Float32Array", formatWith("values", new Float32Array(3))],
    ["formatNumbers: out as an Int8Array", formatWith("out", new Int8Array(75))],
    ["formatNumbers: out with 24 bytes a value", formatWith("out", new Uint8Array(74))],
    ["formatNumbers: out detached", formatWith("out", detached(new Uint8Array(75)))],
    ["formatNumbers: out of 2^31 bytes", formatWith("out", new Uint8Array(2 ** 31))],
    ["formatNumbers: ends as a Uint32Array", formatWith("ends", new Uint32Array(3))],
    ["formatNumbers: ends longer than values", formatWith("ends", new Int32Array(4))],
    ["scanCsv: too few arguments", () => (addon.scanCsv as (...args: unknown[]) => number)(...scanCsvArgs(scanRequest()).slice(0, 8))],
    ["scanCsv: bytes as a string", scanWith("bytes", "a,1\n")],
    ["scanCsv: end negative", scanWith("end", -1)],
    ["scanCsv: end fractional", scanWith("end", 1.5)],
    ["scanCsv: end NaN", scanWith("end", Number.NaN)],
    ["scanCsv: end as a string", scanWith("end", "4")],
    ["scanCsv: end 2^31", scanWith("end", 2 ** 31)],
    ["scanCsv: end past the bytes", scanWith("end", CSV.length + 1)],
    ["scanCsv: eof as a number", scanWith("eof", 1)],
    ["scanCsv: eof undefined", scanWith("eof", undefined)],
    ["scanCsv: fields as a Float64Array", scanWith("fields", Float64Array.of(0, 1))],
    ["scanCsv: numberFrom negative", scanWith("numberFrom", -1)],
    ["scanCsv: numberFrom fractional", scanWith("numberFrom", 0.5)],
    ["scanCsv: numberFrom past the fields", scanWith("numberFrom", 3)],
    ["scanCsv: starts not fields × lines long", scanWith("starts", new Int32Array(7))],
    ["scanCsv: starts as a Uint32Array", scanWith("starts", new Uint32Array(8))],
    ["scanCsv: ends shorter than starts", scanWith("ends", new Int32Array(6))],
    ["scanCsv: lines empty", () => addon.scanCsv(...scanCsvArgs({ ...scanRequest(), starts: new Int32Array(0), ends: new Int32Array(0), lines: new Int32Array(0) }))],
    ["scanCsv: lines detached", scanWith("lines", detached(new Int32Array(4)))],
    ["scanCsv: state of 2", scanWith("state", Int32Array.of(0, 1))],
    ["scanCsv: state of 4", scanWith("state", Int32Array.of(0, 1, 0, 0))],
    ["scanCsv: state at -1", scanWith("state", Int32Array.of(-1, 1, 0))],
    ["scanCsv: state past the end", scanWith("state", Int32Array.of(CSV.length + 1, 1, 0))],
    ["scanCsv: state rows past lines", scanWith("state", Int32Array.of(0, 1, 5))],
    ["scanCsv: state rows negative", scanWith("state", Int32Array.of(0, 1, -1))],
    ["formatCsvRows: too few arguments", () => (addon.formatCsvRows as (...args: unknown[]) => void)(...formatCsvRowsArgs(csvRowsRequest()).slice(0, 10))],
    ["formatCsvRows: keys as a string", rowsWith("keys", "k1")],
    ["formatCsvRows: a key offset past the keys", rowsWith("keyOffsets", Int32Array.of(0, 2, 8))],
    ["formatCsvRows: key offsets going back", rowsWith("keyOffsets", Int32Array.of(0, 3, 2))],
    ["formatCsvRows: fewer keys than the lines need", rowsWith("keyOffsets", Int32Array.of(0, 2))],
    ["formatCsvRows: no head", rowsWith("headOffsets", Int32Array.of(0))],
    ["formatCsvRows: a head offset past the heads", rowsWith("headOffsets", Int32Array.of(0, 3, 6, 10))],
    ["formatCsvRows: values as a Float32Array", rowsWith("values", new Float32Array(12))],
    ["formatCsvRows: values not a whole count a line", rowsWith("values", new Float64Array(13))],
    ["formatCsvRows: a quality naming no tail", rowsWith("quality", Uint8Array.of(0, 1, 0, 1, 2, 0))],
    ["formatCsvRows: no tails", rowsWith("tailOffsets", new Int32Array(0))],
    ["formatCsvRows: after not a whole count a line", rowsWith("after", new Float64Array(7))],
    ["formatCsvRows: out as an Int8Array", rowsWith("out", new Int8Array(1024))],
    ["formatCsvRows: out of 2^31 bytes", rowsWith("out", new Uint8Array(2 ** 31))],
    ["formatCsvRows: state of 3", rowsWith("state", Int32Array.of(0, 0, 0))],
    ["formatCsvRows: state row past the lines", rowsWith("state", Int32Array.of(7, 0))],
    ["formatCsvRows: state at past out", rowsWith("state", Int32Array.of(0, 1025))],
    ["formatCsvRows: state at negative", rowsWith("state", Int32Array.of(0, -1))],
    ["indexKeys: too few arguments", () => (addon.indexKeys as (...args: unknown[]) => void)(...indexKeysArgs(keysRequest()).slice(0, 7))],
    ["indexKeys: a key past the bytes", keysWith("ends", Int32Array.of(1, 5, -1, 4))],
    ["indexKeys: a key ending before it starts", keysWith("ends", Int32Array.of(1, 0, -1, 4))],
    ["indexKeys: plans shorter than starts", keysWith("plans", new Int32Array(3))],
    ["indexKeys: slots not a power of two", keysWith("slots", new Int32Array(12))],
    ["indexKeys: one slot", keysWith("slots", new Int32Array(1))],
    ["indexKeys: state of 2", keysWith("state", Int32Array.of(0, 0))],
    ["indexKeys: state row past the rows", keysWith("state", Int32Array.of(5, 0, 0))],
    ["indexKeys: state keys past keyStarts", keysWith("state", Int32Array.of(0, 8, 0))],
    ["indexKeys: state keys past half the slots", keysWith("state", Int32Array.of(0, 5, 0))],
    ["indexKeys: state used past the arena", keysWith("state", Int32Array.of(0, 0, 17))],
    ["indexKeys: state used where the last key does not end", keysWith("state", Int32Array.of(0, 0, 2))],
    ["indexKeys: a slot naming no key of the table", keysWith("slots", Int32Array.of(3, 3, 3, 3, 3, 3, 3, 3))],
    ["indexKeys: a key of the table outside the arena", () => addon.indexKeys(...indexKeysArgs({ ...keysRequest(), keyStarts: Int32Array.of(0, 40, 0, 0, 0, 0, 0, 0), slots: new Int32Array(8).fill(1), state: Int32Array.of(0, 1, 40), arena: new Uint8Array(64) }))],
  ];
  for (const [label, call] of refused) {
    it(`refuse ${label} with E_NATIVE_ARGS`, () => expect(codeOf(call)).toBe("E_NATIVE_ARGS"));
  }

  it("refuse outputs sharing memory with another array with E_NATIVE_OVERLAP, naming both", () => {
    const parse = parseRequest();
    expect(thrownBy(() => addon.parseNumbers(...parseNumbersArgs({ ...parse, bad: parse.bytes.subarray(0, 3) })))).toMatchObject({ code: "E_NATIVE_OVERLAP", argument: "bad", other: "bytes" });
    const format = formatRequest();
    const ends = new Int32Array(format.values.buffer, 0, 3);
    expect(thrownBy(() => addon.formatNumbers(...formatNumbersArgs({ ...format, ends })))).toMatchObject({ code: "E_NATIVE_OVERLAP", argument: "ends", other: "values" });
    const scan = scanRequest();
    const state = scan.lines.subarray(0, 3).fill(0);
    expect(thrownBy(() => addon.scanCsv(...scanCsvArgs({ ...scan, state })))).toMatchObject({ code: "E_NATIVE_OVERLAP", argument: "state", other: "lines" });
    const rows = csvRowsRequest();
    const out = new Uint8Array(rows.values.buffer);
    expect(thrownBy(() => addon.formatCsvRows(...formatCsvRowsArgs({ ...rows, out })))).toMatchObject({ code: "E_NATIVE_OVERLAP", argument: "out", other: "values" });
    const keys = keysRequest();
    const slots = new Int32Array(keys.keyStarts.buffer);
    expect(thrownBy(() => addon.indexKeys(...indexKeysArgs({ ...keys, slots })))).toMatchObject({ code: "E_NATIVE_OVERLAP" });
  });
});
