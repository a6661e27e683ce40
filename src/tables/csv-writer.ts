import { AREA_COUNT, AREA_ROWS, QUALITY_BY_CODE, SLOTS_PER_EVALUATION } from "../core/constants.js";
import { resultColumnNames, type ResultBlock, type ResultSettings } from "./results.js";
import type { ByteSink, TableWriter } from "./writer.js";

const decoder = new TextDecoder();

/** A field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Results as CSV: a header, then one line per plan × area. Numbers are written as JavaScript
 * (and JSON) write them, the shortest text that reads back as the same double.
 */
export function csvWriter(sink: ByteSink, settings: ResultSettings): TableWriter {
  const areaCells = AREA_ROWS.map((row) => `${row.areaId},${csvField(row.areaName)},${row.clusterId}`);
  const tail = QUALITY_BY_CODE.map((quality) => `${quality},${settings.method}`);
  let started = false;
  return {
    async write(block: ResultBlock) {
      let text = started ? "" : `${resultColumnNames(settings).map(csvField).join(",")}\n`;
      started = true;
      const { bytes, offsets } = block.keys;
      for (let p = 0; p < block.plans; p++) {
        const key = csvField(decoder.decode(bytes.subarray(offsets[p]!, offsets[p + 1]!)));
        for (let a = 0; a < AREA_COUNT; a++) {
          const r = p * AREA_COUNT + a;
          text += `${key},${areaCells[a]},${block.score[r]},${block.std[r]},${block.ciLow[r]},${block.ciHigh[r]},${tail[block.quality[r]!]}`;
          if (block.inputs !== undefined) {
            const base = p * SLOTS_PER_EVALUATION + a * 6;
            text += `,${block.inputs.scores.subarray(base, base + 6).join(",")},${block.inputs.stds.subarray(base, base + 6).join(",")}`;
          }
          text += "\n";
        }
      }
      await sink.write(Buffer.from(text));
    },
    async end() {
      if (!started) await sink.write(Buffer.from(`${resultColumnNames(settings).map(csvField).join(",")}\n`));
    },
  };
}
