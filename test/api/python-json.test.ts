/**
 * Python's JSON through `dimensionScoresFromJson`: the text `json.dump` writes, NaN and Infinity
 * tokens included, is read; each such token is one E_NON_FINITE issue at its own path; text that
 * does not parse is one E_JSON issue that says where; `score_std: null` (None) is an absent std.
 */
import { describe, expect, it } from "vitest";
import { aggregate, dimensionScoresFromJson, jsonIssuePath, ValidationError } from "../../src/index.js";
import { shapes, thrownBy, validationErrorOf } from "../support/errors.js";
import { makePlan } from "../support/plans.js";

/** A plan in the pipeline's snake_case form, with an extra. */
const rows = makePlan((a, d) => (a * 6 + d) / 25).map(({ areaId, dimensionId, score, scoreStd }) => ({
  area_id: areaId,
  dimension_id: dimensionId,
  score,
  score_std: scoreStd,
  quality_level: "BUENO",
}));

/**
 * `json.dump(rows, f, indent=2)`: Python's indented form is JSON.stringify's with two spaces
 * (", " and ": " separators alike), except that Python writes NaN, Infinity and -Infinity
 * bare. `tokens` puts such a token in place of the numbers at the given entries and fields.
 */
function pythonDump(tokens: readonly [entry: number, field: "score" | "score_std", token: string][]): string {
  const marked = rows.map((row) => ({ ...row })) as Record<string, unknown>[];
  tokens.forEach(([entry, field], k) => (marked[entry]![field] = `@TOKEN${k}@`));
  let text = JSON.stringify(marked, null, 2);
  tokens.forEach(([, , token], k) => (text = text.replace(`"@TOKEN${k}@"`, token)));
  return text;
}

describe("dimensionScoresFromJson reads Python's JSON text", () => {
  it("one NaN: exactly one issue, E_NON_FINITE, at its path in the JSON's own names", async () => {
    const text = pythonDump([[37, "score", "NaN"]]);
    expect(text.split("\n").length).toBeGreaterThan(400);
    const error = await validationErrorOf(dimensionScoresFromJson(text));
    expect(shapes(error)).toEqual([{ code: "E_NON_FINITE", path: "[37].score" }]);
  });

  it("Infinity and -Infinity: one issue each, at their paths", async () => {
    const error = await validationErrorOf(dimensionScoresFromJson(pythonDump([[4, "score_std", "Infinity"], [50, "score", "-Infinity"]])));
    expect(shapes(error).map((issue) => ({ ...issue, path: jsonIssuePath(issue.path) }))).toEqual([
      { code: "E_NON_FINITE", path: "[4].score_std" },
      { code: "E_NON_FINITE", path: "[50].score" },
    ]);
  });

  it("text without such tokens gives what the parsed list gives", async () => {
    const text = pythonDump([]);
    const fromText = await aggregate(dimensionScoresFromJson(text));
    const fromList = await aggregate(dimensionScoresFromJson(JSON.parse(text)));
    expect(fromText.areaScores).toStrictEqual(fromList.areaScores);
  });

  it("a trailing comma: one E_JSON issue naming the line and column of the mistake", () => {
    const text = pythonDump([]).replace(/\n\]$/, ",\n]");
    const lines = text.split("\n").length;
    const error = thrownBy(() => dimensionScoresFromJson(text)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(shapes(error)).toEqual([{ code: "E_JSON", path: "" }]);
    expect(error.issues[0]!.message).toBe(`not valid JSON at line ${lines}, column 1: expected a value, found ']' (a trailing comma before it?)`);
  });

  it("score_std null (Python's None) is an absent std: the default 0", async () => {
    const nulls = rows.map((row, i) => (i % 2 === 0 ? { ...row, score_std: null } : row));
    const absent = rows.map((row, i) => {
      if (i % 2 !== 0) return row;
      const { score_std: _, ...rest } = row;
      return rest;
    });
    expect(dimensionScoresFromJson(nulls)).toStrictEqual(dimensionScoresFromJson(absent));
    const { areaScores } = await aggregate(dimensionScoresFromJson(JSON.stringify(nulls)));
    expect(areaScores).toStrictEqual((await aggregate(dimensionScoresFromJson(absent))).areaScores);
  });
});
