/**
 * The CSV writer builds its lines in reused chunks of bytes: whatever the chunk size (smaller
 * than a row, a few rows, larger than a block), and when the sink holds each write and is done
 * with it only later, the bytes are those of each row written as text, one after the other.
 */
import { describe, expect, it } from "vitest";
import { AREA_COUNT, AREA_ROWS, QUALITY_BY_CODE, SLOTS_PER_EVALUATION } from "../../src/core/constants.js";
import { csvField, csvWriter } from "../../src/tables/csv-writer.js";
import { resultColumnNames, type ResultBlock, type ResultSettings } from "../../src/tables/results.js";
import type { ByteSink } from "../../src/tables/writer.js";

const encoder = new TextEncoder();
/** Keys that go out as they are, and keys that must be quoted or are not ASCII. */
const KEYS = ["P1", "plan, with comma", 'say "hi"', "línea\nnueva", "ñandú", "", "x".repeat(300)];
/** Numbers whose text takes every form: integers, exponents both ways, negative zero, the longest. */
const NUMBERS = [0, -0, 1, 1.5, 0.1 + 0.2, 1e-7, 1.2345678901234567e-300, -2.2250738585072014e-308, 1e21, 123456789012345680000, 2.5];

function block(plans: number, firstKey: number, inputs: boolean): ResultBlock {
  const keys = Array.from({ length: plans }, (_, p) => encoder.encode(KEYS[(firstKey + p) % KEYS.length]!));
  const offsets = new Int32Array(plans + 1);
  keys.forEach((key, p) => (offsets[p + 1] = offsets[p]! + key.length));
  const bytes = new Uint8Array(offsets[plans]!);
  keys.forEach((key, p) => bytes.set(key, offsets[p]!));
  const numbers = (n: number, salt: number) => Float64Array.from({ length: n }, (_, i) => NUMBERS[(i * 7 + salt) % NUMBERS.length]!);
  const rows = plans * AREA_COUNT;
  return {
    plans,
    keys: { bytes, offsets },
    score: numbers(rows, 1),
    std: numbers(rows, 2),
    ciLow: numbers(rows, 3),
    ciHigh: numbers(rows, 4),
    quality: Uint8Array.from({ length: rows }, (_, r) => r % QUALITY_BY_CODE.length),
    inputs: inputs ? { scores: numbers(plans * SLOTS_PER_EVALUATION, 5), stds: numbers(plans * SLOTS_PER_EVALUATION, 6) } : undefined,
  };
}

/** The text of a block's rows, cell by cell. */
function expectedText(b: ResultBlock, settings: ResultSettings): string {
  const decoder = new TextDecoder();
  let text = "";
  for (let p = 0; p < b.plans; p++) {
    const key = decoder.decode(b.keys.bytes.subarray(b.keys.offsets[p]!, b.keys.offsets[p + 1]!));
    for (let a = 0; a < AREA_COUNT; a++) {
      const r = p * AREA_COUNT + a;
      const area = AREA_ROWS[a]!;
      const cells = [key, area.areaId, area.areaName, area.clusterId, b.score[r], b.std[r], b.ciLow[r], b.ciHigh[r], QUALITY_BY_CODE[b.quality[r]!], settings.method];
      if (b.inputs !== undefined) {
        const base = p * SLOTS_PER_EVALUATION + a * 6;
        cells.push(...b.inputs.scores.subarray(base, base + 6), ...b.inputs.stds.subarray(base, base + 6));
      }
      text += `${cells.map((cell) => csvField(String(cell))).join(",")}\n`;
    }
  }
  return text;
}

/** A sink that keeps each write's bytes as they are when it calls back, a few writes later (as a slow pipe does). */
function lateSink(): { sink: ByteSink; text: () => string } {
  const held: { data: Uint8Array; written: (() => void) | undefined }[] = [];
  const copies: Buffer[] = [];
  const release = () => {
    const { data, written } = held.shift()!;
    copies.push(Buffer.from(data));
    written?.();
  };
  return {
    sink: {
      async write(data, written) {
        held.push({ data, written });
        if (held.length > 3) release();
        return true;
      },
    },
    text: () => {
      while (held.length > 0) release();
      return Buffer.concat(copies).toString("utf8");
    },
  };
}

describe("CSV writer chunks", () => {
  it.each([[16], [200], [4096], [1 << 20]])("chunks of %i bytes give each row's text, with and without inputs", async (chunkBytes) => {
    for (const inputs of [false, true]) {
      const settings: ResultSettings = { idColumn: "plan key", method: "monte_carlo", inputs };
      const { sink, text } = lateSink();
      const writer = csvWriter(sink, settings, chunkBytes);
      const blocks = [block(9, 0, inputs), block(1, 3, inputs), block(23, 5, inputs)];
      for (const b of blocks) await writer.write(b);
      await writer.end();
      const header = `${resultColumnNames(settings).map(csvField).join(",")}\n`;
      expect(text()).toBe(header + blocks.map((b) => expectedText(b, settings)).join(""));
    }
  });

  it("a table of no rows is its header", async () => {
    const settings: ResultSettings = { idColumn: "plan_id", method: "weighted_average", inputs: false };
    const { sink, text } = lateSink();
    const writer = csvWriter(sink, settings, 16);
    await writer.end();
    expect(text()).toBe(`${resultColumnNames(settings).join(",")}\n`);
  });
});
