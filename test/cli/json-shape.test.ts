/**
 * The JSON outputs' one shape, whatever the input: per plan its line (NDJSON input), its plan key
 * when the input has one (the --id field of an NDJSON line, or a table's key column), and its
 * areas in `AreaScore.to_dict()` shape; `--no-inputs` leaves each area's `dimension_scores` out
 * (JSON outputs keep them by default; CSV, Parquet and Arrow outputs add them only with --inputs).
 */
import { describe, expect, it, vi } from "vitest";
import { CLI_TIMEOUTS, PLAN_FILE, PLANS_170_FILE, runCli, scratchFiles } from "../support/cli.js";

vi.setConfig(CLI_TIMEOUTS);

const scratch = scratchFiles();
const TABLE = PLANS_170_FILE.replace("plans-170.ndjson", "plans-170.parquet");

function json(args: string[]): unknown {
  const { status, stdout, stderr } = runCli(args);
  expect(stderr).toBe("");
  expect(status).toBe(0);
  return args.includes("ndjson") ? stdout.trim().split("\n").map((line) => JSON.parse(line) as unknown) : JSON.parse(stdout);
}

type PlanResult = { line?: number; area_scores: Record<string, unknown>[] } & Record<string, unknown>;

describe("JSON output shape", () => {
  it("NDJSON lines carry their plan key under --id's name, beside the line", () => {
    const results = json([PLANS_170_FILE, "--id", "municipality", "--format", "ndjson"]) as PlanResult[];
    expect(results).toHaveLength(170);
    expect(results[0]!.line).toBe(1);
    expect(results[0]!["municipality"]).toBe("SYN-PDET-001");
    expect(results[169]!["municipality"]).toBe("SYN-PDET-170");
    // Without --id the default key column (plan_id) is not in these lines: nothing is added.
    expect(Object.keys((json([PLANS_170_FILE, "--format", "ndjson"]) as PlanResult[])[0]!)).toEqual(["line", "area_scores"]);
  });

  it("--no-inputs leaves dimension_scores out of every JSON output, and nothing else", () => {
    const withInputs = json([PLANS_170_FILE, "--format", "ndjson"]) as PlanResult[];
    const without = json([PLANS_170_FILE, "--format", "ndjson", "--no-inputs"]) as PlanResult[];
    expect(without.map((r) => r.area_scores.map((a) => ({ ...a, dimension_scores: undefined })))).toStrictEqual(
      withInputs.map((r) => r.area_scores.map((a) => ({ ...a, dimension_scores: undefined }))),
    );
    expect(without.every((r) => r.area_scores.every((a) => !("dimension_scores" in a)))).toBe(true);
    const document = json([PLAN_FILE, "--format", "json", "--no-inputs"]) as Record<string, unknown>[];
    expect(document).toHaveLength(10);
    expect(document.every((a) => !("dimension_scores" in a))).toBe(true);
    const array = json([PLANS_170_FILE, "--format", "json", "--no-inputs"]) as PlanResult[];
    expect(array.map((r) => r.area_scores)).toStrictEqual(without.map((r) => r.area_scores));
  });

  it("a table's JSON has the same shape, keyed by its plan key column", () => {
    const fromTable = json([TABLE, "--format", "ndjson", "--no-inputs"]) as PlanResult[];
    const fromLines = json([PLANS_170_FILE, "--id", "municipality", "--format", "ndjson", "--no-inputs"]) as PlanResult[];
    expect(fromTable.map((r) => r["plan_id"])).toEqual(fromLines.map((r) => r["municipality"]));
    // The JSON lines' inputs carry their extras (quality_level, contributing_questions); a table has only the numbers.
    expect(fromTable.map((r) => r.area_scores)).toStrictEqual(fromLines.map((r) => r.area_scores));
    const echoed = json([TABLE, "--format", "ndjson"]) as PlanResult[];
    expect(echoed[0]!.area_scores[0]!["dimension_scores"]).toHaveLength(6);
  });

  it("--inputs and --no-inputs together are a usage error", () => {
    const { status, stderr } = runCli([scratch.write("p.json", "[]"), "--inputs", "--no-inputs"]);
    expect(status).toBe(2);
    expect(stderr).toContain("contradict");
  });
});
