/**
 * The same plans as every table format holds them (long and wide CSV, Parquet and Arrow IPC) and
 * as the JSON path takes them, from a seed; long rows interleaved across plans.
 */
import * as arrow from "apache-arrow";
import wasm from "parquet-wasm/node";
import { AREA_IDS, DIMENSION_IDS } from "../../src/core/constants.js";
import type { DimensionScore } from "../../src/core/types.js";
import { WIDE_SCORE_COLUMNS, WIDE_STD_COLUMNS } from "../../src/tables/rows.js";

export interface Study {
  readonly keys: string[];
  /** `e*60 + a*6 + d`, as the engine takes them. */
  readonly scores: Float64Array;
  readonly stds: Float64Array;
}

/** mulberry32: uniform floats in [0, 1). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` plans with full-precision scores on [0, 3] and stds on [0, 0.4]; keys "plan-<i>" (a few non-ASCII). */
export function study(n: number, seed: number): Study {
  const next = random(seed);
  const scores = new Float64Array(n * 60);
  const stds = new Float64Array(n * 60);
  for (let s = 0; s < n * 60; s++) {
    scores[s] = next() * 3;
    stds[s] = next() * 0.4;
  }
  const keys = Array.from({ length: n }, (_, e) => (e % 7 === 3 ? `plán-${e}` : `plan-${e}`));
  return { keys, scores, stds };
}

/** A long row: the plan's index and its slot `a*6 + d`. */
export interface LongRow {
  readonly e: number;
  readonly slot: number;
}

/**
 * The long rows of a study, interleaved within windows of `window` plans (each plan's first row
 * in plan order, so plans still first appear in index order), from a seed.
 */
export function longRows(n: number, window: number, seed: number): LongRow[] {
  const next = random(seed);
  const rows: LongRow[] = [];
  for (let first = 0; first < n; first += window) {
    const block: LongRow[] = [];
    for (let e = first; e < Math.min(n, first + window); e++) for (let slot = 0; slot < 60; slot++) block.push({ e, slot });
    for (let i = block.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [block[i], block[j]] = [block[j]!, block[i]!];
    }
    // Put each plan's first row in index order: swap plan numbers in order of first appearance.
    const rename = new Map<number, number>();
    for (const row of block) if (!rename.has(row.e)) rename.set(row.e, first + rename.size);
    rows.push(...block.map((row) => ({ e: rename.get(row.e)!, slot: row.slot })));
  }
  return rows;
}

const area = (slot: number) => AREA_IDS[Math.floor(slot / 6)]!;
const dimension = (slot: number) => DIMENSION_IDS[slot % 6]!;

/** RFC 4180 quoting where needed. */
const field = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

export function longCsv(s: Study, rows: readonly LongRow[]): string {
  const lines = rows.map(({ e, slot }) => `${field(s.keys[e]!)},${area(slot)},${dimension(slot)},${s.scores[e * 60 + slot]},${s.stds[e * 60 + slot]}`);
  return `plan_id,area_id,dimension_id,score,score_std\n${lines.join("\n")}\n`;
}

export function wideCsv(s: Study): string {
  const header = ["plan_id", ...WIDE_SCORE_COLUMNS, ...WIDE_STD_COLUMNS].join(",");
  const lines = s.keys.map((key, e) => [field(key), ...s.scores.subarray(e * 60, e * 60 + 60), ...s.stds.subarray(e * 60, e * 60 + 60)].join(","));
  return `${header}\n${lines.join("\n")}\n`;
}

const utf8 = (values: readonly string[]) => arrow.vectorFromArray(values, new arrow.Utf8());

/** The long rows as an Arrow table, in record batches of `batchRows`. */
export function longArrow(s: Study, rows: readonly LongRow[], batchRows = 1000): arrow.Table {
  const batches: arrow.RecordBatch[] = [];
  for (let at = 0; at < rows.length; at += batchRows) {
    const part = rows.slice(at, at + batchRows);
    const table = new arrow.Table({
      plan_id: utf8(part.map((r) => s.keys[r.e]!)),
      area_id: utf8(part.map((r) => area(r.slot))),
      dimension_id: utf8(part.map((r) => dimension(r.slot))),
      score: arrow.makeVector(Float64Array.from(part, (r) => s.scores[r.e * 60 + r.slot]!)),
      score_std: arrow.makeVector(Float64Array.from(part, (r) => s.stds[r.e * 60 + r.slot]!)),
    });
    batches.push(...table.batches);
  }
  return new arrow.Table(batches);
}

export function wideArrow(s: Study): arrow.Table {
  const columns: Record<string, arrow.Vector> = { plan_id: utf8(s.keys) };
  WIDE_SCORE_COLUMNS.forEach((name, slot) => (columns[name] = arrow.makeVector(Float64Array.from(s.keys, (_, e) => s.scores[e * 60 + slot]!))));
  WIDE_STD_COLUMNS.forEach((name, slot) => (columns[name] = arrow.makeVector(Float64Array.from(s.keys, (_, e) => s.stds[e * 60 + slot]!))));
  return new arrow.Table(columns);
}

/** An Arrow table as Parquet (parquet-wasm), row groups of `groupRows`. */
export function parquetOf(table: arrow.Table, groupRows = 4096): Uint8Array {
  const properties = new wasm.WriterPropertiesBuilder().setMaxRowGroupSize(groupRows).build();
  return wasm.writeParquet(wasm.Table.fromIPCStream(arrow.tableToIPC(table, "stream")), properties);
}

/** The study's plans as the JSON path takes them (`aggregateBatch`). */
export function jsonPlans(s: Study): DimensionScore[][] {
  return s.keys.map((_, e) =>
    Array.from({ length: 60 }, (_, slot) => ({ areaId: area(slot), dimensionId: dimension(slot), score: s.scores[e * 60 + slot]!, scoreStd: s.stds[e * 60 + slot]! })),
  );
}

/** Parses the CLI's CSV output (our writer's quoting) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\n") row.push(cell), rows.push(row), (row = []), (cell = "");
    else cell += c;
  }
  return rows;
}
