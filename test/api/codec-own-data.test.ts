/**
 * The codec reads caller data as SPEC §3 says (own elements and fields only, each read once) and
 * the objects it builds own their fields: a polluted prototype supplies no field, swallows none
 * through a setter, and makes no assignment throw, on the list path and on the JSON-text path
 * (the text below has a NaN token, so it takes the package's own reader, not JSON.parse).
 */
import { afterEach, describe, expect, it } from "vitest";
import { aggregate, areaScoreToDict, dimensionScoresFromJson, type DimensionScore } from "../../src/index.js";
import { makePlan } from "../support/plans.js";

/** A plan as the pipeline's JSON has it, without score_std (so it defaults to 0) and with an extra. */
const rows = makePlan((a, d) => ((a * 6 + d) % 13) / 4).map(({ areaId, dimensionId, score }) => ({ area_id: areaId, dimension_id: dimensionId, score, quality_level: "BUENO" }));
/** The same as Python's json.dump text, with one score a bare NaN token. */
const nanText = JSON.stringify(rows.map((row, i) => (i === 7 ? { ...row, score: "@NAN@" } : row))).replace('"@NAN@"', "NaN");

let restore: (() => void) | undefined;

function pollute(target: object, key: PropertyKey, descriptor: PropertyDescriptor): void {
  Object.defineProperty(target, key, { configurable: true, ...descriptor });
  const previous = restore;
  restore = () => {
    delete (target as Record<PropertyKey, unknown>)[key];
    previous?.();
  };
}

afterEach(() => {
  restore?.();
  restore = undefined;
});

const ownFields = (entry: object) => Object.fromEntries(Object.entries(entry));

describe("dimensionScoresFromJson under a polluted prototype", () => {
  it("an inherited score_std is not the entry's std: no field, and the same results", async () => {
    const expected = (await aggregate(dimensionScoresFromJson(rows))).areaScores.map((a) => [a.score, a.scoreStd, a.confidenceInterval95]);
    pollute(Object.prototype, "score_std", { value: 1.5, writable: true });
    const read = dimensionScoresFromJson(rows);
    const results = (await aggregate(read)).areaScores.map((a) => [a.score, a.scoreStd, a.confidenceInterval95]);
    restore!();
    expect(read.every((entry) => !Object.hasOwn(entry, "scoreStd"))).toBe(true);
    expect(results).toEqual(expected);
  });

  it("an inherited setter for an extra field swallows nothing: every object built owns its field", () => {
    const swallowed: unknown[] = [];
    pollute(Object.prototype, "quality_level", { set: (value: unknown) => swallowed.push(value), get: () => undefined });
    const read = dimensionScoresFromJson(rows);
    const fromText = dimensionScoresFromJson(nanText);
    restore!();
    expect(swallowed).toEqual([]);
    for (const entry of [...read, ...fromText]) expect(Object.getOwnPropertyDescriptor(entry, "quality_level")?.value).toBe("BUENO");
  });

  it("a read-only inherited score makes no assignment throw: the JSON-text path reads the text's scores", () => {
    pollute(Object.prototype, "score", { value: 0, writable: false });
    let fromText: DimensionScore[] | undefined;
    let error: unknown;
    try {
      fromText = dimensionScoresFromJson(nanText);
    } catch (e) {
      error = e;
    }
    restore!();
    expect(error).toBeUndefined();
    expect(fromText!.map((entry) => ownFields(entry)["score"])).toEqual(rows.map((row, i) => (i === 7 ? Number.NaN : row.score)));
  });

  it("an element only Array.prototype has is not an entry; a field only Object.prototype has is not read", () => {
    const holey = rows.slice();
    delete holey[3];
    pollute(Array.prototype, 3, { value: rows[3], writable: true });
    pollute(Object.prototype, "area_id", { value: "PA01", writable: true });
    const read = dimensionScoresFromJson(holey);
    const bare = dimensionScoresFromJson([{ dimension_id: "DIM01", score: 1 }]);
    restore!();
    expect(Object.hasOwn(read, 3) ? read[3] : undefined).toBeUndefined();
    expect(ownFields(bare[0]!)["areaId"]).toBeUndefined();
  });
});

describe("areaScoreToDict under a polluted prototype", () => {
  it("an inherited quality_level is not the entry's: the dict says null, and owns its fields", async () => {
    const { areaScores } = await aggregate(makePlan());
    pollute(Object.prototype, "quality_level", { value: "EXCELENTE", writable: true });
    pollute(Object.prototype, "extra", { set: () => {}, get: () => undefined });
    const dicts = areaScores.map((area) => areaScoreToDict({ ...area, dimensionScores: area.dimensionScores.map((d) => ({ ...d, extra: 1 })) }));
    restore!();
    for (const dimension of dicts.flatMap((dict) => dict.dimension_scores)) {
      expect(ownFields(dimension)["quality_level"]).toBeNull();
      expect(ownFields(dimension)["extra"]).toBe(1);
    }
  });
});
