/**
 * Tables give the JSON path's results bit for bit: the same plans as long and wide CSV, Parquet
 * and Arrow IPC (file and stream), through the CLI (files, and stdin with --from) and through
 * aggregateTable (plain columns and Arrow tables), analytic and Monte-Carlo, on the backend the
 * project runs. Plans are numbered by first appearance, so Monte-Carlo streams do not depend
 * on the format.
 */
import * as arrow from "apache-arrow";
import wasm from "parquet-wasm/node";
import { readFileSync, writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { HighPerformanceAreaAggregator, type AreaScore } from "../../src/index.js";
import { aggregateTable } from "../../src/tables/index.js";
import { AREA_IDS, DIMENSION_IDS } from "../../src/core/constants.js";
import { CLI_TIMEOUTS, ndjsonResults, runCli, scratchFiles } from "../support/cli.js";
import { jsonPlans, longArrow, longCsv, longRows, parquetOf, parseCsv, study, wideArrow, wideCsv } from "../support/tables.js";

vi.setConfig(CLI_TIMEOUTS);

const PLANS = 150;
const s = study(PLANS, 11);
const rows = longRows(PLANS, 40, 12);
const scratch = scratchFiles();
const SAMPLES = 64;
const MC = ["--uncertainty", "monte-carlo", "--samples", String(SAMPLES), "--seed", "5"];

/** The results a table row must equal: [plan][area], from aggregateBatch (the JSON path's engine call). */
async function expected(monteCarlo: boolean): Promise<AreaScore[][]> {
  const options = monteCarlo ? { uncertainty: { method: "monte-carlo" as const, samples: SAMPLES, seed: 5 } } : {};
  return (await new HighPerformanceAreaAggregator(options).aggregateBatch(jsonPlans(s))).areaScores;
}

/** Result rows (plan key, area, four numbers, quality) as one comparable list. */
type Row = [key: string, area: string, score: number, std: number, low: number, high: number, quality: string, method: string];

function expectedRows(areaScores: AreaScore[][]): Row[] {
  return areaScores.flatMap((areas, e) =>
    areas.map((a): Row => [s.keys[e]!, a.areaId, a.score, a.scoreStd, a.confidenceInterval95[0], a.confidenceInterval95[1], a.qualityLevel, a.aggregationMethod]),
  );
}

function csvRows(text: string): Row[] {
  const [header, ...body] = parseCsv(text);
  expect(header!.slice(0, 10)).toEqual(["plan_id", "area_id", "area_name", "cluster_id", "score", "score_std", "ci_low", "ci_high", "quality_level", "aggregation_method"]);
  return body.map((f): Row => [f[0]!, f[1]!, Number(f[4]), Number(f[5]), Number(f[6]), Number(f[7]), f[8]!, f[9]!]);
}

function arrowRowsOf(table: arrow.Table): Row[] {
  const column = (name: string) => table.getChild(name)!.toArray() as ArrayLike<unknown>;
  const [key, area, score, std, low, high, quality, method] = ["plan_id", "area_id", "score", "score_std", "ci_low", "ci_high", "quality_level", "aggregation_method"].map(column);
  return Array.from({ length: table.numRows }, (_, r): Row => [key![r], area![r], score![r], std![r], low![r], high![r], quality![r], method![r]] as Row);
}

const readParquet = (path: string) => arrow.tableFromIPC(wasm.readParquet(readFileSync(path)).intoIPCStream());

function cli(args: string[], input?: string | Buffer) {
  const result = runCli(args, input as string);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return result.stdout;
}

describe("tables give the JSON path's bits", () => {
  const files: Record<string, string> = {};
  let analytic: Row[];
  let monteCarlo: Row[];

  beforeAll(async () => {
    files["long.csv"] = scratch.write("long.csv", longCsv(s, rows));
    files["wide.csv"] = scratch.write("wide.csv", wideCsv(s));
    writeFileSync((files["long.parquet"] = scratch.path("long.parquet")), parquetOf(longArrow(s, rows), 2000));
    writeFileSync((files["wide.parquet"] = scratch.path("wide.parquet")), parquetOf(wideArrow(s), 64));
    writeFileSync((files["long.arrow"] = scratch.path("long.arrow")), arrow.tableToIPC(longArrow(s, rows), "file"));
    writeFileSync((files["wide.arrows"] = scratch.path("wide.arrows")), arrow.tableToIPC(wideArrow(s), "stream"));
    analytic = expectedRows(await expected(false));
    monteCarlo = expectedRows(await expected(true));
  });

  it.each(["long.csv", "wide.csv", "long.parquet", "wide.parquet", "long.arrow", "wide.arrows"])("CLI: %s to CSV, analytic and Monte-Carlo, across blocks", (name) => {
    expect(csvRows(cli([files[name]!, "--format", "csv", "--chunk-size", "32"]))).toStrictEqual(analytic);
    expect(csvRows(cli([files[name]!, "--format", "csv", "--chunk-size", "32", ...MC]))).toStrictEqual(monteCarlo);
  });

  it.each(["csv", "parquet", "arrow"])("CLI: stdin with --from %s", (format) => {
    const file = { csv: files["long.csv"], parquet: files["long.parquet"], arrow: files["long.arrow"] }[format]!;
    expect(csvRows(cli(["--from", format, "--format", "csv"], readFileSync(file)))).toStrictEqual(analytic);
  });

  it("CLI: Parquet and Arrow outputs hold the same numbers", () => {
    const parquet = scratch.path("out.parquet");
    cli([files["long.csv"]!, "-o", parquet, "--chunk-size", "40"]);
    expect(arrowRowsOf(readParquet(parquet))).toStrictEqual(analytic);
    for (const name of ["out.arrow", "out.arrows"]) {
      cli([files["long.parquet"]!, "-o", scratch.path(name), ...MC]);
      expect(arrowRowsOf(arrow.tableFromIPC(readFileSync(scratch.path(name))))).toStrictEqual(monteCarlo);
    }
  });

  it("CLI: NDJSON from a table equals NDJSON from the same plans as JSON lines, plan key for line", () => {
    const lines = jsonPlans(s).map((plan, e) =>
      JSON.stringify({ dimension_scores: plan.map((d) => ({ area_id: d.areaId, dimension_id: d.dimensionId, score: d.score, score_std: d.scoreStd })), plan: e }),
    );
    const ndjson = scratch.write("plans.ndjson", `${lines.join("\n")}\n`);
    for (const extra of [[], MC]) {
      const fromJson = ndjsonResults(cli([ndjson, "--format", "ndjson", ...extra]));
      const fromTable = cli([files["wide.parquet"]!, "--format", "ndjson", "--inputs", ...extra]).trim().split("\n").map((l) => JSON.parse(l) as { plan_id: string; area_scores: unknown[] });
      expect(fromTable.map((r) => r.plan_id)).toEqual(s.keys);
      expect(fromTable.map((r) => r.area_scores)).toStrictEqual(fromJson.map((r) => r.area_scores));
    }
  });

  it("API: plain columns and Arrow tables, long and wide", async () => {
    const longColumns = {
      plan_id: rows.map((r) => s.keys[r.e]!),
      area_id: rows.map((r) => AREA_IDS[Math.floor(r.slot / 6)]!),
      dimension_id: rows.map((r) => DIMENSION_IDS[r.slot % 6]!),
      score: rows.map((r) => s.scores[r.e * 60 + r.slot]!),
      score_std: Float64Array.from(rows, (r) => s.stds[r.e * 60 + r.slot]!),
    };
    const mc = new HighPerformanceAreaAggregator({ uncertainty: { method: "monte-carlo", samples: SAMPLES, seed: 5 } });
    for (const table of [longColumns, longArrow(s, rows, 777), wideArrow(s)]) {
      const result = await aggregateTable(table);
      expect(result.plans).toBe(PLANS);
      expect(apiRows(result.columns)).toStrictEqual(analytic);
      expect(apiRows((await aggregateTable(table, { aggregator: mc })).columns)).toStrictEqual(monteCarlo);
    }
  });
});

function apiRows(columns: Record<string, string[] | Float64Array>): Row[] {
  const c = (name: string) => columns[name]! as ArrayLike<unknown>;
  return Array.from({ length: c("score").length }, (_, r): Row =>
    [c("plan_id")[r], c("area_id")[r], c("score")[r], c("score_std")[r], c("ci_low")[r], c("ci_high")[r], c("quality_level")[r], c("aggregation_method")[r]] as Row,
  );
}
