/**
 * The engine's text codec equals the TypeScript one: the same bytes read as the same numbers
 * (bit for bit, the same fields refused), the same doubles written as the same bytes (`${x}`),
 * and CSV records scanned into the same rows, lines and cells whatever the quoting, line ends,
 * blank lines, short records and chunking; and CSV lines of results written as the same bytes, whatever
 * room each call has. The TypeScript codec is what the JS backend runs, so
 * this holds the two backends' table reading and writing equal.
 */
import { describe, expect, it } from "vitest";
import { loadNativeAddon } from "../../src/backend/native-addon.js";
import { csvBatches } from "../../src/tables/csv-reader.js";
import { isNull, rowNumber, WIDE_SCORE_COLUMNS, WIDE_STD_COLUMNS, type NumberColumn, type RowBatch, type TextColumn } from "../../src/tables/rows.js";
import { JS_TEXT_CODEC, nativeTextCodec, NUMBER_TEXT_BYTES, parseNumber, type CsvLines, type TextCodec } from "../../src/tables/text-codec.js";
import { thrownBy } from "../support/errors.js";
import { random } from "../support/tables.js";

// No skipping: when the addon cannot be loaded, this throws and the whole file fails with it.
const addon = loadNativeAddon();
const NATIVE = nativeTextCodec(addon);

/** Fields as one latin1 buffer with their bounds (start -1: no field). */
function fieldsOf(texts: readonly (string | null)[]) {
  const bytes = Buffer.from(texts.map((t) => t ?? "").join(""), "latin1");
  const starts = new Int32Array(texts.length);
  const ends = new Int32Array(texts.length);
  let at = 0;
  texts.forEach((t, r) => {
    starts[r] = t === null ? -1 : at;
    ends[r] = t === null ? -1 : (at += t.length);
  });
  return { bytes, starts, ends, text: () => bytes.toString("latin1") };
}

function parsed(codec: TextCodec, texts: readonly (string | null)[]) {
  const { bytes, starts, ends, text } = fieldsOf(texts);
  const values = new Float64Array(texts.length).fill(7);
  const bad = new Uint8Array(texts.length).fill(9);
  const refused = codec.parseNumbers(bytes, text, starts, ends, values, bad);
  return { refused, bits: Array.from(new BigUint64Array(values.buffer)), bad: Array.from(bad) };
}

const EDGE_TEXTS = [
  "1.5", "1.", ".5", "-.5", "-5.", "-", ".", "-.", "", "+1", " 1", "1 ", "1\t", "0x10", "0X10", "0b1", "0o7", "-0x1", "0e5", "0E5",
  "1e", "1e+", "1e-", "1e+5", "1E-5", "1e05", "1.e5", ".e5", "5e5.", "00.5", "-00", "-0", "0", "-0.0", "1_000", "1,5", "١",
  "NaN", "nan", "-nan", "inf", "-inf", "+inf", "Infinity", "-Infinity", "+Infinity", "INF", "infinity", "Inf",
  "1e400", "-1e400", "1e-400", "-1e-400", "2e-324", "3e-324", "2.4703282292062328e-324", "2.4703282292062327e-324",
  "1.7976931348623158e308", "1.7976931348623159e308", "0.0000000000000000000000000000001e-300", "1000000000000000000000e288",
  "0e99999999999999999999", "1e99999999999999999999", "1e-99999999999999999999", "9007199254740993", "0.1", "0.30000000000000004",
  "2.2250738585072011e-308", "2.2250738585072012e-308", "\u00a01", "1\u00a0", "\u00ff", "12345678901234567890123456789012345678901234567890.5",
];

/** Random texts near the grammar: its characters and a few others, and random doubles' texts. */
function randomTexts(count: number, seed: number): string[] {
  const next = random(seed);
  const alphabet = "0123456789.-+eE x_Nanif";
  const texts: string[] = [];
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  for (let i = 0; i < count; i++) {
    let s = "";
    const length = 1 + Math.floor(next() * 12);
    for (let j = 0; j < length; j++) s += alphabet[Math.floor(next() * alphabet.length)];
    texts.push(s);
    words[0] = Math.floor(next() * 2 ** 32);
    words[1] = Math.floor(next() * 2 ** 32);
    const x = bits[0]!;
    texts.push(String(x), x.toPrecision(1 + Math.floor(next() * 21)), x.toExponential(Math.floor(next() * 20)), (next() * 3).toFixed(Math.floor(next() * 25)));
  }
  return texts;
}

describe("numbers read", () => {
  it("as the TypeScript reader reads them: the same doubles bit for bit, the same fields refused", () => {
    const texts: (string | null)[] = [...EDGE_TEXTS, null, ...randomTexts(20_000, 3)];
    const native = parsed(NATIVE, texts);
    const js = parsed(JS_TEXT_CODEC, texts);
    expect(native.refused).toBe(js.refused);
    const mismatches = texts.filter((_, r) => native.bits[r] !== js.bits[r] || native.bad[r] !== js.bad[r]);
    expect(mismatches).toEqual([]);
    // The JS codec is `parseNumber` field by field; refused fields read 0.
    texts.forEach((t, r) => {
      const value = t === null ? undefined : parseNumber(t);
      expect(js.bad[r], String(t)).toBe(value === undefined ? 1 : 0);
    });
    expect(native.bad.filter((b) => b === 0).length).toBeGreaterThan(texts.length / 2);
  });

  it("refuses fields outside the bytes, and arrays of other lengths, with E_NATIVE_ARGS", () => {
    const bytes = Buffer.from("12");
    const values = new Float64Array(1);
    const bad = new Uint8Array(1);
    for (const [start, end] of [[0, 3], [2, 1], [3, 3]]) {
      const error = thrownBy(() => addon.parseNumbers(bytes, Int32Array.of(start!), Int32Array.of(end!), values, bad)) as { code?: string };
      expect(error.code, `${start}, ${end}`).toBe("E_NATIVE_ARGS");
    }
    expect((thrownBy(() => addon.parseNumbers(bytes, new Int32Array(2), new Int32Array(2), values, bad)) as { code?: string }).code).toBe("E_NATIVE_ARGS");
  });
});

/** Doubles from random bit patterns, random magnitudes and the layout's boundaries. */
function doubles(count: number, seed: number): Float64Array {
  const next = random(seed);
  const edges = [
    1e-7, 1e-6, 1.5e-7, 9.999999999999999e-8, 1.0000000000000001e-7, 1e21, 1e20, 1.5e21, 9.999999999999999e20, 1.0000000000000001e21,
    123456789012345680000, 5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, Number.MAX_VALUE, Number.MIN_VALUE, Number.EPSILON,
    0, -0, NaN, Infinity, -Infinity, 0.1, 0.30000000000000004, 1, -1, 3, 2 ** 53, 2 ** 53 + 2, -1.2345678901234567e-7, -0.0000012345678901234567,
  ];
  const values = new Float64Array(count * 2 + edges.length);
  const words = new Uint32Array(values.buffer);
  for (let i = 0; i < count; i++) {
    words[2 * i] = Math.floor(next() * 2 ** 32);
    words[2 * i + 1] = Math.floor(next() * 2 ** 32);
    values[count + i] = (next() - 0.5) * 10 ** Math.floor(next() * 60 - 30);
  }
  values.set(edges, count * 2);
  return values;
}

/**
 * `count` random finite bit patterns (an all-ones exponent, NaN or ±Infinity, redrawn), then
 * the hard cases with both signs: every power of two and its neighbours, each exponent's
 * smallest and largest fraction (subnormals too: 5e-324, Number.MAX_VALUE), every power of ten
 * and its neighbours, the integers around 2^53, short decimals (exact ones among them: i × 10^k
 * up to 10^25), and numbers whose shortest forms have 17 digits.
 */
function hardDoubles(count: number, seed: number): Float64Array {
  const next = random(seed);
  const word = () => BigInt(Math.floor(next() * 2 ** 32));
  const bits = new BigUint64Array(count);
  for (let i = 0; i < count; i++) {
    do bits[i] = (word() << 32n) | word();
    while ((bits[i]! >> 52n) % 2048n === 2047n);
  }
  const hard = new BigUint64Array(1);
  const asDouble = new Float64Array(hard.buffer);
  const neighbours = (x: number) => {
    asDouble[0] = x;
    const at = hard[0]!;
    return [-2n, -1n, 0n, 1n, 2n].flatMap((step) => {
      hard[0] = at + step;
      return Number.isFinite(asDouble[0]) && asDouble[0]! > 0 ? [asDouble[0]!] : [];
    });
  };
  const cases: number[] = [Number.MIN_VALUE, Number.MAX_VALUE, 0.1 + 0.2, 1 / 3, 2 / 3, Math.PI, Math.E, 123456789012345680000];
  for (let p = -1074; p <= 1023; p++) cases.push(...neighbours(2 ** p));
  for (let e = 0n; e < 2047n; e++) {
    for (const fraction of [0n, 1n, (1n << 52n) - 1n]) {
      hard[0] = (e << 52n) | fraction;
      if (asDouble[0] !== 0) cases.push(asDouble[0]!);
    }
  }
  for (let k = -323; k <= 308; k++) cases.push(...neighbours(Number(`1e${k}`)), ...neighbours(Number(`9.999999999999999e${k}`)));
  for (let i = -1000; i <= 1000; i++) cases.push(2 ** 53 + i, 2 ** 53 + i * 2, 2 ** 54 + i * 4);
  for (let i = 1; i <= 3000; i++) for (let k = -10; k <= 25; k++) cases.push(Number(`${i}e${k}`));
  for (let i = 0; i < 10_000; i++) cases.push(Number((1 + next()).toPrecision(17)) * 10 ** Math.floor(next() * 40 - 20));
  const values = new Float64Array(bits.buffer, 0, count);
  return Float64Array.from([...values, ...cases, ...cases.map((x) => -x)]);
}

function formatted(codec: TextCodec, values: Float64Array): string[] {
  const out = new Uint8Array(values.length * NUMBER_TEXT_BYTES);
  const ends = new Int32Array(values.length);
  const end = codec.formatNumbers(values, out, ends);
  const bytes = Buffer.from(out.buffer, 0, end);
  return Array.from(ends, (stop, i) => bytes.toString("latin1", i === 0 ? 0 : ends[i - 1], stop));
}

describe("numbers written", () => {
  it("byte for byte as `${x}` writes them", () => {
    const values = doubles(100_000, 5);
    const expected = Array.from(values, (x) => `${x}`);
    expect(formatted(NATIVE, values)).toEqual(expected);
    expect(formatted(JS_TEXT_CODEC, values)).toEqual(expected);
    expect(expected.reduce((longest, t) => Math.max(longest, t.length), 0)).toBe(NUMBER_TEXT_BYTES);
  });

  it("byte for byte as `${x}` for 10^6 random finite bit patterns and the hard cases", () => {
    const values = hardDoubles(1_000_000, 11);
    const expected = Array.from(values, (x) => `${x}`);
    const native = formatted(NATIVE, values);
    const wrong = expected.flatMap((text, i) => (native[i] === text ? [] : [`${text} written as ${native[i]}`]));
    expect(wrong.slice(0, 20)).toEqual([]);
    // The cases are there: shortest forms of every length up to 17 digits, both layouts, both signs.
    const lengths = new Set(expected.map((t) => t.replace(/^-|e.*$|\./g, "").replace(/^0+/, "").length));
    expect(Array.from({ length: 17 }, (_, i) => i + 1).filter((length) => !lengths.has(length))).toEqual([]);
    expect(expected.filter((t) => t.includes("e-")).length).toBeGreaterThan(100_000);
    expect(expected.filter((t) => t.includes("e+")).length).toBeGreaterThan(100_000);
    expect(expected.filter((t) => !t.includes("e")).length).toBeGreaterThan(10_000);
  });

  it("refuses an output without 25 bytes a value with E_NATIVE_ARGS", () => {
    const error = thrownBy(() => addon.formatNumbers(new Float64Array(2), new Uint8Array(49), new Int32Array(2))) as { code?: string };
    expect(error.code).toBe("E_NATIVE_ARGS");
  });
});

/** Texts as one list (text i is `bytes[offsets[i], offsets[i + 1])`). */
function listOf(texts: readonly string[]) {
  const offsets = new Int32Array(texts.length + 1);
  texts.forEach((t, i) => (offsets[i + 1] = offsets[i]! + Buffer.byteLength(t)));
  return { bytes: Buffer.from(texts.join("")), offsets };
}

/** A block's CSV lines written by `codec` into outputs of `room` bytes, a call at a time until all are written: the bytes, and each call's state. */
function csvLines(codec: TextCodec, lines: CsvLines, room: number) {
  const out = new Uint8Array(room);
  const state = new Int32Array(2);
  const parts: string[] = [];
  const states: number[][] = [];
  while (state[0]! < lines.quality.length) {
    state[1] = 0;
    codec.formatCsvRows(lines, out, state);
    states.push(Array.from(state));
    parts.push(Buffer.from(out.buffer, 0, state[1]).toString("latin1"));
    if (state[1] === 0) throw new Error("no line fits");
  }
  return { text: parts.join(""), states };
}

describe("CSV lines written", () => {
  // A block of `plans` plans, 3 lines each, with random numbers (hard cases among them) before and after the tail.
  const block = (plans: number, seed: number, after: number): CsvLines => {
    const next = random(seed);
    const values = hardDoubles(plans * 3 * 4, seed).slice(0, plans * 3 * 4);
    const keys = listOf(Array.from({ length: plans }, (_, p) => (p % 5 === 2 ? `"plán ${p}, quoted"` : `plan-${p}`)));
    const heads = listOf([",PA01,Ñame,CL02,", ",PA02,x,CL01,", ",PA03,\"q\",CL01,"]);
    const tails = listOf([",EXCELENTE,weighted_average", ",BUENO,weighted_average", ",ACEPTABLE,weighted_average", ",INSUFICIENTE,weighted_average"]);
    return {
      keys: keys.bytes,
      keyOffsets: keys.offsets,
      heads: heads.bytes,
      headOffsets: heads.offsets,
      values,
      quality: Uint8Array.from({ length: plans * 3 }, () => Math.floor(next() * 4)),
      tails: tails.bytes,
      tailOffsets: tails.offsets,
      after: Float64Array.from({ length: plans * 3 * after }, () => next() * 3),
    };
  };

  it("byte for byte as the TypeScript writer, whatever room each call is given", () => {
    for (const after of [0, 12]) {
      const lines = block(500, 21 + after, after);
      const whole = csvLines(JS_TEXT_CODEC, lines, 1 << 22);
      expect(whole.text.split("\n")).toHaveLength(500 * 3 + 1);
      expect(csvLines(NATIVE, lines, 1 << 22)).toEqual(whole);
      for (const room of [600, 1000, 4096]) {
        const js = csvLines(JS_TEXT_CODEC, lines, room);
        expect(js.text).toBe(whole.text);
        expect(csvLines(NATIVE, lines, room)).toEqual(js);
      }
    }
  });

  it("writes no line it has no room for: the state stays where it was", () => {
    const lines = block(2, 3, 12);
    const out = new Uint8Array(64);
    const state = Int32Array.of(1, 7);
    NATIVE.formatCsvRows(lines, out, state);
    expect(Array.from(state)).toEqual([1, 7]);
    expect(out.every((b) => b === 0)).toBe(true);
  });
});

/** A batch as plain values: per row its line, its text cells (null) and its number cells (bits, or the bad cell). */
function rowsOf(batch: RowBatch): unknown[] {
  const text = (c: TextColumn, r: number) => (isNull(c.nulls, r) ? null : Buffer.from(c.bytes.subarray(c.starts[r]!, c.ends[r]!)).toString("latin1"));
  const number = (c: NumberColumn | undefined, r: number) => (c === undefined ? "none" : c.bad?.has(r) ? { bad: c.bad.get(r) } : new BigUint64Array(Float64Array.of(c.values[r]!).buffer)[0]);
  const texts = batch.layout === "long" ? [batch.key, batch.area, batch.dimension] : [batch.key];
  const numbers = batch.layout === "long" ? [batch.score, batch.std] : [...batch.scores, ...batch.stds];
  return Array.from({ length: batch.rows }, (_, r) => [rowNumber(batch, r), ...texts.map((c) => text(c, r)), ...numbers.map((c) => number(c, r))]);
}

async function read(codec: TextCodec, csv: Buffer, chunk: number): Promise<unknown[]> {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < csv.length; at += chunk) yield csv.subarray(at, at + chunk);
  }
  const rows: unknown[] = [];
  try {
    for await (const batch of csvBatches(chunks(), { idColumn: "plan_id", codec })) rows.push(...rowsOf(batch));
  } catch (error) {
    rows.push({ error: (error as { code?: string; message?: string }).code ?? (error as Error).message });
  }
  return rows;
}

/** A field: plain, empty, quoted (with `""`, commas and line breaks inside), or a number. */
function randomField(next: () => number, number: boolean): string {
  const pick = next();
  if (pick < 0.05) return "";
  if (pick < 0.1) return '""';
  if (pick < 0.15) return `"a""b,${next() < 0.5 ? "\n" : "\r\n"}c"`;
  if (pick < 0.18) return `"${(next() * 3).toString()}"`;
  if (pick < 0.2) return `"x"y`;
  if (pick < 0.22) return `a"b`;
  if (number) return pick < 0.25 ? "oops" : `${next() * 3}`;
  return `P${Math.floor(next() * 1000)}`;
}

/** Random long records over a shuffled header, with blank lines, CRLF, short and long records, up to `bytes`. */
function randomCsv(bytes: number, seed: number, lastLineEnd: boolean): Buffer {
  const next = random(seed);
  const lines = ["extra,plan_id,score,area_id,score_std,dimension_id"];
  let size = 0;
  while (size < bytes) {
    const pick = next();
    let line: string;
    if (pick < 0.02) line = "";
    else if (pick < 0.03) line = "\r";
    else {
      const fields = [randomField(next, false), randomField(next, false), randomField(next, true), `PA0${1 + Math.floor(next() * 9)}`, randomField(next, true), `DIM0${1 + Math.floor(next() * 6)}`];
      const count = pick < 0.05 ? Math.floor(next() * 6) : pick < 0.06 ? 7 : 6;
      line = [...fields, "tail"].slice(0, count).join(",");
      if (next() < 0.2) line += "\r";
    }
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(lines.join("\n") + (lastLineEnd ? "\n" : ""), "latin1");
}

/** Random wide records: a key and the 120 number columns, some fields quoted, empty or short records. */
function randomWideCsv(rows: number, seed: number): Buffer {
  const next = random(seed);
  const lines = [["plan_id", ...WIDE_SCORE_COLUMNS, ...WIDE_STD_COLUMNS].join(",")];
  for (let r = 0; r < rows; r++) {
    const fields = [randomField(next, false), ...Array.from({ length: 120 }, () => randomField(next, true))];
    lines.push(fields.slice(0, next() < 0.1 ? Math.floor(next() * 121) : 121).join(","));
  }
  return Buffer.from(lines.join("\r\n"), "latin1");
}

describe("CSV records scanned", () => {
  it("into the same rows for wide tables", async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const csv = randomWideCsv(30, seed);
      const js = await read(JS_TEXT_CODEC, csv, csv.length);
      expect(js.length).toBe(30);
      for (const chunk of [13, csv.length]) expect(await read(NATIVE, csv, chunk), `seed ${seed}, chunk ${chunk}`).toEqual(js);
    }
  });

  it("into the same rows as the TypeScript scanner, small files in any chunking", async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const csv = randomCsv(2_000, seed, seed % 2 === 0);
      const js = await read(JS_TEXT_CODEC, csv, csv.length);
      expect(js.length).toBeGreaterThan(10);
      for (const chunk of [1, 7, csv.length]) expect(await read(NATIVE, csv, chunk), `seed ${seed}, chunk ${chunk}`).toEqual(js);
    }
  });

  it("into the same rows across the reader's 4 MiB batches, a record split at each batch's end", async () => {
    const csv = randomCsv(9_500_000, 77, false);
    const js = await read(JS_TEXT_CODEC, csv, 65_536);
    expect(await read(NATIVE, csv, 65_536)).toEqual(js);
    expect(await read(NATIVE, csv, 1_000_003)).toEqual(js);
  });

  it("refuses state outside the text with E_NATIVE_ARGS", () => {
    const lines = new Int32Array(4);
    const cells = new Int32Array(4);
    const error = thrownBy(() => addon.scanCsv(Buffer.from("a\n"), 2, true, Int32Array.of(0), 1, cells, cells.slice(), lines, Int32Array.of(3, 1, 0))) as { code?: string };
    expect(error.code).toBe("E_NATIVE_ARGS");
    const past = thrownBy(() => addon.scanCsv(Buffer.from("a\n"), 3, true, Int32Array.of(0), 1, cells, cells.slice(), lines, Int32Array.of(0, 1, 0))) as { code?: string };
    expect(past.code).toBe("E_NATIVE_ARGS");
  });
});
