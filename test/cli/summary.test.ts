/**
 * `--summary`: per area and per cluster, the mean, p10, p50, p90 and quality counts, checked
 * against the SPEC §4 arithmetic and the nearest-rank percentile computed here from every score.
 */
import { describe, expect, it, vi } from "vitest";
import { AREA_IDS, CLUSTERS, dimensionScoresFromJson, QUALITY_LEVELS, type AreaId } from "../../src/index.js";
import { CLI_TIMEOUTS, randomSnakePlans, runCli, scratchFiles, snakePlan, type SnakeEntry } from "../support/cli.js";
import { referencePlan } from "../support/float.js";
import { makePlan } from "../support/plans.js";

vi.setConfig(CLI_TIMEOUTS);

const scratch = scratchFiles();

/** Random plans, plus plans that land on the histogram's edges: every score 0, 3, or 1.65. */
const plans: SnakeEntry[][] = [
  ...randomSnakePlans(1500, 77),
  ...[0, 3, 1.65, 2.1].flatMap((score) => Array.from({ length: 40 }, () => snakePlan(makePlan(() => score, () => 0.2)))),
];
const input = scratch.write("summary.ndjson", `${plans.map((p) => JSON.stringify(p)).join("\n")}\n`);

/** SPEC §1's quality levels, in score units. */
function quality(score: number): (typeof QUALITY_LEVELS)[number] {
  return score >= 2.55 ? "EXCELENTE" : score >= 2.1 ? "BUENO" : score >= 1.65 ? "ACEPTABLE" : "INSUFICIENTE";
}

/** Every plan's ten area scores, by the reference arithmetic. */
const scoresByArea = new Map<string, number[]>(AREA_IDS.map((id) => [id, []]));
for (const plan of plans) {
  referencePlan(dimensionScoresFromJson(plan)).forEach((area, a) => scoresByArea.get(AREA_IDS[a]!)!.push(area.score));
}
const groups: [string, number[]][] = [
  ...AREA_IDS.map((id): [string, number[]] => [id, scoresByArea.get(id)!]),
  ...CLUSTERS.map((c): [string, number[]] => [c.id, c.areas.flatMap((id: AreaId) => scoresByArea.get(id)!)]),
];

/** The smallest score with at least p% of the scores at or below it. */
function nearestRank(sorted: readonly number[], p: number): number {
  return sorted[Math.max(1, Math.ceil((p * sorted.length) / 100)) - 1]!;
}

/** The summary table's rows by group name, cells split on the column gaps. */
function summaryRows(stderr: string): Map<string, string[]> {
  const lines = stderr.trimEnd().split("\n");
  const header = lines.findIndex((line) => line.startsWith("Group"));
  expect(lines[header]!.split(/ {2,}/)).toEqual(["Group", "Scores", "Mean", "p10", "p50", "p90", ...QUALITY_LEVELS]);
  return new Map(lines.slice(header + 1).map((line) => line.split(/ {2,}/)).map((cells) => [cells[0]!, cells.slice(1)]));
}

describe("--summary", () => {
  const withSummary = runCli([input, "--summary"]);

  it("leaves stdout as it is and ends stderr with one row per area and per cluster", () => {
    expect(withSummary.status).toBe(0);
    expect(withSummary.stdout).toBe(runCli([input]).stdout);
    expect(withSummary.stderr).toMatch(new RegExp(`^Summary of ${plans.length} evaluations`));
    expect([...summaryRows(withSummary.stderr).keys()]).toEqual(groups.map(([name]) => name));
  });

  it.each(groups)("%s: count, mean, nearest-rank p10/p50/p90 to the bin, exact quality counts", (name, scores) => {
    const cells = summaryRows(withSummary.stderr).get(name)!;
    const [count, mean, ...rest] = cells;
    expect(Number(count)).toBe(scores.length);
    // Every figure cut to four decimals: the exact value in [shown, shown + 0.0001).
    const inBin = (exact: number, shown: string, what: string) => {
      expect(shown, what).toMatch(/^\d\.\d{4}$/);
      const low = Number(shown);
      expect(exact, `${what} ${shown}`).toBeGreaterThanOrEqual(low);
      expect(exact, `${what} ${shown}`).toBeLessThan((Math.round(low * 10_000) + 1) / 10_000);
    };
    inBin(scores.reduce((sum, s) => sum + s, 0) / scores.length, mean!, "mean");
    const sorted = scores.slice().sort((x, y) => x - y);
    [10, 50, 90].forEach((p, i) => inBin(nearestRank(sorted, p), rest[i]!, `p${p}`));
    expect(rest.slice(3).map(Number)).toEqual(QUALITY_LEVELS.map((level) => scores.filter((s) => quality(s) === level).length));
  });

  it("shows one plan's score the same as its mean and as every percentile: one rule for all", () => {
    // 1.79648 rounds to 1.7965 and cuts to 1.7964.
    const { status, stderr } = runCli(["--summary"], JSON.stringify(snakePlan(makePlan(() => 1.79648, () => 0.1))));
    expect(status).toBe(0);
    for (const cells of summaryRows(stderr).values()) expect(cells.slice(1, 5)).toEqual(["1.7964", "1.7964", "1.7964", "1.7964"]);
  });

  it("covers only the evaluations aggregated, not the bad lines", () => {
    const lines = [JSON.stringify(plans[0]), "not json", JSON.stringify(plans[1])].join("\n");
    const { status, stderr } = runCli(["--summary"], lines);
    expect(status).toBe(1);
    expect(stderr).toMatch(/^line 2: not valid JSON/m);
    expect(stderr).toMatch(/^Summary of 2 evaluations/m);
    expect(summaryRows(stderr).get("PA01")![0]).toBe("2");
  });
});
