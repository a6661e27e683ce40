import { reportValue } from "./pack-plans.js";
import { AREA_IDS, DIMENSION_COUNT, DIMENSION_IDS, SLOTS_PER_EVALUATION } from "../core/constants.js";
import type { IssueCollector } from "../core/validate.js";
import type { BadSlotRecords } from "../kernels/bad-slots.js";

/**
 * Naming the bad values of column input (docs/contract.md §3 codes E_NON_FINITE and E_RANGE). The kernels
 * check the values they compute with and record the bad ones with the value they read
 * (BadSlots); the issues are built from those records, so nothing reads the
 * caller's columns a second time.
 */

/** Adds an issue per recorded bad slot, paths `scores[i]` and `stds[i]`, marking the list truncated when the kernel saw more. */
export function reportBadSlots(bad: BadSlotRecords, issues: IssueCollector): void {
  bad.slots.forEach((i, k) => {
    const std = bad.isStd[k]!;
    reportValue(bad.values[k], std ? "std" : "score", `${std ? "stds" : "scores"}[${i}]`, issues, `${slotName(i)}: `);
  });
  if (bad.truncated) issues.truncated = true;
}

/** "evaluation 3, PA07 DIM02" for slot index `i` of the columns (or of per-evaluation weights). */
export function slotName(i: number): string {
  const e = Math.floor(i / SLOTS_PER_EVALUATION);
  const slot = i - e * SLOTS_PER_EVALUATION;
  const a = Math.floor(slot / DIMENSION_COUNT);
  return `evaluation ${e}, ${AREA_IDS[a]} ${DIMENSION_IDS[slot - a * DIMENSION_COUNT]}`;
}
