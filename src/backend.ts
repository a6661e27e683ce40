import { aggregateColumnsJs, type KernelInput, type KernelOutput, type ThresholdTriple } from "./kernel.js";
import type { BackendChoice, BackendName, Isa } from "./types.js";

/** A kernel that fills `KernelOutput` from `KernelInput`, and what to report about it. */
export interface Backend {
  readonly name: BackendName;
  readonly isa: Isa;
  readonly threads: number;
  /** Runs the SPEC §4 kernel; returns the measured parallel efficiency of the run. */
  run(input: KernelInput, thresholds: ThresholdTriple, out: KernelOutput): number;
}

/** `FARFAN_AGGREGATOR_FORCE_JS=1` makes every aggregator use the TypeScript kernel. */
export const FORCE_JS_ENV = "FARFAN_AGGREGATOR_FORCE_JS";

export class BackendUnavailableError extends Error {
  override readonly name = "BackendUnavailableError";
  readonly code = "E_NATIVE_UNAVAILABLE";
}

export const JS_BACKEND: Backend = Object.freeze({
  name: "js",
  isa: "js",
  threads: 1,
  run(input: KernelInput, thresholds: ThresholdTriple, out: KernelOutput): number {
    aggregateColumnsJs(input, thresholds, out);
    // One thread, busy for the whole run: efficiency is 1 by definition, not by estimate.
    return 1;
  },
});

/** Why the native backend cannot be used. */
function nativeUnavailableReason(): string {
  if (process.env[FORCE_JS_ENV] === "1") return `${FORCE_JS_ENV}=1 forces the JS backend`;
  return "this package version ships no native addon yet";
}

export function selectBackend(choice: BackendChoice): Backend {
  if (choice === "native") {
    throw new BackendUnavailableError(`native backend not available: ${nativeUnavailableReason()}; use backend "js" or "auto"`);
  }
  return JS_BACKEND;
}
