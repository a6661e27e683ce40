import { DEFAULT_THRESHOLDS, MAX_SCORE, MIN_SCORE } from "./constants.js";
import type { ThresholdTriple } from "./kernel.js";
import type { AggregatorOptions, BackendChoice } from "./types.js";
import { availableParallelism } from "node:os";
import { BACKEND_ENV } from "./backend.js";

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
  readonly maxWorkers: number;
  readonly bootstrapSamples: number | undefined;
  readonly thresholds: ThresholdTriple;
}

const KNOWN = new Set([
  "enableParallel",
  "enableVectorization",
  "enableCaching",
  "enableJit",
  "nBootstrapSamples",
  "maxWorkers",
  "backend",
  "thresholds",
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
  const fromEnv = process.env[BACKEND_ENV] || undefined;
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
    maxWorkers: positiveInteger(options, "maxWorkers") ?? availableParallelism(),
    bootstrapSamples: positiveInteger(options, "nBootstrapSamples"),
    thresholds: thresholds(options.thresholds),
  });
}

type FlagName = "enableParallel" | "enableVectorization" | "enableCaching" | "enableJit";

function flag(options: AggregatorOptions, name: FlagName): boolean {
  const value = options[name];
  if (value === undefined) return true;
  if (typeof value !== "boolean") throw new OptionsError(`option ${name} must be a boolean, got ${typeof value}`);
  return value;
}

function positiveInteger(options: AggregatorOptions, name: "maxWorkers" | "nBootstrapSamples"): number | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new OptionsError(`option ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
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
