import { AREA_COUNT, AREA_ROWS, QUALITY_BY_CODE, SLOTS_PER_EVALUATION } from "../core/constants.js";
import { ByteChunks, putBytes } from "./byte-chunks.js";
import { JS_TEXT_CODEC, NUMBER_TEXT_BYTES, type TextCodec } from "./text-codec.js";
import { resultColumnNames, type ResultBlock, type ResultSettings } from "./results.js";
import type { ByteSink, TableWriter } from "./writer.js";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The longest text of a double, with its comma. */
const NUMBER_BYTES = NUMBER_TEXT_BYTES + 1;

/** A field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A key's bytes as its field: the bytes themselves when they are ASCII with nothing to quote, else through csvField. */
function keyField(bytes: Uint8Array): Uint8Array {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x80 || b === 0x2c || b === 0x22 || b === 0x0d || b === 0x0a) return encoder.encode(csvField(decoder.decode(bytes)));
  }
  return bytes;
}

/** A column of numbers as text, formatted a block at a time: value i is `bytes[ends[i-1], ends[i])`. */
class NumberTexts {
  #bytes = new Uint8Array(0);
  #ends = new Int32Array(0);

  readonly #codec: TextCodec;

  constructor(codec: TextCodec) {
    this.#codec = codec;
  }

  fill(values: Float64Array): void {
    if (this.#ends.length < values.length) {
      this.#ends = new Int32Array(values.length);
      this.#bytes = new Uint8Array(values.length * NUMBER_TEXT_BYTES);
    }
    this.#codec.formatNumbers(values, this.#bytes, this.#ends.subarray(0, values.length));
  }

  /** Copies value i's text to `at`; returns the end. A loop: a number is a few bytes, below what `set` pays to start. */
  put(bytes: Uint8Array, at: number, i: number): number {
    const from = this.#bytes;
    const end = this.#ends[i]!;
    for (let k = i === 0 ? 0 : this.#ends[i - 1]!; k < end; k++) bytes[at++] = from[k]!;
    return at;
  }
}

/**
 * Results as CSV: a header, then one line per plan × area. Numbers are written as JavaScript
 * (and JSON) write them, the shortest text that reads back as the same double, by `codec` a
 * column at a time (textCodecFor). The lines are built as bytes in chunks of `chunkBytes` (see
 * ByteChunks), the fixed cells encoded once.
 */
export function csvWriter(sink: ByteSink, settings: ResultSettings, chunkBytes?: number, codec: TextCodec = JS_TEXT_CODEC): TableWriter {
  const out = new ByteChunks(sink, chunkBytes);
  const texts = () => new NumberTexts(codec);
  const [score, std, ciLow, ciHigh, inputScores, inputStds] = [texts(), texts(), texts(), texts(), texts(), texts()];
  // Each row is key, head[a], four numbers, tail[quality]: the text between the numbers is fixed.
  const heads = AREA_ROWS.map((row) => encoder.encode(`,${row.areaId},${csvField(row.areaName)},${row.clusterId},`));
  const tails = QUALITY_BY_CODE.map((quality) => encoder.encode(`,${quality},${settings.method}`));
  const fixedBytes = Math.max(...heads.map((h) => h.length)) + Math.max(...tails.map((t) => t.length)) + 1;
  const numbersBytes = NUMBER_BYTES * (settings.inputs ? 16 : 4);
  let started = false;
  const header = async () => {
    if (started) return;
    started = true;
    const bytes = encoder.encode(`${resultColumnNames(settings).map(csvField).join(",")}\n`);
    await out.room(bytes.length);
    out.at = putBytes(out.bytes, out.at, bytes);
  };
  return {
    async write(block: ResultBlock) {
      await header();
      const { bytes: keyBytes, offsets } = block.keys;
      const { quality, inputs } = block;
      score.fill(block.score);
      std.fill(block.std);
      ciLow.fill(block.ciLow);
      ciHigh.fill(block.ciHigh);
      if (inputs !== undefined) {
        inputScores.fill(inputs.scores);
        inputStds.fill(inputs.stds);
      }
      for (let p = 0; p < block.plans; p++) {
        const key = keyField(keyBytes.subarray(offsets[p]!, offsets[p + 1]!));
        await out.room(AREA_COUNT * (key.length + fixedBytes + numbersBytes));
        const bytes = out.bytes;
        let at = out.at;
        for (let a = 0; a < AREA_COUNT; a++) {
          const r = p * AREA_COUNT + a;
          at = putBytes(bytes, at, key);
          at = putBytes(bytes, at, heads[a]!);
          at = score.put(bytes, at, r);
          bytes[at++] = 0x2c;
          at = std.put(bytes, at, r);
          bytes[at++] = 0x2c;
          at = ciLow.put(bytes, at, r);
          bytes[at++] = 0x2c;
          at = ciHigh.put(bytes, at, r);
          at = putBytes(bytes, at, tails[quality[r]!]!);
          if (inputs !== undefined) {
            const base = p * SLOTS_PER_EVALUATION + a * 6;
            for (let d = 0; d < 6; d++) {
              bytes[at++] = 0x2c;
              at = inputScores.put(bytes, at, base + d);
            }
            for (let d = 0; d < 6; d++) {
              bytes[at++] = 0x2c;
              at = inputStds.put(bytes, at, base + d);
            }
          }
          bytes[at++] = 0x0a;
        }
        out.at = at;
      }
      await out.flush();
    },
    async end() {
      await header();
      await out.flush();
    },
  };
}
