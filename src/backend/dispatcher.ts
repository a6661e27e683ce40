import { allocateOutput, type KernelInput, type KernelOutput, type ThresholdTriple } from "../core/kernel-io.js";
import type { BadSlots } from "../kernels/bad-slots.js";
import { aggregateColumnsJs } from "../kernels/kernel.js";
import { monteCarloColumnsJs, type MonteCarloParams } from "../kernels/montecarlo.js";
import {
  loadNativeAddon,
  type NativeAddon,
  type NativeAggregateCall,
  type NativeHandedOutputs,
  type NativeIsa,
  type NativeOutputArgs,
  type NativeRunResult,
  type NativeTiming,
} from "./native-addon.js";
import { CONTROL_CANCEL } from "./call-control.js";
import { BUNDLED_FIX, isBundled } from "./bundled.js";
import { runFreshOnWorker, runOnWorkerInto } from "./js-worker-job.js";
import { nativeFailure } from "./native-errors.js";
import { copyOutputs, outputsShared } from "./outputs.js";
import { allocateSharedOutputs } from "../input/shared-columns.js";
import { FORCE_JS_ENV, forceJsFromEnv, ISA_ENV, isaFromEnv } from "../core/env.js";
import type { KernelRun } from "../core/metrics.js";
import { countSharedMemoryWith } from "../core/shared-memory.js";
import type { BackendChoice, BackendName, BackendReason } from "../core/types.js";

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
 * With Monte-Carlo intervals, an async call goes to a worker thread from this many draws per
 * area in all (evaluations × samples): a native plan of 1000 samples takes ~0.1–0.2 ms
 * (the repository's Monte-Carlo benchmark), so from here the ~30 µs hop is a small share.
 */
export const ASYNC_MIN_MONTE_CARLO_DRAWS = 4_096;

/**
 * `backend: "native"` was asked for but the addon is not in use (not built for this platform,
 * failed to load, or FARFAN_AGGREGATOR_FORCE_JS=1). `cause` holds the load error, when there was one.
 */
export class BackendUnavailableError extends Error {
  override readonly name = "BackendUnavailableError";
  readonly code = "E_NATIVE_UNAVAILABLE";
}

/**
 * One kernel call whose outputs the kernel provides (the package's default outputs): the
 * docs/contract.md §4 pass over the rows, then the §6 pass when `monteCarlo` is set.
 */
export interface FreshJob {
  readonly input: KernelInput;
  readonly thresholds: ThresholdTriple;
  readonly monteCarlo: MonteCarloParams | undefined;
  /**
   * Check scores and stds, recording the bad ones here (column input, which nothing validated
   * before); a run that records any leaves `out` unspecified.
   */
  readonly bad: BadSlots | undefined;
}

/** A fresh job's run and what it wrote: `out` is undefined when the run found bad slots (`run.clean` false). */
export interface FreshRun {
  readonly run: KernelRun;
  readonly out: KernelOutput | undefined;
}

/** One kernel call into outputs given to it. */
export interface KernelJob extends FreshJob {
  readonly out: KernelOutput;
  /**
   * `out` is memory of the package's own that no caller has seen (a single plan's scratch), so
   * no input can share it: the JS kernel skips the check for outputs over SharedArrayBuffers.
   */
  readonly privateOut: boolean;
}

/**
 * Runs a job; every implementation writes the same bits. `runAsync` runs a large job (see
 * `largeJob`) off the JS thread, stopping between chunks once `control[CONTROL_CANCEL]` is set
 * (then it rejects with AggregationError E_CANCELLED) and counting the area rows its last pass
 * has finished in `control[CONTROL_DONE]` (call-control.ts).
 */
export interface Kernel {
  run(job: KernelJob): KernelRun;
  runAsync(job: KernelJob, control: Int32Array): Promise<KernelRun>;
  /**
   * `runAsync` into outputs of the kernel's own: on the JS backend new ordinary ArrayBuffers
   * (a large call's written by its worker); on the native backend new ones over
   * SharedArrayBuffers, or, for a large §4-only call, memory the engine hands over
   * (NativeHandedOutputs: it is recycled once V8 collects it, so it is not faulted in afresh for
   * every call).
   */
  runAsyncFresh(job: FreshJob, control: Int32Array): Promise<FreshRun>;
}

/** A fresh job run into new outputs over SharedArrayBuffers, which no input can share. */
async function runIntoNewOutputs(kernel: Kernel, job: FreshJob, control: Int32Array): Promise<FreshRun> {
  const out = allocateSharedOutputs(job.input.evaluations);
  const run = await kernel.runAsync({ ...job, out, privateOut: true }, control);
  return { run, out: run.clean ? out : undefined };
}

/** Whether an async call of `job` is worth a hop to another thread (the thresholds above). */
function largeJob(job: FreshJob): boolean {
  const { evaluations } = job.input;
  const mc = job.monteCarlo;
  return mc === undefined ? evaluations >= ASYNC_MIN_EVALUATIONS : evaluations * mc.samples >= ASYNC_MIN_MONTE_CARLO_DRAWS;
}

// One thread busy for the whole run: efficiency 1 by definition, not by estimate.
const JS_RUN: KernelRun = Object.freeze({ backend: "js", isa: "js", threads: 1, parallelEfficiency: 1, clean: true });
const JS_DIRTY: KernelRun = Object.freeze({ ...JS_RUN, clean: false });

export const JS_KERNEL: Kernel = Object.freeze({
  run(job: KernelJob): KernelRun {
    const { input, bad } = job;
    // Outputs over SharedArrayBuffers may be the inputs' memory through another buffer object,
    // which nothing in JavaScript can see: the kernel then writes outputs of its own, so no
    // write of its can change an input it has yet to read, and they are copied out at the end.
    const out = !job.privateOut && outputsShared(job.out) ? allocateOutput(input.evaluations) : job.out;
    aggregateColumnsJs(input, job.thresholds, out, bad);
    if (bad !== undefined && !bad.empty) return JS_DIRTY;
    if (job.monteCarlo !== undefined) monteCarloColumnsJs(input, job.monteCarlo, out);
    if (out !== job.out) copyOutputs(out, job.out);
    return JS_RUN;
  },
  async runAsync(job: KernelJob, control: Int32Array): Promise<KernelRun> {
    // A bundled copy has no worker script beside it: it runs every job here (the warning said so).
    return largeJob(job) && !isBundled() ? runOnWorkerInto(job, job.out, control, JS_RUN, JS_DIRTY) : JS_KERNEL.run(job);
  },
  // Outputs only this thread sees (a small call) or that a worker wrote: ordinary ArrayBuffers,
  // which V8 counts, so results the caller drops are collected as promptly as any array.
  async runAsyncFresh(job: FreshJob, control: Int32Array): Promise<FreshRun> {
    if (largeJob(job) && !isBundled()) return runFreshOnWorker(job, control, JS_RUN, JS_DIRTY);
    const out = allocateOutput(job.input.evaluations);
    const run = JS_KERNEL.run({ ...job, out, privateOut: true });
    return { run, out: run.clean ? out : undefined };
  },
});

/** The outcome of trying to load the addon, once per process (per worker thread). */
type NativeState =
  | { readonly addon: NativeAddon; readonly isa: NativeIsa }
  | {
      /** One line. */
      readonly error: string;
      /** What loading threw: the `cause` of a BackendUnavailableError. */
      readonly cause?: unknown;
      /**
       * Why there is no addon: not loaded on purpose (FORCE_JS), nothing to warn about; a bundled
       * copy, which its own warning explains; or a load that failed.
       */
      readonly reason: "forced" | "bundled" | "failed";
    };

let nativeState: NativeState | undefined;
let fallbackWarned = false;
let bundledWarned = false;

function loadNative(): NativeState {
  if (nativeState !== undefined) return nativeState;
  if (forceJsFromEnv()) return (nativeState = { error: `${FORCE_JS_ENV} forces the JS backend`, reason: "forced" });
  if (isBundled()) return (nativeState = { error: `the package was bundled, away from its native engine: ${BUNDLED_FIX}`, reason: "bundled" });
  try {
    const addon = loadNativeAddon();
    nativeState = { addon, isa: chooseIsa(addon.info().supportedIsas) };
    // The process is exiting: stop the async calls in flight, whose threads would otherwise
    // run on while it exits (a worker's teardown is handled natively: native/async_calls.h).
    process.on("exit", () => addon.cancelAll());
    // From now on the package's large SharedArrayBuffers count for V8's collections (shared-memory.ts).
    countSharedMemoryWith((bytes) => addon.adjustExternalMemory(bytes));
  } catch (error) {
    nativeState = { error: oneLine(error instanceof Error ? error.message : String(error)), cause: error, reason: "failed" };
  }
  return nativeState;
}

/** `text` on one line: node-gyp-build's "No native build was found" spans lines and ends with a newline. */
function oneLine(text: string): string {
  return text.trim().split(/\s*\n\s*/).join("; ");
}

/**
 * The one warning a bundled copy gives, whatever its backend: without its own files it has no
 * native engine and runs large async JS calls on the calling thread, and the fix is the user's.
 */
function warnIfBundled(): void {
  if (bundledWarned || !isBundled()) return;
  bundledWarned = true;
  process.emitWarning(
    "farfan-area-aggregator runs from a bundle, away from its own files: without its native engine and its worker script it computes on the TypeScript kernel, large async calls included, on the calling thread. To fix it, " +
      BUNDLED_FIX,
    { type: "FarfanAggregatorWarning", code: "FARFAN_BUNDLED" },
  );
}

/** The best ISA, or the one FARFAN_AGGREGATOR_ISA names if this CPU has it (else a warning). */
function chooseIsa(supported: readonly NativeIsa[]): NativeIsa {
  const forced = isaFromEnv();
  if (forced === undefined) return supported[0]!;
  if ((supported as readonly string[]).includes(forced)) return forced as NativeIsa;
  process.emitWarning(
    `${ISA_ENV}=${forced} is not a kernel this CPU can run (it can run ${supported.join(", ")}); using ${supported[0]}`,
    { type: "FarfanAggregatorWarning", code: "FARFAN_ISA_UNSUPPORTED" },
  );
  return supported[0]!;
}

/** `{ addon, isa }` for `choice`, or undefined for the TypeScript kernel; throws for an unavailable "native". */
function nativeFor(choice: BackendChoice): { readonly addon: NativeAddon; readonly isa: NativeIsa } | undefined {
  if (choice === "js") return undefined;
  const state = loadNative();
  if ("addon" in state) return state;
  if (choice === "native") {
    if (state.reason !== "failed") throw new BackendUnavailableError(`native backend not available: ${state.error}`);
    // One line of ours; the load error (node-gyp-build's spans lines) travels as the ES2022 cause.
    throw new BackendUnavailableError("native backend not available: the addon did not load", { cause: state.cause });
  }
  if (!fallbackWarned && state.reason === "failed") {
    fallbackWarned = true;
    process.emitWarning(`native addon not loaded (${state.error}); using the JS backend`, {
      type: "FarfanAggregatorWarning",
      code: "FARFAN_NATIVE_FALLBACK",
    });
  }
  return undefined;
}

export interface KernelSettings {
  readonly choice: BackendChoice;
  /** False forces the scalar native kernel. */
  readonly vectorization: boolean;
  /** Threads a native call may use. */
  readonly threads: number;
}

/**
 * Picks the kernel for each call: `js` always the TypeScript kernel, `native` always the addon,
 * `auto` the addon from AUTO_NATIVE_MIN_EVALUATIONS evaluations on.
 */
export class KernelDispatcher {
  readonly name: BackendName;
  readonly #native: NativeKernel | undefined;
  readonly #nativeFrom: number;
  readonly #choice: BackendChoice;

  constructor(settings: KernelSettings) {
    warnIfBundled();
    const native = nativeFor(settings.choice);
    this.#native = native && new NativeKernel(native.addon, settings.vectorization ? native.isa : "scalar", settings.threads);
    this.#nativeFrom = settings.choice === "native" ? 0 : AUTO_NATIVE_MIN_EVALUATIONS;
    this.#choice = settings.choice;
    this.name = this.#native === undefined ? "js" : "native";
  }

  /** Why `kernel`, which `for` gave, runs a call (the metrics' `backendReason`). */
  reason(kernel: Kernel): BackendReason {
    if (this.#choice !== "auto") return "requested";
    if (this.#native !== undefined) return kernel === JS_KERNEL ? "small-call" : "auto";
    const state = loadNative();
    return "reason" in state && state.reason === "forced" ? "force-js" : "engine-unavailable";
  }

  /** The kernel for a call on `evaluations` evaluations (Monte-Carlo runs native whenever it can: it is ~30× faster there even for one plan). */
  for(evaluations: number, monteCarlo: boolean): Kernel {
    return this.#native !== undefined && (monteCarlo || evaluations >= this.#nativeFrom) ? this.#native : JS_KERNEL;
  }
}

class NativeKernel implements Kernel {
  readonly #addon: NativeAddon;
  readonly #isa: NativeIsa;
  readonly #threads: number;
  // Thresholds travel as a typed array, read while the call's arguments are parsed: every call reuses this one.
  readonly #thresholds = new Float64Array(3);

  constructor(addon: NativeAddon, isa: NativeIsa, threads: number) {
    this.#addon = addon;
    this.#isa = isa;
    this.#threads = threads;
  }

  run(job: KernelJob): KernelRun {
    this.#thresholds.set(job.thresholds);
    try {
      const first = this.#addon.aggregate(...this.#aggregateArgs(job, this.#thresholds, outputArgs(job.out)));
      if (!record(first, job.bad) || job.monteCarlo === undefined) return report(first, undefined);
      return report(first, this.#addon.monteCarlo(...this.#monteCarloArgs(job, job.monteCarlo)));
    } catch (error) {
      throw nativeFailure(error);
    }
  }

  async runAsync(job: KernelJob, control: Int32Array): Promise<KernelRun> {
    const mc = job.monteCarlo;
    if (!largeJob(job)) return this.run(job);
    this.#thresholds.set(job.thresholds);
    try {
      // With Monte-Carlo to follow, the §4 pass gets the cancel word alone: progress counts the last pass.
      const firstControl = mc === undefined ? control : control.subarray(CONTROL_CANCEL, CONTROL_CANCEL + 1);
      const first = await this.#addon.aggregateAsync(...this.#aggregateArgs(job, this.#thresholds, outputArgs(job.out)), undefined, firstControl);
      if (!record(first, job.bad) || mc === undefined) return report(first, undefined);
      return report(first, await this.#addon.monteCarloAsync(...this.#monteCarloArgs(job, mc), undefined, control));
    } catch (error) {
      throw nativeFailure(error);
    }
  }

  async runAsyncFresh(job: FreshJob, control: Int32Array): Promise<FreshRun> {
    // Monte-Carlo's second pass works on the first one's outputs in place: over SharedArrayBuffers.
    if (job.monteCarlo !== undefined || !largeJob(job)) return runIntoNewOutputs(this, job, control);
    this.#thresholds.set(job.thresholds);
    try {
      const result = await this.#addon.aggregateAsync(...this.#aggregateArgs(job, this.#thresholds, HANDED), undefined, control);
      const clean = record(result, job.bad);
      return { run: report(result, undefined), out: clean ? handedOutputs(result) : undefined };
    } catch (error) {
      throw nativeFailure(error);
    }
  }

  #aggregateArgs(job: FreshJob, thresholds: Float64Array, outputs: NativeOutputArgs | NativeHandedOutputs): NativeAggregateCall {
    const { scores, stds, weights, evaluations } = job.input;
    const check = job.bad !== undefined;
    return [scores, stds, weights, evaluations, thresholds, ...outputs, this.#isa, this.#threads, check];
  }

  #monteCarloArgs(job: KernelJob, mc: MonteCarloParams) {
    const { scores, stds, weights, evaluations } = job.input;
    const { score, std, ciLow, ciHigh } = job.out;
    const { firstEvaluation, seed, samples } = mc;
    return [scores, stds, weights, evaluations, score, std, ciLow, ciHigh, firstEvaluation, seed, samples, this.#isa, this.#threads] as const;
  }
}

const HANDED: NativeHandedOutputs = [null, null, null, null, null];

function outputArgs({ score, std, ciLow, ciHigh, quality }: KernelOutput): NativeOutputArgs {
  return [score, std, ciLow, ciHigh, quality];
}

/** The outputs a complete native call handed over (NativeHandedOutputs); throws (→ E_INTERNAL) if one is missing. */
function handedOutputs(result: NativeRunResult): KernelOutput {
  const buffer = (b: ArrayBuffer | null) => {
    if (b === null) throw new Error("a complete call with null outputs handed over no memory for one");
    return b;
  };
  return {
    score: new Float64Array(buffer(result.scoreBuffer)),
    std: new Float64Array(buffer(result.stdBuffer)),
    ciLow: new Float64Array(buffer(result.ciLowBuffer)),
    ciHigh: new Float64Array(buffer(result.ciHighBuffer)),
    quality: new Uint8Array(buffer(result.qualityBuffer)),
  };
}

/** Copies the native call's bad-slot records into `bad`; true when there were none. */
function record(result: NativeRunResult, bad: BadSlots | undefined): boolean {
  const found = result.bad;
  if (found === null) return true;
  if (bad !== undefined) {
    found.slots.forEach((slot, i) => bad.add(slot, found.values[i]!, found.isStd[i]!));
    bad.truncated ||= found.truncated;
  }
  return false;
}

/** The metrics of one or two native passes: efficiency over their combined busy and wall time. */
function report(first: NativeRunResult, second: NativeTiming | undefined): KernelRun {
  const threads = Math.max(first.threads, second?.threads ?? 0);
  const busyMs = first.busyMs + (second?.busyMs ?? 0);
  const wallMs = first.wallMs + (second?.wallMs ?? 0);
  const parallelEfficiency = wallMs > 0 ? Math.min(1, busyMs / (threads * wallMs)) : 1;
  return { backend: "native", isa: first.isa, threads, parallelEfficiency, clean: first.bad === null };
}

/** What `nativeInfo()` reports. */
export interface NativeStatus {
  readonly loaded: boolean;
  /** Why the addon is not in use, when it is not. */
  readonly loadError: string | undefined;
  /** The kernel native calls use by default (after FARFAN_AGGREGATOR_ISA). */
  readonly isa: NativeIsa | undefined;
  readonly supportedIsas: readonly NativeIsa[];
  /** Threads one native call can use now (the calling thread plus the pool's workers). */
  readonly threads: number;
  /** Bytes of async calls' copy and output memory the engine keeps now for later calls, and their bound (0 without the engine). */
  readonly keptBytes: number;
  readonly maxKeptBytes: number;
  readonly version: string | undefined;
}

/** Loads the addon if needed (unless FARFAN_AGGREGATOR_FORCE_JS=1) and says what it found. */
export function nativeInfo(): NativeStatus {
  const state = loadNative();
  if ("error" in state) {
    return { loaded: false, loadError: state.error, isa: undefined, supportedIsas: [], threads: 0, keptBytes: 0, maxKeptBytes: 0, version: undefined };
  }
  const info = state.addon.info();
  return {
    loaded: true,
    loadError: undefined,
    isa: state.isa,
    supportedIsas: info.supportedIsas,
    threads: info.poolThreads,
    keptBytes: info.keptBytes,
    maxKeptBytes: info.maxKeptBytes,
    version: info.version,
  };
}
