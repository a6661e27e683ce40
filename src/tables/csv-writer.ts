import { AREA_COUNT, AREA_ROWS, QUALITY_BY_CODE } from "../core/constants.js";
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

/** Whether a key's bytes are not its field as they are: not ASCII (csvField decides on text), or holding something to quote. */
function needsField(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x80 || b === 0x2c || b === 0x22 || b === 0x0d || b === 0x0a) return true;
  }
  return false;
}

/**
 * Results as CSV: a header, then one line per plan × area. Numbers are written as JavaScript
 * (and JSON) write them, the shortest text that reads back as the same double, by `codec` a
 * column at a time (textCodecFor). The lines are built as bytes in chunks of `chunkBytes` (see
 * ByteChunks), the fixed cells encoded once.
 */
export function csvWriter(sink: ByteSink, settings: ResultSettings, chunkBytes?: number, codec: TextCodec = JS_TEXT_CODEC): TableWriter {
  const out = new ByteChunks(sink, chunkBytes);
  // Each line is key, head[a], four numbers, tail[quality] (then the inputs): the text around the numbers is fixed.
  const heads = textList(AREA_ROWS.map((row) => encoder.encode(`,${row.areaId},${csvField(row.areaName)},${row.clusterId},`)));
  const tails = textList(QUALITY_BY_CODE.map((quality) => encoder.encode(`,${quality},${settings.method}`)));
  const fixedBytes = Math.max(...lengths(heads.offsets)) + Math.max(...lengths(tails.offsets)) + 1;
  const rows = new RowMajor();
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
      const keys = keyFields(block);
      const lines = {
        keys: keys.bytes,
        keyOffsets: keys.offsets,
        heads: heads.bytes,
        headOffsets: heads.offsets,
        values: rows.values(block.plans * AREA_COUNT, [block.score, block.std, block.ciLow, block.ciHigh]),
        quality: block.quality,
        tails: tails.bytes,
        tailOffsets: tails.offsets,
        after: block.inputs === undefined ? NO_NUMBERS : rows.inputs(block.plans, block.inputs.scores, block.inputs.stds),
      };
      // The longest line, so that the codec writes at least one line each time it is given room.
      const longest = keys.longest + fixedBytes + (settings.inputs ? 16 : 4) * NUMBER_BYTES;
      const state = new Int32Array(2);
      while (state[0]! < lines.quality.length) {
        await out.room(longest);
        state[1] = out.at;
        codec.formatCsvRows(lines, out.bytes, state);
        out.at = state[1]!;
      }
      await out.flush();
    },
    async end() {
      await header();
      await out.flush();
    },
  };
}

const NO_NUMBERS = new Float64Array(0);

/** Texts as one list: text i is `bytes[offsets[i], offsets[i + 1])`. */
function textList(texts: readonly Uint8Array[]) {
  const offsets = new Int32Array(texts.length + 1);
  texts.forEach((text, i) => (offsets[i + 1] = offsets[i]! + text.length));
  const bytes = new Uint8Array(offsets[texts.length]!);
  texts.forEach((text, i) => bytes.set(text, offsets[i]!));
  return { bytes, offsets };
}

function lengths(offsets: Int32Array): number[] {
  return Array.from({ length: offsets.length - 1 }, (_, i) => offsets[i + 1]! - offsets[i]!);
}

/** The block's keys as CSV fields (the keys as they are, unless one must be quoted), and the longest. */
function keyFields(block: ResultBlock): { bytes: Uint8Array; offsets: Int32Array; longest: number } {
  const { bytes, offsets } = block.keys;
  const keys = offsets.subarray(0, block.plans + 1);
  let longest = 0;
  let plain = true;
  for (let p = 0; p < block.plans; p++) {
    longest = Math.max(longest, keys[p + 1]! - keys[p]!);
    if (plain && needsField(bytes.subarray(keys[p]!, keys[p + 1]!))) plain = false;
  }
  if (plain) return { bytes, offsets: keys, longest };
  const fields = textList(Array.from({ length: block.plans }, (_, p) => {
    const key = bytes.subarray(keys[p]!, keys[p + 1]!);
    return needsField(key) ? encoder.encode(csvField(decoder.decode(key))) : key;
  }));
  return { ...fields, longest: Math.max(...lengths(fields.offsets)) };
}

/** Numbers of a block's lines laid out row by row, in arrays reused block after block. */
class RowMajor {
  #values = new Float64Array(0);
  #inputs = new Float64Array(0);

  /** Line r's numbers are `columns[c][r]` for each c. */
  values(lines: number, columns: readonly Float64Array[]): Float64Array {
    const width = columns.length;
    if (this.#values.length < lines * width) this.#values = new Float64Array(lines * width);
    const values = this.#values;
    columns.forEach((column, c) => {
      for (let r = 0; r < lines; r++) values[r * width + c] = column[r]!;
    });
    return values.subarray(0, lines * width);
  }

  /** Line p*10 + a's inputs: plan p's six scores of area a, then its six stds (`e*60 + a*6 + d`). */
  inputs(plans: number, scores: Float64Array, stds: Float64Array): Float64Array {
    const lines = plans * AREA_COUNT;
    if (this.#inputs.length < lines * 12) this.#inputs = new Float64Array(lines * 12);
    const inputs = this.#inputs;
    for (let line = 0; line < lines; line++) {
      for (let d = 0; d < 6; d++) {
        inputs[line * 12 + d] = scores[line * 6 + d]!;
        inputs[line * 12 + 6 + d] = stds[line * 6 + d]!;
      }
    }
    return inputs.subarray(0, lines * 12);
  }
}
