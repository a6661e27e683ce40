/**
 * `aggregateBatch`: many plans in one call, bit-identical to one call per plan, with shared and
 * per-evaluation weights, and one ValidationError whose paths say which evaluation was bad.
 */
import { describe, expect, it } from "vitest";
import { HighPerformanceAreaAggregator, MAX_BATCH_EVALUATIONS, MAX_ISSUES, type DimensionScore, type Evaluation, type Weights } from "../../src/index.js";
import { makePlan, six, withEntry } from "../support/plans.js";
import { asWeights, expectIdenticalBits, expectMatchesReference, referencePlan, rng, shuffled } from "../support/float.js";
import { asValidationError, rejectionOf, shapes } from "../support/errors.js";

const aggregator = new HighPerformanceAreaAggregator();

function randomPlan(random: () => number): DimensionScore[] {
  return makePlan(
    () => (random() < 0.1 ? [0, 3, -0, 1.65, 2.1, 2.55][Math.floor(random() * 6)]! : random() * 3),
    () => (random() < 0.2 ? 0 : random() * 2),
  );
}

function randomWeights(random: () => number): Weights {
  const table: Record<string, Record<string, number>> = {};
  for (let a = 0; a < 10; a++) {
    if (random() < 0.4) continue;
    const row = Object.fromEntries(["DIM01", "DIM02", "DIM03", "DIM04", "DIM05", "DIM06"].map((d) => [d, random() < 0.25 ? 0 : random() * 5]));
    row.DIM06 = (row.DIM06 ?? 0) + 0.5;
    table[`PA${String(a + 1).padStart(2, "0")}`] = row;
  }
  return asWeights(table);
}

const good = makePlan();

describe("aggregateBatch equals per-plan aggregateSync, bit for bit", () => {
  it("300 random plans, equal weights", async () => {
    const random = rng(21);
    const plans = Array.from({ length: 300 }, () => randomPlan(random));
    const batch = await aggregator.aggregateBatch(plans);
    expect(batch.areaScores).toHaveLength(plans.length);
    plans.forEach((plan, e) => {
      expectIdenticalBits(batch.areaScores[e], aggregator.aggregateSync(plan).areaScores, `[${e}]`);
      expectMatchesReference(batch.areaScores[e]!, referencePlan(plan));
    });
  });

  it("300 random plans in random entry order, shared random weights", async () => {
    const random = rng(22);
    const weights = randomWeights(random);
    const plans = Array.from({ length: 300 }, () => shuffled(randomPlan(random), random));
    const batch = await aggregator.aggregateBatch(plans, weights);
    plans.forEach((plan, e) => {
      expectIdenticalBits(batch.areaScores[e], aggregator.aggregateSync(plan, weights).areaScores, `[${e}]`);
      expectMatchesReference(batch.areaScores[e]!, referencePlan(plan, weights));
    });
  });

  it("200 random plans, each with its own random weights", async () => {
    const random = rng(23);
    const items = Array.from({ length: 200 }, (): Evaluation => ({ dimensionScores: randomPlan(random), weights: randomWeights(random) }));
    const batch = await aggregator.aggregateBatch(items);
    items.forEach((item, e) => {
      expectIdenticalBits(batch.areaScores[e], aggregator.aggregateSync(item.dimensionScores, item.weights).areaScores, `[${e}]`);
      expectMatchesReference(batch.areaScores[e]!, referencePlan(item.dimensionScores, item.weights));
    });
  });

  it("the same result whatever the batch size around a plan", async () => {
    const random = rng(24);
    const plans = Array.from({ length: 64 }, () => randomPlan(random));
    const whole = await aggregator.aggregateBatch(plans);
    for (const size of [1, 3, 17]) {
      for (let start = 0; start < plans.length; start += size) {
        const part = await aggregator.aggregateBatch(plans.slice(start, start + size));
        part.areaScores.forEach((areas, k) => expectIdenticalBits(areas, whole.areaScores[start + k], `size ${size} [${start + k}]`));
      }
    }
  });
});

describe("shared and per-evaluation weights", () => {
  it("plain plans use the shared weights; items with their own weights use those (own weights win)", async () => {
    const random = rng(25);
    const shared = asWeights({ PA01: { ...six(), DIM01: 5 }, PA05: { ...six(0), DIM02: 1 } });
    const own = asWeights({ PA01: { ...six(0), DIM06: 2 }, PA10: { ...six(), DIM03: 0 } });
    const plans = Array.from({ length: 5 }, () => randomPlan(random));
    const evaluations = [
      plans[0]!,
      { dimensionScores: plans[1]!, weights: own },
      { dimensionScores: plans[2]! },
      plans[3]!,
      { dimensionScores: plans[4]!, weights: undefined },
    ];
    const effective = [shared, own, shared, shared, shared];
    const batch = await aggregator.aggregateBatch(evaluations, shared);
    plans.forEach((plan, e) => {
      expectMatchesReference(batch.areaScores[e]!, referencePlan(plan, effective[e]));
      expectIdenticalBits(batch.areaScores[e], aggregator.aggregateSync(plan, effective[e]).areaScores, `[${e}]`);
    });
    expect(batch.areaScores[1]![0]!.validationDetails.weightSum).toBe(2);
    expect(batch.areaScores[0]![0]!.validationDetails.weightSum).toBe(10);
    expect(batch.areaScores[1]![4]!.validationDetails.weightSource).toBe("equal");
    expect(batch.areaScores[0]![4]!.validationDetails.weightSource).toBe("custom");
  });

  it("own weights apply even with no shared weights", async () => {
    const own = asWeights({ PA02: { ...six(0), DIM04: 1 } });
    const plan = makePlan((a, d) => (a === 1 && d === 3 ? 2.75 : 1), () => 0);
    const batch = await aggregator.aggregateBatch([plan, { dimensionScores: plan, weights: own }]);
    expect(batch.areaScores[0]![1]!.score).toBe((2.75 + 5) / 6);
    expect(batch.areaScores[1]![1]!.score).toBe(2.75);
  });
});

describe("edge cases", () => {
  it("an empty batch resolves to no area scores", async () => {
    const batch = await aggregator.aggregateBatch([]);
    expect(batch.areaScores).toEqual([]);
    expect(batch.metrics.evaluations).toBe(0);
  });

  it("an empty batch with shared weights resolves too", async () => {
    const batch = await aggregator.aggregateBatch([], asWeights({ PA03: six(2) }));
    expect(batch.areaScores).toEqual([]);
  });

  it("results come back in input order", async () => {
    const plans = [0, 1, 2, 3].map((k) => makePlan(() => k * 0.75, () => 0));
    const batch = await aggregator.aggregateBatch(plans);
    expect(batch.areaScores.map((areas) => areas[0]!.score)).toEqual([0, 0.75, 1.5, 2.25]);
  });

  it("aggregateBatch returns a promise, also for bad input", () => {
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = aggregator.aggregateBatch("plans" as unknown as DimensionScore[][]);
    }).not.toThrow();
    expect(promise).toBeInstanceOf(Promise);
    return promise!.then(
      () => {
        throw new Error("expected a rejection");
      },
      () => undefined,
    );
  });
});

describe("bad input in a batch", () => {
  const badScore = withEntry(good, 5, { ...good[5]!, score: NaN });

  it.each([
    ["a string", "plans"],
    ["null", null],
    ["an object", { 0: good, length: 1 }],
    ["a number", 3],
  ])("not an array (%s) rejects with E_COUNT, path \"\"", async (_name, input) => {
    const error = asValidationError(await rejectionOf(aggregator.aggregateBatch(input as unknown as DimensionScore[][])));
    expect(error.code).toBe("E_COUNT");
    expect(error.issues[0]).toMatchObject({ code: "E_COUNT", path: "" });
  });

  it("a bad plan is reported with paths prefixed [e]", async () => {
    const error = asValidationError(await rejectionOf(aggregator.aggregateBatch([good, badScore, good])));
    expect(shapes(error)).toEqual([{ code: "E_NON_FINITE", path: "[1][5].score" }]);
  });

  it("a bad plan given as { dimensionScores } is reported under [e].dimensionScores", async () => {
    const error = asValidationError(await rejectionOf(aggregator.aggregateBatch([good, good, { dimensionScores: badScore }])));
    expect(shapes(error)).toEqual([{ code: "E_NON_FINITE", path: "[2].dimensionScores[5].score" }]);
  });

  it("bad own weights are reported under [e].weights", async () => {
    const weights = asWeights({ PA03: { ...six(), DIM02: -1 } });
    const error = asValidationError(await rejectionOf(aggregator.aggregateBatch([good, { dimensionScores: good, weights }])));
    expect(shapes(error)).toEqual([{ code: "E_WEIGHTS", path: "[1].weights.PA03.DIM02" }]);
  });

  it("bad shared weights are reported under weights", async () => {
    const error = asValidationError(await rejectionOf(aggregator.aggregateBatch([good, good], asWeights({ PA03: six(0) }))));
    expect(shapes(error)).toEqual([{ code: "E_WEIGHTS", path: "weights.PA03" }]);
  });

  it("a plan of 59 entries is E_COUNT at [e], its missing pair at [e].AREA.DIM", async () => {
    const error = asValidationError(await rejectionOf(aggregator.aggregateBatch([good, good, good.slice(0, 59)])));
    expect(error.code).toBe("E_COUNT");
    expect(shapes(error)).toEqual([
      { code: "E_COUNT", path: "[2]" },
      { code: "E_HERMETICITY", path: "[2].PA10.DIM06" },
    ]);
  });

  it("{ dimensionScores } that is not an array is E_COUNT at [e].dimensionScores", async () => {
    const error = asValidationError(
      await rejectionOf(aggregator.aggregateBatch([good, { dimensionScores: "x" as unknown as DimensionScore[] }])),
    );
    expect(shapes(error)).toEqual([{ code: "E_COUNT", path: "[1].dimensionScores" }]);
  });

  it("an item that is neither a plan nor an evaluation is E_TYPE at [e]", async () => {
    const error = asValidationError(await rejectionOf(aggregator.aggregateBatch([good, 42 as unknown as DimensionScore[]])));
    expect(shapes(error)).toEqual([{ code: "E_TYPE", path: "[1]" }]);
  });

  it("a duplicate pair in one plan names that plan", async () => {
    const duplicate = withEntry(good, 15, { ...good[12]! });
    const error = asValidationError(await rejectionOf(aggregator.aggregateBatch([good, duplicate])));
    expect(shapes(error)).toEqual([
      { code: "E_HERMETICITY", path: "[1][15]" },
      { code: "E_HERMETICITY", path: "[1].PA03.DIM04" },
    ]);
    expect(error.message).toContain("Hermeticity violation for PA03: duplicate DIM01");
  });

  it("every bad plan is listed, not only the first", async () => {
    const weights = asWeights({ PA01: { ...six(), DIM01: NaN } });
    const error = asValidationError(
      await rejectionOf(
        aggregator.aggregateBatch([
          badScore,
          good,
          { dimensionScores: withEntry(good, 0, { ...good[0]!, scoreStd: -1 }) },
          { dimensionScores: good, weights },
        ]),
      ),
    );
    expect(shapes(error)).toEqual(
      expect.arrayContaining([
        { code: "E_NON_FINITE", path: "[0][5].score" },
        { code: "E_RANGE", path: "[2].dimensionScores[0].scoreStd" },
        { code: "E_WEIGHTS", path: "[3].weights.PA01.DIM01" },
      ]),
    );
    expect(error.issues).toHaveLength(3);
    expect(error.code).toBe(error.issues[0]!.code);
  });
});

describe("batch size limits", () => {
  it("MAX_BATCH_EVALUATIONS is one million", () => {
    expect(MAX_BATCH_EVALUATIONS).toBe(1_000_000);
  });

  it.each([
    ["new Array(1e8) (once a raw RangeError from the typed arrays)", 1e8],
    ["one more than MAX_BATCH_EVALUATIONS", MAX_BATCH_EVALUATIONS + 1],
  ])("%s: E_COUNT at \"\", refused before reading an item", async (_name, n) => {
    const error = asValidationError(await rejectionOf(aggregator.aggregateBatch(new Array(n))));
    expect(shapes(error)).toEqual([{ code: "E_COUNT", path: "" }]);
    expect(error.message).toContain("1,000,000");
  });

  it("a million holes: E_TYPE for the first ones, the list capped, and no plan is packed", async () => {
    const error = asValidationError(await rejectionOf(aggregator.aggregateBatch(new Array(MAX_BATCH_EVALUATIONS))));
    expect(error.issues).toHaveLength(MAX_ISSUES);
    expect(error.truncated).toBe(true);
    expect(error.issues.slice(0, 3).map((i) => [i.code, i.path])).toEqual([
      ["E_TYPE", "[0]"],
      ["E_TYPE", "[1]"],
      ["E_TYPE", "[2]"],
    ]);
  });

  it("a hole among good plans is reported, and so are the problems of the other plans", async () => {
    const badScore = withEntry(good, 5, { ...good[5]!, score: NaN });
    const batch: (DimensionScore[] | undefined)[] = [good, undefined, badScore];
    const error = asValidationError(await rejectionOf(aggregator.aggregateBatch(batch as DimensionScore[][])));
    expect(shapes(error)).toEqual([
      { code: "E_TYPE", path: "[1]" },
      { code: "E_NON_FINITE", path: "[2][5].score" },
    ]);
  });
});
