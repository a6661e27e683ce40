/**
 * SPEC §3: "Input objects and arrays are never modified; outputs share no mutable state with
 * inputs or with each other." SPEC §2: fields beyond the four known ones are carried along.
 */
import { describe, expect, it } from "vitest";
import { aggregate, HighPerformanceAreaAggregator, type AggregateResult, type DimensionScore, type Weights } from "../../src/index.js";
import { makePlan } from "../support/plans.js";
import { asWeights, deepFreeze, rng, shuffled, weightsFrom } from "../support/float.js";

/** Every object (and array) reachable from `root`, including `root`. */
function objectsIn(root: unknown, seen = new Set<object>()): Set<object> {
  if (typeof root === "object" && root !== null && !seen.has(root)) {
    seen.add(root);
    for (const key of Reflect.ownKeys(root)) objectsIn((root as Record<PropertyKey, unknown>)[key], seen);
  }
  return seen;
}

function shared(a: unknown, b: unknown): object[] {
  const inA = objectsIn(a);
  return [...objectsIn(b)].filter((o) => inA.has(o));
}

/** A plan whose entries carry the pipeline's extra snake_case fields (flat values only). */
function planWithFlatExtras(): DimensionScore[] {
  return makePlan((a, d) => (a + d) / 6, () => 0.15).map((e, i) => ({
    ...e,
    quality_level: i % 2 === 0 ? "BUENO" : "ACEPTABLE",
    evidence_count: i,
    note: null,
  }));
}

/** A plan whose entries also carry nested extra fields (arrays, objects). */
function planWithNestedExtras(): DimensionScore[] {
  return makePlan((a, d) => (a + d) / 6, () => 0.15).map((e, i) => ({
    ...e,
    contributing_questions: [`Q${i}`, `Q${i + 60}`],
    provenance: { source: "phase4", page: i },
  }));
}

const weights = (): Weights => weightsFrom((a, d) => (a + d) % 3);

describe("inputs are never modified", () => {
  it("deep-frozen plan, entries and weights work, and come back unchanged", async () => {
    const plan = planWithNestedExtras();
    const w = weights();
    const planBefore = structuredClone(plan);
    const weightsBefore = structuredClone(w);
    deepFreeze(plan);
    deepFreeze(w);
    const aggregator = new HighPerformanceAreaAggregator();
    const sync = aggregator.aggregateSync(plan, w);
    const viaMethod = await aggregator.aggregate(plan, w);
    const viaFunction = await aggregate(plan, w);
    const batch = await aggregator.aggregateBatch([plan, { dimensionScores: plan, weights: w }], w);
    for (const result of [sync, viaMethod, viaFunction]) expect(result.areaScores).toHaveLength(10);
    expect(batch.areaScores).toHaveLength(2);
    expect(plan).toStrictEqual(planBefore);
    expect(w).toStrictEqual(weightsBefore);
  });

  it("non-frozen inputs are not modified either (values, keys, array order, entry identity)", () => {
    const plan = shuffled(planWithNestedExtras(), rng(11));
    const w = weights();
    const planBefore = structuredClone(plan);
    const weightsBefore = structuredClone(w);
    const entriesBefore = plan.slice();
    new HighPerformanceAreaAggregator().aggregateSync(plan, w);
    expect(plan).toStrictEqual(planBefore);
    expect(w).toStrictEqual(weightsBefore);
    expect(plan).toHaveLength(60);
    plan.forEach((entry, i) => expect(entry).toBe(entriesBefore[i]));
  });

  it("an input in non-canonical order is not reordered", () => {
    const random = rng(12);
    const aggregator = new HighPerformanceAreaAggregator();
    for (let k = 0; k < 10; k++) {
      const plan = shuffled(makePlan(), random);
      const order = plan.map((e) => `${e.areaId}.${e.dimensionId}`);
      aggregator.aggregateSync(plan);
      expect(plan.map((e) => `${e.areaId}.${e.dimensionId}`)).toEqual(order);
    }
  });

  it("a rejected input is not modified", () => {
    const plan = planWithFlatExtras();
    const bad = plan.map((e, i) => (i === 5 ? { ...e, score: NaN } : e));
    const before = structuredClone(bad);
    expect(() => new HighPerformanceAreaAggregator().aggregateSync(bad)).toThrow();
    expect(bad).toStrictEqual(before);
  });

  it("−0 in the input stays −0 in the input", () => {
    const plan = makePlan(() => -0, () => -0);
    new HighPerformanceAreaAggregator().aggregateSync(plan);
    for (const entry of plan) {
      expect(Object.is(entry.score, -0)).toBe(true);
      expect(Object.is(entry.scoreStd, -0)).toBe(true);
    }
  });
});

describe("extra fields are carried along", () => {
  it("flat extras appear unchanged in dimensionScores", () => {
    const plan = planWithFlatExtras();
    const { areaScores } = new HighPerformanceAreaAggregator().aggregateSync(plan);
    areaScores.forEach((area, a) =>
      area.dimensionScores.forEach((dim, d) => {
        expect(dim).toStrictEqual(plan[a * 6 + d]);
        expect(dim.quality_level).toBe(plan[a * 6 + d]!.quality_level);
        expect(dim.note).toBeNull();
      }),
    );
  });

  it("nested extras appear (deep-equal) in dimensionScores", () => {
    const plan = planWithNestedExtras();
    const { areaScores } = new HighPerformanceAreaAggregator().aggregateSync(plan);
    areaScores.forEach((area, a) => area.dimensionScores.forEach((dim, d) => expect(dim).toStrictEqual(plan[a * 6 + d])));
  });

  it("Date and Map extras are carried as equal values, not as the input's objects", () => {
    const plan = makePlan().map((e, i) => ({ ...e, when: new Date(i * 1000), tags: new Map([["k", [i]]]) }));
    const { areaScores } = new HighPerformanceAreaAggregator().aggregateSync(plan);
    areaScores.forEach((area, a) =>
      area.dimensionScores.forEach((dim, d) => {
        const original = plan[a * 6 + d]!;
        expect((dim.when as Date).getTime()).toBe(original.when.getTime());
        expect(dim.tags).toEqual(original.tags);
        expect(dim.when).not.toBe(original.when);
        expect(dim.tags).not.toBe(original.tags);
      }),
    );
  });

  it("an own extra field named __proto__ stays an ordinary field", () => {
    const plan = makePlan().map((e) => Object.assign(JSON.parse('{"__proto__": {"polluted": true}}') as object, e));
    const { areaScores } = new HighPerformanceAreaAggregator().aggregateSync(plan as DimensionScore[]);
    const dim = areaScores[0]!.dimensionScores[0]!;
    expect(Object.hasOwn(dim, "__proto__")).toBe(true);
    expect((dim as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("a cyclic extra field is carried without crashing and without sharing", () => {
    const plan = makePlan().map((e, i) => {
      const meta: Record<string, unknown> = { index: i };
      meta.self = meta;
      const list: unknown[] = [i];
      list.push(list);
      return { ...e, meta, list };
    });
    const { areaScores } = new HighPerformanceAreaAggregator().aggregateSync(plan);
    const dim = areaScores[2]!.dimensionScores[3]!;
    const meta = dim.meta as Record<string, unknown>;
    expect(meta.index).toBe(2 * 6 + 3);
    expect(meta).not.toBe(plan[15]!.meta);
    // The copy keeps the shape: its cycles point at the copy, not at the input.
    expect(meta.self).toBe(meta);
    const list = dim.list as unknown[];
    expect(list[0]).toBe(15);
    expect(list[1]).toBe(list);
    expect(shared(areaScores, plan)).toEqual([]);
  });

  it("an extra nested 100,000 deep is copied whole, without overflowing the stack", () => {
    const depth = 100_000;
    const root: { next?: unknown; level: number; tags: unknown[] } = { level: 0, tags: [] };
    let node = root;
    for (let level = 1; level < depth; level++) {
      const child = { level, tags: [level] };
      node.next = child;
      node = child as typeof root;
    }
    const plan = makePlan().map((e, i) => (i === 20 ? { ...e, chain: root } : e));
    const { areaScores } = new HighPerformanceAreaAggregator().aggregateSync(plan);
    // Walked with a loop and compared by hand: a recursive walk (expect's deep equality
    // included) would itself overflow.
    let copy = areaScores[3]!.dimensionScores[2]!.chain as typeof root | undefined;
    let original: typeof root | undefined = root;
    let levels = 0;
    while (copy !== undefined) {
      if (copy === original || copy.tags === original!.tags) throw new Error(`level ${levels} is the input's object`);
      if (copy.level !== levels || (levels > 0 && copy.tags[0] !== levels)) throw new Error(`level ${levels} copied as ${copy.level}`);
      levels++;
      copy = copy.next as typeof root | undefined;
      original = original!.next as typeof root | undefined;
    }
    expect(levels).toBe(depth);
  });

  it("shared parts of an extra stay shared within the copy, and are not the input's", () => {
    const shared = { k: 1 };
    const plan = makePlan().map((e) => ({ ...e, pair: [shared, { inner: shared }] }));
    const { areaScores } = new HighPerformanceAreaAggregator().aggregateSync(plan);
    const pair = areaScores[0]!.dimensionScores[0]!.pair as [object, { inner: object }];
    expect(pair[1].inner).toBe(pair[0]);
    expect(pair[0]).not.toBe(shared);
    expect(pair[0]).toStrictEqual(shared);
  });

  it("an absent scoreStd stays absent in dimensionScores (the input is carried, not normalised)", () => {
    const plan = makePlan().map(({ scoreStd: _dropped, ...rest }) => rest);
    const { areaScores } = new HighPerformanceAreaAggregator().aggregateSync(plan);
    for (const area of areaScores) for (const dim of area.dimensionScores) expect("scoreStd" in dim).toBe(false);
  });
});

describe("outputs share no object with the input", () => {
  it("each dimensionScores entry is a different object from its input entry", () => {
    const plan = planWithFlatExtras();
    const { areaScores } = new HighPerformanceAreaAggregator().aggregateSync(plan);
    const inputs = new Set<object>(plan);
    for (const area of areaScores) for (const dim of area.dimensionScores) expect(inputs.has(dim)).toBe(false);
  });

  it("no object reachable from the result is reachable from the input (flat extras)", () => {
    const plan = planWithFlatExtras();
    const w = weights();
    const result = new HighPerformanceAreaAggregator().aggregateSync(plan, w);
    expect(shared(result, { plan, w })).toEqual([]);
  });

  it("no object reachable from the result is reachable from the input (nested extras)", () => {
    const plan = planWithNestedExtras();
    const result = new HighPerformanceAreaAggregator().aggregateSync(plan);
    expect(shared(result, plan)).toEqual([]);
  });

  it("mutating a result's nested extra field does not modify the input", () => {
    const plan = planWithNestedExtras();
    const before = structuredClone(plan);
    const { areaScores } = new HighPerformanceAreaAggregator().aggregateSync(plan);
    (areaScores[0]!.dimensionScores[0]!.contributing_questions as string[]).push("injected");
    (areaScores[0]!.dimensionScores[0]!.provenance as { page: number }).page = -1;
    expect(plan).toStrictEqual(before);
  });

  it("mutating a result's dimensionScores does not modify the input", () => {
    const plan = planWithFlatExtras();
    const before = structuredClone(plan);
    const { areaScores } = new HighPerformanceAreaAggregator().aggregateSync(plan);
    const dim = areaScores[3]!.dimensionScores[2] as unknown as Record<string, unknown>;
    dim.score = 99;
    dim.areaId = "XX";
    areaScores[3]!.dimensionScores.push(areaScores[3]!.dimensionScores[0]!);
    expect(plan).toStrictEqual(before);
  });
});

describe("outputs share no object with each other", () => {
  it("two calls on the same input return distinct object graphs", async () => {
    const plan = planWithFlatExtras();
    const w = weights();
    const aggregator = new HighPerformanceAreaAggregator();
    const first = aggregator.aggregateSync(plan, w);
    const second = await aggregator.aggregate(plan, w);
    expect(first).not.toBe(second);
    expect(shared(first, second)).toEqual([]);
  });

  it("two calls on the same input with nested extras return distinct object graphs", () => {
    const plan = planWithNestedExtras();
    const aggregator = new HighPerformanceAreaAggregator();
    expect(shared(aggregator.aggregateSync(plan), aggregator.aggregateSync(plan))).toEqual([]);
  });

  it("within one result, the ten areas share nothing", () => {
    const { areaScores } = new HighPerformanceAreaAggregator().aggregateSync(planWithFlatExtras());
    for (let a = 0; a < areaScores.length; a++) {
      for (let b = a + 1; b < areaScores.length; b++) expect(shared(areaScores[a], areaScores[b])).toEqual([]);
    }
  });

  it("the evaluations of one batch share nothing, even for the same plan twice", async () => {
    const plan = planWithFlatExtras();
    const { areaScores } = await new HighPerformanceAreaAggregator().aggregateBatch([plan, plan]);
    expect(shared(areaScores[0], areaScores[1])).toEqual([]);
    expect(shared(areaScores, plan)).toEqual([]);
  });

  it("mutating one result does not affect another call's result, or later calls", () => {
    const plan = planWithFlatExtras();
    const w = weights();
    const aggregator = new HighPerformanceAreaAggregator();
    const first = aggregator.aggregateSync(plan, w);
    const second = aggregator.aggregateSync(plan, w);
    const snapshot = structuredClone(second);
    vandalise(first);
    expect(second).toStrictEqual(snapshot);
    const third = aggregator.aggregateSync(plan, w);
    expect(third.areaScores).toStrictEqual(snapshot.areaScores);
  });

  it("mutating a result does not affect the shared aggregate() function's later results", async () => {
    const plan = planWithFlatExtras();
    const first = await aggregate(plan);
    const snapshot = structuredClone(first.areaScores);
    vandalise(first);
    expect((await aggregate(plan)).areaScores).toStrictEqual(snapshot);
  });

  it("mutating a batch result does not affect a later batch", async () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const plans = [planWithFlatExtras(), makePlan()];
    const w = asWeights({ PA02: { DIM01: 3, DIM02: 0, DIM03: 1, DIM04: 1, DIM05: 1, DIM06: 1 } });
    const first = await aggregator.aggregateBatch(plans, w);
    const snapshot = structuredClone(first.areaScores);
    for (const areaScores of first.areaScores) vandalise({ areaScores, metrics: first.metrics });
    expect((await aggregator.aggregateBatch(plans, w)).areaScores).toStrictEqual(snapshot);
  });
});

/** Writes over every mutable part of a result. */
function vandalise(result: AggregateResult): void {
  for (const area of result.areaScores) {
    area.score = 99;
    area.scoreStd = -1;
    area.confidenceInterval95[0] = 42;
    area.confidenceInterval95[1] = 43;
    area.qualityLevel = "INSUFICIENTE";
    area.areaName = "vandalised";
    (area.validationDetails as { weightSum: number }).weightSum = 0;
    (area.dimensionScores[0] as unknown as Record<string, unknown>).score = 7;
    area.dimensionScores.reverse();
    area.dimensionScores.pop();
  }
  result.areaScores.reverse();
  result.metrics.evaluations = 1000;
}
