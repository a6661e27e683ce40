import { AREA_IDS, DIMENSION_COUNT, DIMENSION_IDS, MAX_SCORE, MIN_SCORE, SLOTS_PER_EVALUATION } from "./constants.js";
import { show, type IssueCollector } from "./validate.js";

/**
 * Naming the bad values of column input (SPEC §3 codes E_NON_FINITE and E_RANGE). The kernels
 * screen values in the pass that reads them (the native kernel's `check`, the JS kernel's
 * `check` argument); only when that screen fails are the columns walked again, here, to name
 * every bad slot, so valid input pays for a few comparisons per value and nothing more.
 */

/** Adds an issue for every bad score and std (up to the cap), with paths `scores[i]` and `stds[i]`. */
export function reportColumnValues(scores: Float64Array, stds: Float64Array | undefined, issues: IssueCollector): void {
  for (let i = 0; i < scores.length && !issues.truncated; i++) {
    const s = scores[i]!;
    if (!Number.isFinite(s)) issues.add("E_NON_FINITE", `scores[${i}]`, `${slotName(i)}: expected a finite score, got ${show(s)}`);
    else if (!(s >= MIN_SCORE && s <= MAX_SCORE)) issues.add("E_RANGE", `scores[${i}]`, `${slotName(i)}: score ${show(s)} is outside [${MIN_SCORE}, ${MAX_SCORE}]`);
    if (stds === undefined) continue;
    const sd = stds[i]!;
    if (!Number.isFinite(sd)) issues.add("E_NON_FINITE", `stds[${i}]`, `${slotName(i)}: expected a finite standard deviation, got ${show(sd)}`);
    else if (sd < 0) issues.add("E_RANGE", `stds[${i}]`, `${slotName(i)}: standard deviation ${show(sd)} is negative`);
  }
}

/** "evaluation 3, PA07 DIM02" for slot index `i` of the columns (or of per-evaluation weights). */
export function slotName(i: number): string {
  const e = Math.floor(i / SLOTS_PER_EVALUATION);
  const slot = i - e * SLOTS_PER_EVALUATION;
  const a = Math.floor(slot / DIMENSION_COUNT);
  return `evaluation ${e}, ${AREA_IDS[a]} ${DIMENSION_IDS[slot - a * DIMENSION_COUNT]}`;
}
