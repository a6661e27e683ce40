/**
 * A Parquet file is read in slices of the file, one per run of column chunks the reader needs,
 * into buffers reused slice after slice. With columns we skip between those we read, parquet-wasm
 * asks for several slices at once: each must land in a buffer of its own, and a buffer taken
 * again must not be one a slice still being read lies in. The results are those of the same
 * table without the skipped columns, read on the reader thread and on the main thread alike.
 */
import * as arrow from "apache-arrow";
import { writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { CLI_TIMEOUTS, runCli, scratchFiles } from "../support/cli.js";
import { longArrow, longRows, parquetOf, study } from "../support/tables.js";

vi.setConfig(CLI_TIMEOUTS);

const PLANS = 120;
const GROUP_ROWS = 900;
const scratch = scratchFiles();
const s = study(PLANS, 61);
const plain = longArrow(s, longRows(PLANS, 12, 62));

/** Text of a few KB a row group: more than parquet-wasm merges into one slice with its neighbours. */
const filler = (seed: number) => arrow.vectorFromArray(Array.from({ length: plain.numRows }, (_, i) => `skipped cell ${seed} ${i} `.repeat(4)), new arrow.Utf8());

/** The plain table with a column we do not read before, between and after the ones we do. */
const withSkipped = new arrow.Table({
  note: filler(1),
  plan_id: plain.getChild("plan_id")!,
  remark: filler(2),
  area_id: plain.getChild("area_id")!,
  dimension_id: plain.getChild("dimension_id")!,
  weight: arrow.makeVector(Float64Array.from({ length: plain.numRows }, (_, i) => i / 7)),
  score: plain.getChild("score")!,
  comment: filler(3),
  score_std: plain.getChild("score_std")!,
  tail: filler(4),
});

function results(name: string, table: arrow.Table, jobs: string): string {
  const path = scratch.path(name);
  writeFileSync(path, parquetOf(table, GROUP_ROWS));
  const { status, stdout, stderr } = runCli([path, "--format", "ndjson", "--jobs", jobs]);
  expect(stderr).toBe("");
  expect(status).toBe(0);
  expect(stdout.trim().split("\n")).toHaveLength(PLANS);
  return stdout;
}

describe("Parquet read in slices, several at once, into reused buffers", () => {
  let expected: string;
  beforeAll(() => {
    expected = results("plain.parquet", plain, "1");
  });

  it.each(["1", "2"])("columns skipped between those read: the plain file's results (--jobs %s)", (jobs) => {
    expect(results(`skipped-${jobs}.parquet`, withSkipped, jobs)).toBe(expected);
  });
});
