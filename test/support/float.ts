/**
 * Independent helpers for the behaviour tests: IEEE-754 bit manipulation, the SPEC §4 arithmetic
 * written out again (explicit parentheses, left folds), and structural helpers. Nothing here
 * imports the implementation's internals.
 */
import { expect } from "vitest";
import {
  AREA_IDS,
  DIMENSION_IDS,
  type AggregateResult,
  type AreaScore,
  type DimensionScore,
  type Weights,
} from "../../src/index.js";

const buffer = new DataView(new ArrayBuffer(8));

/** The 64 bits of a double, as a bigint (distinguishes -0 from +0 and keeps NaN payloads). */
export function bitsOf(x: number): bigint {
  buffer.setFloat64(0, x);
  return buffer.getBigUint64(0);
}

function fromBits(bits: bigint): number {
  buffer.setBigUint64(0, bits);
  return buffer.getFloat64(0);
}

/** The largest double strictly below `x` (finite `x` only). */
export function nextDown(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`nextDown of ${x}`);
  if (x === 0) return -Number.MIN_VALUE;
  const bits = bitsOf(x);
  return fromBits(x > 0 ? bits - 1n : bits + 1n);
}

/** The smallest double strictly above `x` (finite `x` only). */
export function nextUp(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`nextUp of ${x}`);
  if (x === 0) return Number.MIN_VALUE;
  const bits = bitsOf(x);
  return fromBits(x > 0 ? bits + 1n : bits - 1n);
}

export interface Expected {
  readonly R: number;
  readonly score: number;
  readonly std: number;
  readonly low: number;
  readonly high: number;
}

/** SPEC §4 for one area, written with explicit parentheses as in the SPEC. */
export function referenceArea(s: readonly number[], sigma: readonly number[], r: readonly number[]): Expected {
  if (s.length !== 6 || sigma.length !== 6 || r.length !== 6) throw new RangeError("six values each");
  const [s1, s2, s3, s4, s5, s6] = s as [number, number, number, number, number, number];
  const [r1, r2, r3, r4, r5, r6] = r as [number, number, number, number, number, number];
  const [q1, q2, q3, q4, q5, q6] = sigma as [number, number, number, number, number, number];
  const R = ((((r1 + r2) + r3) + r4) + r5) + r6;
  const raw = (((((r1 * s1 + r2 * s2) + r3 * s3) + r4 * s4) + r5 * s5) + r6 * s6) / R;
  const score = Math.min(3, Math.max(0, raw));
  const t1 = r1 * q1, t2 = r2 * q2, t3 = r3 * q3, t4 = r4 * q4, t5 = r5 * q5, t6 = r6 * q6;
  const std = Math.sqrt(((((t1 * t1 + t2 * t2) + t3 * t3) + t4 * t4) + t5 * t5) + t6 * t6) / R;
  return { R, score, std, low: Math.max(0, score - 1.96 * std), high: Math.min(3, score + 1.96 * std) };
}

/** SPEC §4 for a whole plan (any entry order), area by area in PA01…PA10 order. */
export function referencePlan(plan: readonly DimensionScore[], weights?: Weights | null): Expected[] {
  return AREA_IDS.map((areaId) => {
    const s: number[] = [];
    const q: number[] = [];
    const r: number[] = [];
    for (const dimensionId of DIMENSION_IDS) {
      const entry = plan.find((x) => x.areaId === areaId && x.dimensionId === dimensionId);
      if (entry === undefined) throw new Error(`reference: no ${areaId}.${dimensionId}`);
      s.push(entry.score);
      q.push(entry.scoreStd ?? 0);
      r.push(weights?.[areaId]?.[dimensionId] ?? 1);
    }
    return referenceArea(s, q, r);
  });
}

/** Asserts that `actual` and `expected` are the same double, bit for bit (Object.is semantics). */
export function expectSameNumber(actual: number, expected: number, where: string): void {
  if (!Object.is(actual, expected)) {
    throw new Error(`${where}: expected ${fmt(expected)}, got ${fmt(actual)}`);
  }
}

function fmt(x: number): string {
  return Object.is(x, -0) ? "-0" : `${x} (0x${bitsOf(x).toString(16)})`;
}

/** Compares the computed numbers of ten area scores with the reference. */
export function expectMatchesReference(areaScores: readonly AreaScore[], expected: readonly Expected[]): void {
  expect(areaScores).toHaveLength(expected.length);
  areaScores.forEach((area, a) => {
    const e = expected[a]!;
    expectSameNumber(area.score, e.score, `${area.areaId}.score`);
    expectSameNumber(area.scoreStd, e.std, `${area.areaId}.scoreStd`);
    expectSameNumber(area.confidenceInterval95[0], e.low, `${area.areaId}.ci95[0]`);
    expectSameNumber(area.confidenceInterval95[1], e.high, `${area.areaId}.ci95[1]`);
  });
}

/** Every computed number of a result (not the carried-along inputs), with a name. */
export function computedNumbers(areaScores: readonly AreaScore[]): [string, number][] {
  return areaScores.flatMap((area) => [
    [`${area.areaId}.score`, area.score],
    [`${area.areaId}.scoreStd`, area.scoreStd],
    [`${area.areaId}.ci95[0]`, area.confidenceInterval95[0]],
    [`${area.areaId}.ci95[1]`, area.confidenceInterval95[1]],
    [`${area.areaId}.validationDetails.weightSum`, area.validationDetails.weightSum],
  ]);
}

/** Two results' area scores agree bit for bit on every number they contain (deep walk). */
export function expectIdenticalBits(a: unknown, b: unknown, path = "result"): void {
  if (typeof a === "number" && typeof b === "number") {
    expectSameNumber(a, b, path);
    return;
  }
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) {
    expect(a, path).toStrictEqual(b);
    return;
  }
  expect(Array.isArray(a), `${path} is an array`).toBe(Array.isArray(b));
  const keysA = Object.keys(a).sort();
  const keysB = Object.keys(b).sort();
  expect(keysA, `${path} keys`).toEqual(keysB);
  for (const key of keysA) {
    expectIdenticalBits((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
  }
}

/** A result without its metrics, for bit comparisons (timings legitimately differ). */
export function scoresOf(result: Pick<AggregateResult, "areaScores">): AreaScore[] {
  return result.areaScores;
}

/** Freezes an object graph in place and returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

/** A deterministic PRNG (mulberry32), so shuffles and random plans are reproducible. */
export function rng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let x = t;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Fisher–Yates shuffled copy. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = items.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Weights giving every area DIM01 = 1 and the other five 0, so each area's score is its DIM01 score. */
export function singleWeight(): Weights {
  return asWeights(
    Object.fromEntries(AREA_IDS.map((a) => [a, { DIM01: 1, DIM02: 0, DIM03: 0, DIM04: 0, DIM05: 0, DIM06: 0 }])),
  );
}

/** Weights built from an arbitrary table, valid or not (the API must check them at run time). */
export function asWeights(table: unknown): Weights {
  return table as Weights;
}

/** Six weights per area from a function, as a weights table. */
export function weightsFrom(weight: (a: number, d: number) => number): Weights {
  return asWeights(
    Object.fromEntries(AREA_IDS.map((areaId, a) => [areaId, Object.fromEntries(DIMENSION_IDS.map((dimensionId, d) => [dimensionId, weight(a, d)]))])),
  );
}

/**
 * Object.is on every element of the arrays under `keys` (columns of ten values per evaluation);
 * the first difference fails with its evaluation and area.
 */
export function expectSameColumns<K extends string>(
  actual: Readonly<Record<K, ArrayLike<number>>>,
  expected: Readonly<Record<K, ArrayLike<number>>>,
  keys: readonly K[],
  label: string,
): void {
  for (const key of keys) {
    const a = actual[key], e = expected[key];
    expect(a.length, `${label} ${key} length`).toBe(e.length);
    for (let i = 0; i < e.length; i++) {
      if (!Object.is(a[i], e[i])) {
        expect.fail(`${label}: ${key}[${i}] (evaluation ${Math.floor(i / 10)}, area ${i % 10}) is ${a[i]}, JS says ${e[i]}`);
      }
    }
  }
}
