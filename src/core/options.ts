import { DEFAULT_THRESHOLDS, MAX_SCORE, MIN_SCORE } from "./constants.js";
import type { ThresholdTriple } from "./kernel-io.js";
import type { AggregatorOptions, BackendChoice } from "./types.js";
import { availableParallelism } from "node:os";
import { BACKEND_ENV, backendFromEnv } from "./env.js";
import { readOwnFields, threw, type OwnFields } from "./caller-data.js";
import { OptionsError } from "./errors.js";
import { isArrayUnlessRevoked } from "./validate.js";

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

const KNOWN = [
  "enableParallel",
  "enableVectorization",
  "enableCaching",
  "enableJit",
  "nBootstrapSamples",
  "maxWorkers",
  "backend",
  "thresholds",
  "uncertainty",
] as const;
const LEVELS = ["EXCELENTE", "BUENO", "ACEPTABLE"] as const;
const UNCERTAINTY_KEYS = ["method", "samples", "seed"] as const;

type Given = Record<(typeof KNOWN)[number], unknown>;

/**
 * The options as docs/contract.md §3 reads caller data: own properties only (an inherited name is not an
 * option), each read once, nested `thresholds` and `uncertainty` too.
 * @throws OptionsError for a bad option, or one whose read throws
 */
export function resolveOptions(options: AggregatorOptions | undefined): ResolvedOptions {
  const given = options === undefined ? undefined : ownOptions(options, KNOWN, "options", (key) => `unknown option "${key}"; known options: ${KNOWN.join(", ")}`);
  const jit = flag(given, "enableJit");
  const fromEnv = backendFromEnv();
  const backend = given?.backend ?? (jit ? (fromEnv ?? "auto") : "js");
  if (backend !== "auto" && backend !== "native" && backend !== "js") {
    const source = given?.backend === undefined ? `${BACKEND_ENV}` : "option backend";
    throw new OptionsError(`${source} must be "auto", "native" or "js", got ${JSON.stringify(backend)}`);
  }
  return Object.freeze({
    parallel: flag(given, "enableParallel"),
    vectorization: flag(given, "enableVectorization"),
    caching: flag(given, "enableCaching"),
    backend,
    maxWorkers: workers(given?.maxWorkers),
    thresholds: thresholds(given?.thresholds),
    monteCarlo: monteCarlo(given?.nBootstrapSamples, given?.uncertainty),
  });
}

/**
 * The own properties `keys` of an options object, each read once (readOwnFields); an
 * OptionsError for anything else: not an object, another own key (`unknown` words it), a read
 * that throws.
 */
function ownOptions<K extends string>(object: unknown, keys: readonly K[], name: string, unknown: (key: string) => string): Record<K, unknown> {
  if (typeof object !== "object" || object === null || isArrayUnlessRevoked(object)) {
    throw new OptionsError(`${name} must be an object, got ${object === null ? "null" : isArrayUnlessRevoked(object) ? "an array" : typeof object}`);
  }
  let fields: OwnFields<K>;
  try {
    fields = readOwnFields(object, keys);
  } catch (error) {
    throw new OptionsError(`${name}: ${threw("reading it", error)}`, { cause: error });
  }
  if (fields.unknown.length > 0) throw new OptionsError(unknown(fields.unknown[0]!));
  return fields.values;
}

type FlagName = "enableParallel" | "enableVectorization" | "enableCaching" | "enableJit";

function flag(given: Given | undefined, name: FlagName): boolean {
  const value = given?.[name];
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

function thresholds(option: unknown): ThresholdTriple {
  if (option === undefined) return [DEFAULT_THRESHOLDS.EXCELENTE, DEFAULT_THRESHOLDS.BUENO, DEFAULT_THRESHOLDS.ACEPTABLE];
  const given = ownOptions(option, LEVELS, "option thresholds", (key) => `unknown quality level "${key}" in thresholds; expected ${LEVELS.join(", ")}`);
  const [excelente, bueno, aceptable] = LEVELS.map((level) => {
    const value = given[level] ?? DEFAULT_THRESHOLDS[level];
    if (typeof value !== "number" || !(value >= MIN_SCORE && value <= MAX_SCORE)) {
      throw new OptionsError(`threshold ${level} must be a number in [${MIN_SCORE}, ${MAX_SCORE}], got ${String(value)}`);
    }
    return value;
  }) as [number, number, number];
  if (!(excelente >= bueno && bueno >= aceptable)) {
    throw new OptionsError(`thresholds must satisfy EXCELENTE ≥ BUENO ≥ ACEPTABLE, got ${excelente}, ${bueno}, ${aceptable}`);
  }
  return [excelente, bueno, aceptable];
}

/** `uncertainty` and the Python-style `nBootstrapSamples`, which must agree when both are given. */
function monteCarlo(bootstrap: unknown, option: unknown): MonteCarloSettings | undefined {
  if (bootstrap !== undefined) integerIn(bootstrap, 2, MAX_MONTE_CARLO_SAMPLES, "option nBootstrapSamples");
  if (option === undefined) return bootstrap === undefined ? undefined : { samples: bootstrap as number, seed: 0 };
  const given = ownOptions(option, UNCERTAINTY_KEYS, "option uncertainty", (key) => `unknown key "${key}" in option uncertainty; expected ${UNCERTAINTY_KEYS.join(", ")}`);
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
  const count = samples === undefined ? ((bootstrap as number | undefined) ?? DEFAULT_MONTE_CARLO_SAMPLES) : integerIn(samples, 2, MAX_MONTE_CARLO_SAMPLES, "uncertainty.samples");
  if (bootstrap !== undefined && bootstrap !== count) {
    throw new OptionsError(`nBootstrapSamples (${String(bootstrap)}) and uncertainty.samples (${count}) disagree`);
  }
  return { samples: count, seed: seed === undefined ? 0 : integerIn(seed, 0, Number.MAX_SAFE_INTEGER, "uncertainty.seed") };
}

function integerIn(value: unknown, min: number, max: number, name: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw new OptionsError(`${name} must be an integer in [${min}, ${max.toLocaleString("en-US")}], got ${String(value)}`);
  }
  return value as number;
}
