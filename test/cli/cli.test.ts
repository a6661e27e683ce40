/**
 * The built `farfan-aggregate` bin, run as a child process (test/support/cli.ts).
 * Its numbers are checked against the library itself and against means computed here.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import type { AreaScoreDict } from "../../src/input/codec.js";
import { AREA_IDS, AREA_NAMES, DIMENSION_IDS } from "../../src/index.js";
import {
  CLI,
  CLI_TIMEOUTS,
  libraryDicts,
  ndjsonResults,
  plan,
  PLAN_FILE,
  planText,
  PLANS_170_FILE,
  runCli,
  scratchFiles,
  withEntry,
  type LineResult,
  type SnakeEntry,
} from "../support/cli.js";

vi.setConfig(CLI_TIMEOUTS);

const scratch = scratchFiles();

/** An area's six entries in dimension order. */
function areaEntries(list: readonly SnakeEntry[], areaId: string): SnakeEntry[] {
  return DIMENSION_IDS.map((dimensionId) => list.find((e) => e.area_id === areaId && e.dimension_id === dimensionId)!);
}

/** Left folds in dimension order, as SPEC §4 prescribes; with equal weights R = 6. */
function equalWeightMean(entries: readonly SnakeEntry[]): { score: number; std: number } {
  const sum = entries.reduce((total, e) => total + (e.score as number), 0);
  const squares = entries.reduce((total, e) => total + (e.score_std as number) ** 2, 0);
  return { score: sum / 6, std: Math.sqrt(squares) / 6 };
}

/** An NDJSON file: good lines 1, 2 and 6; line 3 has three bad values; line 4 is blank; line 5 is not JSON. */
const badData = withEntry(withEntry(withEntry(plan, 17, { score: 3.5 }), 20, { score_std: -0.5 }), 41, { score: "high" });
const mixedNdjson = [
  JSON.stringify({ municipality: "SYN-A", dimension_scores: plan }),
  JSON.stringify(plan),
  JSON.stringify({ dimension_scores: badData }),
  "",
  '{"dimension_scores": [',
  JSON.stringify({ dimension_scores: plan }),
].join("\n");

describe("farfan-aggregate output", () => {
  it("--format table lists the ten areas with name, score, interval, quality and cluster", async () => {
    const { status, stdout } = runCli([PLAN_FILE, "--format", "table"]);
    expect(status).toBe(0);
    const [header, ...rows] = stdout.trimEnd().split("\n");
    expect(header).toMatch(/^Area\s+Name\s+Score\s+95% interval\s+Quality\s+Cluster$/);
    expect(rows).toHaveLength(10);
    const expected = await libraryDicts(plan);
    rows.forEach((row, a) => {
      const area = expected[a]!;
      const [low, high] = area.confidence_interval_95;
      const cells = [area.area_id, AREA_NAMES[AREA_IDS[a]!], area.score.toFixed(3), `[${low.toFixed(3)}, ${high.toFixed(3)}]`, area.quality_level, area.cluster_id];
      expect(row.split(/ {2,}/)).toEqual(cells);
    });
  });

  it("--format json writes the ten to_dict objects the library computes", async () => {
    const { status, stdout, stderr } = runCli([PLAN_FILE, "--format", "json"]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const written = JSON.parse(stdout) as AreaScoreDict[];
    const expected = await libraryDicts(plan);
    expect(written).toHaveLength(10);
    written.forEach((dict, a) => expect(Object.keys(dict)).toEqual(Object.keys(expected[a]!)));
    expect(written).toStrictEqual(expected);
  });

  it("writes, for an equal-weights area, exactly the mean of its six scores", () => {
    const written = JSON.parse(runCli([PLAN_FILE, "--format", "json"]).stdout) as AreaScoreDict[];
    for (const [a, areaId] of AREA_IDS.entries()) {
      const { score, std } = equalWeightMean(areaEntries(plan, areaId));
      expect(written[a]!.score).toBe(Math.min(3, Math.max(0, score)));
      expect(written[a]!.score_std).toBe(std);
      expect(written[a]!.confidence_interval_95).toEqual([Math.max(0, score - 1.96 * std), Math.min(3, score + 1.96 * std)]);
    }
  });

  it("defaults to json for one evaluation and ndjson for NDJSON input when stdout is not a terminal", () => {
    expect(JSON.parse(runCli([PLAN_FILE]).stdout)).toHaveLength(10);
    const lines = runCli([], [JSON.stringify(plan), JSON.stringify(plan)].join("\n")).stdout.trimEnd().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as LineResult).line)).toEqual([1, 2]);
  });

  it("--format json with NDJSON input writes one array of { line, area_scores }", () => {
    const { status, stdout } = runCli(["--format", "json"], [JSON.stringify(plan), "", JSON.stringify(plan)].join("\n"));
    expect(status).toBe(0);
    const written = JSON.parse(stdout) as LineResult[];
    expect(written.map((r) => r.line)).toEqual([1, 3]);
    expect(written.map((r) => r.area_scores.length)).toEqual([10, 10]);
  });

  it("heads each table of NDJSON input with its line number", () => {
    const { stdout } = runCli(["--format", "table"], [JSON.stringify(plan), JSON.stringify(plan)].join("\n"));
    expect(stdout.split("\n").filter((line) => /^line \d+$/.test(line))).toEqual(["line 1", "line 2"]);
  });
});

describe("farfan-aggregate input", () => {
  it("reads stdin for '-' and when no FILE is given", () => {
    const fromFile = runCli([PLAN_FILE]).stdout;
    expect(runCli(["-"], planText)).toMatchObject({ status: 0, stdout: fromFile });
    expect(runCli([], planText)).toMatchObject({ status: 0, stdout: fromFile });
  });

  it("ignores other top-level keys such as municipality", async () => {
    const { status, stdout } = runCli(["--format", "json"], JSON.stringify({ municipality: "SYN-X", dimension_scores: plan }));
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toStrictEqual(await libraryDicts(plan));
  });

  it("--weights applies to every evaluation without weights of its own; its own weights win", () => {
    const weightsFile = scratch.write("weights.json", JSON.stringify({ PA01: { DIM01: 3, DIM02: 1, DIM03: 0, DIM04: 0, DIM05: 0, DIM06: 0 } }));
    const own = { PA01: { DIM01: 0, DIM02: 0, DIM03: 0, DIM04: 0, DIM05: 0, DIM06: 2 } };
    const input = [JSON.stringify(plan), JSON.stringify({ dimension_scores: plan, weights: own })].join("\n");
    const { status, stdout } = runCli(["--weights", weightsFile], input);
    expect(status).toBe(0);
    const [shared, ownWeights] = ndjsonResults(stdout);
    const [s1, s2, , , , s6] = areaEntries(plan, "PA01").map((e) => e.score as number);

    const sharedPA01 = shared!.area_scores[0]!;
    expect(sharedPA01.score).toBe((3 * s1! + s2!) / 4);
    expect(sharedPA01.validation_details).toEqual({ hermeticity: true, weight_source: "custom", weight_sum: 4 });
    expect(shared!.area_scores[1]!.validation_details.weight_source).toBe("equal");

    const ownPA01 = ownWeights!.area_scores[0]!;
    expect(ownPA01.score).toBe((2 * s6!) / 2);
    expect(ownPA01.validation_details).toEqual({ hermeticity: true, weight_source: "custom", weight_sum: 2 });
  });

  it("processes the 170-plan example completely", async () => {
    const { status, stdout } = runCli([PLANS_170_FILE]);
    expect(status).toBe(0);
    const results = ndjsonResults(stdout);
    expect(results).toHaveLength(170);
    expect(results.map((r) => r.line)).toEqual(Array.from({ length: 170 }, (_, i) => i + 1));
    expect(results.every((r) => r.area_scores.length === 10)).toBe(true);
    const last = JSON.parse(readFileSync(PLANS_170_FILE, "utf8").trimEnd().split("\n")[169]!) as { dimension_scores: unknown };
    expect(results[169]!.area_scores).toStrictEqual(await libraryDicts(last.dimension_scores));
  });
});

describe("farfan-aggregate bad data", () => {
  it("writes the good NDJSON lines, reports every bad line and each of its issues, and exits 1", async () => {
    const { status, stdout, stderr } = runCli([], mixedNdjson);
    expect(status).toBe(1);
    const results = ndjsonResults(stdout);
    expect(results.map((r) => r.line)).toEqual([1, 2, 6]);
    const expected = await libraryDicts(plan);
    for (const result of results) expect(result.area_scores).toStrictEqual(expected);

    expect(stderr).toMatch(/^line 3: rejected, 3 issues:$/m);
    expect(stderr).toMatch(/^ {2}\[17\]\.score: .*3\.5.* \(E_RANGE\)$/m);
    expect(stderr).toMatch(/^ {2}\[20\]\.score_std: .*-0\.5.* \(E_RANGE\)$/m);
    expect(stderr).toMatch(/^ {2}\[41\]\.score: .*"high".* \(E_TYPE\)$/m);
    expect(stderr).toMatch(/^line 5: not valid JSON.*\(E_JSON\)$/m);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it("--fail-fast stops at the first bad line", () => {
    const { status, stdout, stderr } = runCli(["--fail-fast"], mixedNdjson);
    expect(status).toBe(1);
    expect(ndjsonResults(stdout).map((r) => r.line)).toEqual([1, 2]);
    expect(stderr).toMatch(/^line 3: /m);
    expect(stderr).not.toMatch(/line 5/);
  });

  it("reports a bad single evaluation without a line number", () => {
    const { status, stdout, stderr } = runCli([], JSON.stringify(withEntry(plan, 0, { area_id: "PA11" })));
    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^input: rejected, 2 issues:$/m);
    expect(stderr).toMatch(/^ {2}\[0\]\.area_id: unknown id "PA11".* \(E_UNKNOWN_ID\)$/m);
    expect(stderr).toMatch(/^ {2}PA01\.DIM01: Hermeticity violation for PA01: missing DIM01 \(E_HERMETICITY\)$/m);
  });

  it("checks the --weights file once and exits 1 when its weights are invalid", () => {
    const weightsFile = scratch.write("bad-weights.json", JSON.stringify({ PA03: { DIM01: 1 } }));
    const { status, stdout, stderr } = runCli(["--weights", weightsFile, PLAN_FILE]);
    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain(`--weights ${weightsFile}: rejected, 1 issue:`);
    expect(stderr).toMatch(/^ {2}weights\.PA03: .*missing DIM02.* \(E_WEIGHTS\)$/m);
  });
});

describe("farfan-aggregate usage", () => {
  it("--help and -h print the usage and exit 0", () => {
    for (const flag of ["--help", "-h"]) {
      const { status, stdout } = runCli([flag]);
      expect(status).toBe(0);
      expect(stdout).toMatch(/^Usage: farfan-aggregate \[FILE\|-\]/);
      expect(stdout).toContain("--fail-fast");
    }
  });

  const usageErrors: [string, () => string[], RegExp][] = [
    ["an unknown flag", () => ["--bogus", PLAN_FILE], /unknown option "--bogus" \(E_USAGE\)/],
    ["a bad --format value", () => ["--format", "xml", PLAN_FILE], /--format must be one of table, json, ndjson, csv, parquet, arrow, got "xml"/],
    ["a table format for JSON input", () => ["--format", "csv", PLAN_FILE], /--format csv needs table input/],
    ["-o for JSON input", () => [PLAN_FILE, "-o", scratch.path("out.json")], /-o FILE is for table input/],
    ["-o FILE of no known format", () => [PLAN_FILE, "-o", scratch.path("out.txt")], /the extension names no output format/],
    ["a bad --from value", () => ["--from", "xlsx", PLAN_FILE], /--from must be one of csv, parquet, arrow, json, got "xlsx"/],
    ["--max-open-plans 0", () => ["--max-open-plans", "0", PLAN_FILE], /--max-open-plans must be an integer in \[1, /],
    ["a missing FILE", () => [scratch.path("absent.json")], /cannot read .*absent\.json/],
    ["two FILEs", () => [PLAN_FILE, PLAN_FILE], /at most one FILE/],
    ["a missing --weights file", () => ["--weights", scratch.path("absent-weights.json"), PLAN_FILE], /cannot read .*absent-weights\.json/],
    ["a --weights file that is not JSON", () => ["--weights", scratch.write("broken.json", "{ PA01: "), PLAN_FILE], /--weights .*broken\.json is not valid JSON/],
  ];

  it.each(usageErrors)("exits 2 with a message and a usage hint for %s", (_name, args, message) => {
    const { status, stdout, stderr } = runCli(args());
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr).toContain("Usage: farfan-aggregate");
    expect(stderr).toMatch(/^farfan-aggregate: .* \(E_(USAGE|FILE|JSON)\)$/m);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it("stops quietly when the reader goes away (| head)", () => {
    const pipeline = `set -o pipefail; "${process.execPath}" "${CLI}" "${PLANS_170_FILE}" | head -n 1 > /dev/null`;
    const { status, stderr } = spawnSync("bash", ["-c", pipeline], { encoding: "utf8" });
    expect(stderr).toBe("");
    expect(status).toBe(0);
  });
});
