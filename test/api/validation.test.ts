/**
 * SPEC §3: every bad input is rejected with a ValidationError carrying a stable code and every
 * problem found, each with a path. Exercised through the public API only.
 */
import { describe, expect, it } from "vitest";
import {
  aggregate,
  HighPerformanceAreaAggregator,
  MAX_ISSUES,
  MAX_STD,
  MAX_WEIGHT,
  MIN_WEIGHT,
  ValidationError,
  type DimensionScore,
  type Weights,
} from "../../src/index.js";
import { makePlan, six, withEntry } from "../support/plans.js";
import { asWeights, nextDown, nextUp } from "../support/float.js";
import { asValidationError, rejectionOf, shapes, thrownBy, validationErrorOf } from "../support/errors.js";

const plan = makePlan((a, d) => ((a + d) % 4) * 0.75, () => 0.2);
/** Index of (area a, dimension d) in a canonical plan. */
const at = (a: number, d: number): number => a * 6 + d;
const PA03_DIM04 = at(2, 3); // 15

/** The plan with one field of entry `i` replaced (or deleted when `value` is `DELETE`). */
const DELETE = Symbol("delete");
function withField(i: number, field: string, value: unknown): DimensionScore[] {
  const entry: Record<string, unknown> = { ...plan[i]! };
  if (value === DELETE) delete entry[field];
  else entry[field] = value;
  return withEntry(plan, i, entry);
}

describe("valid input is accepted (controls for the rejections below)", () => {
  it("the canonical plan, with and without weights, aggregates", async () => {
    const aggregator = new HighPerformanceAreaAggregator();
    expect(aggregator.aggregateSync(plan).areaScores).toHaveLength(10);
    expect((await aggregate(plan, { PA03: six(2) })).areaScores).toHaveLength(10);
  });

  it.each([
    ["score 0", "score", 0],
    ["score -0", "score", -0],
    ["score 3", "score", 3],
    ["score 5e-324", "score", 5e-324],
    ["std 0", "scoreStd", 0],
    ["std -0", "scoreStd", -0],
    ["std MAX_STD (1e50)", "scoreStd", MAX_STD],
    ["std absent", "scoreStd", DELETE],
  ])("boundary value accepted: %s", (_name, field, value) => {
    const result = new HighPerformanceAreaAggregator().aggregateSync(withField(7, field, value));
    expect(result.areaScores).toHaveLength(10);
  });

  it("weights of zero on some dimensions, -0 weights, and weights of MIN_WEIGHT and MAX_WEIGHT are accepted", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const weights = asWeights({
      PA01: { DIM01: 0, DIM02: 0, DIM03: 0, DIM04: 0, DIM05: 0, DIM06: 1 },
      PA02: { DIM01: -0, DIM02: 1, DIM03: -0, DIM04: 0, DIM05: 2, DIM06: 0 },
      PA03: six(MAX_WEIGHT),
      PA04: { ...six(0), DIM03: MIN_WEIGHT },
      PA05: { ...six(MIN_WEIGHT), DIM06: MAX_WEIGHT },
    });
    const { areaScores } = aggregator.aggregateSync(plan, weights);
    for (const area of areaScores) expect(Number.isFinite(area.score)).toBe(true);
  });
});

describe("E_COUNT: not an array, or not 60 entries (path \"\")", () => {
  it.each([
    ["a string", "PA01"],
    ["null", null],
    ["undefined", undefined],
    ["a number", 60],
    ["a plain object", { 0: plan[0], length: 60 }],
    ["a Float64Array", new Float64Array(60)],
    ["a Set", new Set(plan)],
  ])("%s", async (_name, input) => {
    const error = await validationErrorOf(input);
    expect(error.code).toBe("E_COUNT");
    expect(error.issues[0]).toMatchObject({ code: "E_COUNT", path: "" });
  });

  it("an empty array", async () => {
    const error = await validationErrorOf([]);
    expect(error.code).toBe("E_COUNT");
    expect(error.issues[0]).toMatchObject({ code: "E_COUNT", path: "" });
  });

  it("59 entries: E_COUNT, and the missing pair is named too", async () => {
    const error = await validationErrorOf(plan.slice(0, 59));
    expect(error.code).toBe("E_COUNT");
    expect(shapes(error)).toEqual([
      { code: "E_COUNT", path: "" },
      { code: "E_HERMETICITY", path: "PA10.DIM06" },
    ]);
  });

  it("61 entries: E_COUNT, and the duplicate is named at its index", async () => {
    const error = await validationErrorOf([...plan, { ...plan[0]! }]);
    expect(error.code).toBe("E_COUNT");
    expect(shapes(error)).toEqual([
      { code: "E_COUNT", path: "" },
      { code: "E_HERMETICITY", path: "[60]" },
    ]);
    expect(error.issues[1]!.message).toContain("Hermeticity violation for PA01: duplicate DIM01");
  });
});

describe("E_TYPE: an entry that is not an object (path [i])", () => {
  it.each([
    ["a number", 42],
    ["null", null],
    ["undefined", undefined],
    ["a string", "PA02.DIM02"],
    ["an array", ["PA02", "DIM02", 1.5]],
    ["a boolean", true],
  ])("%s", async (_name, entry) => {
    const error = await validationErrorOf(withEntry(plan, 7, entry));
    expect(error.code).toBe("E_TYPE");
    // Entry 7 held PA02.DIM02, which is now missing.
    expect(shapes(error)).toEqual([
      { code: "E_TYPE", path: "[7]" },
      { code: "E_HERMETICITY", path: "PA02.DIM02" },
    ]);
  });

  it("a sparse array (holes are not objects)", async () => {
    const sparse = plan.slice();
    delete sparse[4];
    const error = await validationErrorOf(sparse);
    expect(error.code).toBe("E_TYPE");
    expect(error.issues[0]).toMatchObject({ code: "E_TYPE", path: "[4]" });
  });
});

describe("E_UNKNOWN_ID: unknown ids and look-alikes", () => {
  const areaLookAlikes: [string, string][] = [
    ["Cyrillic Р and А", "\u0420\u0410" + "01"],
    ["Cyrillic А only", "P\u0410" + "01"],
    ["fullwidth digits", "PA\uff10\uff11"],
    ["fullwidth letters and digits", "\uff30\uff21\uff10\uff11"],
    ["trailing NUL", "PA01\u0000"],
    ["path traversal", "../PA01"],
    ["__proto__", "__proto__"],
    ["constructor", "constructor"],
    ["lower case", "pa01"],
    ["no leading zero", "PA1"],
    ["PA00", "PA00"],
    ["PA11", "PA11"],
    ["leading space", " PA01"],
    ["trailing space", "PA01 "],
    ["zero-width space", "PA\u200b01"],
    ["empty string", ""],
  ];
  it.each(areaLookAlikes)("areaId: %s", async (_name, id) => {
    const error = await validationErrorOf(withField(0, "areaId", id));
    expect(error.code).toBe("E_UNKNOWN_ID");
    expect(shapes(error)).toEqual([
      { code: "E_UNKNOWN_ID", path: "[0].areaId" },
      { code: "E_HERMETICITY", path: "PA01.DIM01" },
    ]);
  });

  const dimensionLookAlikes: [string, string][] = [
    ["Greek Ι and Μ", "D\u0399\u039c" + "01"],
    ["fullwidth", "\uff24\uff29\uff2d\uff10\uff11"],
    ["trailing NUL", "DIM01\u0000"],
    ["path traversal", "../DIM01"],
    ["__proto__", "__proto__"],
    ["lower case", "dim01"],
    ["no leading zero", "DIM1"],
    ["DIM07", "DIM07"],
    ["DIM00", "DIM00"],
  ];
  it.each(dimensionLookAlikes)("dimensionId: %s", async (_name, id) => {
    const error = await validationErrorOf(withField(at(4, 2), "dimensionId", id));
    expect(error.code).toBe("E_UNKNOWN_ID");
    expect(shapes(error)).toEqual([
      { code: "E_UNKNOWN_ID", path: `[${at(4, 2)}].dimensionId` },
      { code: "E_HERMETICITY", path: "PA05.DIM03" },
    ]);
  });

  it("the message quotes the offending id", async () => {
    const error = await validationErrorOf(withField(0, "areaId", "pa01"));
    expect(error.issues[0]!.message).toContain("pa01");
  });
});

describe("E_TYPE: an id that is not a string", () => {
  it.each([
    ["a number", 1],
    ["null", null],
    ["absent", DELETE],
    ["a String object", new String("PA01")],
    ["an array", ["PA01"]],
    ["a symbol", Symbol("PA01")],
  ])("areaId %s", async (_name, value) => {
    const error = await validationErrorOf(withField(0, "areaId", value));
    expect(error.code).toBe("E_TYPE");
    expect(error.issues[0]).toMatchObject({ code: "E_TYPE", path: "[0].areaId" });
  });

  it.each([
    ["a number", 1],
    ["null", null],
    ["absent", DELETE],
  ])("dimensionId %s", async (_name, value) => {
    const error = await validationErrorOf(withField(9, "dimensionId", value));
    expect(error.code).toBe("E_TYPE");
    expect(error.issues[0]).toMatchObject({ code: "E_TYPE", path: "[9].dimensionId" });
  });
});

describe("E_HERMETICITY: duplicate and missing pairs", () => {
  it("a duplicate pair is reported at the duplicate's index, and the displaced pair as missing", async () => {
    const duplicate = { ...plan[at(2, 0)]! }; // PA03.DIM01
    const error = await validationErrorOf(withEntry(plan, PA03_DIM04, duplicate));
    expect(error.code).toBe("E_HERMETICITY");
    expect(shapes(error)).toEqual([
      { code: "E_HERMETICITY", path: `[${PA03_DIM04}]` },
      { code: "E_HERMETICITY", path: "PA03.DIM04" },
    ]);
    expect(error.issues[0]!.message).toContain("Hermeticity violation for PA03: duplicate DIM01");
    expect(error.issues[1]!.message).toContain("Hermeticity violation for PA03: missing DIM04");
    expect(error.message).toContain("Hermeticity violation for PA03: duplicate DIM01");
    expect(error.message).toContain("Hermeticity violation for PA03: missing DIM04");
  });

  it("the later of two equal pairs is the duplicate, whatever the input order", async () => {
    const reversed = plan.slice().reverse();
    // In reverse order PA03.DIM01 sits at 60-1-12 = 47; put a second one at index 0.
    const error = await validationErrorOf(withEntry(reversed, 0, { ...plan[at(2, 0)]! }));
    const duplicate = error.issues.find((i) => i.message.includes("duplicate"));
    expect(duplicate).toMatchObject({ code: "E_HERMETICITY", path: "[47]" });
    expect(duplicate!.message).toContain("Hermeticity violation for PA03: duplicate DIM01");
  });

  it("a missing pair (59 entries) names the area and dimension, path AREA.DIM", async () => {
    const missing = plan.filter((_, i) => i !== PA03_DIM04);
    const error = await validationErrorOf(missing);
    const issue = error.issues.find((i) => i.code === "E_HERMETICITY");
    expect(issue).toBeDefined();
    expect(issue!.path).toBe("PA03.DIM04");
    expect(issue!.message).toContain("Hermeticity violation for PA03: missing DIM04");
    expect(error.message).toContain("Hermeticity violation for PA03: missing DIM04");
  });

  it("a missing pair with 60 entries (one id unknown) is E_UNKNOWN_ID then E_HERMETICITY", async () => {
    const error = await validationErrorOf(withField(PA03_DIM04, "dimensionId", "DIM4"));
    expect(shapes(error)).toEqual([
      { code: "E_UNKNOWN_ID", path: `[${PA03_DIM04}].dimensionId` },
      { code: "E_HERMETICITY", path: "PA03.DIM04" },
    ]);
    expect(error.issues[1]!.message).toContain("Hermeticity violation for PA03: missing DIM04");
  });

  it("a whole area missing lists its six dimensions", async () => {
    const withoutPA07 = plan.filter((e) => e.areaId !== "PA07");
    const error = await validationErrorOf([...withoutPA07, ...plan.filter((e) => e.areaId === "PA08").map((e) => ({ ...e }))]);
    const missing = error.issues.filter((i) => i.message.includes("missing")).map((i) => i.path);
    expect(missing).toEqual(["PA07.DIM01", "PA07.DIM02", "PA07.DIM03", "PA07.DIM04", "PA07.DIM05", "PA07.DIM06"]);
    const duplicates = error.issues.filter((i) => i.message.includes("duplicate"));
    expect(duplicates).toHaveLength(6);
    for (const d of duplicates) expect(d.message).toContain("Hermeticity violation for PA08: duplicate DIM0");
  });
});

describe("E_TYPE: a score or std that is not a number", () => {
  const notNumbers: [string, unknown][] = [
    ['the string "2"', "2"],
    ["null", null],
    ["a bigint", 2n],
    ["a boolean", true],
    ["an object", { valueOf: () => 2 }],
    ["a Number object", new Number(2)],
    ["an array", [2]],
  ];
  it.each(notNumbers)("score %s", async (_name, value) => {
    const error = await validationErrorOf(withField(17, "score", value));
    expect(error.code).toBe("E_TYPE");
    expect(shapes(error)).toEqual([{ code: "E_TYPE", path: "[17].score" }]);
  });

  it("score absent", async () => {
    const error = await validationErrorOf(withField(17, "score", DELETE));
    expect(shapes(error)).toEqual([{ code: "E_TYPE", path: "[17].score" }]);
  });

  it.each(notNumbers)("scoreStd %s", async (_name, value) => {
    const error = await validationErrorOf(withField(23, "scoreStd", value));
    expect(error.code).toBe("E_TYPE");
    expect(shapes(error)).toEqual([{ code: "E_TYPE", path: "[23].scoreStd" }]);
  });
});

describe("E_NON_FINITE: NaN and ±Infinity", () => {
  it.each([
    ["NaN", NaN],
    ["Infinity", Infinity],
    ["-Infinity", -Infinity],
  ])("score %s", async (_name, value) => {
    const error = await validationErrorOf(withField(31, "score", value));
    expect(error.code).toBe("E_NON_FINITE");
    expect(shapes(error)).toEqual([{ code: "E_NON_FINITE", path: "[31].score" }]);
  });

  it.each([
    ["NaN", NaN],
    ["Infinity", Infinity],
    ["-Infinity", -Infinity],
  ])("scoreStd %s", async (_name, value) => {
    const error = await validationErrorOf(withField(31, "scoreStd", value));
    expect(error.code).toBe("E_NON_FINITE");
    expect(shapes(error)).toEqual([{ code: "E_NON_FINITE", path: "[31].scoreStd" }]);
  });

  it("a NaN score is never EXCELENTE (the Python clamps it to 3.0): every NaN is rejected", async () => {
    const allNaN = makePlan(() => NaN, () => 0);
    const error = await validationErrorOf(allNaN);
    expect(error.code).toBe("E_NON_FINITE");
    expect(error.issues).toHaveLength(60);
    expect(error.issues.every((i) => i.code === "E_NON_FINITE")).toBe(true);
    // One NaN among valid threes — the area would be EXCELENTE if NaN were clamped to 3.
    const oneNaN = makePlan((a, d) => (a === 0 && d === 0 ? NaN : 3), () => 0);
    const aggregator = new HighPerformanceAreaAggregator();
    let result: unknown;
    try {
      result = aggregator.aggregateSync(oneNaN);
    } catch (caught) {
      expect(caught).toBeInstanceOf(ValidationError);
    }
    expect(result).toBeUndefined();
  });
});

describe("E_RANGE: a score outside [0, 3], a negative std", () => {
  it.each([
    ["-1", -1],
    ["-1e-9", -1e-9],
    ["-Number.MIN_VALUE", -Number.MIN_VALUE],
    ["the double just above 3", nextUp(3)],
    ["3.5", 3.5],
    ["1e308", 1e308],
  ])("score %s", async (_name, value) => {
    const error = await validationErrorOf(withField(42, "score", value));
    expect(error.code).toBe("E_RANGE");
    expect(shapes(error)).toEqual([{ code: "E_RANGE", path: "[42].score" }]);
  });

  it.each([
    ["-1", -1],
    ["-1e-9", -1e-9],
    ["-Number.MIN_VALUE", -Number.MIN_VALUE],
    ["just above MAX_STD (1e50)", nextUp(MAX_STD)],
    ["1e300", 1e300],
    ["Number.MAX_VALUE", Number.MAX_VALUE],
  ])("scoreStd %s", async (_name, value) => {
    const error = await validationErrorOf(withField(42, "scoreStd", value));
    expect(error.code).toBe("E_RANGE");
    expect(shapes(error)).toEqual([{ code: "E_RANGE", path: "[42].scoreStd" }]);
  });
});

describe("E_WEIGHTS", () => {
  const run = (weights: unknown) => validationErrorOf(plan, weights);

  it.each([
    ["a number", 5],
    ["a string", "equal"],
    ["a boolean", true],
    ["an array", [six()]],
  ])("weights that are not an object: %s (path weights)", async (_name, weights) => {
    const error = await run(weights);
    expect(error.code).toBe("E_WEIGHTS");
    expect(shapes(error)).toEqual([{ code: "E_WEIGHTS", path: "weights" }]);
  });

  it.each([
    ["PA11", { PA11: six() }, 'weights["PA11"]'],
    ["Cyrillic look-alike", { ["\u0420\u0410" + "01"]: six() }, `weights[${JSON.stringify("\u0420\u0410" + "01")}]`],
    ["lower case", { pa03: six() }, 'weights["pa03"]'],
    ["__proto__ as an own key", JSON.parse(`{"__proto__": ${JSON.stringify(six())}}`) as unknown, 'weights["__proto__"]'],
  ])("an unknown area key: %s", async (_name, weights, path) => {
    const error = await run(weights);
    expect(error.code).toBe("E_WEIGHTS");
    expect(shapes(error)).toEqual([{ code: "E_WEIGHTS", path }]);
  });

  it("an unknown dimension key next to the six known ones", async () => {
    const error = await run({ PA03: { ...six(), DIM07: 1 } });
    expect(shapes(error)).toEqual([{ code: "E_WEIGHTS", path: 'weights.PA03["DIM07"]' }]);
  });

  it("an unknown dimension key in place of a known one: unknown key and too few dimensions", async () => {
    const { DIM06: _dropped, ...five } = six();
    const error = await run({ PA03: { ...five, DIM07: 1 } });
    expect(error.code).toBe("E_WEIGHTS");
    expect(shapes(error)).toEqual(
      expect.arrayContaining([
        { code: "E_WEIGHTS", path: 'weights.PA03["DIM07"]' },
        { code: "E_WEIGHTS", path: "weights.PA03" },
      ]),
    );
    expect(error.issues).toHaveLength(2);
  });

  it("an area naming fewer than six dimensions (path weights.PA03)", async () => {
    const { DIM04: _dropped, ...five } = six();
    const error = await run({ PA03: five });
    expect(shapes(error)).toEqual([{ code: "E_WEIGHTS", path: "weights.PA03" }]);
    expect(error.issues[0]!.message).toContain("DIM04");
  });

  it.each([
    ["an empty object", {}],
    ["null", null],
    ["a number", 1],
    ["an array of six", [1, 1, 1, 1, 1, 1]],
  ])("an area's weights that are %s (path weights.PA03)", async (_name, area) => {
    const error = await run({ PA03: area });
    expect(error.code).toBe("E_WEIGHTS");
    expect(error.issues[0]).toMatchObject({ code: "E_WEIGHTS", path: "weights.PA03" });
  });

  it.each([
    ["NaN", NaN],
    ["negative", -1],
    ["-Number.MIN_VALUE", -Number.MIN_VALUE],
    ["a string", "1"],
    ["Infinity", Infinity],
    ["-Infinity", -Infinity],
    ["null", null],
    ["a bigint", 1n],
  ])("a weight that is %s (path weights.PA03.DIM02)", async (_name, w) => {
    const error = await run({ PA03: { ...six(), DIM02: w } });
    expect(error.code).toBe("E_WEIGHTS");
    expect(shapes(error)).toEqual([{ code: "E_WEIGHTS", path: "weights.PA03.DIM02" }]);
  });

  it.each([
    ["zeros", six(0)],
    ["negative zeros", six(-0)],
    ["zeros and negative zeros", { DIM01: 0, DIM02: -0, DIM03: 0, DIM04: -0, DIM05: 0, DIM06: -0 }],
  ])("an area whose weights sum to 0: %s (path weights.PA03)", async (_name, area) => {
    const error = await run({ PA03: area });
    expect(shapes(error)).toEqual([{ code: "E_WEIGHTS", path: "weights.PA03" }]);
  });

  it.each([
    ["Number.MAX_VALUE", Number.MAX_VALUE],
    ["1e300", 1e300],
    ["just above MAX_WEIGHT (1e50)", nextUp(MAX_WEIGHT)],
    ["just below MIN_WEIGHT (1e-50)", nextDown(MIN_WEIGHT)],
    ["1e-300", 1e-300],
    ["the subnormal 5e-324", 5e-324],
  ])("a weight that is neither 0 nor within [MIN_WEIGHT, MAX_WEIGHT]: %s (path weights.PA03.DIM01)", async (_name, w) => {
    const error = await run({ PA03: { ...six(0), DIM01: w, DIM06: 1 } });
    expect(shapes(error)).toEqual([{ code: "E_WEIGHTS", path: "weights.PA03.DIM01" }]);
    expect(error.issues[0]!.message).toContain(`[${MIN_WEIGHT}, ${MAX_WEIGHT}]`);
  });

  it("problems in several areas are all listed", async () => {
    const error = await run({ PA01: six(0), PA03: { ...six(), DIM02: NaN }, PA12: six() });
    expect(error.code).toBe("E_WEIGHTS");
    expect(shapes(error)).toEqual(
      expect.arrayContaining([
        { code: "E_WEIGHTS", path: "weights.PA01" },
        { code: "E_WEIGHTS", path: "weights.PA03.DIM02" },
        { code: "E_WEIGHTS", path: 'weights["PA12"]' },
      ]),
    );
    expect(error.issues).toHaveLength(3);
  });
});

describe("the ValidationError itself", () => {
  it("is an Error named ValidationError with code = the first issue's code", async () => {
    const error = await validationErrorOf(withField(3, "score", NaN));
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.name).toBe("ValidationError");
    expect(error.code).toBe(error.issues[0]!.code);
    expect(typeof error.message).toBe("string");
    expect(error.truncated).toBe(false);
  });

  it("lists every problem: three independent problems give three issues", async () => {
    let bad = withField(0, "score", 5);
    bad = withEntry(bad, 10, { ...bad[10]!, scoreStd: "x" });
    const weights = asWeights({ PA03: { ...six(), DIM02: -1 } });
    const error = await validationErrorOf(bad, weights);
    expect(error.issues).toHaveLength(3);
    expect(shapes(error)).toEqual(
      expect.arrayContaining([
        { code: "E_RANGE", path: "[0].score" },
        { code: "E_TYPE", path: "[10].scoreStd" },
        { code: "E_WEIGHTS", path: "weights.PA03.DIM02" },
      ]),
    );
    expect(error.code).toBe(error.issues[0]!.code);
    // The first problem in the input comes first.
    expect(error.code).toBe("E_RANGE");
  });

  it("lists problems of different kinds in different entries", async () => {
    let bad = withField(5, "score", NaN);
    bad = withEntry(bad, 6, { ...bad[6]!, scoreStd: -2 });
    bad = withEntry(bad, 8, { ...bad[8]!, score: "1" });
    const error = await validationErrorOf(bad);
    expect(shapes(error)).toEqual([
      { code: "E_NON_FINITE", path: "[5].score" },
      { code: "E_RANGE", path: "[6].scoreStd" },
      { code: "E_TYPE", path: "[8].score" },
    ]);
    expect(error.code).toBe("E_NON_FINITE");
  });

  it("one entry with several problems gets one issue per field", async () => {
    const error = await validationErrorOf(withEntry(plan, 2, { areaId: "PA1", dimensionId: 3, score: -1, scoreStd: NaN }));
    expect(shapes(error)).toEqual(
      expect.arrayContaining([
        { code: "E_UNKNOWN_ID", path: "[2].areaId" },
        { code: "E_TYPE", path: "[2].dimensionId" },
        { code: "E_RANGE", path: "[2].score" },
        { code: "E_NON_FINITE", path: "[2].scoreStd" },
        { code: "E_HERMETICITY", path: "PA01.DIM03" },
      ]),
    );
    expect(error.issues).toHaveLength(5);
  });

  it("the message names the first issues in words (path and description)", async () => {
    let bad = withField(12, "score", 7);
    bad = withEntry(bad, 13, { ...bad[13]!, dimensionId: "DIM9" });
    const error = await validationErrorOf(bad);
    const [first, second] = error.issues;
    expect(error.message).toContain("[12].score");
    expect(error.message).toContain(first!.message);
    expect(error.message).toContain("[13].dimensionId");
    expect(error.message).toContain(second!.message);
    expect(error.message).toContain("DIM9");
  });

  it(`caps the list at MAX_ISSUES (${MAX_ISSUES}): 200 bad entries`, async () => {
    const bad = Array.from({ length: 200 }, () => 0);
    const error = await validationErrorOf(bad);
    expect(error.issues).toHaveLength(MAX_ISSUES);
    expect(error.truncated).toBe(true);
  });

  it("caps the list at MAX_ISSUES: 60 entries with three problems each", async () => {
    const bad = plan.map((e) => ({ ...e, score: NaN, scoreStd: -1, dimensionId: "DIM0" }));
    const error = await validationErrorOf(bad);
    expect(error.issues).toHaveLength(MAX_ISSUES);
    expect(error.truncated).toBe(true);
  });

  it("caps the list at MAX_ISSUES: 60 entries with two problems each (120 problems)", async () => {
    const bad = plan.map((e) => ({ ...e, score: NaN, scoreStd: -1 }));
    const error = await validationErrorOf(bad);
    expect(error.issues).toHaveLength(MAX_ISSUES);
    expect(error.truncated).toBe(true);
  });

  it("is not truncated when every problem fits", async () => {
    const bad = plan.map((e, i) => (i < 10 ? { ...e, score: -1 } : e));
    const error = await validationErrorOf(bad);
    expect(error.issues).toHaveLength(10);
    expect(error.truncated).toBe(false);
  });
});

describe("throwing versus rejecting", () => {
  const bad = withField(3, "score", NaN);

  it("aggregate (function) returns a promise that rejects; it does not throw synchronously", async () => {
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = aggregate(bad);
    }).not.toThrow();
    expect(promise).toBeInstanceOf(Promise);
    const error = asValidationError(await rejectionOf(promise!));
    expect(error.code).toBe("E_NON_FINITE");
  });

  it("HighPerformanceAreaAggregator#aggregate rejects; it does not throw synchronously", async () => {
    const aggregator = new HighPerformanceAreaAggregator();
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = aggregator.aggregate(bad);
    }).not.toThrow();
    const error = asValidationError(await rejectionOf(promise!));
    expect(shapes(error)).toEqual([{ code: "E_NON_FINITE", path: "[3].score" }]);
  });

  it("HighPerformanceAreaAggregator#aggregateSync throws synchronously", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const error = asValidationError(thrownBy(() => aggregator.aggregateSync(bad)));
    expect(shapes(error)).toEqual([{ code: "E_NON_FINITE", path: "[3].score" }]);
  });

  it("bad weights reject too", async () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const weights: Weights = asWeights({ PA02: six(0) });
    const error = asValidationError(await rejectionOf(aggregator.aggregate(plan, weights)));
    expect(shapes(error)).toEqual([{ code: "E_WEIGHTS", path: "weights.PA02" }]);
  });
});
