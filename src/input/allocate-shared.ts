import { SLOTS_PER_EVALUATION } from "../core/constants.js";
import { ValidationError } from "../core/errors.js";
import { allocateSharedOutputs } from "../core/kernel-io.js";
import type { ColumnOutputs } from "../core/types.js";
import { show } from "../core/validate.js";
import { sharedFloat64 } from "../core/typed-views.js";

/** Columns and outputs for `aggregateColumns`, all over SharedArrayBuffers (see `allocateSharedColumns`). */
export interface SharedColumns {
  /** `Float64Array(n*60)`, index `e*60 + a*6 + d`, zeros: fill in the scores. */
  readonly scores: Float64Array;
  /** `Float64Array(n*60)` of zeros: fill in the stds (or leave out of the call for σ = 0). */
  readonly stds: Float64Array;
  /** Outputs to pass as `aggregateColumns`' second argument. */
  readonly outputs: ColumnOutputs;
}

/**
 * Allocates input columns and outputs for `n` evaluations over `SharedArrayBuffer`s, for
 * zero-copy async calls (docs/contract.md §7). An async `aggregateColumns` copies every array over an
 * ordinary `ArrayBuffer` (a transfer could free it while other threads read it) and copies
 * results back at the end; arrays from here are read and written in place instead. Since a
 * SharedArrayBuffer stays readable by every thread that has it, do not write the scores or stds
 * while a call runs: a value changed mid-call is either reported as bad or used as it was first
 * read, never both (and the other values of that evaluation may come from either state).
 *
 * @param evaluations the number of evaluations n, an integer ≥ 0
 * @throws ValidationError (E_COUNT) when `evaluations` is not such an integer or the memory
 *   cannot be allocated
 * @example
 * const { scores, stds, outputs } = allocateSharedColumns(100_000);
 * scores.set(myScores); // n*60 values, index e*60 + a*6 + d
 * stds.set(myStds);
 * const result = await aggregator.aggregateColumns({ scores, stds }, outputs);
 * result.score === outputs.score; // true: filled in place, nothing copied
 */
export function allocateSharedColumns(evaluations: number): SharedColumns {
  if (!Number.isSafeInteger(evaluations) || evaluations < 0) {
    throw new ValidationError([{ code: "E_COUNT", path: "evaluations", message: `expected an integer ≥ 0, got ${show(evaluations)}` }]);
  }
  try {
    const slots = evaluations * SLOTS_PER_EVALUATION;
    return { scores: sharedFloat64(slots), stds: sharedFloat64(slots), outputs: allocateSharedOutputs(evaluations) };
  } catch (cause) {
    // RangeError: more than the engine allocates in one buffer, or out of memory.
    const message = `cannot allocate columns for ${evaluations} evaluations (${(cause as Error).message})`;
    throw new ValidationError([{ code: "E_COUNT", path: "evaluations", message }]);
  }
}
