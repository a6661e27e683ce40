import { AggregationError } from "../core/errors.js";
import type { KernelOutput } from "../core/kernel-io.js";
import { copyInto, isShared, viewLength } from "../core/typed-views.js";

const KEYS = ["score", "std", "ciLow", "ciHigh", "quality"] as const;

/** Whether any output is over a SharedArrayBuffer (whose memory another buffer object may share). */
export function outputsShared(out: KernelOutput): boolean {
  return KEYS.some((key) => isShared(out[key]));
}

/**
 * Throws unless every output still holds `rows` values, its length asked of the engine now: the
 * caller may have detached, transferred or shrunk one while an async call ran.
 * @throws AggregationError E_BUFFER_DETACHED
 */
export function assertOutputsHold(out: KernelOutput, rows: number): void {
  for (const key of KEYS) {
    if (viewLength(out[key]) < rows) {
      throw new AggregationError("E_BUFFER_DETACHED", `outputs.${key} was detached, transferred or shrunk while the call ran; nothing was written to the outputs`);
    }
  }
}

/**
 * Copies a run's private outputs into the caller's, all or nothing (see `assertOutputsHold`).
 * An empty run writes nothing, so it cannot fail on a detached empty array.
 */
export function copyOutputs(from: KernelOutput, to: KernelOutput): void {
  const rows = viewLength(from.score);
  if (rows === 0) return;
  assertOutputsHold(to, rows);
  for (const key of KEYS) copyInto(to[key], from[key]);
}
