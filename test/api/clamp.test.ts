/**
 * SPEC §4 clamps the weighted mean to [0, 3]. With decimal weights, six scores of 3 can give a raw
 * mean one ulp above 3 (the weights' rounding does not cancel): the clamp must bring it back to
 * exactly 3, on every backend. Integer weights are exact and never reach this branch.
 */
import { describe, expect, it } from "vitest";
import { AREA_IDS, DIMENSION_IDS, HighPerformanceAreaAggregator, type Weights } from "../../src/index.js";
import { makePlan } from "../support/plans.js";

const DECIMAL_WEIGHT_SETS = [
  [0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
  [4.87, 0.51, 1.73, 6.56, 9.3, 5.81],
];

/** SPEC §4's raw mean, left folds in dimension order, written out here. */
function rawMean(r: readonly number[], s: number): number {
  const R = r[0]! + r[1]! + r[2]! + r[3]! + r[4]! + r[5]!;
  return (r[0]! * s + r[1]! * s + r[2]! * s + r[3]! * s + r[4]! * s + r[5]! * s) / R;
}

function everyArea(r: readonly number[]): Weights {
  const area = Object.fromEntries(DIMENSION_IDS.map((d, i) => [d, r[i]!]));
  return Object.fromEntries(AREA_IDS.map((a) => [a, area])) as Weights;
}

describe.each(DECIMAL_WEIGHT_SETS)("six scores of 3 with decimal weights %s, …", (...r) => {
  it("have a raw mean above 3 (the case the clamp exists for)", () => {
    expect(rawMean(r, 3)).toBe(3.0000000000000004);
  });

  it("aggregate to exactly 3, with the interval [3, 3] for σ = 0 and EXCELENTE", () => {
    const plan = makePlan(() => 3, () => 0);
    const { areaScores } = new HighPerformanceAreaAggregator().aggregateSync(plan, everyArea(r));
    for (const area of areaScores) {
      expect(area.score).toBe(3);
      expect(area.confidenceInterval95).toEqual([3, 3]);
      expect(area.qualityLevel).toBe("EXCELENTE");
    }
  });

  it("keep the upper end of the interval at exactly 3 for σ > 0", async () => {
    const plan = makePlan(() => 3, () => 0.25);
    const { areaScores } = await new HighPerformanceAreaAggregator().aggregate(plan, everyArea(r));
    for (const area of areaScores) {
      expect(area.score).toBe(3);
      expect(area.confidenceInterval95[1]).toBe(3);
    }
  });
});
