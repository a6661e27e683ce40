import { AREA_COUNT, AREA_ROWS, DIMENSION_IDS, QUALITY_BY_CODE, SLOTS_PER_EVALUATION } from "../core/constants.js";
import type { AggregationMethod } from "../core/types.js";
import type { KeyBytes } from "./gather.js";

/**
 * The results of a block's good plans, one row per plan × area (`p*10 + a`): the plan key, the
 * four numbers and the quality code; with `inputs`, the plan's 60 scores and stds too.
 */
export interface ResultBlock {
  readonly plans: number;
  readonly keys: KeyBytes;
  readonly score: Float64Array;
  readonly std: Float64Array;
  readonly ciLow: Float64Array;
  readonly ciHigh: Float64Array;
  readonly quality: Uint8Array;
  /** The inputs, `p*60 + a*6 + d`, when the output echoes them. */
  readonly inputs: { readonly scores: Float64Array; readonly stds: Float64Array } | undefined;
}

/** What every result row of a run shares. */
export interface ResultSettings {
  /** The plan key column's name, in the output as in the input. */
  readonly idColumn: string;
  readonly method: AggregationMethod;
  /** Echo each area's six inputs (score_DIM01 … score_std_DIM06). */
  readonly inputs: boolean;
}

/** The columns of a result table, in order: the key, then these, then (with inputs) the twelve input columns. */
export const RESULT_TEXT_COLUMNS = Object.freeze(["area_id", "area_name", "cluster_id"] as const);
export const RESULT_NUMBER_COLUMNS = Object.freeze(["score", "score_std", "ci_low", "ci_high"] as const);
export const INPUT_COLUMNS: readonly string[] = [...DIMENSION_IDS.map((d) => `score_${d}`), ...DIMENSION_IDS.map((d) => `score_std_${d}`)];

export function resultColumnNames(settings: ResultSettings): string[] {
  return [settings.idColumn, ...RESULT_TEXT_COLUMNS, ...RESULT_NUMBER_COLUMNS, "quality_level", "aggregation_method", ...(settings.inputs ? INPUT_COLUMNS : [])];
}

/** The block's four numbers in result-column order. */
export function resultNumbers(block: ResultBlock): readonly Float64Array[] {
  return [block.score, block.std, block.ciLow, block.ciHigh];
}

/** Input column c (0–11) of the block's rows: the area's score (c < 6) or std of dimension c % 6. */
export function inputColumn(block: ResultBlock, c: number): Float64Array {
  const rows = block.plans * AREA_COUNT;
  const out = new Float64Array(rows);
  const from = c < 6 ? block.inputs!.scores : block.inputs!.stds;
  const d = c % 6;
  for (let r = 0; r < rows; r++) out[r] = from[Math.floor(r / AREA_COUNT) * SLOTS_PER_EVALUATION + (r % AREA_COUNT) * 6 + d]!;
  return out;
}

/** A text column as Arrow lays it out: row r is `bytes[offsets[r], offsets[r + 1])`. */
export interface TextCells {
  readonly offsets: Int32Array;
  readonly bytes: Uint8Array;
}

const encoder = new TextEncoder();

/** The key of each row: each plan's key bytes, ten times. */
export function keyCells(block: ResultBlock): TextCells {
  const { bytes: keyBytes, offsets: keyOffsets } = block.keys;
  const rows = block.plans * AREA_COUNT;
  const offsets = new Int32Array(rows + 1);
  const bytes = new Uint8Array((keyOffsets[block.plans]! - keyOffsets[0]!) * AREA_COUNT);
  let at = 0;
  for (let p = 0; p < block.plans; p++) {
    const from = keyOffsets[p]!;
    const length = keyOffsets[p + 1]! - from;
    // A byte loop: keys are a few bytes, below what a subarray and \`set\` cost to start.
    for (let a = 0; a < AREA_COUNT; a++) {
      for (let i = 0; i < length; i++) bytes[at + i] = keyBytes[from + i]!;
      at += length;
      offsets[p * AREA_COUNT + a + 1] = at;
    }
  }
  return { offsets, bytes };
}

/** A column of `rows` cells going round `texts`: cell r is `texts[r % texts.length]`. One round is encoded, then copied over. */
export function cyclingCells(rows: number, texts: readonly string[]): TextCells {
  const encoded = texts.map((t) => encoder.encode(t));
  const offsets = new Int32Array(rows + 1);
  for (let r = 0; r < rows; r++) offsets[r + 1] = offsets[r]! + encoded[r % texts.length]!.length;
  const bytes = new Uint8Array(offsets[rows]!);
  const round = Math.min(rows, texts.length);
  for (let r = 0; r < round; r++) bytes.set(encoded[r]!, offsets[r]);
  // Doubling copies of the rounds made so far: a whole round is offsets[round] bytes.
  for (let filled = offsets[round]!; filled < bytes.length; filled *= 2) bytes.copyWithin(filled, 0, Math.min(filled, bytes.length - filled));
  return { offsets, bytes };
}

/** A column of cells `texts[codes[r]]`. */
export function pickedCells(codes: Uint8Array, texts: readonly string[]): TextCells {
  const encoded = texts.map((t) => encoder.encode(t));
  const offsets = new Int32Array(codes.length + 1);
  for (let r = 0; r < codes.length; r++) offsets[r + 1] = offsets[r]! + encoded[codes[r]!]!.length;
  const bytes = new Uint8Array(offsets[codes.length]!);
  for (let r = 0; r < codes.length; r++) {
    const text = encoded[codes[r]!]!;
    const at = offsets[r]!;
    for (let i = 0; i < text.length; i++) bytes[at + i] = text[i]!;
  }
  return { offsets, bytes };
}

/**
 * The result's text columns, block by block: area_id, area_name, cluster_id, then quality_level
 * and aggregation_method. All but quality_level are the same for every block of a size, so they
 * are built once per size (a run's blocks are all one size but the last) and not again for each block.
 */
export class ResultTextColumns {
  readonly #method: AggregationMethod;
  #rows = -1;
  #same: { readonly [name: string]: TextCells } = {};

  constructor(method: AggregationMethod) {
    this.#method = method;
  }

  of(block: ResultBlock): { readonly [name: string]: TextCells } {
    const rows = block.plans * AREA_COUNT;
    if (rows !== this.#rows) {
      this.#same = {
        area_id: cyclingCells(rows, AREA_ROWS.map((row) => row.areaId)),
        area_name: cyclingCells(rows, AREA_ROWS.map((row) => row.areaName)),
        cluster_id: cyclingCells(rows, AREA_ROWS.map((row) => row.clusterId)),
        aggregation_method: cyclingCells(rows, [this.#method]),
      };
      this.#rows = rows;
    }
    return { ...this.#same, quality_level: pickedCells(block.quality.subarray(0, rows), QUALITY_BY_CODE) };
  }
}
