/**
 * A Parquet column is read in whichever Arrow type its writer stored: text as Utf8, LargeUtf8 or a
 * dictionary of either (pandas' categoricals, Polars' large strings), plan keys as text or
 * integers, numbers as floats or integers, nulls where the file has them; the results are those
 * of the same table with plain columns. A type no column of ours takes is one E_SCHEMA error
 * naming the column and the type.
 */
import * as arrow from "apache-arrow";
import { writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { CLI_TIMEOUTS, runCli, scratchFiles } from "../support/cli.js";
import { longArrow, longRows, parquetOf, study, type Study } from "../support/tables.js";

vi.setConfig(CLI_TIMEOUTS);

const PLANS = 40;
const scratch = scratchFiles();
const rows = longRows(PLANS, 8, 21);
// Row groups of 700 rows: several, the last one shorter, so the reader's buffers are reused and regrown.
const GROUP_ROWS = 700;

/** `table` with some columns replaced (each the same cells in another Arrow type). */
function withColumns(table: arrow.Table, columns: Record<string, arrow.Vector>): arrow.Table {
  return new arrow.Table(Object.fromEntries(table.schema.fields.map((f) => [f.name, columns[f.name] ?? table.getChild(f.name)!])));
}

/** A column's cells as an array (text as strings, numbers as numbers). */
const cells = (table: arrow.Table, name: string) => Array.from(table.getChild(name)!.toArray() as ArrayLike<unknown>);

/** The CLI's NDJSON for a Parquet file of `table`, with its stderr and exit status. */
function run(name: string, table: arrow.Table) {
  const path = scratch.path(name);
  writeFileSync(path, parquetOf(table, GROUP_ROWS));
  return runCli([path, "--format", "ndjson"]);
}

function results(name: string, table: arrow.Table): string {
  const { status, stdout, stderr } = run(name, table);
  expect(stderr).toBe("");
  expect(status).toBe(0);
  expect(stdout.trim().split("\n")).toHaveLength(PLANS);
  return stdout;
}

describe("Parquet columns in any Arrow type we take", () => {
  const s = study(PLANS, 22);
  const plain = longArrow(s, rows);
  let plainResults: string;
  beforeAll(() => {
    plainResults = results("plain.parquet", plain);
  });

  it("text as dictionaries and LargeUtf8: the plain file's results", () => {
    const table = withColumns(plain, {
      plan_id: arrow.vectorFromArray(cells(plain, "plan_id"), new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
      area_id: arrow.vectorFromArray(cells(plain, "area_id"), new arrow.Dictionary(new arrow.Utf8(), new arrow.Int8())),
      dimension_id: arrow.vectorFromArray(cells(plain, "dimension_id"), new arrow.LargeUtf8()),
    });
    expect(results("dictionary.parquet", table)).toBe(plainResults);
  });

  it("a LargeUtf8 plan key, and a dictionary of LargeUtf8", () => {
    const table = withColumns(plain, {
      plan_id: arrow.vectorFromArray(cells(plain, "plan_id"), new arrow.LargeUtf8()),
      area_id: arrow.vectorFromArray(cells(plain, "area_id"), new arrow.Dictionary(new arrow.LargeUtf8(), new arrow.Int16())),
    });
    expect(results("large.parquet", table)).toBe(plainResults);
  });

  it("integer plan keys (Int64 past 2^32, Uint16) key plans by their decimal text", () => {
    const big: Study = { ...s, keys: s.keys.map((_, e) => String(9_000_000_000 + e * 7)) };
    const bigPlain = longArrow(big, rows);
    const int64 = withColumns(bigPlain, { plan_id: arrow.vectorFromArray(cells(bigPlain, "plan_id").map((k) => BigInt(k as string)), new arrow.Int64()) });
    expect(results("int64.parquet", int64)).toBe(results("int64-as-text.parquet", bigPlain));

    const small: Study = { ...s, keys: s.keys.map((_, e) => String(60_000 + e)) };
    const smallPlain = longArrow(small, rows);
    const uint16 = withColumns(smallPlain, { plan_id: arrow.vectorFromArray(cells(smallPlain, "plan_id").map(Number), new arrow.Uint16()) });
    expect(results("uint16.parquet", uint16)).toBe(results("uint16-as-text.parquet", smallPlain));
  });

  it("a null score costs its plan only: one coded problem naming it, the other plans written", () => {
    const scores = cells(plain, "score") as (number | null)[];
    const at = rows.length - 3; // in the last, shorter row group
    scores[at] = null;
    const { status, stdout, stderr } = run("null.parquet", withColumns(plain, { score: arrow.vectorFromArray(scores, new arrow.Float64()) }));
    const key = s.keys[rows[at]!.e]!;
    expect(status).toBe(1);
    expect(stderr.split("\n").filter((line) => line.startsWith("plan "))).toStrictEqual([expect.stringContaining(`plan "${key}"`)]);
    expect(stderr).toContain(`row ${at + 1}.score: expected a number, got null (E_TYPE)`);
    const written = stdout.trim().split("\n");
    expect(written).toHaveLength(PLANS - 1);
    expect(written).toStrictEqual(plainResults.trim().split("\n").filter((line) => !line.includes(`"${key}"`)));
  });
});

describe("a Parquet column of a type we do not take is E_SCHEMA naming it and its type", () => {
  const s = study(4, 23);
  const plain = longArrow(s, longRows(4, 4, 24));
  const cases: [column: string, type: arrow.DataType, cell: (value: unknown) => unknown, says: string][] = [
    ["score", new arrow.Bool(), (v) => (v as number) > 1, 'column "score" holds Bool; expected numbers'],
    ["score", new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()), String, 'column "score" holds Dictionary<Int32, Utf8>; expected numbers'],
    ["score_std", new arrow.Float16(), Number, 'column "score_std" holds Float16; expected numbers'],
    ["area_id", new arrow.Binary(), (v) => new TextEncoder().encode(v as string), 'column "area_id" holds Binary; expected text'],
    ["area_id", new arrow.Dictionary(new arrow.Float64(), new arrow.Int32()), (v) => (v as string).length, 'column "area_id" holds Dictionary<Int32, Float64>; expected text'],
    ["plan_id", new arrow.Float64(), (v) => (v as string).length, 'column "plan_id" holds Float64; expected text or integers'],
  ];

  it.each(cases)("%s as %s", (column, type, cell, says) => {
    const table = withColumns(plain, { [column]: arrow.vectorFromArray(cells(plain, column).map(cell), type) });
    const { status, stdout, stderr } = run(`${column}-${String(type)}.parquet`.replace(/[^\w.-]/g, "_"), table);
    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toContain("(E_SCHEMA)");
    expect(stderr).toContain(says);
  });
});
