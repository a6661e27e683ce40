/**
 * A line that fails in any step — here an extra nested 100,000 deep, which no recursive copy or
 * JSON.stringify survives — is that line's problem alone: it is reported with its number and a
 * code, without a stack trace, and every other line of its chunk and the others is still written
 * in input order.
 */
import { describe, expect, it, vi } from "vitest";
import { CLI_TIMEOUTS, libraryDicts, ndjsonResults, randomSnakePlans, runCli } from "../support/cli.js";

vi.setConfig(CLI_TIMEOUTS);

const DEPTH = 100_000;
const plans = randomSnakePlans(300, 41);
/** Line 100 sits inside a chunk (the default 32 plans: lines 97-128), with good lines on both sides. */
const BAD_LINE = 100;
const deep = `${"[".repeat(DEPTH)}0${"]".repeat(DEPTH)}`;
const lines = plans.map((plan) => JSON.stringify({ dimension_scores: plan }));
const bad = plans[BAD_LINE - 1]!.map((entry, i) => (i === 3 ? { ...entry, trail: "DEEP" } : entry));
lines[BAD_LINE - 1] = JSON.stringify({ dimension_scores: bad }).replace('"DEEP"', deep);

describe("a line that fails while being aggregated or written", () => {
  it("is reported alone with its number and a code; every other line is written, in order", async () => {
    const { status, stdout, stderr } = runCli(["--format", "ndjson"], `${lines.join("\n")}\n`);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toMatch(/RangeError/);
    expect(stderr).toMatch(new RegExp(`^line ${BAD_LINE}: .*\\(E_[A-Z_]+\\)$`, "m"));
    expect(stderr.match(/^line \d+/gm)).toEqual([`line ${BAD_LINE}`]);
    expect(status).toBe(1);
    const results = ndjsonResults(stdout);
    const good = plans.map((_, p) => p).filter((p) => p !== BAD_LINE - 1);
    expect(results.map((r) => r.line)).toEqual(good.map((p) => p + 1));
    for (const [k, p] of good.entries()) expect(results[k]!.area_scores).toStrictEqual(await libraryDicts(plans[p]));
  });

  it("as the only input, is reported the same way", () => {
    const { status, stdout, stderr } = runCli([], lines[BAD_LINE - 1]);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^input: .*\(E_[A-Z_]+\)$/m);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(status).toBe(1);
  });
});
