/**
 * Long Monte-Carlo calls for the tests of what happens while a call runs (abort, progress, a
 * free event loop). Those tests never compare wall-clock times: CI may run on a busy machine,
 * which stretches a call but cannot make it shorter. They size a call by work instead, far
 * longer than the 100 ms between progress reports on any machine, and end it themselves (an
 * abort at the first report) rather than wait for it.
 */
import { HighPerformanceAreaAggregator } from "../../src/index.js";
import { rng } from "./float.js";

export const SAMPLES = 1000;

/** A Monte-Carlo aggregator (SAMPLES samples per area) on the environment's backend. */
export function monteCarlo(seed = 5): HighPerformanceAreaAggregator {
  return new HighPerformanceAreaAggregator({ uncertainty: { method: "monte-carlo", samples: SAMPLES, seed } });
}

/** Random columns of `n` evaluations, the same for the same `n`. */
export function columns(n: number): { scores: Float64Array; stds: Float64Array } {
  const random = rng(n);
  return { scores: new Float64Array(n * 60).map(() => random() * 3), stds: new Float64Array(n * 60).map(() => random() * 0.5) };
}

/**
 * Evaluations for a call of several seconds on this 2-core machine (native draws ~20× faster
 * than the TypeScript kernel): 4.5 s here, so even a machine 40 times faster runs it for more
 * than one progress interval.
 */
export function longCallEvaluations(aggregator: HighPerformanceAreaAggregator): number {
  return aggregator.backend === "js" ? 1000 : 20_000;
}

/** CPU microseconds the process (all its threads) spent since `from`. */
export function cpuSince(from: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(from);
  return user + system;
}
