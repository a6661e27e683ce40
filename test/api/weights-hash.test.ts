/**
 * The weights cache's key: a hash that mixes every bit of the content, keyed
 * so that 0 and −0 differ, and a cache that still returns the right prepared vector when two
 * contents do collide. The hash cannot be observed through the public API (a collision only
 * costs a cache entry), so this file tests the input layer's WeightsContent and WeightsCache.
 */
import { describe, expect, it } from "vitest";
import { IssueCollector } from "../../src/core/validate.js";
import { WeightsCache } from "../../src/input/weights-cache.js";
import { hashWeights, WeightsContent } from "../../src/input/weights-content.js";
import { bitsOf, nextUp, rng } from "../support/float.js";
import { six } from "../support/plans.js";

const MASK64 = (1n << 64n) - 1n;

/** murmur3's fmix64, written again with BigInt from its published definition. */
function fmix64(x: bigint): bigint {
  x ^= x >> 33n;
  x = (x * 0xff51afd7ed558ccdn) & MASK64;
  x ^= x >> 33n;
  x = (x * 0xc4ceb9fe1a85ec53n) & MASK64;
  x ^= x >> 33n;
  return x;
}

/** The construction documented on hashWeights, in BigInt: per weight, state = fmix64(state ^ bits ^ key(pair)). */
function referenceHash(pairs: readonly number[], values: readonly number[]): number {
  let h = (0x9e3779b9n << 32n) | BigInt((0x7f4a7c15 ^ pairs.length) >>> 0);
  pairs.forEach((p, i) => {
    h = fmix64(h ^ bitsOf(values[i]!) ^ fmix64(BigInt(p + 1)));
  });
  h = fmix64(h ^ BigInt(pairs.length));
  return Number(h & ((1n << 53n) - 1n));
}

function contentOf(pairs: readonly number[], values: readonly number[]): WeightsContent {
  const content = new WeightsContent();
  pairs.forEach((p, i) => content.add(p, values[i]!));
  return content;
}

/** A random weights content: some areas, each naming its six dimensions in a random order. */
function randomContent(random: () => number): { pairs: number[]; values: number[] } {
  const pairs: number[] = [];
  const values: number[] = [];
  for (let a = 0; a < 10; a++) {
    if (random() < 0.5) continue;
    const order = [0, 1, 2, 3, 4, 5].sort(() => random() - 0.5);
    for (const d of order) {
      pairs.push(a * 6 + d);
      const r = random();
      values.push(r < 0.1 ? 0 : r < 0.15 ? -0 : r < 0.4 ? Math.floor(random() * 5) : random() * 10);
    }
  }
  return { pairs, values };
}

describe("hashWeights", () => {
  it("is murmur3's fmix64 chain, computed exactly with 32-bit halves (known answers from BigInt)", () => {
    const random = rng(131);
    for (let k = 0; k < 300; k++) {
      const { pairs, values } = randomContent(random);
      expect(hashWeights(contentOf(pairs, values)), `content ${k}`).toBe(referenceHash(pairs, values));
    }
    expect(hashWeights(contentOf([], []))).toBe(referenceHash([], []));
  });

  it("gives no collision over 5,000 distinct random weight sets", () => {
    const random = rng(132);
    const byKey = new Map<number, string>();
    let distinct = 0;
    let collisions = 0;
    const seen = new Set<string>();
    while (distinct < 5000) {
      const { pairs, values } = randomContent(random);
      const identity = JSON.stringify([pairs, values.map((v) => bitsOf(v).toString(16))]);
      if (seen.has(identity)) continue;
      seen.add(identity);
      distinct++;
      const key = hashWeights(contentOf(pairs, values));
      if (byKey.has(key)) collisions++;
      byKey.set(key, identity);
    }
    expect(collisions).toBe(0);
  });

  it("separates contents that differ only in high bits, signs of zero, one ulp, or which pair holds a weight", () => {
    const pairs = [0, 1, 2, 3, 4, 5];
    const variants: [string, number[], number[]][] = [
      ["zeros", pairs, [0, 0, 1, 1, 1, 1]],
      ["negative zeros (FNV-1a collided with zeros)", pairs, [-0, -0, 1, 1, 1, 1]],
      ["one negative zero", pairs, [-0, 0, 1, 1, 1, 1]],
      ["one ulp up", pairs, [0, 0, nextUp(1), 1, 1, 1]],
      ["two weights swapped between pairs", pairs, [0, 1, 0, 1, 1, 1]],
      ["the same weights in another area", pairs.map((p) => p + 6), [0, 0, 1, 1, 1, 1]],
      ["the same pairs in another key order", [1, 0, 2, 3, 4, 5], [0, 0, 1, 1, 1, 1]],
    ];
    const keys = variants.map(([, p, v]) => hashWeights(contentOf(p, v)));
    expect(new Set(keys).size).toBe(variants.length);
  });
});

describe("a deliberate collision in the weights cache still gives each content its own vector", () => {
  const prepare = (cache: WeightsCache, weights: unknown) => {
    const issues = new IssueCollector();
    const prepared = cache.prepare(weights, issues, "weights");
    expect(issues.issues).toEqual([]);
    return prepared!;
  };

  it("every content keyed 0: a hit is confirmed by comparing the whole content", () => {
    const cache = new WeightsCache(() => 0);
    const a = { PA01: { ...six(), DIM01: 5 } };
    const b = { PA01: { ...six(), DIM01: 7 } };
    const c = { PA01: { ...six(), DIM01: -0 } };
    const d = { PA01: { ...six(), DIM01: 0 } };
    for (let round = 0; round < 2; round++) {
      expect(prepare(cache, a).vector[0]).toBe(5);
      expect(prepare(cache, b).vector[0]).toBe(7);
      expect(Object.is(prepare(cache, c).vector[0], -0)).toBe(true);
      expect(Object.is(prepare(cache, d).vector[0], 0)).toBe(true);
      expect(prepare(cache, structuredClone(d)).vector[0]).toBe(0);
    }
    // Colliding contents evict each other from the one key; only the repeat of d hits.
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 8, size: 1 });
  });
});
