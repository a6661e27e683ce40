/**
 * Property-based tests (fast-check, fixed seed): for random valid plans and weights the output
 * obeys SPEC §4 bit for bit, stays in range, never holds −0, does not depend on input order,
 * and does not depend on the weight cache.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  HighPerformanceAreaAggregator,
  MAX_STD,
  MAX_WEIGHT,
  MIN_WEIGHT,
  type AreaScore,
  type DimensionScore,
  type Weights,
} from "../../src/index.js";
import { makePlan } from "../support/plans.js";
import { asWeights, computedNumbers, expectIdenticalBits, expectMatchesReference, referencePlan, rng, shuffled } from "../support/float.js";

const SEED = 0x5eed_2025;
const RUNS = 300;
const params = { seed: SEED, numRuns: RUNS } as const;

const AREAS = ["PA01", "PA02", "PA03", "PA04", "PA05", "PA06", "PA07", "PA08", "PA09", "PA10"] as const;
const DIMS = ["DIM01", "DIM02", "DIM03", "DIM04", "DIM05", "DIM06"] as const;

const scoreArb = fc.oneof(
  fc.constantFrom(0, 3, -0, 1.65, 2.1, 2.55, 5e-324),
  fc.double({ min: 0, max: 3, noNaN: true }),
);

// Stds and weights reach SPEC §3's bounds (MAX_STD, MIN_WEIGHT, MAX_WEIGHT), inside which
// SPEC §4's (r·σ)² stays below 1e200 and r·s never underflows for a normal score.
const stdArb = fc.oneof(
  fc.constantFrom(0, -0, 5e-324, 1, 1e6, MAX_STD),
  fc.double({ min: 0, max: 10, noNaN: true }),
  fc.double({ min: 0, max: MAX_STD, noNaN: true }),
);

const planArb = fc
  .array(fc.record({ score: scoreArb, std: stdArb, hasStd: fc.boolean() }), { minLength: 60, maxLength: 60 })
  .map((cells): DimensionScore[] =>
    makePlan((a, d) => cells[a * 6 + d]!.score).map((entry, i) => {
      const cell = cells[i]!;
      if (cell.hasStd) return { ...entry, scoreStd: cell.std };
      const { scoreStd: _dropped, ...rest } = entry;
      return rest;
    }),
  );

const weightArb = fc.oneof(
  fc.constantFrom(0, -0, 1, MIN_WEIGHT, 1e6, MAX_WEIGHT),
  fc.integer({ min: 0, max: 10 }),
  fc.double({ min: MIN_WEIGHT, max: 1e6, noNaN: true }),
  fc.double({ min: MIN_WEIGHT, max: MAX_WEIGHT, noNaN: true }),
);

/** Six weights whose SPEC §4 sum (left fold) is not zero. */
const areaWeightsArb = fc
  .array(weightArb, { minLength: 6, maxLength: 6 })
  .filter((w) => w.reduce((sum, x) => sum + x, -0) !== 0);

const weightsArb: fc.Arbitrary<Weights | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.array(fc.option(areaWeightsArb, { nil: undefined }), { minLength: 10, maxLength: 10 }).map((rows) => {
    const table: Record<string, Record<string, number>> = {};
    rows.forEach((row, a) => {
      if (row !== undefined) table[AREAS[a]!] = Object.fromEntries(DIMS.map((d, i) => [d, row[i]!]));
    });
    return asWeights(table);
  }),
);

function checkInvariants(areaScores: readonly AreaScore[]): void {
  expect(areaScores).toHaveLength(10);
  for (const [where, x] of computedNumbers(areaScores)) {
    expect(Number.isFinite(x), `${where} finite`).toBe(true);
    expect(Object.is(x, -0), `${where} is -0`).toBe(false);
  }
  for (const area of areaScores) {
    const [low, high] = area.confidenceInterval95;
    expect(area.score >= 0 && area.score <= 3, `${area.areaId}.score in [0, 3]`).toBe(true);
    expect(area.scoreStd >= 0, `${area.areaId}.scoreStd ≥ 0`).toBe(true);
    expect(low >= 0 && low <= area.score, `${area.areaId}: 0 ≤ low ≤ score`).toBe(true);
    expect(high >= area.score && high <= 3, `${area.areaId}: score ≤ high ≤ 3`).toBe(true);
    expect(area.validationDetails.weightSum > 0, `${area.areaId}.weightSum > 0`).toBe(true);
    const level = area.score >= 2.55 ? "EXCELENTE" : area.score >= 2.1 ? "BUENO" : area.score >= 1.65 ? "ACEPTABLE" : "INSUFICIENTE";
    expect(area.qualityLevel, `${area.areaId}.qualityLevel`).toBe(level);
  }
}

describe("properties of random valid plans and weights", () => {
  it("results are finite, never −0, in range, with the interval around the score, and equal to the SPEC §4 reference", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    fc.assert(
      fc.property(planArb, weightsArb, (plan, weights) => {
        const { areaScores } = aggregator.aggregateSync(plan, weights);
        checkInvariants(areaScores);
        expectMatchesReference(areaScores, referencePlan(plan, weights));
      }),
      params,
    );
  });

  it("permutation invariance: any input order gives bit-identical results", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    fc.assert(
      fc.property(planArb, weightsArb, fc.integer(), (plan, weights, shuffleSeed) => {
        const canonical = aggregator.aggregateSync(plan, weights).areaScores;
        const permuted = aggregator.aggregateSync(shuffled(plan, rng(shuffleSeed)), weights).areaScores;
        expectIdenticalBits(permuted, canonical);
      }),
      params,
    );
  });

  it("cache on and cache off give identical bits, also on repeated calls that hit the cache", () => {
    // One cached aggregator for all runs, so hits come from entries stored by earlier runs too.
    const cached = new HighPerformanceAreaAggregator({ enableCaching: true });
    const uncached = new HighPerformanceAreaAggregator({ enableCaching: false });
    let hitsSeen = 0;
    fc.assert(
      fc.property(planArb, weightsArb, (plan, weights) => {
        const off = uncached.aggregateSync(plan, weights).areaScores;
        const first = cached.aggregateSync(plan, weights);
        // The same content in a different object must hit and give the same bits.
        const again = cached.aggregateSync(plan, weights === undefined ? undefined : structuredClone(weights));
        const third = cached.aggregateSync(plan, weights);
        if (weights !== undefined) {
          expect(again.metrics.cacheHits).toBeGreaterThan(first.metrics.cacheHits);
          hitsSeen++;
        }
        expectIdenticalBits(first.areaScores, off);
        expectIdenticalBits(again.areaScores, off);
        expectIdenticalBits(third.areaScores, off);
      }),
      params,
    );
    expect(hitsSeen).toBeGreaterThan(RUNS / 4);
  });

  it("batch and single calls agree on random plans (property form)", async () => {
    const aggregator = new HighPerformanceAreaAggregator();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(planArb, weightsArb), { minLength: 0, maxLength: 6 }), weightsArb, async (items, shared) => {
        const batch = await aggregator.aggregateBatch(
          items.map(([dimensionScores, weights]) => (weights === undefined ? dimensionScores : { dimensionScores, weights })),
          shared,
        );
        expect(batch.areaScores).toHaveLength(items.length);
        items.forEach(([plan, own], e) => {
          const single = aggregator.aggregateSync(plan, own ?? shared).areaScores;
          expectIdenticalBits(batch.areaScores[e], single);
        });
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});
