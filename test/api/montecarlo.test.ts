/**
 * SPEC §6, Monte-Carlo intervals, through the public API on the project's backend: reproducible
 * for a seed, independent of threads and batch splits, collapsing for σ = 0, close to the
 * analytic interval where the analytic interval is right, and never outside [0, 3].
 */
import { describe, expect, it } from "vitest";
import {
  HighPerformanceAreaAggregator,
  type AggregatorOptions,
  type AreaScore,
  type DimensionScore,
} from "../../src/index.js";
import { makePlan } from "../support/plans.js";
import { NATIVE_PROJECT } from "../support/project.js";
import { expectIdenticalBits, rng } from "../support/float.js";
import { asValidationError, rejectionOf } from "../support/errors.js";


function monteCarlo(samples: number, seed: number, extra: AggregatorOptions = {}): HighPerformanceAreaAggregator {
  return new HighPerformanceAreaAggregator({ uncertainty: { method: "monte-carlo", samples, seed }, ...extra });
}

function randomPlans(count: number, seed: number, std: (random: () => number) => number): DimensionScore[][] {
  const random = rng(seed);
  return Array.from({ length: count }, () => makePlan(() => random() * 3, () => std(random)));
}

/** What an aggregator computed, without metrics (timings differ between runs). */
function numbersOf(areaScores: readonly AreaScore[]) {
  return areaScores.map(({ score, scoreStd, confidenceInterval95, qualityLevel }) => ({ score, scoreStd, confidenceInterval95, qualityLevel }));
}

describe("what Monte-Carlo changes and what it keeps", () => {
  it("score and quality stay the §4 values; the method says monte_carlo; the std and interval change", () => {
    const plan = makePlan((a, d) => 0.5 + (a * 6 + d) / 30, () => 0.3);
    const analytic = new HighPerformanceAreaAggregator().aggregateSync(plan).areaScores;
    const sampled = monteCarlo(1000, 1).aggregateSync(plan).areaScores;
    sampled.forEach((area, a) => {
      expect(area.aggregationMethod).toBe("monte_carlo");
      expect(Object.is(area.score, analytic[a]!.score)).toBe(true);
      expect(area.qualityLevel).toBe(analytic[a]!.qualityLevel);
      expect(area.scoreStd).not.toBe(analytic[a]!.scoreStd);
      expect(area.confidenceInterval95).not.toEqual(analytic[a]!.confidenceInterval95);
    });
    expect(analytic[0]!.aggregationMethod).toBe("weighted_average");
  });

  it("nBootstrapSamples is uncertainty.samples by its Python name", () => {
    const plan = randomPlans(1, 4, (r) => r())[0]!;
    const python = new HighPerformanceAreaAggregator({ nBootstrapSamples: 300 }).aggregateSync(plan);
    const ours = monteCarlo(300, 0).aggregateSync(plan);
    expectIdenticalBits(numbersOf(python.areaScores), numbersOf(ours.areaScores));
  });
});

describe("reproducibility", () => {
  const plans = randomPlans(40, 11, (r) => r() * 0.5);

  it("the same seed gives the same bits from separate aggregators", async () => {
    const a = await monteCarlo(500, 42).aggregateBatch(plans);
    const b = await monteCarlo(500, 42).aggregateBatch(plans);
    expectIdenticalBits(a.areaScores.map(numbersOf), b.areaScores.map(numbersOf));
  });

  it("another seed gives other draws", async () => {
    const a = await monteCarlo(500, 42).aggregateBatch(plans);
    const b = await monteCarlo(500, 43).aggregateBatch(plans);
    expect(a.areaScores[0]![0]!.scoreStd).not.toBe(b.areaScores[0]![0]!.scoreStd);
  });

  it("1 and 2 threads give the same bits", async () => {
    const many = randomPlans(200, 12, (r) => r() * 0.5);
    const one = await monteCarlo(1000, 5, { maxWorkers: 1 }).aggregateBatch(many);
    const two = await monteCarlo(1000, 5, { maxWorkers: 2 }).aggregateBatch(many);
    expect(one.metrics.threads).toBe(1);
    // The native pool splits a batch this size over both threads; the TS backend has one.
    expect(two.metrics.threads).toBe(NATIVE_PROJECT ? 2 : 1);
    expectIdenticalBits(one.areaScores.map(numbersOf), two.areaScores.map(numbersOf));
  });

  it("a study split into batches (with firstEvaluation) gives the bits of one batch", async () => {
    const aggregator = monteCarlo(400, 9);
    const whole = await aggregator.aggregateBatch(plans);
    const head = await aggregator.aggregateBatch(plans.slice(0, 13));
    const tail = await aggregator.aggregateBatch(plans.slice(13), null, { firstEvaluation: 13 });
    expectIdenticalBits(whole.areaScores.map(numbersOf), [...head.areaScores, ...tail.areaScores].map(numbersOf));
  });

  it("one plan alone is evaluation 0 of a study", async () => {
    const aggregator = monteCarlo(400, 9);
    const batch = await aggregator.aggregateBatch(plans.slice(0, 2));
    expectIdenticalBits(numbersOf(aggregator.aggregateSync(plans[0]!).areaScores), numbersOf(batch.areaScores[0]!));
    expectIdenticalBits(numbersOf((await aggregator.aggregate(plans[0]!)).areaScores), numbersOf(batch.areaScores[0]!));
  });

  it("a bad firstEvaluation, or a misspelt call option, is a ValidationError, not a silent 0", async () => {
    const aggregator = monteCarlo(10, 9);
    const cases: [unknown, string, string][] = [
      [{ firstEvaluation: -1 }, "E_RANGE", "call.firstEvaluation"],
      [{ firstEvaluation: 0.5 }, "E_RANGE", "call.firstEvaluation"],
      [{ firstEvaluation: Number.MAX_SAFE_INTEGER }, "E_RANGE", "call.firstEvaluation"],
      [{ firstEvalution: 3 }, "E_TYPE", "call.firstEvalution"],
      [7, "E_TYPE", "call"],
    ];
    for (const [call, code, path] of cases) {
      const error = asValidationError(await rejectionOf(aggregator.aggregateBatch(plans.slice(0, 2), null, call as never)));
      expect(error.issues[0], JSON.stringify(call)).toMatchObject({ code, path });
    }
  });

  it("the same plan at another study index draws other numbers", async () => {
    const aggregator = monteCarlo(400, 9);
    const first = await aggregator.aggregateBatch([plans[0]!]);
    const later = await aggregator.aggregateBatch([plans[0]!], null, { firstEvaluation: 2 ** 40 + 5 });
    expect(first.areaScores[0]![0]!.scoreStd).not.toBe(later.areaScores[0]![0]!.scoreStd);
  });
});

describe("the interval", () => {
  it("σ = 0 collapses it to the score, with std exactly 0", () => {
    const plan = makePlan((a, d) => ((a + 1) * (d + 2)) % 3.1, () => 0);
    for (const area of monteCarlo(257, 3).aggregateSync(plan).areaScores) {
      expect(area.scoreStd).toBe(0);
      expect(area.confidenceInterval95).toEqual([area.score, area.score]);
    }
  });

  it("for small σ far from the bounds, 20,000 samples land within 0.02 of the analytic interval", () => {
    const random = rng(77);
    const plan = makePlan(() => 1 + random(), () => 0.05 + 0.1 * random());
    const analytic = new HighPerformanceAreaAggregator().aggregateSync(plan).areaScores;
    const sampled = monteCarlo(20_000, 123).aggregateSync(plan).areaScores;
    sampled.forEach((area, a) => {
      const [low, high] = analytic[a]!.confidenceInterval95;
      expect(Math.abs(area.confidenceInterval95[0] - low)).toBeLessThan(0.02);
      expect(Math.abs(area.confidenceInterval95[1] - high)).toBeLessThan(0.02);
      expect(Math.abs(area.scoreStd - analytic[a]!.scoreStd)).toBeLessThan(0.005);
    });
  });

  it("stays inside [0, 3] and ordered, even for huge σ at the bounds", async () => {
    const random = rng(5);
    const plans = Array.from({ length: 30 }, (_, e) =>
      makePlan(() => (e % 3 === 0 ? 0 : e % 3 === 1 ? 3 : random() * 3), () => random() * (e % 2 === 0 ? 10 : 1)),
    );
    const result = await monteCarlo(101, 8).aggregateBatch(plans);
    for (const area of result.areaScores.flat()) {
      const [low, high] = area.confidenceInterval95;
      expect(low).toBeGreaterThanOrEqual(0);
      expect(high).toBeLessThanOrEqual(3);
      expect(low).toBeLessThanOrEqual(high);
      expect(Object.is(low, -0)).toBe(false);
      expect(area.scoreStd).toBeGreaterThanOrEqual(0);
      expect(area.scoreStd).toBeLessThanOrEqual(1.5); // half the range bounds any std on [0, 3]
    }
  });

  it("the percentiles are type 7: with 2 samples, each end interpolates between the two draws", () => {
    // With N = 2, h = 0.025 and 0.975: low = x₁ + 0.025·(x₂ − x₁), high = x₁ + 0.975·(x₂ − x₁),
    // so the interval's midpoint is the mean of the draws, and the sample std is |x₂ − x₁|/√2.
    const plan = randomPlans(1, 31, () => 0.2)[0]!;
    for (const area of monteCarlo(2, 0).aggregateSync(plan).areaScores) {
      const [low, high] = area.confidenceInterval95;
      const spread = (high - low) / 0.95; // x₂ − x₁
      expect(area.scoreStd).toBeCloseTo(spread / Math.SQRT2, 12);
    }
  });
});
