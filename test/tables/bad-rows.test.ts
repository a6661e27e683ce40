/**
 * Bad rows cost their plan only: each bad plan of a table is one coded problem on stderr naming
 * its key and the line or row, every other plan is written as the JSON path computes it, and the
 * exit status is 1; aggregateTable rejects with one ValidationError listing every bad plan.
 */
import { writeFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { HighPerformanceAreaAggregator, ValidationError } from "../../src/index.js";
import { aggregateTable } from "../../src/tables/index.js";
import { CLI_TIMEOUTS, runCli, scratchFiles } from "../support/cli.js";
import { jsonPlans, longCsv, longRows, parquetOf, parseCsv, study, wideArrow, wideCsv, type LongRow, type Study } from "../support/tables.js";

vi.setConfig(CLI_TIMEOUTS);

const scratch = scratchFiles();
const PLANS = 14;
const s = study(PLANS, 21);
/** Rows interleaved in windows of 5 plans. */
const rows = longRows(PLANS, 5, 22);
const lines = longCsv(s, rows).trimEnd().split("\n");
/** The data line (1-based line of the file) of plan e's row for `slot`. */
const lineOf = (e: number, slot: number) => rows.findIndex((r: LongRow) => r.e === e && r.slot === slot) + 2;
const edit = (line: number, change: (fields: string[]) => string[]) => (lines[line - 1] = change(lines[line - 1]!.split(",")).join(","));

// plan-1: a pair missing; plan-2: a pair twice; plan-3: an unknown area; plan-4: a score that is
// not a number; plan-5: NaN; plan-6: out of range; plan-8: a negative std; plan-9: a 61st row
// after the plan was complete (written, then reported).
const missingLine = lineOf(1, 7);
edit(lineOf(2, 13), (f) => [f[0]!, "PA03", "DIM01", f[3]!, f[4]!]);
edit(lineOf(3, 20), (f) => [f[0]!, "PA11", f[2]!, f[3]!, f[4]!]);
edit(lineOf(4, 0), (f) => [f[0]!, f[1]!, f[2]!, "abc", f[4]!]);
edit(lineOf(5, 59), (f) => [f[0]!, f[1]!, f[2]!, "NaN", f[4]!]);
edit(lineOf(6, 30), (f) => [f[0]!, f[1]!, f[2]!, "3.5", f[4]!]);
edit(lineOf(8, 31), (f) => [f[0]!, f[1]!, f[2]!, f[3]!, "-1"]);
const text = [...lines.filter((_, i) => i + 1 !== missingLine), "plan-9,PA01,DIM01,1,0"].join("\n") + "\n";
const BAD = new Map([
  ["plan-1", ["E_HERMETICITY"]],
  ["plan-2", ["E_HERMETICITY", "E_HERMETICITY"]],
  [s.keys[3]!, ["E_UNKNOWN_ID", "E_HERMETICITY"]],
  ["plan-4", ["E_TYPE"]],
  ["plan-5", ["E_NON_FINITE"]],
  ["plan-6", ["E_RANGE"]],
  ["plan-8", ["E_RANGE"]],
  // Complete, but still waiting for plan-1 (plans leave in order) when its 61st row came: a duplicate.
  ["plan-9", ["E_HERMETICITY"]],
]);

/** The problems on stderr: per report, the plan key and the codes of its lines. */
function reports(stderr: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  let key = "";
  for (const line of stderr.split("\n")) {
    const head = /^plan "([^"]+)" \((line|row) \d+\)/.exec(line);
    if (head !== null) {
      expect(found.has(head[1]!)).toBe(false);
      found.set((key = head[1]!), []);
    }
    for (const code of line.matchAll(/\((E_[A-Z_]+)\)/g)) found.get(key)!.push(code[1]!);
  }
  return found;
}

async function expectedCsvRows(keep: (key: string) => boolean, from: Study = s): Promise<string[][]> {
  const { areaScores } = await new HighPerformanceAreaAggregator().aggregateBatch(jsonPlans(from));
  return areaScores.flatMap((areas, e) =>
    keep(from.keys[e]!) ? areas.map((a) => [from.keys[e]!, a.areaId, String(a.score), String(a.scoreStd), String(a.confidenceInterval95[0]), String(a.confidenceInterval95[1])]) : [],
  );
}

const picked = (csv: string) => parseCsv(csv).slice(1).map((f) => [f[0]!, f[1]!, f[4]!, f[5]!, f[6]!, f[7]!]);

describe("bad rows in a long table", () => {
  it("CLI: one coded problem per bad plan, naming its key; the good plans written; exit status 1", async () => {
    const { status, stdout, stderr } = runCli([scratch.write("bad.csv", text), "--format", "csv"]);
    expect(status).toBe(1);
    const found = reports(stderr);
    expect(Object.fromEntries([...found].map(([k, codes]) => [k, [...new Set(codes)].sort()]))).toStrictEqual(
      Object.fromEntries([...BAD].map(([k, codes]) => [k, [...new Set(codes)].sort()])),
    );
    expect(stderr).toContain(`line ${text.split("\n").length - 1}`);
    expect(stderr).toMatch(/plan "plan-1" .*\n.*missing/);
    expect(picked(stdout)).toStrictEqual(await expectedCsvRows((key) => !BAD.has(key)));
  });

  it("CLI --fail-fast: stops at the first bad plan", () => {
    const { status, stderr } = runCli([scratch.write("bad-ff.csv", text), "--format", "csv", "--fail-fast"]);
    expect(status).toBe(1);
    expect(reports(stderr).size).toBe(1);
  });

  it("API: rejects with every bad plan's issues, paths under the plan key", async () => {
    const error: unknown = await aggregateTable(columnsOf(text)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const keys = new Set((error as ValidationError).issues.map((issue) => /^\["([^"]+)"\]/.exec(issue.path)![1]));
    expect([...keys].sort()).toEqual([...BAD.keys()].sort());
  });

  it("--sorted: a key in two runs apart is E_PLAN_SPLIT for that plan alone, its first run written", async () => {
    const body = longCsv(s, longRows(PLANS, 1, 3)).trimEnd().split("\n");
    const again = body.find((line) => line.startsWith("plan-4,"))!;
    const { status, stdout, stderr } = runCli([scratch.write("split.csv", `${[...body, again].join("\n")}\n`), "--sorted", "--format", "csv"]);
    expect(status).toBe(1);
    expect([...reports(stderr)]).toStrictEqual([["plan-4", ["E_PLAN_SPLIT"]]]);
    expect(stderr).toContain(`line ${body.length + 1}`);
    expect(picked(stdout)).toStrictEqual(await expectedCsvRows(() => true));
  });
});

describe("bad cells in a wide table", () => {
  it("a bad cell, and a plan key twice: one problem each, the rest written", async () => {
    const wide = wideCsv(s).trimEnd().split("\n");
    wide[3] = wide[3]!.replace(/,([0-9.]+),/, ",oops,");
    wide.push(wide[6]!);
    const { status, stdout, stderr } = runCli([scratch.write("wide-bad.csv", `${wide.join("\n")}\n`), "--format", "csv"]);
    expect(status).toBe(1);
    expect(new Map(reports(stderr))).toStrictEqual(
      new Map([
        ["plan-2", ["E_TYPE"]],
        ["plan-5", ["E_HERMETICITY"]],
      ]),
    );
    expect(stderr).toMatch(/plan "plan-5" [^]*a second row for this plan; its results from the first were written/);
    expect(picked(stdout)).toStrictEqual(await expectedCsvRows((key) => key !== "plan-2"));
  });
});

describe("numbers out of range in a wide Parquet file", () => {
  // Wide rows of numbers only go into a block many rows at a time, a column at a time; a bad
  // value anywhere in a row must stop that at its row, and the rows after it still be taken.
  const big = study(1500, 31);
  const keys = [...big.keys];
  const scores = big.scores.slice();
  const stds = big.stds.slice();
  const bad = new Map<string, string>();
  const spoil = (e: number, into: Float64Array, slot: number, value: number, code: string) => {
    into[e * 60 + slot] = value;
    bad.set(keys[e]!, code);
  };
  spoil(0, scores, 0, -0.5, "E_RANGE");
  spoil(3, scores, 59, NaN, "E_NON_FINITE");
  spoil(4, stds, 0, -1, "E_RANGE");
  spoil(100, scores, 30, 3.5, "E_RANGE");
  spoil(101, stds, 59, Infinity, "E_NON_FINITE");
  spoil(700, scores, 17, 3.0000000000000004, "E_RANGE");
  spoil(1499, stds, 30, NaN, "E_NON_FINITE");
  // Plan 900's row names plan 5 again: a second row for plan 5 (written from its first), and plan 900 is no more.
  keys[900] = keys[5]!;
  const table = wideArrow({ keys, scores, stds });

  it("CLI: one coded problem per bad plan, every other plan written as the JSON path computes it", async () => {
    const file = scratch.path("wide-range.parquet");
    writeFileSync(file, parquetOf(table, 333));
    const { status, stdout, stderr } = runCli([file, "--format", "csv", "--chunk-size", "256"]);
    expect(status).toBe(1);
    const found = reports(stderr);
    const expected = Object.fromEntries([...[...bad].map(([key, code]) => [key, [code]]), [keys[5]!, ["E_HERMETICITY"]]]);
    expect(Object.fromEntries([...found].map(([key, codes]) => [key, [...new Set(codes)]]))).toStrictEqual(expected);
    const written = (key: string) => !bad.has(key) && key !== big.keys[900];
    expect(picked(stdout)).toStrictEqual(await expectedCsvRows(written, big));
  });
});

/** A long CSV's text as plain columns (no quoting in these files). */
function columnsOf(csv: string): Record<string, unknown[]> {
  const body = csv.trimEnd().split("\n").slice(1).map((line) => line.split(","));
  const number = (t: string) => (/^-?[0-9.]+$/.test(t) || t === "NaN" ? Number(t) : t);
  return {
    plan_id: body.map((f) => f[0]),
    area_id: body.map((f) => f[1]),
    dimension_id: body.map((f) => f[2]),
    score: body.map((f) => number(f[3]!)),
    score_std: body.map((f) => number(f[4]!)),
  };
}
