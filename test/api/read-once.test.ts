/**
 * SPEC §3, "What counts as the caller's data": an entry's own `areaId`, `dimensionId`, `score`,
 * `scoreStd` and a weights object's own keys, each read once; that one read is what is
 * validated, computed with, keyed in the cache and copied into the output. Getters and Proxies
 * that answer differently on a second read, that throw, or that empty the array change nothing
 * or end in a coded ValidationError.
 */
import { afterEach, describe, expect, it } from "vitest";
import { aggregate, HighPerformanceAreaAggregator, type DimensionScore, type Weights } from "../../src/index.js";
import { makePlan, six, withEntry } from "../support/plans.js";
import { expectIdenticalBits, expectMatchesReference, referencePlan } from "../support/float.js";
import { asValidationError, rejectionOf, shapes, thrownBy } from "../support/errors.js";

/** PA01: 3 then five 1.5s (equal weights: 1.75; DIM01 weighted 5: 2.25); every other area 1.5. */
const plan = makePlan((a, d) => (a === 0 && d === 0 ? 3 : 1.5), () => 0.1);

/** `entry` with `field` turned into an enumerable getter answering `answers` in turn, and a read counter. */
function withGetter(entry: object, field: string, answers: readonly unknown[]): { entry: DimensionScore; reads: () => number } {
  let reads = 0;
  const copy = { ...entry };
  Object.defineProperty(copy, field, {
    enumerable: true,
    get: () => answers[Math.min(reads++, answers.length - 1)],
  });
  return { entry: copy as DimensionScore, reads: () => reads };
}

describe("a getter that answers differently on a second read changes nothing", () => {
  it("weights whose PA01.DIM01 reads 1 then 5 cannot poison the shared aggregate()'s cache (item 3)", async () => {
    let reads = 0;
    const sly = { PA01: { ...six(), DIM02: 1 } } as Record<string, Record<string, number>>;
    Object.defineProperty(sly.PA01, "DIM01", { enumerable: true, get: () => (reads++ === 0 ? 1 : 5) });
    const first = await aggregate(plan, sly as Weights);
    expect(reads).toBe(1);
    expect(first.areaScores[0]!.score).toBe(1.75);
    // A later caller with plain equal weights gets the equal-weights answer, not 2.25.
    const later = await aggregate(plan, { PA01: six() });
    expect(later.areaScores[0]!.score).toBe(1.75);
    expect(later.metrics.cacheHits).toBeGreaterThanOrEqual(1);
    expectMatchesReference(later.areaScores, referencePlan(plan, { PA01: six() }));
  });

  it("each own weight getter runs exactly once per call, cache on or off", () => {
    for (const enableCaching of [true, false]) {
      const aggregator = new HighPerformanceAreaAggregator({ enableCaching });
      const counts = new Map<string, number>();
      const area: Record<string, number> = {};
      for (const d of ["DIM01", "DIM02", "DIM03", "DIM04", "DIM05", "DIM06"]) {
        Object.defineProperty(area, d, {
          enumerable: true,
          get: () => {
            counts.set(d, (counts.get(d) ?? 0) + 1);
            return 2;
          },
        });
      }
      for (let call = 1; call <= 3; call++) {
        aggregator.aggregateSync(plan, { PA04: area } as Weights);
        expect([...counts.values()], `caching ${enableCaching}, call ${call}`).toEqual(Array(6).fill(call));
      }
    }
  });

  it("a score that reads 2 then NaN: the area is computed from 2 and dimensionScores carries 2 (item 4)", () => {
    const { entry, reads } = withGetter(plan[0]!, "score", [2, NaN]);
    const { areaScores } = new HighPerformanceAreaAggregator().aggregateSync(withEntry(plan, 0, entry));
    expect(reads()).toBe(1);
    expect(areaScores[0]!.dimensionScores[0]!.score).toBe(2);
    const asRead = withEntry(plan, 0, { ...plan[0]!, score: 2 });
    expectMatchesReference(areaScores, referencePlan(asRead));
  });

  it("an areaId that reads PA01 then PA10 stays in PA01, and PA10 holds only its own six (item 4)", () => {
    const { entry, reads } = withGetter(plan[0]!, "areaId", ["PA01", "PA10"]);
    const { areaScores } = new HighPerformanceAreaAggregator().aggregateSync(withEntry(plan, 0, entry));
    expect(reads()).toBe(1);
    expect(areaScores[0]!.dimensionScores.map((x) => x.areaId)).toEqual(Array(6).fill("PA01"));
    expect(areaScores[9]!.dimensionScores.map((x) => x.areaId)).toEqual(Array(6).fill("PA10"));
    expectMatchesReference(areaScores, referencePlan(plan));
  });

  it("each of the four known fields is read exactly once per call, in aggregateSync, aggregate and aggregateBatch", async () => {
    const aggregator = new HighPerformanceAreaAggregator();
    for (const field of ["areaId", "dimensionId", "score", "scoreStd"] as const) {
      const { entry, reads } = withGetter(plan[7]!, field, [plan[7]![field]]);
      const sly = withEntry(plan, 7, entry);
      aggregator.aggregateSync(sly);
      expect(reads(), `${field}, aggregateSync`).toBe(1);
      await aggregator.aggregate(sly);
      expect(reads(), `${field}, aggregate`).toBe(2);
      await aggregator.aggregateBatch([sly, { dimensionScores: sly }]);
      expect(reads(), `${field}, aggregateBatch`).toBe(4);
    }
  });

  it("an extra field's getter is read once, when it is copied", () => {
    const { entry, reads } = withGetter({ ...plan[3]!, note: "x" }, "note", ["first", "second"]);
    const { areaScores } = new HighPerformanceAreaAggregator().aggregateSync(withEntry(plan, 3, entry));
    expect(reads()).toBe(1);
    expect(areaScores[0]!.dimensionScores[3]!.note).toBe("first");
  });

  it("a batch item's dimensionScores and weights are read once each", async () => {
    let planReads = 0;
    let weightReads = 0;
    const item = {};
    Object.defineProperty(item, "dimensionScores", { enumerable: true, get: () => (planReads++, plan) });
    Object.defineProperty(item, "weights", { enumerable: true, get: () => (weightReads++, { PA01: six(2) }) });
    const { areaScores } = await new HighPerformanceAreaAggregator().aggregateBatch([item as { dimensionScores: DimensionScore[] }]);
    expect([planReads, weightReads]).toEqual([1, 1]);
    expectMatchesReference(areaScores[0]!, referencePlan(plan, { PA01: six(2) }));
  });
});

describe("a Proxy is asked once per property, whatever trap asks", () => {
  /** A Proxy over `target` that tells the truth to the first trap call per key and `later` after. */
  function answersOnce(target: Record<string, unknown>, later: unknown): { proxy: object; asked: () => number } {
    const seen = new Set<string | symbol>();
    let asked = 0;
    const first = (key: string | symbol) => {
      asked++;
      const isFirst = !seen.has(key);
      seen.add(key);
      return isFirst;
    };
    const proxy = new Proxy(target, {
      get: (t, key, receiver) => (first(key) ? Reflect.get(t, key, receiver) : later),
      getOwnPropertyDescriptor: (t, key) => {
        const truth = Reflect.getOwnPropertyDescriptor(t, key);
        return first(key) || truth === undefined ? truth : { ...truth, value: later };
      },
    });
    return { proxy, asked: () => asked };
  }

  it("weights areas behind a Proxy are validated as first answered: an unknown DIM07 stays an issue (found by npm run fuzz)", () => {
    // Enumerating, an own check and a read are three trap calls on a Proxy; a later answer of six
    // valid weights must not replace what the first answer named.
    const { proxy, asked } = answersOnce({ PA05: { DIM01: 1, DIM02: 1, DIM03: 1, DIM04: 1, DIM05: 1, DIM07: 1 } }, six());
    const error = asValidationError(thrownBy(() => new HighPerformanceAreaAggregator().aggregateSync(plan, proxy as Weights)));
    expect(error.issues.map((i) => [i.code, i.path])).toEqual([
      ["E_WEIGHTS", 'weights.PA05["DIM07"]'],
      ["E_WEIGHTS", "weights.PA05"],
    ]);
    expect(asked()).toBe(1);
  });

  it("an entry behind a Proxy is read as first answered", () => {
    const { proxy } = answersOnce({ ...plan[0]! }, 0.5);
    const { areaScores } = new HighPerformanceAreaAggregator().aggregateSync(withEntry(plan, 0, proxy));
    expect(areaScores[0]!.dimensionScores[0]!.score).toBe(3);
    expect(areaScores[0]!.score).toBe(1.75);
  });
});

describe("a getter that empties the array", () => {
  it("after every element was read (on the last entry's score): the snapshot is aggregated (item 4)", () => {
    const sly = plan.slice();
    const entry = { ...plan[59]! };
    Object.defineProperty(entry, "score", { enumerable: true, get: () => ((sly.length = 0), 1.5) });
    sly[59] = entry;
    const { areaScores } = new HighPerformanceAreaAggregator().aggregateSync(sly);
    expect(sly).toHaveLength(0);
    expectMatchesReference(areaScores, referencePlan(plan));
  });

  it("before the other elements were read (on the first entry's score): a ValidationError naming the missing entries", () => {
    const sly = plan.slice();
    const entry = { ...plan[0]! };
    Object.defineProperty(entry, "score", { enumerable: true, get: () => ((sly.length = 0), 3) });
    sly[0] = entry;
    const error = asValidationError(thrownBy(() => new HighPerformanceAreaAggregator().aggregateSync(sly)));
    expect(error.code).toBe("E_TYPE");
    expect(error.issues[0]).toMatchObject({ code: "E_TYPE", path: "[1]" });
    expect(error.issues[0]!.message).toContain("missing");
  });
});

describe("a getter or Proxy trap that throws ends in a coded ValidationError naming what was read", () => {
  const boom = () => {
    throw new TypeError("boom");
  };

  it.each([
    ["areaId", "[17].areaId"],
    ["dimensionId", "[17].dimensionId"],
    ["score", "[17].score"],
    ["scoreStd", "[17].scoreStd"],
  ])("a throwing %s getter: E_TYPE at %s", async (field, path) => {
    const entry = { ...plan[17]! };
    Object.defineProperty(entry, field, { enumerable: true, get: boom });
    const sly = withEntry(plan, 17, entry);
    for (const error of [
      thrownBy(() => new HighPerformanceAreaAggregator().aggregateSync(sly)),
      await rejectionOf(aggregate(sly)),
      await rejectionOf(new HighPerformanceAreaAggregator().aggregateBatch([plan, sly])),
    ]) {
      const issue = asValidationError(error).issues.find((i) => i.path.endsWith(path));
      expect(issue, String(error)).toMatchObject({ code: "E_TYPE" });
      expect(issue!.message).toContain("threw TypeError: boom");
    }
  });

  it("a throwing extra-field getter: E_TYPE at [i].field, when it is copied", () => {
    const entry = { ...plan[4]! };
    Object.defineProperty(entry, "provenance", { enumerable: true, get: boom });
    const error = asValidationError(thrownBy(() => new HighPerformanceAreaAggregator().aggregateSync(withEntry(plan, 4, entry))));
    expect(shapes(error)).toEqual([{ code: "E_TYPE", path: "[4].provenance" }]);
    expect(error.issues[0]!.message).toContain("boom");
  });

  it("an entry Proxy whose get trap throws, and a revoked Proxy: E_TYPE at the entry", () => {
    const trapped = new Proxy({ ...plan[2]! }, { get: boom });
    const revocable = Proxy.revocable({ ...plan[3]! }, {});
    revocable.revoke();
    const sly = withEntry(withEntry(plan, 2, trapped), 3, revocable.proxy);
    const error = asValidationError(thrownBy(() => new HighPerformanceAreaAggregator().aggregateSync(sly)));
    expect(error.issues.filter((i) => i.path.startsWith("[2]") || i.path.startsWith("[3]")).map((i) => i.code)).toEqual(["E_TYPE", "E_TYPE"]);
  });

  it("a plan Proxy whose length trap throws: E_COUNT at the plan", () => {
    const sly = new Proxy(plan.slice(), { get: (target, key) => (key === "length" ? boom() : Reflect.get(target, key)) });
    const error = asValidationError(thrownBy(() => new HighPerformanceAreaAggregator().aggregateSync(sly)));
    expect(shapes(error)).toEqual([{ code: "E_COUNT", path: "" }]);
    expect(error.message).toContain("boom");
  });

  it("a batch Proxy whose length trap throws, and an item getter that throws", async () => {
    const batch = new Proxy([plan], { get: (target, key) => (key === "length" ? boom() : Reflect.get(target, key)) });
    const aggregator = new HighPerformanceAreaAggregator();
    expect(shapes(asValidationError(await rejectionOf(aggregator.aggregateBatch(batch))))).toEqual([{ code: "E_COUNT", path: "" }]);
    const item = {};
    Object.defineProperty(item, "dimensionScores", { enumerable: true, get: boom });
    const error = asValidationError(await rejectionOf(aggregator.aggregateBatch([plan, item as { dimensionScores: DimensionScore[] }])));
    expect(shapes(error)).toEqual([{ code: "E_TYPE", path: "[1].dimensionScores" }]);
  });

  it("weights: a throwing weight getter and a Proxy whose ownKeys trap throws: E_WEIGHTS at what was read", () => {
    const area: Record<string, number> = { ...six() };
    Object.defineProperty(area, "DIM03", { enumerable: true, get: boom });
    const aggregator = new HighPerformanceAreaAggregator();
    const byGetter = asValidationError(thrownBy(() => aggregator.aggregateSync(plan, { PA02: area } as Weights)));
    expect(shapes(byGetter)).toEqual([{ code: "E_WEIGHTS", path: "weights.PA02.DIM03" }]);
    const keysTrap = new Proxy({ PA02: six() }, { ownKeys: boom });
    const byTrap = asValidationError(thrownBy(() => aggregator.aggregateSync(plan, keysTrap as Weights)));
    expect(shapes(byTrap)).toEqual([{ code: "E_WEIGHTS", path: "weights" }]);
    expect(byTrap.message).toContain("boom");
  });
});

describe("inherited properties are not data (item 5)", () => {
  afterEach(() => {
    for (const key of ["scoreStd", "areaId", "score", "DIM06", "PA01"]) delete (Object.prototype as Record<string, unknown>)[key];
  });

  it("Object.prototype.scoreStd = 2.5 leaves the std of entries without their own at 0", () => {
    const bare = plan.map(({ scoreStd: _dropped, ...rest }) => rest);
    const aggregator = new HighPerformanceAreaAggregator();
    const clean = aggregator.aggregateSync(bare).areaScores;
    (Object.prototype as Record<string, unknown>).scoreStd = 2.5;
    const polluted = aggregator.aggregateSync(bare).areaScores;
    expectIdenticalBits(polluted, clean);
    for (const area of polluted) {
      expect(area.scoreStd).toBe(0);
      for (const dim of area.dimensionScores) expect(Object.hasOwn(dim, "scoreStd")).toBe(false);
    }
  });

  it("Object.prototype.areaId does not fill in a missing areaId", () => {
    const { areaId: _dropped, ...noArea } = plan[0]!;
    (Object.prototype as Record<string, unknown>).areaId = "PA01";
    const error = asValidationError(thrownBy(() => new HighPerformanceAreaAggregator().aggregateSync(withEntry(plan, 0, noArea))));
    expect(error.issues[0]).toMatchObject({ code: "E_TYPE", path: "[0].areaId" });
  });

  it("a non-enumerable Object.prototype.score does not fill in a missing score", () => {
    const { score: _dropped, ...noScore } = plan[5]!;
    Object.defineProperty(Object.prototype, "score", { value: 1, configurable: true, writable: true });
    const error = asValidationError(thrownBy(() => new HighPerformanceAreaAggregator().aggregateSync(withEntry(plan, 5, noScore))));
    expect(shapes(error)).toEqual([{ code: "E_TYPE", path: "[5].score" }]);
  });

  it("an entry whose prototype supplies the fields (a class instance) is read for its own fields only", () => {
    class Inherited {
      get score(): number {
        return 1.5;
      }
    }
    const { score: _dropped, ...own } = plan[6]!;
    const entry = Object.assign(new Inherited(), own);
    const error = asValidationError(thrownBy(() => new HighPerformanceAreaAggregator().aggregateSync(withEntry(plan, 6, entry))));
    expect(shapes(error)).toEqual([{ code: "E_TYPE", path: "[6].score" }]);
  });

  it("a getter that pollutes Object.prototype halfway through the plan is refused, not half-trusted", () => {
    const bare = plan.map(({ scoreStd: _dropped, ...rest }) => rest);
    const entry = { ...bare[10]! };
    Object.defineProperty(entry, "score", {
      enumerable: true,
      get: () => (((Object.prototype as Record<string, unknown>).scoreStd = 2.5), 1.5),
    });
    const error = asValidationError(thrownBy(() => new HighPerformanceAreaAggregator().aggregateSync(withEntry(bare, 10, entry))));
    expect(shapes(error)).toEqual([{ code: "E_TYPE", path: "" }]);
  });

  it("weights: a prototype's dimension weight or area is not named by the caller", () => {
    (Object.prototype as Record<string, unknown>).DIM06 = 1;
    const { DIM06: _dropped, ...five } = six();
    const aggregator = new HighPerformanceAreaAggregator();
    const error = asValidationError(thrownBy(() => aggregator.aggregateSync(plan, { PA03: five } as Weights)));
    expect(shapes(error)).toEqual([{ code: "E_WEIGHTS", path: "weights.PA03" }]);
    delete (Object.prototype as Record<string, unknown>).DIM06;
    (Object.prototype as Record<string, unknown>).PA01 = six(9);
    const { areaScores } = aggregator.aggregateSync(plan, {});
    expect(areaScores[0]!.validationDetails.weightSource).toBe("equal");
    expect(areaScores[0]!.score).toBe(1.75);
  });
});
