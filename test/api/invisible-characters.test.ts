/**
 * Characters that do not show: the CLI skips only lines of JSON whitespace (space, tab, CR); a
 * line of no-break spaces, vertical tabs or form feeds is reported, not dropped in silence. And
 * no message copies a control or invisible character from the input raw (a NUL, a bidirectional
 * override): it is written as a `\uXXXX` escape, in the API's errors and on the CLI's stderr.
 */
import { describe, expect, it, vi } from "vitest";
import { aggregate, dimensionScoresFromJson, type DimensionScore } from "../../src/index.js";
import { rejectionOf, thrownBy } from "../support/errors.js";
import { CLI_TIMEOUTS, ndjsonResults, runCli, snakePlan } from "../support/cli.js";
import { makePlan } from "../support/plans.js";

vi.setConfig(CLI_TIMEOUTS);

/** Controls (C0, DEL, C1), no-break and zero-width spaces, bidi controls, separators, BOM. */
const RAW_INVISIBLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u00a0\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;

const planLine = JSON.stringify(snakePlan(makePlan()));

describe("the CLI on lines of invisible characters", () => {
  it("skips lines of JSON whitespace; reports lines of NBSP, VT, FF or NUL (E_JSON), escaped; writes every plan", () => {
    const lines = [planLine, "\u00a0", planLine, "\u000b", "\u000c", "\u0000", " \t \r", planLine, '{"a":\u202e1}'];
    const { status, stdout, stderr } = runCli(["--format", "ndjson"], `${lines.join("\n")}\n`);
    expect(status).toBe(1);
    expect(ndjsonResults(stdout).map((r) => r.line)).toEqual([1, 3, 8]);
    expect(stderr.split("\n").filter(Boolean)).toEqual([
      "line 2: not valid JSON at column 1: expected a value, found '\\u00a0' (E_JSON)",
      "line 4: not valid JSON at column 1: expected a value, found '\\u000b' (E_JSON)",
      "line 5: not valid JSON at column 1: expected a value, found '\\u000c' (E_JSON)",
      "line 6: not valid JSON at column 1: expected a value, found '\\u0000' (E_JSON)",
      "line 9: not valid JSON at column 6: expected a value, found '\\u202e' (E_JSON)",
    ]);
    expect(stderr).not.toMatch(RAW_INVISIBLE);
  });
});

describe("messages of the API", () => {
  it("a NUL in JSON text, and ids with a NUL or a bidi override, are escaped in the message", async () => {
    const json = thrownBy(() => dimensionScoresFromJson('[{"area_id": "PA01"}, \u0000]')) as Error;
    expect(json.message).toContain("found '\\u0000'");
    const plan: DimensionScore[] = makePlan();
    // Ids no type allows: the run-time check is what is tested.
    plan[0] = { ...plan[0]!, areaId: "PA\u202e10" as DimensionScore["areaId"] };
    plan[1] = { ...plan[1]!, dimensionId: "DIM\u000002" as DimensionScore["dimensionId"] };
    const ids = (await rejectionOf(aggregate(plan))) as Error;
    expect(ids.message).toContain("PA\\u202e10");
    for (const message of [json.message, ids.message]) expect(message).not.toMatch(RAW_INVISIBLE);
  });
});
