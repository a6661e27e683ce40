import { FORCE_JS_ENV, forceJsFromEnv, ISA_ENV, isaFromEnv } from "../core/env.js";
import { BackendUnavailableError } from "../core/errors.js";
import { countSharedMemoryWith } from "../core/shared-memory.js";
import type { BackendChoice } from "../core/types.js";
import { BUNDLED_FIX, isBundled } from "./bundled.js";
import { loadNativeAddon, type NativeAddon, type NativeIsa } from "./native-addon.js";

/**
 * Whether this process (this worker thread) uses the native engine, and why not when it does
 * not: the addon is loaded once, on first use, unless FARFAN_AGGREGATOR_FORCE_JS=1 or the package
 * runs from a bundle; the warnings about it are given once.
 */

/** The addon, and the ISA its calls use. */
export interface NativeEngine {
  readonly addon: NativeAddon;
  readonly isa: NativeIsa;
}

/** The outcome of trying to load the addon, once per process (per worker thread). */
type NativeState =
  | NativeEngine
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
export function warnIfBundled(): void {
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

/**
 * The engine for `choice`, or undefined for the TypeScript kernel (with one warning, the first
 * time, when `auto` finds no addon that should have loaded).
 * @throws BackendUnavailableError for `native` without the engine
 */
export function nativeEngineFor(choice: BackendChoice): NativeEngine | undefined {
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

/** Whether the engine is off because FARFAN_AGGREGATOR_FORCE_JS=1 said so. */
export function nativeForcedOff(): boolean {
  const state = loadNative();
  return "reason" in state && state.reason === "forced";
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
