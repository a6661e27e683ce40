import { AREA_COUNT, AREA_ROWS, QUALITY_BY_CODE, SLOTS_PER_EVALUATION } from "../core/constants.js";
import { ByteChunks, putAscii, putBytes } from "./byte-chunks.js";
import { resultColumnNames, type ResultBlock, type ResultSettings } from "./results.js";
import type { ByteSink, TableWriter } from "./writer.js";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The longest text of a double (`-2.2250738585072014e-308`), with its comma. */
const NUMBER_BYTES = 25;

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

/**
 * Results as CSV: a header, then one line per plan × area. Numbers are written as JavaScript
 * (and JSON) write them, the shortest text that reads back as the same double. The lines are
 * built as bytes in chunks of `chunkBytes` (see ByteChunks), the fixed cells encoded once.
 */
export function csvWriter(sink: ByteSink, settings: ResultSettings, chunkBytes?: number): TableWriter {
  const out = new ByteChunks(sink, chunkBytes);
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
      const { score, std, ciLow, ciHigh, quality, inputs } = block;
      for (let p = 0; p < block.plans; p++) {
        const key = keyField(keyBytes.subarray(offsets[p]!, offsets[p + 1]!));
        await out.room(AREA_COUNT * (key.length + fixedBytes + numbersBytes));
        const bytes = out.bytes;
        let at = out.at;
        for (let a = 0; a < AREA_COUNT; a++) {
          const r = p * AREA_COUNT + a;
          at = putBytes(bytes, at, key);
          at = putBytes(bytes, at, heads[a]!);
          at = putAscii(bytes, at, `${score[r]}`);
          bytes[at++] = 0x2c;
          at = putAscii(bytes, at, `${std[r]}`);
          bytes[at++] = 0x2c;
          at = putAscii(bytes, at, `${ciLow[r]}`);
          bytes[at++] = 0x2c;
          at = putAscii(bytes, at, `${ciHigh[r]}`);
          at = putBytes(bytes, at, tails[quality[r]!]!);
          if (inputs !== undefined) {
            const base = p * SLOTS_PER_EVALUATION + a * 6;
            for (let d = 0; d < 6; d++) {
              bytes[at++] = 0x2c;
              at = putAscii(bytes, at, `${inputs.scores[base + d]}`);
            }
            for (let d = 0; d < 6; d++) {
              bytes[at++] = 0x2c;
              at = putAscii(bytes, at, `${inputs.stds[base + d]}`);
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
