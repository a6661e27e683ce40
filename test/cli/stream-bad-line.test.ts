/**
 * A bad line in the middle of a streamed NDJSON input: the lines around it, in other chunks and
 * in its own, are still aggregated and written in input order; it is reported by its number.
 */
import { describe, expect, it, vi } from "vitest";
import { CLI_TIMEOUTS, libraryDicts, ndjsonResults, randomSnakePlans, runCli, scratchFiles } from "../support/cli.js";

vi.setConfig(CLI_TIMEOUTS);

const scratch = scratchFiles();
const CHUNK = 8;
const plans = randomSnakePlans(40, 11);
/** Line 21 (chunk 3, position 5) has a score out of range; line 30 is blank. */
const BAD_LINE = 21;
const lines = plans.map((plan) => JSON.stringify({ dimension_scores: plan }));
lines[BAD_LINE - 1] = JSON.stringify({ dimension_scores: plans[BAD_LINE - 1]!.map((e, i) => (i === 7 ? { ...e, score: 3.25 } : e)) });
lines.splice(29, 0, "");
const file = scratch.write("bad-middle.ndjson", `${lines.join("\n")}\n`);
/** Line numbers of the plans, past the blank line 30. */
const lineOf = (p: number) => (p < 29 ? p + 1 : p + 2);

describe("a bad line in a streamed NDJSON input", () => {
  it("writes every good line before and after it, in order, reports its number and exits 1", async () => {
    const { status, stdout, stderr } = runCli([file, "--chunk-size", String(CHUNK)]);
    expect(status).toBe(1);
    const results = ndjsonResults(stdout);
    const good = plans.map((_, p) => p).filter((p) => p !== BAD_LINE - 1);
    expect(results.map((r) => r.line)).toEqual(good.map(lineOf));
    for (const [k, p] of good.entries()) expect(results[k]!.area_scores).toStrictEqual(await libraryDicts(plans[p]));
    expect(stderr).toMatch(new RegExp(`^line ${BAD_LINE}: rejected, 1 issue:\\n {2}\\[7\\]\\.score: .*3\\.25.* \\(E_RANGE\\)$`, "m"));
    expect(stderr.match(/^line \d+/gm)).toEqual([`line ${BAD_LINE}`]);
  });

  it("with --fail-fast writes the lines before it, from earlier chunks and its own, and nothing after", () => {
    const { status, stdout, stderr } = runCli([file, "--chunk-size", String(CHUNK), "--fail-fast"]);
    expect(status).toBe(1);
    expect(ndjsonResults(stdout).map((r) => r.line)).toEqual(Array.from({ length: BAD_LINE - 1 }, (_, i) => i + 1));
    expect(stderr.match(/^line \d+/gm)).toEqual([`line ${BAD_LINE}`]);
  });

  it("reads the same from stdin", () => {
    const fromFile = runCli([file, "--chunk-size", String(CHUNK)]);
    const fromStdin = runCli(["-", "--chunk-size", String(CHUNK)], lines.join("\n"));
    expect(fromStdin).toEqual(fromFile);
  });
});
