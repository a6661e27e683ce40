/**
 * SPEC §4 arithmetic, checked bit for bit against an independent left-fold computation written
 * in the test (../support/float.ts), and the SPEC §5 output shape.
 */
import { describe, expect, it } from "vitest";
import { aggregate, HighPerformanceAreaAggregator, MIN_WEIGHT, type DimensionScore, type Weights } from "../../src/index.js";
import { makePlan } from "../support/plans.js";
import {
  asWeights,
  computedNumbers,
  expectIdenticalBits,
  expectMatchesReference,
  expectSameNumber,
  referenceArea,
  referencePlan,
  rng,
  shuffled,
  weightsFrom,
} from "../support/float.js";

const aggregator = new HighPerformanceAreaAggregator();

/** A random plan: scores in [0, 3] (with exact edges now and then), stds in [0, 1]. */
function randomPlan(random: () => number): DimensionScore[] {
  const pick = (): number => {
    const u = random();
    if (u < 0.05) return 0;
    if (u < 0.1) return 3;
    return random() * 3;
  };
  return makePlan(pick, () => (random() < 0.1 ? 0 : random()));
}

/** Random raw weights: some areas absent, some with zeros, never a zero-sum area. */
function randomWeights(random: () => number): Weights {
  const table: Record<string, Record<string, number>> = {};
  for (let a = 0; a < 10; a++) {
    if (random() < 0.3) continue;
    const row: Record<string, number> = {};
    for (let d = 0; d < 6; d++) row[`DIM0${d + 1}`] = random() < 0.2 ? 0 : random() * 10;
    if (Object.values(row).every((w) => w === 0)) row.DIM03 = 1;
    table[`PA${String(a + 1).padStart(2, "0")}`] = row;
  }
  return asWeights(table);
}

describe("exact results", () => {
  it("six scores of 3 give exactly 3 in every area (std 0 → interval [3, 3])", () => {
    const { areaScores } = aggregator.aggregateSync(makePlan(() => 3, () => 0));
    for (const area of areaScores) {
      expectSameNumber(area.score, 3, `${area.areaId}.score`);
      expectSameNumber(area.scoreStd, 0, `${area.areaId}.scoreStd`);
      expect(area.confidenceInterval95).toEqual([3, 3]);
      expect(area.qualityLevel).toBe("EXCELENTE");
    }
  });

  it("six scores of 3 with integer weights still give exactly 3", () => {
    const weights = weightsFrom((a, d) => ((a + d) % 5) + 1);
    const { areaScores } = aggregator.aggregateSync(makePlan(() => 3, () => 0), weights);
    for (const area of areaScores) expectSameNumber(area.score, 3, `${area.areaId}.score`);
  });

  it("[0, 3, 0, 3, 0, 3] gives exactly 1.5", () => {
    const { areaScores } = aggregator.aggregateSync(makePlan((_a, d) => (d % 2 === 0 ? 0 : 3), () => 0));
    for (const area of areaScores) {
      expectSameNumber(area.score, 1.5, `${area.areaId}.score`);
      expect(area.confidenceInterval95).toEqual([1.5, 1.5]);
      expect(area.qualityLevel).toBe("INSUFICIENTE");
    }
  });

  it("six scores of 0 give exactly +0", () => {
    const { areaScores } = aggregator.aggregateSync(makePlan(() => 0, () => 0.5));
    for (const area of areaScores) {
      expectSameNumber(area.score, 0, `${area.areaId}.score`);
      expectSameNumber(area.confidenceInterval95[0], 0, `${area.areaId}.ci95[0]`);
    }
  });

  it("std: equal stds σ over six equal weights give σ·sqrt(6)/6 (within rounding), interval clipped to [0, 3]", () => {
    const { areaScores } = aggregator.aggregateSync(makePlan(() => 2.9, () => 1));
    for (const area of areaScores) {
      expect(area.scoreStd).toBeCloseTo(Math.SQRT2 * Math.sqrt(3) / 6, 14);
      expectSameNumber(area.confidenceInterval95[1], 3, `${area.areaId}.ci95[1]`);
      expect(area.confidenceInterval95[0]).toBeCloseTo(2.9 - 1.96 * 0.408248290463863, 12);
    }
  });
});

describe("SPEC §4 formula, bit for bit, against an independent left fold", () => {
  it("equal weights, 200 random plans", () => {
    const random = rng(1);
    for (let k = 0; k < 200; k++) {
      const plan = randomPlan(random);
      expectMatchesReference(aggregator.aggregateSync(plan).areaScores, referencePlan(plan));
    }
  });

  it("custom weights, 200 random plans and weight tables", () => {
    const random = rng(2);
    for (let k = 0; k < 200; k++) {
      const plan = randomPlan(random);
      const weights = randomWeights(random);
      const { areaScores } = aggregator.aggregateSync(plan, weights);
      expectMatchesReference(areaScores, referencePlan(plan, weights));
    }
  });

  it("the worked example: weights 1…6, scores [3, 2, 1, 0, 1, 2], σ 0.1", async () => {
    const scores = [3, 2, 1, 0, 1, 2];
    const plan = makePlan((a, d) => (a === 0 ? scores[d]! : 1.5), () => 0.1);
    const weights = asWeights({ PA01: { DIM01: 1, DIM02: 2, DIM03: 3, DIM04: 4, DIM05: 5, DIM06: 6 } });
    const { areaScores } = await aggregate(plan, weights);
    const pa01 = areaScores[0]!;
    // R = 21, Σ r·s = 3 + 4 + 3 + 0 + 5 + 12 = 27 (all exact), and 27/21 rounds like 9/7.
    expectSameNumber(pa01.score, 9 / 7, "PA01.score");
    expect(pa01.validationDetails.weightSum).toBe(21);
    expect(pa01.validationDetails.weightSource).toBe("custom");
    // std = sqrt(Σ (0.1·r)²)/21 = 0.1·sqrt(91)/21 in exact arithmetic.
    expect(pa01.scoreStd).toBeCloseTo((0.1 * Math.sqrt(91)) / 21, 15);
    const expected = referenceArea(scores, [0.1, 0.1, 0.1, 0.1, 0.1, 0.1], [1, 2, 3, 4, 5, 6]);
    expectSameNumber(pa01.scoreStd, expected.std, "PA01.scoreStd");
    expectSameNumber(pa01.confidenceInterval95[0], expected.low, "PA01.ci95[0]");
    expectSameNumber(pa01.confidenceInterval95[1], expected.high, "PA01.ci95[1]");
    expect(pa01.qualityLevel).toBe("INSUFICIENTE");
    // Areas without weights get equal weights.
    for (const area of areaScores.slice(1)) {
      expectSameNumber(area.score, 1.5, `${area.areaId}.score`);
      expect(area.validationDetails.weightSum).toBe(6);
      expect(area.validationDetails.weightSource).toBe("equal");
    }
  });

  it("a single non-zero weight selects that dimension's score exactly", () => {
    const plan = makePlan((a, d) => 0.1 * (a + 1) + 0.37 * d, () => 0.25);
    const weights = weightsFrom((a, d) => (d === a % 6 ? 2 : 0));
    const { areaScores } = aggregator.aggregateSync(plan, weights);
    areaScores.forEach((area, a) => {
      expectSameNumber(area.score, 0.1 * (a + 1) + 0.37 * (a % 6), `${area.areaId}.score`);
      expectSameNumber(area.scoreStd, 0.25, `${area.areaId}.scoreStd`);
    });
  });

  it("scaling every weight by a power of two changes no bit", () => {
    const random = rng(3);
    for (let k = 0; k < 50; k++) {
      const plan = randomPlan(random);
      const w = randomWeights(random);
      const scaled = asWeights(
        Object.fromEntries(Object.entries(w).map(([area, row]) => [area, Object.fromEntries(Object.entries(row!).map(([d, x]) => [d, x * 4]))])),
      );
      expectIdenticalBits(
        aggregator.aggregateSync(plan, scaled).areaScores.map((a) => [a.score, a.scoreStd, a.confidenceInterval95]),
        aggregator.aggregateSync(plan, w).areaScores.map((a) => [a.score, a.scoreStd, a.confidenceInterval95]),
      );
    }
  });
});

describe("signed zeros and subnormals", () => {
  it("−0 scores and stds give +0 everywhere in the computed output", () => {
    const { areaScores } = aggregator.aggregateSync(makePlan(() => -0, () => -0));
    for (const area of areaScores) {
      expect(Object.is(area.score, 0)).toBe(true);
      expect(Object.is(area.scoreStd, 0)).toBe(true);
      expect(Object.is(area.confidenceInterval95[0], 0)).toBe(true);
      expect(Object.is(area.confidenceInterval95[1], 0)).toBe(true);
    }
    for (const [where, x] of computedNumbers(areaScores)) expect(Object.is(x, -0), where).toBe(false);
  });

  it("−0 scores with −0 and zero weights give +0, never −0", () => {
    const plan = makePlan((_a, d) => (d < 3 ? -0 : 0), () => 0);
    const weights = weightsFrom((_a, d) => (d === 0 ? 1 : -0));
    const { areaScores } = aggregator.aggregateSync(plan, weights);
    for (const [where, x] of computedNumbers(areaScores)) expect(Object.is(x, -0), where).toBe(false);
    for (const area of areaScores) expect(Object.is(area.score, 0)).toBe(true);
  });

  it("a −0 score among positive ones gives the same bits as +0", () => {
    const withNegZero = makePlan((a, d) => (d === 2 ? -0 : 0.25 * a + 0.1 * d), () => 0.2);
    const withPosZero = makePlan((a, d) => (d === 2 ? 0 : 0.25 * a + 0.1 * d), () => 0.2);
    expectIdenticalBits(
      computedNumbers(aggregator.aggregateSync(withNegZero).areaScores),
      computedNumbers(aggregator.aggregateSync(withPosZero).areaScores),
    );
  });

  it("subnormal scores (5e-324) are handled exactly", () => {
    const tiny = Number.MIN_VALUE;
    expect(tiny).toBe(5e-324);
    // Six MIN_VALUEs sum to 6·MIN_VALUE exactly, and dividing by 6 gives MIN_VALUE back.
    const { areaScores } = aggregator.aggregateSync(makePlan(() => tiny, () => tiny));
    for (const area of areaScores) {
      expectSameNumber(area.score, tiny, `${area.areaId}.score`);
      // (r·σ)² underflows to 0, so the std is exactly 0 and the interval collapses on the score.
      expectSameNumber(area.scoreStd, 0, `${area.areaId}.scoreStd`);
      expectSameNumber(area.confidenceInterval95[0], tiny, `${area.areaId}.ci95[0]`);
      expectSameNumber(area.confidenceInterval95[1], tiny, `${area.areaId}.ci95[1]`);
      expect(area.qualityLevel).toBe("INSUFICIENTE");
    }
  });

  it("one subnormal among zeros rounds to +0 (MIN_VALUE/6 is below half of MIN_VALUE)", () => {
    const plan = makePlan((_a, d) => (d === 0 ? Number.MIN_VALUE : 0), () => 0);
    const { areaScores } = aggregator.aggregateSync(plan);
    for (const area of areaScores) expect(Object.is(area.score, 0)).toBe(true);
    expectMatchesReference(areaScores, referencePlan(plan));
  });

  it("subnormal scores with the smallest accepted weight (MIN_WEIGHT; SPEC §3 refuses smaller ones)", () => {
    const plan = makePlan((a, d) => (d === 0 ? [5e-324, 1e-310, 3, 2.9, 0.4, 1.65, 2.55, 0, 1, 2][a]! : 1), () => 0.5);
    const weights = weightsFrom((_a, d) => (d === 0 ? MIN_WEIGHT : 0));
    const { areaScores } = aggregator.aggregateSync(plan, weights);
    expectMatchesReference(areaScores, referencePlan(plan, weights));
    for (const area of areaScores) {
      expect(area.score >= 0 && area.score <= 3, area.areaId).toBe(true);
      expect(Number.isFinite(area.scoreStd), area.areaId).toBe(true);
    }
  });
});

describe("input order does not matter", () => {
  it("many random shuffles give identical bits on every output number", () => {
    const random = rng(4);
    for (let k = 0; k < 20; k++) {
      const plan = randomPlan(random);
      const weights = k % 2 === 0 ? undefined : randomWeights(random);
      const canonical = aggregator.aggregateSync(plan, weights).areaScores;
      for (let s = 0; s < 25; s++) {
        const result = aggregator.aggregateSync(shuffled(plan, random), weights).areaScores;
        expectIdenticalBits(result, canonical);
      }
    }
  });

  it("a reversed plan gives identical bits and matches the reference", () => {
    const plan = randomPlan(rng(5));
    const reversed = plan.slice().reverse();
    const result = aggregator.aggregateSync(reversed).areaScores;
    expectMatchesReference(result, referencePlan(plan));
    expectIdenticalBits(result, aggregator.aggregateSync(plan).areaScores);
  });
});

describe("scoreStd defaults to 0", () => {
  it("entries without scoreStd give std 0 and a degenerate interval", () => {
    const plan = makePlan((a, d) => 0.2 * a + 0.15 * d).map(({ scoreStd: _dropped, ...rest }) => rest);
    for (const entry of plan) expect("scoreStd" in entry).toBe(false);
    const { areaScores } = aggregator.aggregateSync(plan);
    for (const area of areaScores) {
      expectSameNumber(area.scoreStd, 0, `${area.areaId}.scoreStd`);
      expectSameNumber(area.confidenceInterval95[0], area.score, `${area.areaId}.ci95[0]`);
      expectSameNumber(area.confidenceInterval95[1], area.score, `${area.areaId}.ci95[1]`);
    }
  });

  it("absent stds count as 0 next to present ones", () => {
    const random = rng(6);
    const full = randomPlan(random);
    const plan = full.map((e, i) => {
      if (i % 3 !== 0) return e;
      const { scoreStd: _dropped, ...rest } = e;
      return rest;
    });
    const zeroed = full.map((e, i) => (i % 3 === 0 ? { ...e, scoreStd: 0 } : e));
    const { areaScores } = aggregator.aggregateSync(plan);
    expectMatchesReference(areaScores, referencePlan(zeroed));
  });
});

describe("output shape (SPEC §5)", () => {
  const EXPECTED_AREAS: [string, string, string][] = [
    ["PA01", "Derechos de las mujeres e igualdad de género", "CL02"],
    ["PA02", "Prevención de la violencia y protección frente al conflicto", "CL01"],
    ["PA03", "Ambiente sano, cambio climático, prevención y atención a desastres", "CL01"],
    ["PA04", "Derechos económicos, sociales y culturales", "CL03"],
    ["PA05", "Derechos de las víctimas y construcción de paz", "CL02"],
    ["PA06", "Derecho al buen futuro de la niñez, adolescencia, juventud", "CL02"],
    ["PA07", "Tierras y territorios", "CL01"],
    ["PA08", "Líderes y defensores de derechos humanos", "CL03"],
    ["PA09", "Crisis de derechos de personas privadas de la libertad", "CL04"],
    ["PA10", "Migración transfronteriza", "CL04"],
  ];

  it("ten areas in PA01…PA10 order, with the SPEC's names and clusters, whatever the input order", () => {
    const plan = shuffled(makePlan(), rng(7));
    const { areaScores } = aggregator.aggregateSync(plan);
    expect(areaScores.map((a) => [a.areaId, a.areaName, a.clusterId])).toEqual(EXPECTED_AREAS);
  });

  it("method, validation flag and details", () => {
    const { areaScores } = aggregator.aggregateSync(makePlan(), asWeights({ PA04: { DIM01: 1, DIM02: 1, DIM03: 1, DIM04: 1, DIM05: 1, DIM06: 0.5 } }));
    for (const area of areaScores) {
      expect(area.aggregationMethod).toBe("weighted_average");
      expect(area.validationPassed).toBe(true);
      expect(area.validationDetails.hermeticity).toBe(true);
      expect(area.validationDetails.weightSource).toBe(area.areaId === "PA04" ? "custom" : "equal");
      expect(area.validationDetails.weightSum).toBe(area.areaId === "PA04" ? 5.5 : 6);
    }
  });

  it("dimensionScores are the area's six inputs, in DIM01…DIM06 order, whatever the input order", () => {
    const plan = makePlan((a, d) => (a * 6 + d) / 20, (a, d) => (a + d) / 100).map((e, i) => ({ ...e, source: `entry-${i}` }));
    const input = shuffled(plan, rng(8));
    const { areaScores } = aggregator.aggregateSync(input);
    areaScores.forEach((area, a) => {
      expect(area.dimensionScores).toHaveLength(6);
      area.dimensionScores.forEach((dim, d) => {
        const original = plan[a * 6 + d]!;
        expect(dim.areaId).toBe(area.areaId);
        expect(dim.dimensionId).toBe(`DIM0${d + 1}`);
        expect(dim).toEqual(original);
        expect(dim).not.toBe(original);
      });
    });
  });

  it("clusters group the areas as the SPEC says", () => {
    const { areaScores } = aggregator.aggregateSync(makePlan());
    const byCluster: Record<string, string[]> = {};
    for (const area of areaScores) (byCluster[area.clusterId] ??= []).push(area.areaId);
    expect(byCluster).toEqual({
      CL01: ["PA02", "PA03", "PA07"],
      CL02: ["PA01", "PA05", "PA06"],
      CL03: ["PA04", "PA08"],
      CL04: ["PA09", "PA10"],
    });
  });
});
