/**
 * SPEC §7 adaptive cache: prepared weight vectors keyed by the weights' content; every 100
 * lookups, a window hit rate > 0.8 grows the bound ×1.5 (≤ 10,000), < 0.3 shrinks it ×0.7
 * (≥ 100), measured over the window since the last adaptation. Observed through metrics.
 */
import { describe, expect, it } from "vitest";
import {
  ADAPTIVE_POLICY,
  HighPerformanceAreaAggregator,
  ValidationError,
  type PerformanceMetrics,
  type Weights,
} from "../../src/index.js";
import { makePlan } from "../support/plans.js";
import { asWeights, expectIdenticalBits, expectMatchesReference, referencePlan } from "../support/float.js";
import { asValidationError, shapes, thrownBy } from "../support/errors.js";

const plan = makePlan((a, d) => ((a * 7 + d * 3) % 10) * 0.3, (a, d) => (a + d) / 50);

/** Distinct weight contents: PA01.DIM01 = k + 1, everything else 1. */
function distinctWeights(k: number): Weights {
  return asWeights({ PA01: { DIM01: k + 1, DIM02: 1, DIM03: 1, DIM04: 1, DIM05: 1, DIM06: 1 } });
}

const W = (): Weights => asWeights({ PA03: { DIM01: 2, DIM02: 0, DIM03: 1, DIM04: 1, DIM05: 0.5, DIM06: 3 } });

function call(aggregator: HighPerformanceAreaAggregator, weights?: Weights): PerformanceMetrics {
  return aggregator.aggregateSync(plan, weights).metrics;
}

/** Either rounding of `bound × factor` is accepted; the clamp is exact. */
function nextBounds(bound: number, factor: number, lo: number, hi: number): number[] {
  return [Math.floor(bound * factor), Math.ceil(bound * factor)].map((b) => Math.min(hi, Math.max(lo, b)));
}

describe("cache metrics", () => {
  it("start at zero hits and misses with the initial bound of 1000 (ADAPTIVE_POLICY)", () => {
    expect(ADAPTIVE_POLICY.initialMaxSize).toBe(1000);
    const m = call(new HighPerformanceAreaAggregator());
    expect(m).toMatchObject({ cacheHits: 0, cacheMisses: 0, cacheSize: 0, cacheMaxSize: 1000, cacheHitRate: 0 });
  });

  it("the policy constants are the seed's", () => {
    expect(ADAPTIVE_POLICY).toMatchObject({
      window: 100,
      growAbove: 0.8,
      growFactor: 1.5,
      ceiling: 10_000,
      shrinkBelow: 0.3,
      shrinkFactor: 0.7,
      floor: 100,
    });
  });

  it("the same weights content given as a different object hits", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const first = aggregator.aggregateSync(plan, W());
    expect(first.metrics).toMatchObject({ cacheHits: 0, cacheMisses: 1, cacheSize: 1 });
    const second = aggregator.aggregateSync(plan, W());
    expect(second.metrics).toMatchObject({ cacheHits: 1, cacheMisses: 1, cacheSize: 1, cacheHitRate: 0.5 });
    expectIdenticalBits(second.areaScores, first.areaScores);
    expectMatchesReference(second.areaScores, referencePlan(plan, W()));
  });

  it("different content misses, even when it differs in one weight or only in the sign of a zero", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    call(aggregator, W());
    const changed = asWeights({ PA03: { DIM01: 2, DIM02: 0, DIM03: 1, DIM04: 1, DIM05: 0.5, DIM06: 3.0000000000000004 } });
    expect(call(aggregator, changed)).toMatchObject({ cacheHits: 0, cacheMisses: 2, cacheSize: 2 });
    const otherArea = asWeights({ PA04: { DIM01: 2, DIM02: 0, DIM03: 1, DIM04: 1, DIM05: 0.5, DIM06: 3 } });
    expect(call(aggregator, otherArea)).toMatchObject({ cacheHits: 0, cacheMisses: 3, cacheSize: 3 });
    const negativeZero = asWeights({ PA03: { DIM01: 2, DIM02: -0, DIM03: 1, DIM04: 1, DIM05: 0.5, DIM06: 3 } });
    // The exact-content rule: -0 and 0 are different bits, so different contents.
    expect(call(aggregator, negativeZero)).toMatchObject({ cacheHits: 0, cacheMisses: 4, cacheSize: 4 });
  });

  it("a weights object mutated between calls is aggregated with its new content", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const weights = { PA02: { DIM01: 1, DIM02: 1, DIM03: 1, DIM04: 1, DIM05: 1, DIM06: 1 } };
    const before = aggregator.aggregateSync(plan, asWeights(weights));
    expectMatchesReference(before.areaScores, referencePlan(plan, asWeights(weights)));
    weights.PA02.DIM01 = 10;
    weights.PA02.DIM06 = 0;
    const after = aggregator.aggregateSync(plan, asWeights(weights));
    expectMatchesReference(after.areaScores, referencePlan(plan, asWeights(weights)));
    expect(after.areaScores[1]!.score).not.toBe(before.areaScores[1]!.score);
  });

  it("calls without weights (undefined or null) do not touch the cache", async () => {
    const aggregator = new HighPerformanceAreaAggregator();
    for (let k = 0; k < 5; k++) call(aggregator);
    aggregator.aggregateSync(plan, null);
    await aggregator.aggregate(plan);
    const batch = await aggregator.aggregateBatch([plan, plan, { dimensionScores: plan }]);
    expect(batch.metrics).toMatchObject({ cacheHits: 0, cacheMisses: 0, cacheSize: 0, cacheMaxSize: 1000 });
  });

  it("a batch looks its shared weights up once, and each evaluation's own weights once", async () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const shared = await aggregator.aggregateBatch([plan, plan, plan], W());
    expect(shared.metrics.cacheHits + shared.metrics.cacheMisses).toBe(1);
    const own = await aggregator.aggregateBatch([
      { dimensionScores: plan, weights: W() },
      { dimensionScores: plan, weights: W() },
      { dimensionScores: plan, weights: distinctWeights(1) },
    ]);
    expect(own.metrics).toMatchObject({ cacheHits: 0 + 2, cacheMisses: 1 + 1, cacheSize: 2 });
  });

  it("invalid weights are never cached: a second call still rejects", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const bad: [string, unknown][] = [
      ["a NaN weight", { PA03: { DIM01: NaN, DIM02: 1, DIM03: 1, DIM04: 1, DIM05: 1, DIM06: 1 } }],
      ["a negative weight", { PA03: { DIM01: -1, DIM02: 1, DIM03: 1, DIM04: 1, DIM05: 1, DIM06: 1 } }],
      ["a zero-sum area", { PA03: { DIM01: 0, DIM02: 0, DIM03: 0, DIM04: 0, DIM05: 0, DIM06: 0 } }],
      ["a weight above MAX_WEIGHT", { PA03: { DIM01: Number.MAX_VALUE, DIM02: 0, DIM03: 0, DIM04: 0, DIM05: 0, DIM06: 0 } }],
      ["a weight below MIN_WEIGHT", { PA03: { DIM01: 5e-324, DIM02: 0, DIM03: 0, DIM04: 0, DIM05: 0, DIM06: 1 } }],
      ["five dimensions", { PA03: { DIM01: 1, DIM02: 1, DIM03: 1, DIM04: 1, DIM05: 1 } }],
      ["a string weight", { PA03: { DIM01: "1", DIM02: 1, DIM03: 1, DIM04: 1, DIM05: 1, DIM06: 1 } }],
    ];
    for (const [name, weights] of bad) {
      for (let attempt = 0; attempt < 3; attempt++) {
        expect(() => aggregator.aggregateSync(plan, asWeights(weights)), `${name}, attempt ${attempt}`).toThrow(ValidationError);
        expect(() => aggregator.aggregateSync(plan, asWeights(structuredClone(weights))), `${name} (copy)`).toThrow(ValidationError);
      }
    }
    // Nothing was stored: the first valid call sees an empty cache.
    expect(call(aggregator, W())).toMatchObject({ cacheHits: 0, cacheSize: 1 });
  });

  it("invalid weights whose valid twin is cached still reject", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    call(aggregator, W());
    call(aggregator, W());
    const twin = asWeights({ PA03: { DIM01: 2, DIM02: 0, DIM03: 1, DIM04: 1, DIM05: 0.5, DIM06: NaN } });
    expect(() => aggregator.aggregateSync(plan, twin)).toThrow(ValidationError);
  });

  it("a hit never lets weights through that caching off rejects (inherited dimension weight)", () => {
    // A names DIM06 only through its prototype, which is not the caller's data (SPEC §3); B has
    // the same own keys and values and no DIM06. Both are five-dimension areas, cache or not.
    const inherited = Object.assign(Object.create({ DIM06: 1 }) as Record<string, number>, { DIM01: 1, DIM02: 1, DIM03: 1, DIM04: 1, DIM05: 1 });
    const A = asWeights({ PA01: inherited });
    const B = asWeights({ PA01: { DIM01: 1, DIM02: 1, DIM03: 1, DIM04: 1, DIM05: 1 } });
    for (const aggregator of [new HighPerformanceAreaAggregator({ enableCaching: false }), new HighPerformanceAreaAggregator()]) {
      for (const weights of [B, A, B]) {
        const error = asValidationError(thrownBy(() => aggregator.aggregateSync(plan, weights)));
        expect(shapes(error)).toEqual([{ code: "E_WEIGHTS", path: "weights.PA01" }]);
        expect(error.issues[0]!.message).toContain("missing DIM06");
      }
    }
  });

  it("caching off: cacheMaxSize 0, no hits, no misses, nothing stored", () => {
    const aggregator = new HighPerformanceAreaAggregator({ enableCaching: false });
    let m = call(aggregator, W());
    for (let k = 0; k < 20; k++) m = call(aggregator, W());
    expect(m).toMatchObject({ cacheHits: 0, cacheMisses: 0, cacheSize: 0, cacheMaxSize: 0, cacheHitRate: 0 });
  });

  it("caching off gives the same bits as caching on", () => {
    const on = new HighPerformanceAreaAggregator({ enableCaching: true });
    const off = new HighPerformanceAreaAggregator({ enableCaching: false });
    on.aggregateSync(plan, W());
    expectIdenticalBits(on.aggregateSync(plan, W()).areaScores, off.aggregateSync(plan, W()).areaScores);
  });

  it("cacheHitRate is hits ÷ lookups over the aggregator's life", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    call(aggregator, distinctWeights(0));
    call(aggregator, distinctWeights(1));
    call(aggregator, distinctWeights(0));
    const m = call(aggregator, distinctWeights(0));
    expect(m).toMatchObject({ cacheHits: 2, cacheMisses: 2, cacheHitRate: 0.5 });
  });
});

describe("adaptive bound", () => {
  it("100 lookups with hit rate > 0.8 grow the bound from 1000 to 1500, at the 100th lookup", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    let m = call(aggregator, W()); // miss
    for (let k = 2; k <= 99; k++) m = call(aggregator, W()); // hits
    expect(m).toMatchObject({ cacheHits: 98, cacheMisses: 1, cacheMaxSize: 1000 });
    m = call(aggregator, W()); // the 100th lookup
    expect(m).toMatchObject({ cacheHits: 99, cacheMisses: 1, cacheMaxSize: 1500 });
  });

  it("repeated windows of hits grow ×1.5 each time and cap at 10,000", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const bounds: number[] = [];
    for (let window = 0; window < 9; window++) {
      let m: PerformanceMetrics | undefined;
      for (let k = 0; k < 100; k++) m = call(aggregator, W());
      bounds.push(m!.cacheMaxSize);
    }
    let previous = 1000;
    for (const bound of bounds) {
      expect(nextBounds(previous, 1.5, 100, 10_000)).toContain(bound);
      previous = bound;
    }
    expect(bounds.slice(-3)).toEqual([10_000, 10_000, 10_000]);
  });

  it("a hit rate of exactly 0.8 does not grow the bound", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    let m: PerformanceMetrics | undefined;
    for (let k = 0; k < 20; k++) m = call(aggregator, distinctWeights(k)); // 20 misses
    for (let k = 0; k < 80; k++) m = call(aggregator, distinctWeights(k % 20)); // 80 hits
    expect(m).toMatchObject({ cacheHits: 80, cacheMisses: 20, cacheMaxSize: 1000 });
  });

  it("a window with hit rate < 0.3 shrinks the bound ×0.7, repeatedly, never below 100", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    let distinct = 0;
    const bounds: number[] = [];
    let m: PerformanceMetrics | undefined;
    for (let window = 0; window < 10; window++) {
      for (let k = 0; k < 100; k++) m = call(aggregator, distinctWeights(distinct++));
      bounds.push(m!.cacheMaxSize);
      expect(m!.cacheSize).toBeLessThanOrEqual(m!.cacheMaxSize);
    }
    expect(bounds[0]).toBe(700);
    let previous = 1000;
    for (const bound of bounds) {
      expect(nextBounds(previous, 0.7, 100, 10_000)).toContain(bound);
      previous = bound;
    }
    expect(bounds.slice(-3)).toEqual([100, 100, 100]);
    expect(m!.cacheSize).toBe(100);
  });

  it("a hit rate of exactly 0.3 does not shrink the bound", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    let m: PerformanceMetrics | undefined;
    for (let k = 0; k < 70; k++) m = call(aggregator, distinctWeights(k)); // 70 misses
    for (let k = 0; k < 30; k++) m = call(aggregator, distinctWeights(k)); // 30 hits
    expect(m).toMatchObject({ cacheHits: 30, cacheMisses: 70, cacheMaxSize: 1000 });
  });

  it("the rate is measured over the window since the last adaptation, not cumulatively", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    let m: PerformanceMetrics | undefined;
    // Window 1: 1 miss + 99 hits → grow to 1500.
    for (let k = 0; k < 100; k++) m = call(aggregator, W());
    expect(m!.cacheMaxSize).toBe(1500);
    // Window 2: 20 hits + 80 misses: 0.2 in the window (cumulatively 119/200 ≈ 0.6) → shrink.
    for (let k = 0; k < 20; k++) m = call(aggregator, W());
    for (let k = 0; k < 80; k++) m = call(aggregator, distinctWeights(1000 + k));
    expect(m).toMatchObject({ cacheHits: 119, cacheMisses: 81 });
    expect(nextBounds(1500, 0.7, 100, 10_000)).toContain(m!.cacheMaxSize);
    expect(m!.cacheMaxSize).toBe(1050);
  });

  it("a shrink keeps the most recently used entries", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    let m: PerformanceMetrics | undefined;
    let distinct = 0;
    // Drive the bound down to 100 with distinct contents.
    for (let k = 0; k < 1000; k++) m = call(aggregator, distinctWeights(distinct++));
    expect(m!.cacheMaxSize).toBe(100);
    // The last 100 contents are still cached: looking them up again only hits.
    const hitsBefore = m!.cacheHits;
    for (let k = distinct - 100; k < distinct; k++) m = call(aggregator, distinctWeights(k));
    expect(m!.cacheHits - hitsBefore).toBe(100);
  });

  it("the bound adapts per aggregator", () => {
    const busy = new HighPerformanceAreaAggregator();
    for (let k = 0; k < 100; k++) call(busy, W());
    const idle = new HighPerformanceAreaAggregator();
    expect(call(busy).cacheMaxSize).toBe(1500);
    expect(call(idle).cacheMaxSize).toBe(1000);
  });
});
