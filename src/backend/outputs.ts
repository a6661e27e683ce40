import { AggregationError } from "../core/errors.js";
import type { KernelOutput } from "../core/kernel-io.js";
import { copyInto, isShared, viewLength } from "../core/typed-views.js";

const KEYS = ["score", "std", "ciLow", "ciHigh", "quality"] as const;

/** Whether any output is over a SharedArrayBuffer (whose memory another buffer object may share). */
export function outputsShared(out: KernelOutput): boolean {
  return KEYS.some((key) => isShared(out[key]));
}

/**
 * Copies a run's private outputs into the caller's, all or nothing: if any caller array was
 * detached or shrunk meanwhile (its length asked of the engine now), nothing is written.
 * @throws AggregationError E_BUFFER_DETACHED
 */
export function copyOutputs(from: KernelOutput, to: KernelOutput): void {
  for (const key of KEYS) {
    if (viewLength(to[key]) < viewLength(from[key])) {
      throw new AggregationError("E_BUFFER_DETACHED", `outputs.${key} was detached, transferred or shrunk while the call ran; nothing was written to the outputs`);
    }
  }
  for (const key of KEYS) copyInto(to[key], from[key]);
}
