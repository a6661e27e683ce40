// Generated batch-study tables for bench/tables.bench.js and bench/tables-candidates.js, from a
// fixed seed: the same plans in every format.
//
// - long CSV: `plan_id,area_id,dimension_id,score,score_std`, 60 rows per plan. Plans come in
//   blocks of BLOCK_PLANS whose rows are shuffled together, so plans are interleaved and no
//   plan's rows are adjacent; plan i (key P0000000i) first appears before plan i + 1.
// - wide CSV: one row per plan, `plan_id`, then `score_PA01_DIM01` … `score_PA10_DIM06` and
//   `score_std_PA01_DIM01` … (what pandas' pivot gives, its column levels joined by "_").
// - NDJSON: one `{"plan_id", "dimension_scores": [...]}` a line, for the CLI's JSON path.
// - Parquet long and wide: DuckDB's COPY of the CSVs (explicit column types; doubles read
//   exactly, so the same bits).
//
// Scores are uniform doubles on [0, 3], stds on [0, 0.4], at full precision (shortest
// round-trip text: ~18 characters a number, the worst case for a parser).
import { closeSync, openSync, writeSync } from "node:fs";

export const AREA_IDS = ["PA01", "PA02", "PA03", "PA04", "PA05", "PA06", "PA07", "PA08", "PA09", "PA10"];
export const DIMENSION_IDS = ["DIM01", "DIM02", "DIM03", "DIM04", "DIM05", "DIM06"];
export const BLOCK_PLANS = 64;
export const SEED = 20261206;

/** mulberry32, as examples/generate.js: uniform floats in [0, 1). */
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const planKey = (i) => `P${String(i).padStart(7, "0")}`;

/**
 * Calls `block(first, scores, stds, order)` for each block of plans: scores and stds of the
 * block's plans in the engine's layout (`e*60 + a*6 + d`, e relative to `first`), and the
 * shuffled order of its rows (each row a slot `e*60 + a*6 + d`).
 */
export function forEachBlock(plans, block) {
  const random = mulberry32(SEED);
  const scores = new Float64Array(BLOCK_PLANS * 60);
  const stds = new Float64Array(BLOCK_PLANS * 60);
  const order = new Uint32Array(BLOCK_PLANS * 60);
  for (let first = 0; first < plans; first += BLOCK_PLANS) {
    const count = Math.min(BLOCK_PLANS, plans - first);
    const slots = count * 60;
    for (let s = 0; s < slots; s++) {
      scores[s] = random() * 3;
      stds[s] = random() * 0.4;
      order[s] = s;
    }
    // Fisher–Yates, except that each plan's first row keeps plan order, so plans first appear in key order.
    for (let s = slots - 1; s > 0; s--) {
      const t = Math.floor(random() * (s + 1));
      const swap = order[s];
      order[s] = order[t];
      order[t] = swap;
    }
    firstAppearanceInOrder(order, slots);
    block(first, scores.subarray(0, slots), stds.subarray(0, slots), order.subarray(0, slots));
  }
}

/** Reorders the rows' plans so that plan e's first row comes before plan e+1's (a permutation of rows, not of values). */
function firstAppearanceInOrder(order, slots) {
  const rename = new Int32Array(slots / 60).fill(-1);
  let next = 0;
  for (let r = 0; r < slots; r++) {
    const e = Math.floor(order[r] / 60);
    if (rename[e] === -1) rename[e] = next++;
  }
  for (let r = 0; r < slots; r++) order[r] = rename[Math.floor(order[r] / 60)] * 60 + (order[r] % 60);
}

/** Buffered writes to a file descriptor (~4 MB at a time). */
function writer(path) {
  const fd = openSync(path, "w");
  let parts = [];
  let size = 0;
  return {
    write(text) {
      parts.push(text);
      size += text.length;
      if (size > 4 << 20) this.flush();
    },
    flush() {
      writeSync(fd, parts.join(""));
      parts = [];
      size = 0;
    },
    close() {
      this.flush();
      closeSync(fd);
    },
  };
}

/** Writes the long CSV, the wide CSV and the NDJSON of `plans` plans (any of the paths may be undefined). */
export function writeTexts(plans, { longCsv, wideCsv, ndjson }) {
  const long = longCsv && writer(longCsv);
  const wide = wideCsv && writer(wideCsv);
  const lines = ndjson && writer(ndjson);
  long?.write("plan_id,area_id,dimension_id,score,score_std\n");
  const pairs = AREA_IDS.flatMap((a) => DIMENSION_IDS.map((d) => `${a}_${d}`));
  wide?.write(`plan_id,${pairs.map((p) => `score_${p}`).join(",")},${pairs.map((p) => `score_std_${p}`).join(",")}\n`);
  forEachBlock(plans, (first, scores, stds, order) => {
    if (long) {
      let text = "";
      for (const s of order) {
        const e = Math.floor(s / 60);
        const slot = s % 60;
        text += `${planKey(first + e)},${AREA_IDS[Math.floor(slot / 6)]},${DIMENSION_IDS[slot % 6]},${scores[s]},${stds[s]}\n`;
      }
      long.write(text);
    }
    for (let e = 0; e < scores.length / 60; e++) {
      const planScores = scores.subarray(e * 60, e * 60 + 60);
      const planStds = stds.subarray(e * 60, e * 60 + 60);
      wide?.write(`${planKey(first + e)},${planScores.join(",")},${planStds.join(",")}\n`);
      if (lines) {
        const entries = [];
        for (let s = 0; s < 60; s++) {
          entries.push(`{"area_id":"${AREA_IDS[Math.floor(s / 6)]}","dimension_id":"${DIMENSION_IDS[s % 6]}","score":${planScores[s]},"score_std":${planStds[s]}}`);
        }
        lines.write(`{"plan_id":"${planKey(first + e)}","dimension_scores":[${entries.join(",")}]}\n`);
      }
    }
  });
  long?.close();
  wide?.close();
  lines?.close();
}

/** The column types DuckDB reads the CSVs with (no sniffing: the same schema at every size). */
export function duckdbCsvColumns(wide) {
  if (!wide) return "{'plan_id': 'VARCHAR', 'area_id': 'VARCHAR', 'dimension_id': 'VARCHAR', 'score': 'DOUBLE', 'score_std': 'DOUBLE'}";
  const pairs = AREA_IDS.flatMap((a) => DIMENSION_IDS.map((d) => `${a}_${d}`));
  const columns = ["'plan_id': 'VARCHAR'", ...pairs.map((p) => `'score_${p}': 'DOUBLE'`), ...pairs.map((p) => `'score_std_${p}': 'DOUBLE'`)];
  return `{${columns.join(", ")}}`;
}

/** Writes `parquet` from `csv` with DuckDB (a connection from @duckdb/node-api). */
export async function csvToParquet(connection, csv, parquet, wide) {
  const read = `read_csv('${csv}', header = true, columns = ${duckdbCsvColumns(wide)})`;
  await connection.run(`COPY (SELECT * FROM ${read}) TO '${parquet}' (FORMAT parquet)`);
}
