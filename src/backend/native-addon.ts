import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { addonFileFromEnv } from "../core/env.js";
import type { BadSlotRecords } from "../kernels/bad-slots.js";
import { NATIVE_ABI, type NativeAggregateArgs, type NativeFormatCsvRowsArgs, type NativeFormatNumbersArgs, type NativeIndexKeysArgs, type NativeMonteCarloArgs, type NativeParseNumbersArgs, type NativeScanCsvArgs } from "./native-abi.js";

/**
 * Typed access to the native addon (`native/`, built by node-gyp or cmake-js into
 * build/Release/farfan_aggregator.node). This module only loads it and describes it: choosing
 * the ISA, the thread count and the fallback is the caller's business, and nothing here warns.
 */

/** Kernels the addon may contain; `info().supportedIsas` says which this CPU can run. */
export type NativeIsa = "scalar" | "avx2" | "avx512";

/** The bad slots a checked aggregate call met (BadSlotRecords). */
export type NativeBadSlots = BadSlotRecords;

/** What `aggregateAsync` resolves with. */
export interface NativeAggregateOutcome {
  /** What the check found: null when every score and std was good, or nothing was checked. */
  readonly bad: NativeBadSlots | null;
  /**
   * The outputs of a complete call that was given them as null: ArrayBuffers over the call's own
   * memory, in argument order (score, std, ciLow, ciHigh, quality). Each takes its memory along:
   * when V8 collects the buffer, and nothing can see the memory any more, the engine keeps it for
   * a later call, whose outputs are then memory already faulted in. (They are external
   * ArrayBuffers: not transferable, so postMessage copies them.) Null otherwise.
   */
  readonly outputs: readonly [ArrayBuffer, ArrayBuffer, ArrayBuffer, ArrayBuffer, ArrayBuffer] | null;
}

/** The `stats` argument's elements, which every call writes (native/call_stats.h). */
export const STATS_THREADS = 0;
export const STATS_BUSY_MS = 1;
export const STATS_WALL_MS = 2;
/** The ISA that ran, as its index in NATIVE_ISA_CODES. */
export const STATS_ISA = 3;
export const STATS_LENGTH = 4;

/** The ISAs by the number a call's stats give them (native/cpu.h's `enum class Isa`). */
export const NATIVE_ISA_CODES: readonly NativeIsa[] = Object.freeze(["scalar", "avx2", "avx512"]);

/** The ISA a call's stats say ran. */
export function isaRan(stats: Float64Array): NativeIsa | undefined {
  return NATIVE_ISA_CODES[stats[STATS_ISA]!];
}

export interface NativeInfo {
  /** package.json version the addon was built from. */
  readonly version: string;
  /** The name of the argument table it was built from (NATIVE_ABI). */
  readonly abi: string;
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
 * The addon's calls take their arguments in the order native/abi.json lists them
 * (native-abi.ts: `aggregateArgs(request)`, `parseNumbersArgs(request)`, … put a request in
 * order). Sync calls work on the arrays in place. Async calls (docs/contract.md §7) work in place
 * only on arrays over a SharedArrayBuffer, and on copies of every other array: inputs copied when the call starts,
 * outputs copied back when it completes — unless one was detached or shrunk meanwhile, when
 * nothing is written and the call rejects with "E_BUFFER_DETACHED". Errors carry the codes of
 * native/error_codes.h (native-errors.ts maps them); sync calls throw them, async calls reject.
 */
export interface NativeAddon {
  aggregate(...args: NativeAggregateArgs): NativeBadSlots | null;
  /** Runs on the addon's own threads (never libuv's threadpool). */
  aggregateAsync(...args: NativeAggregateArgs): Promise<NativeAggregateOutcome>;
  monteCarlo(...args: NativeMonteCarloArgs): void;
  /** Runs off the JS thread, like `aggregateAsync`. */
  monteCarloAsync(...args: NativeMonteCarloArgs): Promise<void>;
  /** Cancels every async call in flight in this environment (they reject "E_CANCELLED"); returns how many. */
  cancelAll(): number;
  info(): NativeInfo;
  /** Sets how many threads a call may use (1..256), growing or shrinking the pool; returns the size obtained. */
  setPoolSize(threads: number): number;
  /** napi_adjust_external_memory: V8 is told JS objects keep `bytes` more (negative: fewer) outside its heap alive; returns its total. */
  adjustExternalMemory(bytes: number): number;
  /** Sync only; the arguments: NativeParseNumbersRequest (native-abi.ts, from native/abi.json). */
  parseNumbers(...args: NativeParseNumbersArgs): number;
  /** Sync only; the arguments: NativeFormatNumbersRequest. */
  formatNumbers(...args: NativeFormatNumbersArgs): number;
  /** Sync only; the arguments: NativeScanCsvRequest. */
  scanCsv(...args: NativeScanCsvArgs): number;
  /** Sync only; the arguments: NativeFormatCsvRowsRequest. */
  formatCsvRows(...args: NativeFormatCsvRowsArgs): void;
  /** Sync only; the arguments: NativeIndexKeysRequest. */
  indexKeys(...args: NativeIndexKeysArgs): void;
}

/**
 * The package root: this file is in src/backend/ (tests) or dist/backend/ (built), two levels
 * below it. "" in a CommonJS bundle, where the bundler leaves `import.meta` empty (bundled.ts).
 */
export const PACKAGE_ROOT: string = import.meta.url === undefined ? "" : resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The functions the addon must export: the loader refuses a build that lacks one. */
export const NATIVE_FUNCTIONS = ["aggregate", "aggregateAsync", "monteCarlo", "monteCarloAsync", "cancelAll", "info", "setPoolSize", "adjustExternalMemory", "parseNumbers", "formatNumbers", "scanCsv", "formatCsvRows", "indexKeys"] as const;

/**
 * Loads the addon with node-gyp-build (a prebuild or build/Release) from `root`, or the file
 * FARFAN_AGGREGATOR_ADDON names. Throws when there is none, it does not load, it lacks the
 * expected functions, or it was built from another argument table (native/abi.json).
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
  const loaded = addon as unknown as NativeAddon;
  const abi = loaded.info().abi;
  if (abi !== NATIVE_ABI) {
    throw new Error(`the native addon in ${file ?? root} was built for other arguments (table ${String(abi)}, expected ${NATIVE_ABI}); rebuild it (npm rebuild)`);
  }
  return loaded;
}
