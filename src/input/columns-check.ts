import { reportValue } from "./columns.js";
import { AREA_IDS, DIMENSION_COUNT, DIMENSION_IDS, isFiniteNonNegative, isScore, SLOTS_PER_EVALUATION } from "../core/constants.js";
import type { IssueCollector } from "../core/validate.js";

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
    if (!isScore(s)) reportValue(s, "score", `scores[${i}]`, issues, `${slotName(i)}: `);
    const sd = stds?.[i];
    if (sd !== undefined && !isFiniteNonNegative(sd)) reportValue(sd, "std", `stds[${i}]`, issues, `${slotName(i)}: `);
  }
}

/** "evaluation 3, PA07 DIM02" for slot index `i` of the columns (or of per-evaluation weights). */
export function slotName(i: number): string {
  const e = Math.floor(i / SLOTS_PER_EVALUATION);
  const slot = i - e * SLOTS_PER_EVALUATION;
  const a = Math.floor(slot / DIMENSION_COUNT);
  return `evaluation ${e}, ${AREA_IDS[a]} ${DIMENSION_IDS[slot - a * DIMENSION_COUNT]}`;
}
