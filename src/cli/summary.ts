import { table } from "./format.js";
import { AREA_IDS, CLUSTERS, MAX_SCORE, QUALITY_LEVELS, type AreaId, type QualityLevel } from "../core/constants.js";
import type { AreaScore } from "../core/types.js";

/** Histogram resolution: bins of width 1e-4, so a percentile is known to its fourth decimal. */
const BINS_PER_UNIT = 10_000;
/** Bins [b·1e-4, (b+1)·1e-4) for b < 30,000, and one more for a score of exactly 3. */
const BINS = MAX_SCORE * BINS_PER_UNIT + 1;
export const SUMMARY_PERCENTILES = Object.freeze([10, 50, 90] as const);

const AREA_INDEX: Readonly<Record<AreaId, number>> = Object.freeze(Object.fromEntries(AREA_IDS.map((id, a) => [id, a])) as Record<AreaId, number>);

const QUALITY_INDEX: Readonly<Record<QualityLevel, number>> = Object.freeze(
  Object.fromEntries(QUALITY_LEVELS.map((level, i) => [level, i])) as Record<QualityLevel, number>,
);

/**
 * The bin of a score in [0, 3]: the b with b/1e4 ≤ score < (b+1)/1e4 as doubles compare, so the
 * bin's edge printed with four decimals never exceeds the score (1.65 * 1e4 is 16499.999…).
 */
function binOf(score: number): number {
  let b = Math.floor(score * BINS_PER_UNIT);
  if (b / BINS_PER_UNIT > score) b--;
  else if ((b + 1) / BINS_PER_UNIT <= score) b++;
  return b;
}

/** Numbers `summaryRecord` packs per evaluation: a score and a quality level's index per area. */
export const SUMMARY_RECORD_LENGTH = 2 * AREA_IDS.length;

/**
 * What --summary keeps of one evaluation, as plain numbers a worker thread can send back cheaply:
 * for each area in AREA_IDS order (a result has one AreaScore per area) its score and the index
 * of its quality level.
 */
export function summaryRecord(areaScores: readonly AreaScore[]): Float64Array {
  const record = new Float64Array(SUMMARY_RECORD_LENGTH);
  for (const area of areaScores) {
    const a = AREA_INDEX[area.areaId];
    record[2 * a] = area.score;
    record[2 * a + 1] = QUALITY_INDEX[area.qualityLevel];
  }
  return record;
}

/** What one area (or a pooled cluster) has seen: everything needed, in memory that does not grow with the input. */
interface Tally {
  count: number;
  sum: number;
  readonly histogram: Float64Array;
  readonly quality: Float64Array;
}

function emptyTally(): Tally {
  return { count: 0, sum: 0, histogram: new Float64Array(BINS), quality: new Float64Array(QUALITY_LEVELS.length) };
}

/**
 * `--summary`: per area and per cluster, the mean, p10, p50 and p90 of the score and the count
 * of each quality level, over every evaluation aggregated. Counts and sums are exact; the
 * percentiles come from a fixed histogram (30,001 bins per area, ~240 KB), so memory is flat
 * however many plans stream through. pN is the nearest-rank percentile — the smallest score with
 * at least N% of the scores at or below it. Every score figure is cut, not rounded, to the lower
 * edge of its 1e-4 bin, the mean too, so one rule holds for all: the exact value lies in
 * [shown, shown + 0.0001) (a histogram knows no more of a percentile). A cluster pools the
 * scores of its areas.
 */
export class ScoreSummary {
  readonly #areas = new Map<AreaId, Tally>(AREA_IDS.map((id) => [id, emptyTally()]));
  #evaluations = 0;

  /** Counts one evaluation, given as `summaryRecord` packs it. */
  add(record: ArrayLike<number>): void {
    this.#evaluations++;
    AREA_IDS.forEach((id, a) => {
      const score = record[2 * a]!;
      const tally = this.#areas.get(id)!;
      tally.count++;
      tally.sum += score;
      tally.histogram[binOf(score)]!++;
      tally.quality[record[2 * a + 1]!]!++;
    });
  }

  /** The summary as a table, one row per area then one per cluster. */
  render(): string {
    const rows = [
      ...AREA_IDS.map((id) => row(id, this.#areas.get(id)!)),
      ...CLUSTERS.map((cluster) => row(cluster.id, pooled(cluster.areas.map((id) => this.#areas.get(id)!)))),
    ];
    const headers = ["Group", "Scores", "Mean", ...SUMMARY_PERCENTILES.map((p) => `p${p}`), ...QUALITY_LEVELS];
    const plural = this.#evaluations === 1 ? "" : "s";
    const heading =
      `Summary of ${this.#evaluations} evaluation${plural} (a cluster pools its areas' scores; ` +
      `pN: nearest-rank percentile; every score cut to 4 decimals, the exact value in [shown, shown + 0.0001))\n`;
    return heading + table(headers, rows);
  }
}

function pooled(tallies: readonly Tally[]): Tally {
  const total = emptyTally();
  for (const t of tallies) {
    total.count += t.count;
    total.sum += t.sum;
    for (let b = 0; b < BINS; b++) total.histogram[b]! += t.histogram[b]!;
    for (let q = 0; q < total.quality.length; q++) total.quality[q]! += t.quality[q]!;
  }
  return total;
}

function row(group: string, tally: Tally): string[] {
  const stats =
    tally.count === 0
      ? ["-", ...SUMMARY_PERCENTILES.map(() => "-")]
      : [cut(tally.sum / tally.count), ...SUMMARY_PERCENTILES.map((p) => cut(percentile(tally, p)))];
  return [group, String(tally.count), ...stats, ...Array.from(tally.quality, String)];
}

/** A score in [0, 3] shown as the lower edge of its bin, four decimals. */
function cut(score: number): string {
  return (binOf(score) / BINS_PER_UNIT).toFixed(4);
}

/** The lower edge of the bin that holds the nearest-rank pth percentile (count > 0). */
function percentile(tally: Tally, p: number): number {
  // p·n is an exact integer; the quotient is exact or at least 0.01 from an integer, so ceil is exact.
  const rank = Math.max(1, Math.ceil((p * tally.count) / 100));
  let seen = 0;
  for (let b = 0; b < BINS; b++) {
    seen += tally.histogram[b]!;
    if (seen >= rank) return b / BINS_PER_UNIT;
  }
  throw new Error(`percentile: rank ${rank} beyond ${tally.count} scores`);
}
