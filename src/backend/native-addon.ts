import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { addonFileFromEnv } from "../core/env.js";

/**
 * Typed access to the native addon (`native/`, built by node-gyp or cmake-js into
 * build/Release/farfan_aggregator.node). This module only loads it and describes it: choosing
 * the ISA, the thread count and the fallback is the caller's business, and nothing here warns.
 */

/** Kernels the addon may contain; `info().supportedIsas` says which this CPU can run. */
export type NativeIsa = "scalar" | "avx2" | "avx512";

/** What one native call did. */
export interface NativeTiming {
  readonly isa: NativeIsa;
  /** Threads that actually ran part of the call (the calling thread included). */
  readonly threads: number;
  /** Time the threads spent in the kernel, summed over threads. */
  readonly busyMs: number;
  /** Wall time of the kernel (split, run, join). */
  readonly wallMs: number;
}

/** The bad slots a checked aggregate call met (see BadSlots). */
export interface NativeBadSlots {
  /** Indices into scores/stds, increasing. */
  readonly slots: readonly number[];
  /** The values the kernel read there. */
  readonly values: readonly number[];
  /** Whether each is a std (else a score). */
  readonly isStd: readonly boolean[];
  /** There were more than MAX_ISSUES. */
  readonly truncated: boolean;
}

/** What one aggregate call did. */
export interface NativeRunResult extends NativeTiming {
  /** With `check`: null when every score and std was good, else the first bad ones. */
  readonly bad: NativeBadSlots | null;
  /**
   * The outputs an async call was given as null, complete (no bad slot): ArrayBuffers over the
   * call's own memory (see NativeHandedOutputs). Null otherwise.
   */
  readonly scoreBuffer: ArrayBuffer | null;
  readonly stdBuffer: ArrayBuffer | null;
  readonly ciLowBuffer: ArrayBuffer | null;
  readonly ciHighBuffer: ArrayBuffer | null;
  readonly qualityBuffer: ArrayBuffer | null;
}

export interface NativeInfo {
  /** package.json version the addon was built from. */
  readonly version: string;
  /** Best first, always ending with "scalar". */
  readonly supportedIsas: readonly NativeIsa[];
  readonly bestIsa: NativeIsa;
  readonly hardwareThreads: number;
  /** Threads one call can use now: the calling thread plus the pool's workers. */
  readonly poolThreads: number;
  /** Upper bound for `threads` and `setPoolSize`. */
  readonly maxThreads: number;
  /** Evaluations per thread below which a call uses fewer threads, unless `minChunk` says otherwise. */
  readonly defaultMinChunk: number;
  /** Monte-Carlo sample means per thread below which a call uses fewer threads, unless `minSamplesPerThread` says otherwise. */
  readonly defaultMinSamplesPerThread: number;
  /** Threads that run async calls (one call each at a time; more calls wait in line): one per hardware thread. */
  readonly maxCallThreads: number;
  /** Bytes of copy and output memory kept now for later async calls. */
  readonly keptBytes: number;
  /** The bounds on what is kept: bytes in all, and blocks. */
  readonly maxKeptBytes: number;
  readonly maxKeptBlocks: number;
}

/**
 * Arguments of `aggregate`/`aggregateAsync`: `scores`/`stds` are `Float64Array(n*60)` in
 * canonical column order, `weights` `Float64Array(60)` (shared) or `(n*60)`, `thresholds`
 * `Float64Array(3)` (EXCELENTE, BUENO, ACEPTABLE), outputs `Float64Array(n*10)` ×4 and
 * `Uint8Array(n*10)`; outputs may not overlap each other or the inputs. `threads` (1..256)
 * grows the pool if needed; a call uses fewer threads when it has fewer than `minChunk`
 * evaluations per thread (default `info().defaultMinChunk`). `check` checks every score and std
 * the kernel computes with and reports the bad ones in `bad` (outputs are then unspecified).
 * Passing `stds` = `scores` means "no stds": they are then not checked as stds.
 *
 * Sync calls work on the arrays in place. Async calls (docs/contract.md §7) work in place only on arrays over
 * a SharedArrayBuffer, and on copies of every other array: inputs copied when the call starts,
 * outputs copied back when it completes — unless one was detached or shrunk meanwhile, when
 * nothing is written and the call rejects with "E_BUFFER_DETACHED". Bad arguments throw (async:
 * reject) an Error with `code` "E_NATIVE_ARGS", or "E_NATIVE_OVERLAP" for an output sharing
 * memory with another array (the error's `argument` and `other` name them); an ISA this CPU
 * cannot run, "E_ISA_UNSUPPORTED"; an internal failure (out of memory), "E_NATIVE_INTERNAL"; a
 * call cancelled by `cancelAll`, by its environment's teardown or through `control`, "E_CANCELLED".
 * `control` (async calls) is an Int32Array over a SharedArrayBuffer: setting its element 0
 * non-zero (Atomics.store) stops the call between chunks (CONTROL_CANCEL, CONTROL_DONE).
 */
export type NativeAggregateArgs = [...NativeAggregateCall, minChunk?: number | undefined, control?: Int32Array | undefined];

/** The arguments every aggregate call has (NativeAggregateArgs without the optional ones). */
export type NativeAggregateCall = [
  scores: Float64Array,
  stds: Float64Array,
  weights: Float64Array,
  n: number,
  thresholds: Float64Array,
  ...outputs: NativeOutputArgs | NativeHandedOutputs,
  isa: NativeIsa,
  threads: number,
  check: boolean,
];

export type NativeOutputArgs = [score: Float64Array, std: Float64Array, ciLow: Float64Array, ciHigh: Float64Array, quality: Uint8Array];

/**
 * `aggregateAsync` only: five nulls for the outputs. The call then writes memory of its own and,
 * complete, resolves with it as five ArrayBuffers (`scoreBuffer` … `qualityBuffer`). Each takes
 * its memory along: when V8 collects the buffer, and nothing can see the memory any more, the
 * engine keeps it for a later call, whose outputs are then memory already faulted in. (They are
 * external ArrayBuffers: not transferable, so postMessage copies them.)
 */
export type NativeHandedOutputs = [score: null, std: null, ciLow: null, ciHigh: null, quality: null];

/**
 * Arguments of `monteCarlo`/`monteCarloAsync` (docs/contract.md §6, bit-identical to
 * `monteCarloColumnsJs`): `scores`/`stds`/`weights` as for `aggregate`; `score`
 * `Float64Array(n*10)` is an input, the §4 point scores `aggregate` wrote; `std`, `ciLow` and
 * `ciHigh` `Float64Array(n*10)` are overwritten with the Monte-Carlo std and 95% interval (the
 * other §4 outputs stay as they are). Outputs may not overlap each other or the inputs.
 * `firstEvaluation` (the study-wide index of evaluation 0, which keys the random streams, so
 * that batch splits do not change results) and `seed` are safe integers >= 0, with
 * `firstEvaluation + n <= 2^53`; `samples` an integer in [2, 1e6]. A call uses fewer threads
 * when it has fewer than `minSamplesPerThread` sample means (n*10*samples) per thread (default
 * `info().defaultMinSamplesPerThread`). Memory and errors as for `aggregate`.
 */
export type NativeMonteCarloArgs = [
  scores: Float64Array,
  stds: Float64Array,
  weights: Float64Array,
  n: number,
  score: Float64Array,
  std: Float64Array,
  ciLow: Float64Array,
  ciHigh: Float64Array,
  firstEvaluation: number,
  seed: number,
  samples: number,
  isa: NativeIsa,
  threads: number,
  minSamplesPerThread?: number | undefined,
  control?: Int32Array | undefined,
];

export interface NativeAddon {
  monteCarlo(...args: NativeMonteCarloArgs): NativeTiming;
  /** Runs off the JS thread, like `aggregateAsync`. */
  monteCarloAsync(...args: NativeMonteCarloArgs): Promise<NativeTiming>;
  aggregate(...args: NativeAggregateArgs): NativeRunResult;
  /** Runs on the addon's own threads (never libuv's threadpool), on copies of the arrays not over a SharedArrayBuffer (see NativeAggregateArgs). */
  aggregateAsync(...args: NativeAggregateArgs): Promise<NativeRunResult>;
  /** Cancels every async call in flight in this environment (they reject "E_CANCELLED"); returns how many. */
  cancelAll(): number;
  info(): NativeInfo;
  /** Sets how many threads a call may use (1..256), growing or shrinking the pool; returns the size obtained. */
  setPoolSize(threads: number): number;
  /** napi_adjust_external_memory: V8 is told JS objects keep `bytes` more (negative: fewer) outside its heap alive; returns its total. */
  adjustExternalMemory(bytes: number): number;
}

/**
 * The package root: this file is in src/backend/ (tests) or dist/backend/ (built), two levels
 * below it. "" in a CommonJS bundle, where the bundler leaves `import.meta` empty (bundled.ts).
 */
export const PACKAGE_ROOT: string = import.meta.url === undefined ? "" : resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The functions the addon must export: the loader refuses a build that lacks one. */
export const NATIVE_FUNCTIONS = ["aggregate", "aggregateAsync", "monteCarlo", "monteCarloAsync", "cancelAll", "info", "setPoolSize", "adjustExternalMemory"] as const;

/**
 * Loads the addon with node-gyp-build (a prebuild or build/Release) from `root`, or the file
 * FARFAN_AGGREGATOR_ADDON names. Throws when there is none, it does not load, or it lacks the
 * expected functions.
 */
export function loadNativeAddon(root: string = PACKAGE_ROOT): NativeAddon {
  const require = createRequire(import.meta.url);
  const nodeGypBuild = require("node-gyp-build") as (dir: string) => unknown;
  const file = addonFileFromEnv();
  const addon = (file === undefined ? nodeGypBuild(root) : require(resolve(file))) as Partial<Record<(typeof NATIVE_FUNCTIONS)[number], unknown>> | null;
  const missing = NATIVE_FUNCTIONS.filter((name) => typeof addon?.[name] !== "function");
  if (missing.length > 0) {
    throw new Error(`the native addon in ${file ?? root} lacks ${missing.join(", ")}; rebuild it (npm rebuild)`);
  }
  return addon as unknown as NativeAddon;
}
