import { AREA_COUNT } from "../core/constants.js";
import { allocateSharedOutputs } from "../core/kernel-io.js";
import { copyInto, fillFloat64 } from "../core/typed-views.js";
import type { BackendChoice, BackendName, BackendReason } from "../core/types.js";
import { JS_KERNEL } from "./js-kernel.js";
import type { CallOutputs, ControlledCall, Kernel, KernelCall, KernelOutcome } from "./kernel-call.js";
import { nativeEngineFor, nativeForcedOff, warnIfBundled } from "./load-native.js";
import { NativeKernel } from "./native-kernel.js";
import { assertOutputsHold, copyOutputs } from "./outputs.js";

/**
 * Below this many evaluations `auto` runs the TypeScript kernel: a native call costs ~1 µs to
 * cross N-API, the TS kernel ~0.16 µs per evaluation, so they meet near 8
 * (measured by the repository's auto-threshold benchmark).
 */
export const AUTO_NATIVE_MIN_EVALUATIONS = 8;
/**
 * From this many evaluations an async call runs on another thread, leaving the event loop
 * free. Native (a call thread of the addon's own): the hop costs tens of µs; from here on it
 * is a small share of a kernel that would otherwise block the loop for ~0.5 ms. The JS backend
 * (a worker thread, js-worker-pool.ts) uses the same thresholds; its hop is larger (the inputs
 * are copied into buffers transferred to the worker, on the JS thread), but the kernel runs
 * off the loop.
 */
export const ASYNC_MIN_EVALUATIONS = 16_384;
/**
 * With Monte-Carlo intervals, an async call goes to another thread from this many draws per
 * area in all (evaluations × samples): a native plan of 1000 samples takes ~0.1–0.2 ms
 * (the repository's Monte-Carlo benchmark), so from here the ~30 µs hop is a small share.
 */
export const ASYNC_MIN_MONTE_CARLO_DRAWS = 4_096;

export interface KernelSettings {
  readonly choice: BackendChoice;
  /** False forces the scalar native kernel. */
  readonly vectorization: boolean;
  /** Threads a native call may use. */
  readonly threads: number;
}

/** A call's outcome, and why its kernel ran it (the metrics' `backendReason`). */
export type DispatchedOutcome = KernelOutcome & { readonly reason: BackendReason };

/**
 * Runs each call on its kernel — `js` always the TypeScript kernel, `native` always the addon,
 * `auto` the addon from AUTO_NATIVE_MIN_EVALUATIONS evaluations on, and for every Monte-Carlo call
 * (it is ~30× faster there even for one plan) — and, when it is async and large, off the JS
 * thread. What a call needs whatever runs it is done here too: see `runAsync` and `completed`.
 */
export class KernelDispatcher {
  readonly name: BackendName;
  readonly #native: NativeKernel | undefined;
  readonly #nativeFrom: number;
  readonly #choice: BackendChoice;

  constructor(settings: KernelSettings) {
    warnIfBundled();
    const engine = nativeEngineFor(settings.choice);
    this.#native = engine && new NativeKernel(engine.addon, settings.vectorization ? engine.isa : "scalar", settings.threads);
    this.#nativeFrom = settings.choice === "native" ? 0 : AUTO_NATIVE_MIN_EVALUATIONS;
    this.#choice = settings.choice;
    this.name = this.#native === undefined ? "js" : "native";
  }

  /** Runs `call` to its end on this thread. */
  run(call: KernelCall): DispatchedOutcome {
    const kernel = this.#kernelFor(call);
    return dispatched(completed(call, kernel.run(call)), this.#reason(kernel));
  }

  /**
   * Runs `call`, off the JS thread when it is large enough to be worth the hop. Monte-Carlo reads
   * the first pass's scores in a second pass, with the caller free to touch its outputs between
   * them: into a caller's outputs it runs through outputs of the package's own, copied into
   * them at the end.
   */
  async runAsync(call: ControlledCall): Promise<DispatchedOutcome> {
    const kernel = this.#kernelFor(call);
    const { outputs } = call;
    const viaPackage = outputs.owner === "caller" && call.monteCarlo !== undefined;
    const staged = viaPackage ? { ...call, outputs: packageOutputs(call.input.evaluations) } : call;
    let outcome = largeCall(call) ? await kernel.runOffThread(staged) : kernel.run(staged);
    if (viaPackage && outcome.out !== undefined) {
      copyOutputs(outcome.out, outputs.out);
      outcome = { ...outcome, out: outputs.out };
    }
    return dispatched(completed(call, outcome), this.#reason(kernel));
  }

  #kernelFor(call: KernelCall): Kernel {
    const native = this.#native;
    return native !== undefined && (call.monteCarlo !== undefined || call.input.evaluations >= this.#nativeFrom) ? native : JS_KERNEL;
  }

  #reason(kernel: Kernel): BackendReason {
    if (this.#choice !== "auto") return "requested";
    if (this.#native !== undefined) return kernel === JS_KERNEL ? "small-call" : "auto";
    return nativeForcedOff() ? "force-js" : "engine-unavailable";
  }
}

/** `outcome` with its reason, as one literal (a spread would copy it property by property). */
function dispatched(outcome: KernelOutcome, reason: BackendReason): DispatchedOutcome {
  return outcome.out === undefined
    ? { run: outcome.run, out: undefined, bad: outcome.bad, reason }
    : { run: outcome.run, out: outcome.out, bad: undefined, reason };
}

/** New outputs over SharedArrayBuffers, which no input shares. */
function packageOutputs(evaluations: number): CallOutputs {
  return { owner: "package", out: allocateSharedOutputs(evaluations) };
}

/** Whether an async call is worth a hop to another thread (the thresholds above). */
function largeCall(call: KernelCall): boolean {
  const { evaluations } = call.input;
  const mc = call.monteCarlo;
  return mc === undefined ? evaluations >= ASYNC_MIN_EVALUATIONS : evaluations * mc.samples >= ASYNC_MIN_MONTE_CARLO_DRAWS;
}

/**
 * A call without stds (σ = 0 everywhere): the kernels read the scores in their place, so its
 * std and interval are written here, as zeros give them — into outputs that may have been
 * detached since the kernel wrote them (a caller's, in an async call), hence the check.
 */
function completed(call: KernelCall, outcome: KernelOutcome): KernelOutcome {
  const { out } = outcome;
  const n = call.input.evaluations;
  if (out === undefined || call.input.stds !== undefined || n === 0) return outcome;
  assertOutputsHold(out, n * AREA_COUNT);
  fillFloat64(out.std, 0);
  copyInto(out.ciLow, out.score);
  copyInto(out.ciHigh, out.score);
  return outcome;
}
