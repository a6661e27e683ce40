import { DEFAULT_THRESHOLDS, MAX_SCORE, MIN_SCORE } from "./constants.js";
import type { ThresholdTriple } from "./kernel-io.js";
import type { AggregatorOptions, BackendChoice } from "./types.js";
import { availableParallelism } from "node:os";
import { BACKEND_ENV, backendFromEnv } from "./env.js";

/** A bad option: a precise message and a stable code, thrown when the aggregator is built. */
export class OptionsError extends TypeError {
  override readonly name = "OptionsError";
  readonly code = "E_OPTIONS";
}

export interface ResolvedOptions {
  readonly parallel: boolean;
  readonly vectorization: boolean;
  readonly caching: boolean;
  readonly backend: BackendChoice;
  /** Threads a native call may use: the `maxWorkers` option capped at `os.availableParallelism()`. */
  readonly maxWorkers: number;
  readonly thresholds: ThresholdTriple;
  /** Monte-Carlo settings, or undefined for analytic intervals. */
  readonly monteCarlo: MonteCarloSettings | undefined;
}

export interface MonteCarloSettings {
  readonly samples: number;
  readonly seed: number;
}

/** Samples per area when Monte-Carlo is asked for without a count. */
export const DEFAULT_MONTE_CARLO_SAMPLES = 1000;
/** Samples per area are bounded so one area's draws (8 bytes each, per thread) stay small. */
export const MAX_MONTE_CARLO_SAMPLES = 1_000_000;
/** The largest `maxWorkers`: the native thread pool's own bound. */
export const MAX_WORKERS = 256;

const KNOWN = new Set([
  "enableParallel",
  "enableVectorization",
  "enableCaching",
  "enableJit",
  "nBootstrapSamples",
  "maxWorkers",
  "backend",
  "thresholds",
  "uncertainty",
]);

export function resolveOptions(options: AggregatorOptions | undefined): ResolvedOptions {
  if (options === undefined) options = {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new OptionsError(`options must be an object, got ${options === null ? "null" : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new OptionsError(`unknown option "${key}"; known options: ${[...KNOWN].join(", ")}`);
  }
  const jit = flag(options, "enableJit");
  const fromEnv = backendFromEnv();
  const backend = options.backend ?? (jit ? (fromEnv ?? "auto") : "js");
  if (backend !== "auto" && backend !== "native" && backend !== "js") {
    const source = options.backend === undefined ? `${BACKEND_ENV}` : "option backend";
    throw new OptionsError(`${source} must be "auto", "native" or "js", got ${JSON.stringify(backend)}`);
  }
  return Object.freeze({
    parallel: flag(options, "enableParallel"),
    vectorization: flag(options, "enableVectorization"),
    caching: flag(options, "enableCaching"),
    backend,
    maxWorkers: workers(options.maxWorkers),
    thresholds: thresholds(options.thresholds),
    monteCarlo: monteCarlo(options),
  });
}

type FlagName = "enableParallel" | "enableVectorization" | "enableCaching" | "enableJit";

function flag(options: AggregatorOptions, name: FlagName): boolean {
  const value = options[name];
  if (value === undefined) return true;
  if (typeof value !== "boolean") throw new OptionsError(`option ${name} must be a boolean, got ${typeof value}`);
  return value;
}

/**
 * `maxWorkers`, an integer in [1, MAX_WORKERS], capped at the cores the process may use: more
 * threads than cores only contend for them (and each holds a stack), so 256 on 2 cores runs 2.
 */
function workers(given: unknown): number {
  const cores = availableParallelism();
  return given === undefined ? cores : Math.min(cores, integerIn(given, 1, MAX_WORKERS, "option maxWorkers"));
}

function thresholds(given: AggregatorOptions["thresholds"]): ThresholdTriple {
  if (given === undefined) return [DEFAULT_THRESHOLDS.EXCELENTE, DEFAULT_THRESHOLDS.BUENO, DEFAULT_THRESHOLDS.ACEPTABLE];
  if (typeof given !== "object" || given === null) throw new OptionsError("option thresholds must be an object");
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(DEFAULT_THRESHOLDS, key)) throw new OptionsError(`unknown quality level "${key}" in thresholds; expected EXCELENTE, BUENO, ACEPTABLE`);
  }
  const t = { ...DEFAULT_THRESHOLDS, ...given };
  for (const [level, value] of Object.entries(t)) {
    if (typeof value !== "number" || !(value >= MIN_SCORE && value <= MAX_SCORE)) {
      throw new OptionsError(`threshold ${level} must be a number in [${MIN_SCORE}, ${MAX_SCORE}], got ${String(value)}`);
    }
  }
  if (!(t.EXCELENTE >= t.BUENO && t.BUENO >= t.ACEPTABLE)) {
    throw new OptionsError(`thresholds must satisfy EXCELENTE ≥ BUENO ≥ ACEPTABLE, got ${t.EXCELENTE}, ${t.BUENO}, ${t.ACEPTABLE}`);
  }
  return [t.EXCELENTE, t.BUENO, t.ACEPTABLE];
}

/** `uncertainty` and the Python-style `nBootstrapSamples`, which must agree when both are given. */
function monteCarlo(options: AggregatorOptions): MonteCarloSettings | undefined {
  const bootstrap = options.nBootstrapSamples;
  if (bootstrap !== undefined) integerIn(bootstrap, 2, MAX_MONTE_CARLO_SAMPLES, "option nBootstrapSamples");
  const given = options.uncertainty;
  if (given === undefined) return bootstrap === undefined ? undefined : { samples: bootstrap, seed: 0 };
  if (typeof given !== "object" || given === null) throw new OptionsError("option uncertainty must be an object");
  for (const key of Object.keys(given)) {
    if (key !== "method" && key !== "samples" && key !== "seed") {
      throw new OptionsError(`unknown key "${key}" in option uncertainty; expected method, samples, seed`);
    }
  }
  const { method, samples, seed } = given;
  if (method === "analytic") {
    if (samples !== undefined || seed !== undefined || bootstrap !== undefined) {
      throw new OptionsError('uncertainty method "analytic" takes no samples, seed or nBootstrapSamples');
    }
    return undefined;
  }
  if (method !== "monte-carlo") {
    throw new OptionsError(`uncertainty.method must be "analytic" or "monte-carlo", got ${JSON.stringify(method)}`);
  }
  const count = samples === undefined ? (bootstrap ?? DEFAULT_MONTE_CARLO_SAMPLES) : integerIn(samples, 2, MAX_MONTE_CARLO_SAMPLES, "uncertainty.samples");
  if (bootstrap !== undefined && bootstrap !== count) {
    throw new OptionsError(`nBootstrapSamples (${bootstrap}) and uncertainty.samples (${count}) disagree`);
  }
  return { samples: count, seed: seed === undefined ? 0 : integerIn(seed, 0, Number.MAX_SAFE_INTEGER, "uncertainty.seed") };
}

function integerIn(value: unknown, min: number, max: number, name: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw new OptionsError(`${name} must be an integer in [${min}, ${max.toLocaleString("en-US")}], got ${String(value)}`);
  }
  return value as number;
}
