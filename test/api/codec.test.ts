import { describe, expect, it } from "vitest";
import { areaScoreToDict, dimensionScoresFromJson, jsonIssuePath } from "../../src/input/codec.js";
import { aggregate, AREA_IDS, DIMENSION_IDS, type Weights } from "../../src/index.js";
import { shapes, validationErrorOf } from "../support/errors.js";
import { deepFreeze } from "../support/float.js";
import { makePlan } from "../support/plans.js";

/** The Python AreaScore.to_dict() keys, in its order. */
const TO_DICT_KEYS = [
  "area_id",
  "area_name",
  "score",
  "quality_level",
  "dimension_scores",
  "validation_passed",
  "validation_details",
  "cluster_id",
  "score_std",
  "confidence_interval_95",
  "provenance_node_id",
  "aggregation_method",
];

// Distinct values per (area, dimension), so a mix-up between entries shows.
const score = (a: number, d: number) => (a * 6 + d) / 20;
const std = (a: number, d: number) => 0.01 * (1 + ((a + 2 * d) % 7));

/** The pipeline's snake_case form of `makePlan(score, std)`, with the Python's extras. */
function snakePlan(): Record<string, unknown>[] {
  return makePlan(score, std).map(({ areaId, dimensionId, score, scoreStd }, i) => ({
    area_id: areaId,
    dimension_id: dimensionId,
    score,
    score_std: scoreStd,
    quality_level: "BUENO",
    contributing_questions: [`Q${String(i + 1).padStart(3, "0")}`],
  }));
}

async function aggregateJson(list: unknown, weights?: Weights) {
  return aggregate(dimensionScoresFromJson(list), weights);
}

describe("dimensionScoresFromJson", () => {
  it("renames the four fields and keeps every extra after them, as it came", () => {
    const questions = ["Q001", "Q002"];
    const [mapped] = dimensionScoresFromJson([
      { quality_level: "BUENO", area_id: "PA01", score_std: 0.2, dimension_id: "DIM01", score: 2.5, contributing_questions: questions },
    ]) as readonly Record<string, unknown>[];
    expect(mapped).toStrictEqual({
      areaId: "PA01",
      dimensionId: "DIM01",
      score: 2.5,
      scoreStd: 0.2,
      quality_level: "BUENO",
      contributing_questions: ["Q001", "Q002"],
    });
    expect(Object.keys(mapped!)).toEqual(["areaId", "dimensionId", "score", "scoreStd", "quality_level", "contributing_questions"]);
  });

  it("leaves scoreStd absent when score_std is absent, even if a camelCase scoreStd is there", () => {
    const [mapped] = dimensionScoresFromJson([{ area_id: "PA01", dimension_id: "DIM01", score: 1, scoreStd: 9 }]) as object[];
    expect(mapped).toStrictEqual({ areaId: "PA01", dimensionId: "DIM01", score: 1 });
  });

  it("lets the snake_case field win over a stray camelCase one", () => {
    const [mapped] = dimensionScoresFromJson([{ area_id: "PA01", areaId: "PA02", dimension_id: "DIM01", score: 1 }]) as object[];
    expect(mapped).toStrictEqual({ areaId: "PA01", dimensionId: "DIM01", score: 1 });
  });

  it('keeps a JSON "__proto__" key as an ordinary field instead of setting the prototype', () => {
    const list: unknown = JSON.parse('[{"area_id":"PA01","dimension_id":"DIM01","score":1,"__proto__":{"polluted":true}}]');
    const [mapped] = dimensionScoresFromJson(list) as readonly Record<string, unknown>[];
    expect(Object.getPrototypeOf(mapped)).toBe(Object.prototype);
    expect(Object.hasOwn(mapped!, "__proto__")).toBe(true);
    expect(mapped!["polluted"]).toBeUndefined();
  });

  it("passes a non-array, and entries that are not objects, through untouched", () => {
    for (const value of [undefined, null, 5, { area_id: "PA01" }]) expect(dimensionScoresFromJson(value)).toBe(value);
    const odd = [42, null, [1], "x"];
    const mapped = dimensionScoresFromJson(odd) as unknown[];
    expect(mapped).not.toBe(odd);
    mapped.forEach((entry, i) => expect(entry).toBe(odd[i]));
  });

  it("lets validation report a non-object entry as E_TYPE at its own index", async () => {
    const plan: unknown[] = snakePlan();
    plan[7] = 42;
    plan[23] = null;
    const error = await validationErrorOf(dimensionScoresFromJson(plan));
    expect(error.code).toBe("E_TYPE");
    expect(shapes(error).filter((issue) => issue.code === "E_TYPE")).toEqual([
      { code: "E_TYPE", path: "[7]" },
      { code: "E_TYPE", path: "[23]" },
    ]);
  });

  it("lets validation report a list that is not an array as E_COUNT", async () => {
    const error = await validationErrorOf(dimensionScoresFromJson({ dimension_scores: [] }));
    expect(shapes(error)).toEqual([{ code: "E_COUNT", path: "" }]);
  });

  it("never mutates its input and shares no entry object with it", () => {
    const plan = deepFreeze(snakePlan());
    const before = structuredClone(plan);
    const mapped = dimensionScoresFromJson(plan) as object[];
    expect(plan).toStrictEqual(before);
    mapped.forEach((entry, i) => expect(entry).not.toBe(plan[i]));
  });
});

describe("jsonIssuePath", () => {
  it("names the JSON's own fields in the aggregator's issue paths", async () => {
    const plan = snakePlan();
    plan[5] = { ...plan[5], score_std: -1 };
    plan[9] = { ...plan[9], dimension_id: 7 };
    const error = await validationErrorOf(dimensionScoresFromJson(plan));
    const paths = error.issues.map((issue) => jsonIssuePath(issue.path));
    expect(paths).toContain("[5].score_std");
    expect(paths).toContain("[9].dimension_id");
  });

  it("leaves other paths alone", () => {
    for (const path of ["", "[3].score", "PA03.DIM04", "weights.PA03.DIM02", "[1].dimensionScores[3].score"]) {
      expect(jsonIssuePath(path)).toBe(path);
    }
    expect(jsonIssuePath("[1].dimensionScores[3].areaId")).toBe("[1].dimensionScores[3].area_id");
  });
});

describe("areaScoreToDict", () => {
  it("writes the Python to_dict() shape, keys in its order", async () => {
    const { areaScores } = await aggregateJson(snakePlan());
    const dicts = areaScores.map(areaScoreToDict);
    expect(dicts.map((d) => d.area_id)).toEqual([...AREA_IDS]);
    for (const dict of dicts) {
      expect(Object.keys(dict)).toEqual(TO_DICT_KEYS);
      expect(Object.keys(dict.validation_details)).toEqual(["hermeticity", "weight_source", "weight_sum"]);
      expect(dict.validation_passed).toBe(true);
      expect(dict.provenance_node_id).toBe("");
      expect(dict.aggregation_method).toBe("weighted_average");
      expect(JSON.parse(JSON.stringify(dict))).toStrictEqual(dict);
    }
  });

  it("carries the aggregation's numbers unchanged: snake_case in gives what camelCase in gives", async () => {
    const { areaScores: viaJson } = await aggregateJson(snakePlan());
    const { areaScores: direct } = await aggregate(makePlan(score, std));
    viaJson.map(areaScoreToDict).forEach((dict, a) => {
      const area = direct[a]!;
      expect(dict.area_name).toBe(area.areaName);
      expect(dict.cluster_id).toBe(area.clusterId);
      expect(dict.quality_level).toBe(area.qualityLevel);
      expect(Object.is(dict.score, area.score)).toBe(true);
      expect(Object.is(dict.score_std, area.scoreStd)).toBe(true);
      expect(dict.confidence_interval_95).toStrictEqual(area.confidenceInterval95);
      expect(dict.validation_details).toStrictEqual({ hermeticity: true, weight_source: "equal", weight_sum: 6 });
    });
  });

  it("writes each area's six inputs DIM01…DIM06 with score_std, quality_level and the extras", async () => {
    const plan = snakePlan();
    const { areaScores } = await aggregateJson(plan.slice().reverse());
    const dict = areaScoreToDict(areaScores[2]!);
    expect(dict.dimension_scores).toStrictEqual(
      DIMENSION_IDS.map((dimensionId, d) => ({
        dimension_id: dimensionId,
        area_id: "PA03",
        score: score(2, d),
        score_std: std(2, d),
        quality_level: "BUENO",
        contributing_questions: [`Q${String(12 + d + 1).padStart(3, "0")}`],
      })),
    );
    for (const entry of dict.dimension_scores) {
      expect(Object.keys(entry)).toEqual(["dimension_id", "area_id", "score", "score_std", "quality_level", "contributing_questions"]);
    }
  });

  it("writes quality_level null and score_std 0 for an entry that had neither", async () => {
    const bare = snakePlan().map(({ area_id, dimension_id, score }) => ({ area_id, dimension_id, score }));
    const { areaScores } = await aggregateJson(bare);
    const [first] = areaScoreToDict(areaScores[0]!).dimension_scores;
    expect(first).toStrictEqual({ dimension_id: "DIM01", area_id: "PA01", score: score(0, 0), score_std: 0, quality_level: null });
  });

  it("reports custom weights in snake_case", async () => {
    const weights: Weights = { PA04: { DIM01: 3, DIM02: 1, DIM03: 0, DIM04: 0, DIM05: 0, DIM06: 0 } };
    const { areaScores } = await aggregateJson(snakePlan(), weights);
    const dict = areaScoreToDict(areaScores[3]!);
    expect(dict.validation_details).toStrictEqual({ hermeticity: true, weight_source: "custom", weight_sum: 4 });
    expect(dict.score).toBe((3 * score(3, 0) + score(3, 1)) / 4);
  });

  it("gives a fresh interval array, so changing the dict leaves the AreaScore alone", async () => {
    const { areaScores } = await aggregateJson(snakePlan());
    const area = areaScores[0]!;
    const dict = areaScoreToDict(area);
    expect(dict.confidence_interval_95).not.toBe(area.confidenceInterval95);
    dict.confidence_interval_95[0] = -1;
    expect(area.confidenceInterval95[0]).not.toBe(-1);
  });
});
