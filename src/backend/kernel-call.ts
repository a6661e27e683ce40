import type { InputWithStds, KernelInput, KernelOutput, ThresholdTriple } from "../core/kernel-io.js";
import type { KernelRun } from "../core/metrics.js";
import type { BadSlotRecords } from "../kernels/bad-slots.js";
import type { MonteCarloParams } from "../kernels/montecarlo.js";

/**
 * One call of a kernel, as a value: everything a backend needs to know to run it, whichever
 * backend runs it and wherever. The facade builds one per call; the dispatcher (dispatch.ts)
 * picks the kernel and the thread, and each kernel (js-kernel.ts, native-kernel.ts) runs it.
 */
export interface KernelCall {
  /** What the kernel reads; `input.stds` undefined when the caller gave none (every σ is 0). */
  readonly input: KernelInput;
  readonly thresholds: ThresholdTriple;
  /**
   * Check every score and std in the pass that computes with it, and report the bad ones
   * instead of results (column input, which nothing validated before).
   */
  readonly check: boolean;
  /** The docs/contract.md §6 pass after the §4 one; undefined for none. */
  readonly monteCarlo: MonteCarloParams | undefined;
  readonly outputs: CallOutputs;
  /**
   * The call's control words (call-control.ts): set to cancel it between chunks, and where it
   * counts its progress. Undefined for a call run to its end on the JS thread, which nothing
   * can interrupt.
   */
  readonly control: Int32Array | undefined;
}

/** A call whose kernel may run off the JS thread: it has control words. */
export interface ControlledCall extends KernelCall {
  readonly control: Int32Array;
}

/**
 * Who owns the arrays a call writes, and so what a kernel may do with them:
 *  - `caller`: the caller's arrays. Over a SharedArrayBuffer, one may share memory with an input
 *    through another buffer object, which nothing in JavaScript can see; any other may be
 *    detached while an async call runs. They are filled all or nothing.
 *  - `package`: arrays of the package's own that no input shares (a plan's scratch, a batch's
 *    outputs, new SharedArrayBuffers): written in place, on any thread when shared.
 *  - `engine`: none; the kernel provides the outputs, and the outcome carries them.
 */
export type CallOutputs =
  | { readonly owner: "caller"; readonly out: KernelOutput }
  | { readonly owner: "package"; readonly out: KernelOutput }
  | { readonly owner: "engine" };

export const ENGINE_OUTPUTS: CallOutputs = Object.freeze({ owner: "engine" });

/**
 * What a call wrote: its results (the outputs it was given, or the engine's) or, when its check
 * met bad values, their records (its outputs are then unspecified).
 */
export type KernelResults = { readonly out: KernelOutput; readonly bad?: undefined } | { readonly out?: undefined; readonly bad: BadSlotRecords };

/** What a call did: its run (for the metrics) and its results. */
export type KernelOutcome = KernelResults & { readonly run: KernelRun };

/**
 * The call's docs/contract.md §6 pass and the stds it draws around; undefined when it has none
 * (the facade gives none when every σ is 0: it would change nothing).
 */
export function monteCarloPass(call: KernelCall): { readonly params: MonteCarloParams; readonly input: InputWithStds } | undefined {
  const { monteCarlo, input } = call;
  const { stds } = input;
  return monteCarlo === undefined || stds === undefined ? undefined : { params: monteCarlo, input: { ...input, stds } };
}

/**
 * A kernel: the TypeScript one or the native one. Both write the same bits for the same call.
 */
export interface Kernel {
  /** Runs `call` to its end on this thread. */
  run(call: KernelCall): KernelOutcome;
  /**
   * Runs `call` off the JS thread: the event loop stays free. It stops between chunks once the
   * cancel word of `call.control` is set (rejecting with AggregationError E_CANCELLED) and
   * counts in its done word the area rows its last pass has finished.
   */
  runOffThread(call: ControlledCall): Promise<KernelOutcome>;
}
