/**
 * A table that cannot be read as one — not the format it claims, cut short, a column missing or
 * of the wrong type (`score` stored as text) — is one coded error naming the column (or where it
 * broke): E_TABLE or E_SCHEMA, exit status 1 from the CLI, a ValidationError from the API.
 */
import * as arrow from "apache-arrow";
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { ValidationError } from "../../src/index.js";
import { aggregateTable } from "../../src/tables/index.js";
import { CLI_TIMEOUTS, runCli, scratchFiles } from "../support/cli.js";
import { longArrow, longCsv, longRows, parquetOf, study } from "../support/tables.js";

vi.setConfig(CLI_TIMEOUTS);

const scratch = scratchFiles();
const s = study(20, 31);
const rows = longRows(20, 4, 32);
const csv = longCsv(s, rows);
const good = longArrow(s, rows);
const write = (name: string, bytes: Uint8Array | string) => {
  writeFileSync(scratch.path(name), bytes);
  return scratch.path(name);
};

/** The CLI on `file`: one line on stderr with `code` and `mention`, nothing on stdout but (for CSV) a header, exit 1. */
function refused(args: string[], code: string, mention: string) {
  const { status, stdout, stderr } = runCli([...args, "--format", "ndjson"]);
  expect(status).toBe(1);
  expect(stdout).toBe("");
  expect(stderr.trimEnd().split("\n"), stderr).toHaveLength(1);
  expect(stderr).toContain(`(${code})`);
  expect(stderr).toContain(mention);
}

/** The long table with `score` as text. */
function scoreAsText(): arrow.Table {
  const columns = Object.fromEntries(good.schema.fields.map((f) => [f.name, good.getChild(f.name)!]));
  columns["score"] = arrow.vectorFromArray(Array.from(good.getChild("score")!.toArray() as Float64Array, String), new arrow.Utf8());
  return new arrow.Table(columns);
}

function without(name: string): arrow.Table {
  return new arrow.Table(Object.fromEntries(good.schema.fields.filter((f) => f.name !== name).map((f) => [f.name, good.getChild(f.name)!])));
}

describe("malformed Parquet", () => {
  it("a file that is not Parquet", () => refused([write("not.parquet", csv)], "E_TABLE", "not a readable Parquet file"));

  it("a truncated file", () => {
    const bytes = parquetOf(good, 100);
    refused([write("cut.parquet", bytes.subarray(0, bytes.length >> 1))], "E_TABLE", "not a readable Parquet file");
  });

  it("score stored as text: E_SCHEMA naming the column", () => refused([write("text.parquet", parquetOf(scoreAsText()))], "E_SCHEMA", 'column "score" holds Utf8'));

  it("a column missing", () => refused([write("no-dim.parquet", parquetOf(without("dimension_id")))], "E_SCHEMA", 'no column "dimension_id"'));

  it("a plan key column that is not there (--id)", () => refused([write("ok.parquet", parquetOf(good)), "--id", "municipio"], "E_SCHEMA", 'no column "municipio"'));
});

describe("malformed Arrow IPC", () => {
  it("bytes that are not Arrow", () => refused([write("junk.arrow", readFileSync(write("x.csv", csv)))], "E_TABLE", "Arrow"));

  it("score stored as text", () => refused([write("text.arrows", arrow.tableToIPC(scoreAsText(), "stream"))], "E_SCHEMA", "score"));
});

describe("malformed CSV", () => {
  it("a header without score", () => refused([write("no-score.csv", csv.replace("score,score_std", "points,score_std"))], "E_SCHEMA", 'no column "score"'));

  it("neither long nor wide", () => refused([write("other.csv", "plan_id,a,b\n1,2,3\n")], "E_SCHEMA", "neither a long table"));

  it("an empty file", () => refused([write("empty.csv", "")], "E_TABLE", "empty"));

  it("a quoted field never closed: the plans before it are written, and stderr says so", () => {
    const { status, stdout, stderr } = runCli([write("open-quote.csv", `${csv}"plan-x,PA01,DIM01,1,0\n`), "--format", "ndjson"]);
    expect(status).toBe(1);
    expect(stdout.trim().split("\n")).toHaveLength(20);
    expect(stderr).toMatch(/line \d+: the file ends inside a quoted field \(E_TABLE\); the results of the 20 plans before it were written/);
  });
});

describe("aggregateTable", () => {
  const rejects = async (table: unknown, code: string, path: string) => {
    const error: unknown = await aggregateTable(table as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe(code);
    expect((error as ValidationError).issues[0]!.path).toBe(path);
  };

  it("an Arrow table with score as text is E_SCHEMA at score", () => rejects(scoreAsText(), "E_SCHEMA", "score"));
  it("columns of different lengths are E_COUNT at the short one", () =>
    rejects({ plan_id: ["a", "b"], area_id: ["PA01"], dimension_id: ["DIM01", "DIM02"], score: [1, 2] }, "E_COUNT", "area_id"));
  it("a column that is not an array is E_TYPE", () => rejects({ plan_id: ["a"], area_id: "PA01", dimension_id: ["DIM01"], score: [1] }, "E_TYPE", "area_id"));
  it("not a table at all is E_TYPE", () => rejects(42, "E_TYPE", ""));
});
