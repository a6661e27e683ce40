/**
 * `--jobs N`: NDJSON handled on N worker threads gives, byte for byte, what the main thread
 * alone gives (`--jobs 1`) — stdout, stderr and exit status — whatever N and the chunk size,
 * with bad lines of every kind, Monte-Carlo draws, --summary and --fail-fast; results stay in
 * input order when a later chunk is done first; a bad --jobs is a usage error.
 */
import { describe, expect, it, vi } from "vitest";
import { CLI_TIMEOUTS, PLAN_FILE, randomSnakePlans, runCli, scratchFiles, withEntry, type SnakeEntry } from "../support/cli.js";

vi.setConfig(CLI_TIMEOUTS);

const scratch = scratchFiles();
const plans = randomSnakePlans(40, 12);
const lines = plans.map((plan) => JSON.stringify({ dimension_scores: plan }));
lines[2] = "{ not json";
lines[9] = JSON.stringify(withEntry(plans[9]!, 7, { score: 3.25 }));
lines[14] = '{"dimension_scores": "none"}';
lines[17] = JSON.stringify(plans[17]).replace('"score_std":', '"score_std":NaN,"was":');
// An extra nested 100,000 deep: copied into the result (iteratively), but no JSON.stringify
// survives it, on any thread — so the line is bad where results are JSON, fine in a table.
const deep = `${"[".repeat(100_000)}0${"]".repeat(100_000)}`;
lines[21] = JSON.stringify({ dimension_scores: withEntry(plans[21]!, 3, { trail: "DEEP" }) }).replace('"DEEP"', deep);
lines.splice(6, 0, "", "   ");
const mixed = scratch.write("mixed.ndjson", `${lines.join("\n")}\n`);
/** The input lines that are bad, as numbered in the file (the two blank lines shift those after line 6). */
const BAD_LINES = [3, 12, 17, 20, 24];
const DEEP_LINE = 24;

/** The lines a run with `args` reports: only the first with --fail-fast; not the deep one in a table. */
function reportedFor(args: readonly string[]): number[] {
  if (args.includes("--fail-fast")) return BAD_LINES.slice(0, 1);
  return args.includes("table") ? BAD_LINES.filter((line) => line !== DEEP_LINE) : BAD_LINES;
}

describe("--jobs N gives what --jobs 1 gives, byte for byte", () => {
  const settings: [string, string[]][] = [
    ["NDJSON with --summary", ["--format", "ndjson", "--summary", "--chunk-size", "4"]],
    ["Monte-Carlo draws, a JSON array and --summary", ["--uncertainty", "monte-carlo", "--samples", "64", "--seed", "7", "--format", "json", "--summary", "--chunk-size", "3"]],
    ["a table, one line a chunk", ["--format", "table", "--chunk-size", "1"]],
    ["--fail-fast", ["--format", "ndjson", "--fail-fast", "--chunk-size", "2"]],
  ];

  it.each(settings)("%s", (_name, args) => {
    const alone = runCli([mixed, ...args, "--jobs", "1"]);
    // The reference itself: every bad line reported, exit 1.
    const reported = [...alone.stderr.matchAll(/^line (\d+): /gm)].map((m) => Number(m[1]));
    expect(reported).toEqual(reportedFor(args));
    expect(alone.stdout.length).toBeGreaterThan(0);
    expect(alone.status).toBe(1);
    for (const jobs of ["2", "3"]) expect(runCli([mixed, ...args, "--jobs", jobs]), `--jobs ${jobs}`).toEqual(alone);
  });

  it("reads the same from stdin", () => {
    const args = ["-", "--uncertainty", "monte-carlo", "--samples", "32", "--chunk-size", "5"];
    const input = `${lines.join("\n")}\n`;
    expect(runCli([...args, "--jobs", "3"], input)).toEqual(runCli([...args, "--jobs", "1"], input));
  });
});

describe("results in input order", () => {
  it("when the first chunk takes far longer than the chunks after it", () => {
    // Lines 1 and 2 carry ~1 MB of extras each (copied into the result and written): with two
    // lines a chunk on three workers, the chunks after the first are done long before it.
    const heavy = (plan: SnakeEntry[]) => plan.map((entry) => ({ ...entry, contributing_questions: Array.from({ length: 2000 }, (_, q) => `Q${q}`) }));
    const light = randomSnakePlans(30, 13);
    const ordered = [heavy(light[0]!), heavy(light[1]!), ...light.slice(2)].map((plan) => JSON.stringify(plan));
    const file = scratch.write("heavy-first.ndjson", `${ordered.join("\n")}\n`);
    const args = [file, "--format", "ndjson", "--chunk-size", "2"];
    const alone = runCli([...args, "--jobs", "1"]);
    expect(alone.stderr).toBe("");
    expect(alone.stdout.trimEnd().split("\n").map((line) => (JSON.parse(line) as { line: number }).line)).toEqual(ordered.map((_, i) => i + 1));
    expect(runCli([...args, "--jobs", "3"])).toEqual(alone);
  });
});

describe("a bad --jobs", () => {
  const cases: [string, string[], RegExp][] = [
    ["0", ["--jobs", "0"], /--jobs must be an integer in \[1, 256\], got 0/],
    ["above 256", ["--jobs", "257"], /--jobs must be an integer in \[1, 256\], got 257/],
    ["not a number", ["--jobs", "two"], /--jobs must be a whole number, got "two"/],
    ["negative", ["--jobs=-1"], /--jobs must be a whole number, got "-1"/],
    ["a fraction", ["--jobs", "1.5"], /--jobs must be a whole number, got "1\.5"/],
    ["missing", ["--jobs"], /--jobs needs a value/],
  ];

  it.each(cases)("exits 2 for %s", (_name, args, message) => {
    const { status, stdout, stderr } = runCli([PLAN_FILE, ...args]);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/\(E_USAGE\)/);
    expect(stderr).toContain("Usage: farfan-aggregate");
    expect(status).toBe(2);
    expect(stdout).toBe("");
  });
});
