import { isScore, isStd, MAX_ISSUES } from "../core/constants.js";

/**
 * The bad scores and stds a kernel met, as it read them: slot index (`e*60 + a*6 + d`), value
 * and which column, lowest indices first, at most MAX_ISSUES, `truncated` when there were more.
 * The ValidationError is built from these records alone, so nothing reads the caller's memory
 * again. The native kernel returns the same records (native/kernel.h's BadSlots), and so does
 * the JS backend's worker thread.
 */
export interface BadSlotRecords {
  readonly slots: readonly number[];
  readonly values: readonly number[];
  readonly isStd: readonly boolean[];
  readonly truncated: boolean;
}

/** Collects BadSlotRecords as a kernel meets them. */
export class BadSlots implements BadSlotRecords {
  readonly slots: number[] = [];
  readonly values: number[] = [];
  readonly isStd: boolean[] = [];
  truncated = false;

  get empty(): boolean {
    return this.slots.length === 0 && !this.truncated;
  }

  /** Adds one record; slots must come in increasing order (scores before stds at one slot). */
  add(slot: number, value: number, std: boolean): void {
    if (this.slots.length < MAX_ISSUES) {
      this.slots.push(slot);
      this.values.push(value);
      this.isStd.push(std);
    } else {
      this.truncated = true;
    }
  }

  /** Another kernel run's records, its slots `offset` further on (they must come after these). */
  addAll(records: BadSlotRecords, offset: number): void {
    records.slots.forEach((slot, k) => this.add(slot + offset, records.values[k]!, records.isStd[k]!));
    this.truncated ||= records.truncated;
  }

  /** The bad values among one row's six scores and stds (read once by the caller), from slot `i`. */
  addRow(i: number, scores: readonly number[], stds: readonly number[], checkStds: boolean): void {
    for (let d = 0; d < scores.length; d++) {
      if (!isScore(scores[d])) this.add(i + d, scores[d]!, false);
      if (checkStds && !isStd(stds[d])) this.add(i + d, stds[d]!, true);
    }
  }
}
