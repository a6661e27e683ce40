/**
 * SPEC §6's interval is the type-7 percentiles 2.5 and 97.5 of the N sample means. This file
 * recomputes the sample means from the generator (Philox and the normals, pinned on their own by
 * known answers in montecarlo-generator.test.ts), sorts them fully and applies the type-7 formula
 * written out here, independent of the selection code under test — at N = 3 and 4, where
 * h = (N − 1)·p and the tempting h = N·p interpolate at different places, and at N = 1000.
 */
import { describe, expect, it } from "vitest";
import { HighPerformanceAreaAggregator, type DimensionScore } from "../../src/index.js";
import { normalPair } from "../../src/kernels/normal.js";
import { philox4x32 } from "../../src/kernels/philox.js";
import { makePlan } from "../support/plans.js";

const clamp = (x: number): number => Math.min(3, Math.max(0, x));

/** The N sample means of area `a` of a plan that is evaluation 0, under `seed` (SPEC §6, equal weights). */
function sampleMeans(plan: readonly DimensionScore[], a: number, samples: number, seed: number): number[] {
  const words = new Uint32Array(8);
  const z = new Float64Array(6);
  const entries = plan.slice(a * 6, a * 6 + 6);
  return Array.from({ length: samples }, (_, k) => {
    philox4x32(k, a, 0, 0, seed, 0, words, 0);
    philox4x32(k, a + 16, 0, 0, seed, 0, words, 4);
    for (let pair = 0; pair < 3; pair++) normalPair(words[2 * pair]!, words[2 * pair + 1]!, z, 2 * pair);
    let sum = 0;
    entries.forEach((entry, d) => (sum += clamp(entry.score + entry.scoreStd! * z[d]!)));
    return clamp(sum / 6);
  });
}

/** Type 7 ("linear interpolation between order statistics"): h = (N − 1)·p over the sorted values. */
function type7(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  const h = (sorted.length - 1) * p;
  const i = Math.floor(h);
  const next = sorted[Math.min(i + 1, sorted.length - 1)]!;
  return clamp(sorted[i]! + (h - i) * (next - sorted[i]!));
}

// Scores away from the bounds and σ large enough that the draws spread: every area differs.
const plan = makePlan((a, d) => 0.6 + 0.15 * a + 0.05 * d, (a) => 0.2 + 0.05 * a);

describe.each([3, 4, 1000])("type-7 percentiles with N = %i samples", (samples) => {
  const seed = 11;
  const { areaScores } = new HighPerformanceAreaAggregator({ uncertainty: { method: "monte-carlo", samples, seed } }).aggregateSync(plan);

  it.each(areaScores.map((area, a) => [area.areaId, a] as const))("%s: both ends equal the recomputed percentiles", (_id, a) => {
    const means = sampleMeans(plan, a, samples, seed);
    const [low, high] = areaScores[a]!.confidenceInterval95;
    expect(low).toBe(type7(means, 0.025));
    expect(high).toBe(type7(means, 0.975));
  });

  it("the ends are interpolated, not order statistics, where h is fractional", () => {
    // h = (N − 1)·0.025 is never an integer for these N, so an off-by-one position shows.
    const fractional = areaScores.filter((area, a) => !sampleMeans(plan, a, samples, seed).includes(area.confidenceInterval95[0]));
    expect(fractional.length).toBeGreaterThan(0);
  });
});
