/**
 * SPEC §1 quality levels: score ≥ 2.55 EXCELENTE, ≥ 2.1 BUENO, ≥ 1.65 ACEPTABLE, else
 * INSUFICIENTE, compared in score units against the decimal literals. Single-weight areas
 * (DIM01 = 1, the other five 0) make an area's score exactly its DIM01 score.
 */
import { describe, expect, it } from "vitest";
import { aggregate, HighPerformanceAreaAggregator, OptionsError, type AreaScore, type QualityThresholds } from "../../src/index.js";
import { makePlan } from "../support/plans.js";
import { expectSameNumber, nextDown, nextUp, singleWeight } from "../support/float.js";

describe("the nextDown/nextUp helpers (sanity of the test's own tool)", () => {
  it("step by one unit in the last place", () => {
    expect(nextDown(1)).toBe(1 - Number.EPSILON / 2);
    expect(nextUp(1)).toBe(1 + Number.EPSILON);
    expect(nextDown(2.55)).toBeLessThan(2.55);
    expect(nextUp(nextDown(2.55))).toBe(2.55);
    expect(nextDown(Number.MIN_VALUE)).toBe(0);
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
  });
});

/** Aggregates a plan whose area `a` has DIM01 score `scores[a]` (other dimensions 1.0, weight 0). */
function levels(scores: readonly number[], aggregator = new HighPerformanceAreaAggregator()): AreaScore[] {
  expect(scores).toHaveLength(10);
  const plan = makePlan((a, d) => (d === 0 ? scores[a]! : 1), () => 0);
  const { areaScores } = aggregator.aggregateSync(plan, singleWeight());
  areaScores.forEach((area, a) => expectSameNumber(area.score, scores[a]!, `${area.areaId}.score`));
  return areaScores;
}

describe("default thresholds, exactly at and just below each boundary", () => {
  const cases: [string, number, string][] = [
    ["3", 3, "EXCELENTE"],
    ["2.55", 2.55, "EXCELENTE"],
    ["nextDown(2.55)", nextDown(2.55), "BUENO"],
    ["2.1", 2.1, "BUENO"],
    ["nextDown(2.1)", nextDown(2.1), "ACEPTABLE"],
    ["1.65", 1.65, "ACEPTABLE"],
    ["nextDown(1.65)", nextDown(1.65), "INSUFICIENTE"],
    ["0", 0, "INSUFICIENTE"],
    ["nextUp(2.55)", nextUp(2.55), "EXCELENTE"],
    ["nextUp(1.65)", nextUp(1.65), "ACEPTABLE"],
  ];

  it("all ten boundary cases in one plan, one per area", () => {
    const areaScores = levels(cases.map((c) => c[1]));
    expect(areaScores.map((a) => a.qualityLevel)).toEqual(cases.map((c) => c[2]));
  });

  it.each(cases)("score %s (%s) → %s", (_name, score, level) => {
    const areaScores = levels(Array.from({ length: 10 }, () => score));
    for (const area of areaScores) expect(area.qualityLevel).toBe(level);
  });

  it("exactly 1.65 is ACEPTABLE (the Python's score/3 ≥ 0.55 makes it INSUFICIENTE)", () => {
    // The Python's comparison really does fail for this double:
    expect(1.65 / 3 >= 0.55).toBe(false);
    const areaScores = levels(Array.from({ length: 10 }, () => 1.65));
    for (const area of areaScores) expect(area.qualityLevel).toBe("ACEPTABLE");
  });

  it("six scores of 2.55 with equal weights average to 2.5500000000000003: EXCELENTE", async () => {
    // (((((2.55 + 2.55) + 2.55) + 2.55) + 2.55) + 2.55) / 6 rounds up by one ulp in doubles.
    const { areaScores } = await aggregate(makePlan(() => 2.55, () => 0));
    for (const area of areaScores) {
      expect(area.score).toBe(2.5500000000000003);
      expect(area.qualityLevel).toBe("EXCELENTE");
    }
  });
});

describe("thresholds overridden by the `thresholds` option", () => {
  it("a full override moves every boundary (inclusive)", () => {
    const aggregator = new HighPerformanceAreaAggregator({ thresholds: { EXCELENTE: 2.9, BUENO: 2, ACEPTABLE: 1 } });
    const scores = [2.9, nextDown(2.9), 2, nextDown(2), 1, nextDown(1), 2.55, 2.1, 1.65, 0];
    const areaScores = levels(scores, aggregator);
    expect(areaScores.map((a) => a.qualityLevel)).toEqual([
      "EXCELENTE",
      "BUENO",
      "BUENO",
      "ACEPTABLE",
      "ACEPTABLE",
      "INSUFICIENTE",
      "BUENO",
      "BUENO",
      "ACEPTABLE",
      "INSUFICIENTE",
    ]);
  });

  it("a partial override keeps the other defaults", () => {
    const aggregator = new HighPerformanceAreaAggregator({ thresholds: { ACEPTABLE: 1.5 } });
    const scores = [1.5, nextDown(1.5), 1.65, nextDown(1.65), 2.1, nextDown(2.1), 2.55, nextDown(2.55), 3, 0];
    const areaScores = levels(scores, aggregator);
    expect(areaScores.map((a) => a.qualityLevel)).toEqual([
      "ACEPTABLE",
      "INSUFICIENTE",
      "ACEPTABLE",
      "ACEPTABLE",
      "BUENO",
      "ACEPTABLE",
      "EXCELENTE",
      "BUENO",
      "EXCELENTE",
      "INSUFICIENTE",
    ]);
  });

  it("equal thresholds collapse the middle levels", () => {
    const aggregator = new HighPerformanceAreaAggregator({ thresholds: { EXCELENTE: 2, BUENO: 2, ACEPTABLE: 2 } });
    const scores = [2, nextDown(2), 3, 0, 1, 2.5, 1.99, 2.0000001, 0.5, 1.5];
    const areaScores = levels(scores, aggregator);
    for (const [a, area] of areaScores.entries()) {
      expect(area.qualityLevel).toBe(scores[a]! >= 2 ? "EXCELENTE" : "INSUFICIENTE");
    }
  });

  it("thresholds at the bounds 0 and 3", () => {
    const aggregator = new HighPerformanceAreaAggregator({ thresholds: { EXCELENTE: 3, BUENO: 3, ACEPTABLE: 0 } });
    const areaScores = levels([0, 3, nextDown(3), 1.65, 2.55, 2.1, 5e-324, 1, 2, 2.9], aggregator);
    expect(areaScores.map((a) => a.qualityLevel)).toEqual([
      "ACEPTABLE",
      "EXCELENTE",
      "ACEPTABLE",
      "ACEPTABLE",
      "ACEPTABLE",
      "ACEPTABLE",
      "ACEPTABLE",
      "ACEPTABLE",
      "ACEPTABLE",
      "ACEPTABLE",
    ]);
  });

  it("through the aggregate() function's options", async () => {
    const thresholds: Partial<QualityThresholds> = { EXCELENTE: 2.7 };
    const plan = makePlan((a, d) => (d === 0 ? (a === 0 ? 2.6 : 2.7) : 1), () => 0);
    const { areaScores } = await aggregate(plan, singleWeight(), { thresholds });
    expect(areaScores[0]!.qualityLevel).toBe("BUENO");
    expect(areaScores[1]!.qualityLevel).toBe("EXCELENTE");
  });

  it("the override is per aggregator: a default aggregator is unaffected", () => {
    new HighPerformanceAreaAggregator({ thresholds: { EXCELENTE: 2.9 } });
    const areaScores = levels(Array.from({ length: 10 }, () => 2.55));
    for (const area of areaScores) expect(area.qualityLevel).toBe("EXCELENTE");
  });

  it("the override never changes a score", () => {
    const custom = new HighPerformanceAreaAggregator({ thresholds: { EXCELENTE: 1, BUENO: 0.5, ACEPTABLE: 0.25 } });
    const plan = makePlan((a, d) => (a * 6 + d) / 25, () => 0.3);
    const a = custom.aggregateSync(plan).areaScores;
    const b = new HighPerformanceAreaAggregator().aggregateSync(plan).areaScores;
    a.forEach((area, i) => {
      expectSameNumber(area.score, b[i]!.score, `${area.areaId}.score`);
      expectSameNumber(area.scoreStd, b[i]!.scoreStd, `${area.areaId}.scoreStd`);
    });
  });

  it("a bad override is an OptionsError, not a silent default", () => {
    expect(() => new HighPerformanceAreaAggregator({ thresholds: { EXCELENTE: 2, BUENO: 2.5 } })).toThrow(OptionsError);
  });
});
