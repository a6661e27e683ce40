import { aggregateColumnsJs, type KernelInput, type KernelOutput, type ThresholdTriple } from "./kernel.js";
import { loadNativeAddon, type NativeAddon, type NativeIsa, type NativeRunResult } from "./native.js";
import type { BackendChoice, BackendName, Isa } from "./types.js";

/** `FARFAN_AGGREGATOR_FORCE_JS=1` makes every aggregator use the TypeScript kernel; the addon is never loaded. */
export const FORCE_JS_ENV = "FARFAN_AGGREGATOR_FORCE_JS";
/** `FARFAN_AGGREGATOR_ISA=scalar|avx2|avx512` forces one native kernel (for tests and comparisons). */
export const ISA_ENV = "FARFAN_AGGREGATOR_ISA";
/** `FARFAN_AGGREGATOR_BACKEND=auto|native|js`: the default of the `backend` option. */
export const BACKEND_ENV = "FARFAN_AGGREGATOR_BACKEND";

/**
 * Below this many evaluations `auto` runs the TypeScript kernel: a native call costs ~1 µs to
 * cross N-API, the TS kernel ~0.16 µs per evaluation, so they meet near 8
 * (`bench/auto-threshold.bench.js`; figures in bench/RESULTS.md).
 */
export const AUTO_NATIVE_MIN_EVALUATIONS = 8;
/**
 * From this many evaluations an async call runs on a worker thread (AsyncWorker), leaving the
 * event loop free. The hop costs ~30 µs and more with wake-ups; from here on it is a small
 * share of a kernel that would otherwise block the loop for ~0.5 ms.
 */
export const ASYNC_MIN_EVALUATIONS = 16_384;

export class BackendUnavailableError extends Error {
  override readonly name = "BackendUnavailableError";
  readonly code = "E_NATIVE_UNAVAILABLE";
}

/** What ran, for the metrics. */
export interface KernelRun {
  readonly backend: BackendName;
  readonly isa: Isa;
  readonly threads: number;
  /** Busy time ÷ (threads × wall time) of the kernel, as measured by the kernel. */
  readonly parallelEfficiency: number;
}

/** Runs the SPEC §4 kernel over columns; every implementation writes the same bits. */
export interface Kernel {
  run(input: KernelInput, thresholds: ThresholdTriple, out: KernelOutput): KernelRun;
  runAsync(input: KernelInput, thresholds: ThresholdTriple, out: KernelOutput): Promise<KernelRun>;
}

// One thread busy for the whole run: efficiency 1 by definition, not by estimate.
const JS_RUN: KernelRun = Object.freeze({ backend: "js", isa: "js", threads: 1, parallelEfficiency: 1 });

export const JS_KERNEL: Kernel = Object.freeze({
  run(input: KernelInput, thresholds: ThresholdTriple, out: KernelOutput): KernelRun {
    aggregateColumnsJs(input, thresholds, out);
    return JS_RUN;
  },
  async runAsync(input: KernelInput, thresholds: ThresholdTriple, out: KernelOutput): Promise<KernelRun> {
    return JS_KERNEL.run(input, thresholds, out);
  },
});

/** The outcome of trying to load the addon, once per process (per worker thread). */
type NativeState =
  | { readonly addon: NativeAddon; readonly isa: NativeIsa }
  | { readonly error: string; /** Not loaded on purpose (FORCE_JS): nothing to warn about. */ readonly forced: boolean };

let nativeState: NativeState | undefined;
let fallbackWarned = false;

function loadNative(): NativeState {
  if (nativeState !== undefined) return nativeState;
  if (process.env[FORCE_JS_ENV] === "1") return (nativeState = { error: `${FORCE_JS_ENV}=1 forces the JS backend`, forced: true });
  try {
    const addon = loadNativeAddon();
    nativeState = { addon, isa: chooseIsa(addon.info().supportedIsas) };
  } catch (error) {
    nativeState = { error: error instanceof Error ? error.message : String(error), forced: false };
  }
  return nativeState;
}

/** The best ISA, or the one FARFAN_AGGREGATOR_ISA names if this CPU has it (else a warning). */
function chooseIsa(supported: readonly NativeIsa[]): NativeIsa {
  const forced = process.env[ISA_ENV];
  if (forced === undefined || forced === "") return supported[0]!;
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
  if (choice === "native") throw new BackendUnavailableError(`native backend not available: ${state.error}`);
  if (!fallbackWarned && !state.forced) {
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

  constructor(settings: KernelSettings) {
    const native = nativeFor(settings.choice);
    this.#native = native && new NativeKernel(native.addon, settings.vectorization ? native.isa : "scalar", settings.threads);
    this.#nativeFrom = settings.choice === "native" ? 0 : AUTO_NATIVE_MIN_EVALUATIONS;
    this.name = this.#native === undefined ? "js" : "native";
  }

  for(evaluations: number): Kernel {
    return this.#native !== undefined && evaluations >= this.#nativeFrom ? this.#native : JS_KERNEL;
  }
}

const THRESHOLDS = new Float64Array(3);

class NativeKernel implements Kernel {
  readonly #addon: NativeAddon;
  readonly #isa: NativeIsa;
  readonly #threads: number;

  constructor(addon: NativeAddon, isa: NativeIsa, threads: number) {
    this.#addon = addon;
    this.#isa = isa;
    this.#threads = threads;
  }

  run(input: KernelInput, thresholds: ThresholdTriple, out: KernelOutput): KernelRun {
    THRESHOLDS.set(thresholds);
    return report(this.#addon.aggregate(...this.#args(input, THRESHOLDS, out)));
  }

  async runAsync(input: KernelInput, thresholds: ThresholdTriple, out: KernelOutput): Promise<KernelRun> {
    if (input.evaluations < ASYNC_MIN_EVALUATIONS) return this.run(input, thresholds, out);
    // The worker reads the thresholds later, so they get an array of their own.
    return report(await this.#addon.aggregateAsync(...this.#args(input, Float64Array.from(thresholds), out)));
  }

  #args(input: KernelInput, thresholds: Float64Array, out: KernelOutput) {
    const { scores, stds, weights, evaluations } = input;
    const { score, std, ciLow, ciHigh, quality } = out;
    return [scores, stds, weights, evaluations, thresholds, score, std, ciLow, ciHigh, quality, this.#isa, this.#threads, false] as const;
  }
}

function report(result: NativeRunResult): KernelRun {
  const { isa, threads, busyMs, wallMs } = result;
  return { backend: "native", isa, threads, parallelEfficiency: wallMs > 0 ? Math.min(1, busyMs / (threads * wallMs)) : 1 };
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
  readonly version: string | undefined;
}

/** Loads the addon if needed (unless FARFAN_AGGREGATOR_FORCE_JS=1) and says what it found. */
export function nativeInfo(): NativeStatus {
  const state = loadNative();
  if ("error" in state) {
    return { loaded: false, loadError: state.error, isa: undefined, supportedIsas: [], threads: 0, version: undefined };
  }
  const info = state.addon.info();
  return {
    loaded: true,
    loadError: undefined,
    isa: state.isa,
    supportedIsas: info.supportedIsas,
    threads: info.poolThreads,
    version: info.version,
  };
}
