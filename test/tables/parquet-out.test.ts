/**
 * Parquet results as pandas and DuckDB users read them: every column REQUIRED, text as UTF8
 * strings and numbers as doubles, in the CLI's column order; a row group per block; an empty
 * output still has its schema; and what parquet-wasm (apache-arrow) and DuckDB read back is the
 * JSON path's results bit for bit, plan keys with non-ASCII bytes and --inputs columns included.
 * A sink that fails is the CLI's E_OUTPUT.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import * as arrow from "apache-arrow";
import wasm from "parquet-wasm/node";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { HighPerformanceAreaAggregator } from "../../src/index.js";
import { AREA_ROWS, DIMENSION_IDS } from "../../src/core/constants.js";
import { CLI_TIMEOUTS, runCli, runCliToFile, scratchFiles } from "../support/cli.js";
import { jsonPlans, longCsv, longRows, study } from "../support/tables.js";

vi.setConfig(CLI_TIMEOUTS);

const PLANS = 151;
const BLOCK = 40;
/** Keys in several scripts, with a comma and a quote: each one's UTF-8 bytes must come back. */
const KEY_SHAPES = [(e: number) => `plan-${e}`, (e: number) => `Bogotá D.C. ${e}`, (e: number) => `東京-${e}`, (e: number) => `🌍 "${e}", ñ`];
const s = { ...study(PLANS, 23), keys: Array.from({ length: PLANS }, (_, e) => KEY_SHAPES[e % KEY_SHAPES.length]!(e)) };
const scratch = scratchFiles();
const COLUMNS = ["plan_id", "area_id", "area_name", "cluster_id", "score", "score_std", "ci_low", "ci_high", "quality_level", "aggregation_method"];
const INPUTS = [...DIMENSION_IDS.map((d) => `score_${d}`), ...DIMENSION_IDS.map((d) => `score_std_${d}`)];
const NUMBERS = new Set(["score", "score_std", "ci_low", "ci_high", ...INPUTS]);

/** Doubles as their bits, so -0, 0 and the last bit all count. */
const bits = (values: ArrayLike<unknown>) => Array.from(new BigInt64Array(Float64Array.from(values as ArrayLike<number>).buffer));
const comparable = (columns: Record<string, ArrayLike<unknown>>) =>
  Object.fromEntries(Object.entries(columns).map(([name, values]) => [name, NUMBERS.has(name) ? bits(values) : Array.from(values)]));

/** What each column must hold, row `e*10 + a`, from aggregateBatch (the JSON path's engine call) and the inputs. */
async function expectedColumns(): Promise<Record<string, unknown[]>> {
  const { areaScores } = await new HighPerformanceAreaAggregator().aggregateBatch(jsonPlans(s));
  const rows = areaScores.flatMap((areas, e) => areas.map((score, a) => ({ e, a, score })));
  const columns: Record<string, ArrayLike<unknown>> = {
    plan_id: rows.map((r) => s.keys[r.e]),
    area_id: rows.map((r) => r.score.areaId),
    area_name: rows.map((r) => AREA_ROWS[r.a]!.areaName),
    cluster_id: rows.map((r) => AREA_ROWS[r.a]!.clusterId),
    score: rows.map((r) => r.score.score),
    score_std: rows.map((r) => r.score.scoreStd),
    ci_low: rows.map((r) => r.score.confidenceInterval95[0]),
    ci_high: rows.map((r) => r.score.confidenceInterval95[1]),
    quality_level: rows.map((r) => r.score.qualityLevel),
    aggregation_method: rows.map((r) => r.score.aggregationMethod),
  };
  INPUTS.forEach((name, c) => (columns[name] = rows.map((r) => (c < 6 ? s.scores : s.stds)[r.e * 60 + r.a * 6 + (c % 6)])));
  return comparable(columns);
}

function readWasm(path: string): arrow.Table {
  return arrow.tableFromIPC(wasm.readParquet(readFileSync(path)).intoIPCStream());
}

const wasmColumns = (table: arrow.Table) => comparable(Object.fromEntries(table.schema.fields.map((f) => [f.name, table.getChild(f.name)!.toArray() as ArrayLike<unknown>])));

function cli(args: string[]) {
  const result = runCli(args);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
}

describe("Parquet results", () => {
  let duck: DuckDBConnection;
  let csv: string;
  let expected: Record<string, unknown[]>;
  const sql = async (query: string) => (await duck.runAndReadAll(query)).getRowObjectsJS();
  const duckColumns = async (path: string) => comparable((await duck.runAndReadAll(`SELECT * FROM read_parquet('${path}')`)).getColumnsObjectJS() as Record<string, unknown[]>);

  beforeAll(async () => {
    duck = await (await DuckDBInstance.create()).connect();
    csv = scratch.write("long.csv", longCsv(s, longRows(PLANS, 30, 5)));
    expected = await expectedColumns();
  });
  afterAll(() => duck?.closeSync());

  it.each([
    ["without inputs", [], COLUMNS],
    ["with --inputs", ["--inputs"], [...COLUMNS, ...INPUTS]],
  ])("%s: DuckDB and parquet-wasm read back the JSON path's bits, keys and all", async (name, flags, names) => {
    const path = scratch.path(`bits ${name}.parquet`);
    cli([csv, "-o", path, "--chunk-size", String(BLOCK), ...flags]);
    const want = Object.fromEntries(names.map((n) => [n, expected[n]]));
    expect(await duckColumns(path)).toStrictEqual(want);
    expect(wasmColumns(readWasm(path))).toStrictEqual(want);
  });

  it("schema: the CLI's column order, every column REQUIRED, text UTF8 strings, numbers DOUBLE", async () => {
    const path = scratch.path("schema.parquet");
    cli([csv, "-o", path, "--inputs"]);
    const schema = await sql(`SELECT name, type, repetition_type, converted_type, logical_type FROM parquet_schema('${path}') WHERE num_children IS NULL`);
    expect(schema.map((c) => c["name"])).toStrictEqual([...COLUMNS, ...INPUTS]);
    for (const column of schema) {
      expect(column["repetition_type"]).toBe("REQUIRED");
      if (NUMBERS.has(column["name"] as string)) expect([column["type"], column["converted_type"]]).toStrictEqual(["DOUBLE", null]);
      else expect([column["type"], column["converted_type"], column["logical_type"]]).toStrictEqual(["BYTE_ARRAY", "UTF8", "StringType()"]);
    }
    expect(readWasm(path).schema.fields.map((f) => `${f.name}:${f.type}`)).toStrictEqual([...COLUMNS, ...INPUTS].map((n) => `${n}:${NUMBERS.has(n) ? "Float64" : "Utf8"}`));
  });

  it("a row group per block of plans", async () => {
    for (const [block, groups] of [
      [BLOCK, [400, 400, 400, 310]],
      [1000, [1510]],
    ] as const) {
      const path = scratch.path(`groups-${block}.parquet`);
      cli([csv, "-o", path, "--chunk-size", String(block)]);
      const rows = await sql(`SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata('${path}') ORDER BY row_group_id`);
      expect(rows.map((r) => Number(r["row_group_num_rows"]))).toStrictEqual(groups);
    }
  });

  it("no plans: the file still has its schema, and no rows", async () => {
    const path = scratch.path("empty.parquet");
    cli([scratch.write("empty.csv", "plan_id,area_id,dimension_id,score,score_std\n"), "-o", path]);
    const read = await duck.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);
    expect(read.columnNames()).toStrictEqual(COLUMNS);
    expect(read.currentRowCount).toBe(0);
    const table = readWasm(path);
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toStrictEqual(COLUMNS);
  });

  it.runIf(existsSync("/dev/full"))("stdout on a full device: the CLI's E_OUTPUT, exit status 3", () => {
    const { status, stderr } = runCliToFile([csv, "--format", "parquet"], "/dev/full");
    expect(stderr).toBe("farfan-aggregate: cannot write output: no space left on device (E_OUTPUT)\n");
    expect(status).toBe(3);
  });
});
