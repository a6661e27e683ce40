import diagnostics_channel from "node:diagnostics_channel";
import type { BackendName, BackendReason, Isa, PerformanceMetrics } from "./types.js";
import { AREA_COUNT, SLOTS_PER_EVALUATION } from "./constants.js";

/** Subscribers here receive a copy of every call's metrics. */
export const METRICS_CHANNEL = "farfan-area-aggregator:metrics";
const channel = diagnostics_channel.channel(METRICS_CHANNEL);

/** What ran, for the metrics. */
export interface KernelRun {
  readonly backend: BackendName;
  readonly isa: Isa;
  readonly threads: number;
  /** Busy time ÷ (threads × wall time) of the kernel, as measured by the kernel. */
  readonly parallelEfficiency: number;
}

/** What a cache reports for the metrics. */
export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly hitRate: number;
  readonly size: number;
  readonly maxSize: number;
}

const NO_CACHE: CacheStats = Object.freeze({ hits: 0, misses: 0, hitRate: 0, size: 0, maxSize: 0 });

/** Timestamps (performance.now()) taken at the call's start, after validation, and at its end. */
export interface Timings {
  readonly start: number;
  readonly validated: number;
  readonly end: number;
}

export function measuredMetrics(
  timings: Timings,
  evaluations: number,
  run: KernelRun,
  backendReason: BackendReason,
  cache: CacheStats | undefined,
): PerformanceMetrics {
  const c = cache ?? NO_CACHE;
  const metrics: PerformanceMetrics = {
    totalTimeMs: timings.end - timings.start,
    validationTimeMs: timings.validated - timings.start,
    aggregationTimeMs: timings.end - timings.validated,
    evaluations,
    areasProcessed: evaluations * AREA_COUNT,
    dimensionsProcessed: evaluations * SLOTS_PER_EVALUATION,
    backend: run.backend,
    backendReason,
    isa: run.isa,
    threads: run.threads,
    parallelEfficiency: run.parallelEfficiency,
    cacheHits: c.hits,
    cacheMisses: c.misses,
    cacheHitRate: c.hitRate,
    cacheSize: c.size,
    cacheMaxSize: c.maxSize,
  };
  // A copy, so a subscriber cannot change what the caller receives.
  if (channel.hasSubscribers) channel.publish({ ...metrics });
  return metrics;
}
