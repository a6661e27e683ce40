/**
 * The CLI closes its input file however the run ends: read to the end, stopped early by a bad
 * schema or --fail-fast, or never read as a stream (Parquet is read by path). A handle left to
 * garbage collection makes Node print two warnings on stderr, where a user expects one line per
 * problem. The child collects garbage once before it exits (gc-before-exit.cjs), so a handle left
 * open is caught every run, not only when the heap happened to fill.
 */
import * as arrow from "apache-arrow";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { CLI, CLI_TIMEOUTS, PLANS_170_FILE, scratchFiles } from "../support/cli.js";
import { longArrow, longCsv, longRows, study } from "../support/tables.js";

vi.setConfig(CLI_TIMEOUTS);

const GC_BEFORE_EXIT = fileURLToPath(new URL("../support/gc-before-exit.cjs", import.meta.url));
const EXAMPLE_PARQUET = fileURLToPath(new URL("../../examples/plans-170.parquet", import.meta.url));
const scratch = scratchFiles();
const s = study(20, 71);
const rows = longRows(20, 4, 72);

function run(args: string[]) {
  // stdout to /dev/null: the results are other tests' business, and some are larger than spawnSync's buffer.
  const { status, stderr } = spawnSync(process.execPath, ["--expose-gc", "-r", GC_BEFORE_EXIT, CLI, ...args], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
  return { status, stderr };
}

/** The long table with `score` as text: the reader stops at the schema. */
function scoreAsText(): Uint8Array {
  const good = longArrow(s, rows);
  const columns = Object.fromEntries(good.schema.fields.map((f) => [f.name, good.getChild(f.name)!]));
  columns["score"] = arrow.vectorFromArray(Array.from(good.getChild("score")!.toArray() as Float64Array, String), new arrow.Utf8());
  return arrow.tableToIPC(new arrow.Table(columns), "stream");
}

function written(name: string, bytes: Uint8Array): string {
  writeFileSync(scratch.path(name), bytes);
  return scratch.path(name);
}

/** The example NDJSON with a bad first line, so --fail-fast stops before most of it is read. */
function badFirstLine(): string {
  return `{"not": "a plan"}\n${readFileSync(PLANS_170_FILE, "utf8")}`;
}

describe("the CLI closes its input", () => {
  it.each([
    ["a CSV read to the end", () => [scratch.write("good.csv", longCsv(s, rows)), "--format", "csv"], 0],
    ["a CSV stopped at its header", () => [scratch.write("bad.csv", "plan_id,a,b\n1,2,3\n"), "--format", "csv"], 1],
    ["a Parquet file, read by path", () => [EXAMPLE_PARQUET, "--format", "ndjson"], 0],
    ["an Arrow stream stopped at its schema", () => [written("text.arrows", scoreAsText()), "--format", "ndjson"], 1],
    ["NDJSON stopped by --fail-fast", () => [scratch.write("bad-first.ndjson", badFirstLine()), "--fail-fast", "--format", "ndjson"], 1],
  ] as const)("%s", (_name, args, status) => {
    const result = run([...args()]);
    expect(result.status, result.stderr).toBe(status);
    expect(result.stderr).not.toContain("on garbage collection");
    expect(result.stderr.trimEnd().split("\n").filter((line) => line !== "").length, result.stderr).toBeLessThanOrEqual(1);
  });
});
