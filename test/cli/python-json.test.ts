/**
 * The CLI reads Python's JSON: `json.dump(rows, f, indent=2)` with a NaN is one document with
 * one issue at the NaN's path, not a stream of "not valid JSON" lines; a pretty-printed
 * document with a trailing comma is one error with its line and column; NDJSON lines written
 * by `json.dumps` may carry NaN too; `score_std: null` (None) means no std.
 */
import { describe, expect, it, vi } from "vitest";
import { CLI_TIMEOUTS, libraryDicts, ndjsonResults, plan, runCli, withEntry } from "../support/cli.js";

vi.setConfig(CLI_TIMEOUTS);

/** Python's indented dump: JSON.stringify's with two spaces, but NaN written bare (see test/api/python-json.test.ts). */
function pythonDump(list: unknown, indent?: number): string {
  return JSON.stringify(list, (_key, value: unknown) => (Number.isNaN(value) ? "@NaN@" : value), indent).replaceAll('"@NaN@"', "NaN");
}

describe("Python's JSON on the CLI", () => {
  it("a pretty-printed plan with one NaN: exactly one issue, naming its path and code", () => {
    const text = pythonDump(withEntry(plan, 37, { score: NaN }), 2);
    const { status, stdout, stderr } = runCli([], text);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^input: rejected, 1 issue:\n {2}\[37\]\.score: [^\n]*\(E_NON_FINITE\)\n$/);
    expect(status).toBe(1);
  });

  it("a pretty-printed plan with a trailing comma: one error with its line and column", () => {
    const text = `${JSON.stringify(plan, null, 2).replace(/\n\]$/, ",\n]")}\n`;
    const lines = text.trimEnd().split("\n").length;
    const { status, stdout, stderr } = runCli([], text);
    expect(stdout).toBe("");
    expect(stderr).toBe(`input: not valid JSON at line ${lines}, column 1: expected a value, found ']' (a trailing comma before it?) (E_JSON)\n`);
    expect(status).toBe(1);
  });

  it("NDJSON from json.dumps: a line with a NaN is reported with its one issue, the others written", async () => {
    const input = [plan, withEntry(plan, 5, { score_std: NaN }), plan].map((list) => pythonDump(list)).join("\n");
    const { status, stdout, stderr } = runCli([], input);
    expect(stderr).toMatch(/^line 2: rejected, 1 issue:\n {2}\[5\]\.score_std: [^\n]*\(E_NON_FINITE\)\n$/);
    expect(status).toBe(1);
    const results = ndjsonResults(stdout);
    expect(results.map((r) => r.line)).toEqual([1, 3]);
    for (const result of results) expect(result.area_scores).toStrictEqual(await libraryDicts(plan));
  });

  it("score_std null is a std of 0, as if absent", async () => {
    const { status, stdout } = runCli(["--format", "json"], JSON.stringify(withEntry(plan, 3, { score_std: null })));
    expect(status).toBe(0);
    const { score_std: _, ...withoutStd } = plan[3]!;
    const expected = await libraryDicts([...plan.slice(0, 3), withoutStd, ...plan.slice(4)]);
    expect(JSON.parse(stdout)).toStrictEqual(expected);
  });
});
