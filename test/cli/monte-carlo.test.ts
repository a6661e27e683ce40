/**
 * `--uncertainty monte-carlo --samples N --seed S`: Monte-Carlo intervals that repeat exactly
 * for a seed, whatever the chunk size, keyed by each evaluation's index in the input (bad lines
 * count, blank lines do not), and usage errors for bad values.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { dimensionScoresFromJson } from "../../src/input/codec.js";
import { HighPerformanceAreaAggregator } from "../../src/index.js";
import { asDicts, CLI_TIMEOUTS, ndjsonResults, PLAN_FILE, randomSnakePlans, runCli, scratchFiles } from "../support/cli.js";

vi.setConfig(CLI_TIMEOUTS);

const scratch = scratchFiles();
const SAMPLES = 64;
const plans = randomSnakePlans(30, 5);
/** Line 4 is blank: evaluation indices run 0, 1, 2, (blank), 3, 4, … */
const lines = plans.map((p) => JSON.stringify(p));
lines.splice(3, 0, "");
const file = scratch.write("mc.ndjson", `${lines.join("\n")}\n`);
const mc = (...more: string[]) => [file, "--uncertainty", "monte-carlo", "--samples", String(SAMPLES), ...more];

function succeeded(args: string[], input = "") {
  const result = runCli(args, input);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return result.stdout;
}

describe("--uncertainty monte-carlo", () => {
  let seeded: string;
  beforeAll(() => {
    seeded = succeeded(mc("--seed", "7"));
  });

  it("gives each plan the library's Monte-Carlo result for its index in the input", async () => {
    const aggregator = new HighPerformanceAreaAggregator({ uncertainty: { method: "monte-carlo", samples: SAMPLES, seed: 7 } });
    const results = ndjsonResults(seeded);
    expect(results).toHaveLength(plans.length);
    for (const [e, plan] of plans.entries()) {
      const { areaScores } = await aggregator.aggregateBatch([dimensionScoresFromJson(plan)], undefined, { firstEvaluation: e });
      expect(results[e]!.area_scores).toStrictEqual(asDicts(areaScores[0]!));
    }
  });

  it("differs from the analytic intervals but keeps the analytic score", () => {
    const analytic = ndjsonResults(succeeded([file]));
    const monteCarlo = ndjsonResults(seeded);
    const areas = (results: typeof analytic) => results.flatMap((r) => r.area_scores);
    expect(areas(monteCarlo).map((a) => a.aggregation_method)).toEqual(areas(analytic).map(() => "monte_carlo"));
    expect(areas(monteCarlo).map((a) => a.score)).toEqual(areas(analytic).map((a) => a.score));
    const intervals = (results: typeof analytic) => areas(results).map((a) => a.confidence_interval_95);
    const differing = intervals(monteCarlo).filter((ci, i) => ci[0] !== intervals(analytic)[i]![0] || ci[1] !== intervals(analytic)[i]![1]);
    expect(differing.length).toBeGreaterThan(0.9 * areas(analytic).length);
  });

  it("repeats exactly for the same seed, and changes with another seed", () => {
    expect(succeeded(mc("--seed", "7"))).toBe(seeded);
    expect(succeeded(mc("--seed", "8"))).not.toBe(seeded);
    // Seed 0 is the default.
    expect(succeeded(mc())).toBe(succeeded(mc("--seed", "0")));
  });

  it("does not depend on the chunk size", () => {
    for (const size of ["1", "7", "1000"]) expect(succeeded(mc("--seed", "7", "--chunk-size", size)), `--chunk-size ${size}`).toBe(seeded);
  });

  it("keys the draws by input position, so a bad line shifts no other plan's draws", () => {
    // One line that is JSON but no plan, one that is not JSON: both still count.
    const withBad = lines.slice();
    withBad[10] = '{"dimension_scores": "none"}';
    withBad[20] = "{ not json";
    const { status, stdout, stderr } = runCli(["-", "--uncertainty", "monte-carlo", "--samples", String(SAMPLES), "--seed", "7", "--chunk-size", "4"], withBad.join("\n"));
    expect(status).toBe(1);
    expect(stderr).toMatch(/^line 11: rejected/m);
    expect(stderr).toMatch(/^line 21: not valid JSON/m);
    const expected = ndjsonResults(seeded).filter((r) => r.line !== 11 && r.line !== 21);
    expect(ndjsonResults(stdout)).toStrictEqual(expected);
  });
});

describe("Monte-Carlo usage errors", () => {
  const cases: [string, string[], RegExp][] = [
    ["an unknown method", ["--uncertainty", "bootstrap"], /--uncertainty must be one of analytic, monte-carlo, got "bootstrap"/],
    ["--samples that is not a number", ["--uncertainty", "monte-carlo", "--samples", "many"], /--samples must be a whole number, got "many"/],
    ["--samples with a fraction", ["--uncertainty", "monte-carlo", "--samples", "1.5"], /--samples must be a whole number, got "1\.5"/],
    ["--samples below 2", ["--uncertainty", "monte-carlo", "--samples", "1"], /samples must be an integer in \[2, .*got 1/],
    ["--samples above the maximum", ["--uncertainty", "monte-carlo", "--samples", "1000001"], /samples must be an integer in \[2, .*got 1000001/],
    ["a negative --seed", ["--uncertainty", "monte-carlo", "--seed=-1"], /--seed must be a whole number, got "-1"/],
    ["a --seed past 2^53", ["--uncertainty", "monte-carlo", "--seed", "9007199254740993"], /seed must be an integer in \[0, /],
    ["--samples without monte-carlo", ["--samples", "100"], /--samples and --seed apply only to --uncertainty monte-carlo/],
    ["--seed with analytic", ["--uncertainty", "analytic", "--seed", "3"], /--samples and --seed apply only to --uncertainty monte-carlo/],
    ["a --chunk-size of 0", ["--chunk-size", "0"], /--chunk-size must be an integer in \[1, /],
    ["a --chunk-size that is not a number", ["--chunk-size", "big"], /--chunk-size must be a whole number/],
  ];

  it.each(cases)("exits 2 for %s", (_name, args, message) => {
    const { status, stdout, stderr } = runCli([...args, PLAN_FILE]);
    expect(stderr).toMatch(message);
    expect(stderr).toContain("Usage: farfan-aggregate");
    expect(status).toBe(2);
    expect(stdout).toBe("");
  });
});
