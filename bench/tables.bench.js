// Batch studies from tables, side by side with DuckDB in the same run (bench/tables-data.js's
// data: long Parquet, wide Parquet, long CSV and NDJSON of the same plans, fixed seed):
//
//   ours:    farfan-aggregate long.parquet -o out.parquet, wide.parquet -o out.parquet,
//            long.csv -o out.csv, and the NDJSON path (plans.ndjson --format ndjson, --jobs 2);
//   DuckDB:  the same files to the same outputs with the SQL below (@duckdb/node-api, 2 threads).
//
// Each run is a whole process (tinybench times it: wall time, median of 3 rounds, each round
// every task once, ours beside DuckDB's on each input), with its peak RSS and CPU time read in
// the process itself. DuckDB's numbers are checked against ours
// (max abs difference ≤ 1e-12 over every score, std and bound, the same quality levels). The
// phase split (read/decode, reshape, kernel, encode/write) comes from one more run of our
// pipeline in a child process, on one thread (the same modules the CLI runs, timed by runTable
// itself; the CLI reads on a thread of its own beside the other phases).
//
//   npm run build && node bench/tables.bench.js
//
// FARFAN_BENCH_TABLE_PLANS=100000,1000000 (the default) picks the sizes; FARFAN_BENCH_TABLES_DIR
// where the generated data lives (default under the system's temp folder; it is kept, since
// 10^6 plans take ~20 min to generate, and regenerated only when missing). Rewrites the "tables"
// section of bench/RESULTS.md.
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Bench } from "tinybench";
import { AREA_IDS, DIMENSION_IDS, csvToParquet, duckdbCsvColumns, writeTexts } from "./tables-data.js";
import { writeSection } from "./results.js";

const SIZES = (process.env.FARFAN_BENCH_TABLE_PLANS ?? "100000,1000000").split(",").map(Number);
const DATA = process.env.FARFAN_BENCH_TABLES_DIR ?? join(tmpdir(), "farfan-tables-bench");
const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const ROUNDS = 3;
/** The inputs, in the order a round runs them. */
const INPUTS = ["long.parquet", "wide.parquet", "long.csv", "plans.ndjson"];
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const TOLERANCE = 1e-12;
const LABELS = { "long.parquet": "long Parquet → Parquet", "wide.parquet": "wide Parquet → Parquet", "long.csv": "long CSV → CSV" };
const AREA_NAMES = [
  ["PA01", "Derechos de las mujeres e igualdad de género", "CL02"],
  ["PA02", "Prevención de la violencia y protección frente al conflicto", "CL01"],
  ["PA03", "Ambiente sano, cambio climático, prevención y atención a desastres", "CL01"],
  ["PA04", "Derechos económicos, sociales y culturales", "CL03"],
  ["PA05", "Derechos de las víctimas y construcción de paz", "CL02"],
  ["PA06", "Derecho al buen futuro de la niñez, adolescencia, juventud", "CL02"],
  ["PA07", "Tierras y territorios", "CL01"],
  ["PA08", "Líderes y defensores de derechos humanos", "CL03"],
  ["PA09", "Crisis de derechos de personas privadas de la libertad", "CL04"],
  ["PA10", "Migración transfronteriza", "CL04"],
];

/** Probe loaded into every timed process: its peak RSS (KiB) and CPU time (µs) on fd 3 at exit. */
const USAGE_PROBE =
  'data:text/javascript,import{writeSync}from"node:fs";process.on("exit",()=>{const u=process.resourceUsage();writeSync(3,JSON.stringify([u.maxRSS,u.userCPUTime+u.systemCPUTime]))})';

// --- DuckDB's side: the SQL a user would write (equal weights: R = 6 per area). ---

const areaNames = `(VALUES ${AREA_NAMES.map(([a, n, c]) => `('${a}', '${n}', '${c}')`).join(", ")}) AS names(area_id, area_name, cluster_id)`;

/** Per (plan, area): the SPEC §4 score, std and interval, the quality level, from `areas(plan_id, area_id, raw, std)`. */
const finish = (areas) => `
  SELECT a.plan_id, a.area_id, names.area_name, names.cluster_id,
         least(3, greatest(0, a.raw)) AS score, a.std AS score_std,
         greatest(0, least(3, greatest(0, a.raw)) - 1.96 * a.std) AS ci_low,
         least(3, least(3, greatest(0, a.raw)) + 1.96 * a.std) AS ci_high,
         CASE WHEN least(3, greatest(0, a.raw)) >= 2.55 THEN 'EXCELENTE' WHEN least(3, greatest(0, a.raw)) >= 2.1 THEN 'BUENO'
              WHEN least(3, greatest(0, a.raw)) >= 1.65 THEN 'ACEPTABLE' ELSE 'INSUFICIENTE' END AS quality_level,
         'weighted_average' AS aggregation_method
  FROM (${areas}) a JOIN ${areaNames} USING (area_id)`;

const longAreas = (source) =>
  `SELECT plan_id, area_id, sum(score) / 6 AS raw, sqrt(sum(coalesce(score_std, 0) * coalesce(score_std, 0))) / 6 AS std FROM ${source} GROUP BY plan_id, area_id`;

const wideAreas = (source) =>
  AREA_IDS.map((a) => {
    const s = DIMENSION_IDS.map((d) => `score_${a}_${d}`).join(" + ");
    const v = DIMENSION_IDS.map((d) => `score_std_${a}_${d} * score_std_${a}_${d}`).join(" + ");
    return `SELECT plan_id, '${a}' AS area_id, (${s}) / 6 AS raw, sqrt(${v}) / 6 AS std FROM ${source}`;
  }).join(" UNION ALL ");

export const DUCKDB_SQL = {
  "long.parquet": (input, output) => `COPY (${finish(longAreas(`read_parquet('${input}')`))}) TO '${output}' (FORMAT parquet)`,
  "wide.parquet": (input, output) => `COPY (${finish(wideAreas(`read_parquet('${input}')`))}) TO '${output}' (FORMAT parquet)`,
  "long.csv": (input, output) => `COPY (${finish(longAreas(`read_csv('${input}', header = true, columns = ${duckdbCsvColumns(false)})`))}) TO '${output}' (FORMAT csv, HEADER)`,
};

// --- Child modes: this file run as DuckDB's process, or as our pipeline with its phase split. ---

async function duckdbChild(sql) {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const connection = await (await DuckDBInstance.create(":memory:", { threads: "2" })).connect();
  await connection.run(sql);
}

async function phasesChild(input, output) {
  const { createWriteStream } = await import("node:fs");
  const { HighPerformanceAreaAggregator } = await import("../dist/index.js");
  const { tableRows } = await import("../dist/cli/table-reader.js");
  const { runTable } = await import("../dist/tables/run.js");
  const { csvWriter } = await import("../dist/tables/csv-writer.js");
  const { textCodecFor } = await import("../dist/tables/text-codec.js");
  const { parquetWriter } = await import("../dist/tables/parquet-writer.js");
  const { formatOfPath } = await import("../dist/tables/formats.js");
  const { openSource } = await import("../dist/cli/input.js");
  const { EQUAL_WEIGHTS } = await import("../dist/input/weights.js");
  const { DEFAULT_MAX_OPEN_PLANS, DEFAULT_TABLE_BLOCK_PLANS } = await import("../dist/tables/defaults.js");
  const out = createWriteStream(output);
  const sink = { write: (data, written) => new Promise((resolve) => (out.write(data, written) ? resolve(true) : out.once("drain", () => resolve(true)))) };
  const settings = { idColumn: "plan_id", method: "weighted_average", inputs: false };
  const aggregator = new HighPerformanceAreaAggregator();
  // Text in and out as the CLI does it on this backend.
  const codec = textCodecFor(aggregator.backend);
  const writer = formatOfPath(output) === "csv" ? csvWriter(sink, settings, undefined, codec) : parquetWriter(sink, settings);
  const start = performance.now();
  // The input read as the CLI reads it (a CSV into reused buffers). On one thread by default, so
  // that each phase's time is its cost; FARFAN_BENCH_JOBS=2 reads on the reader thread as the
  // CLI does, and "read" is then the time spent waiting for it.
  const format = formatOfPath(input);
  const source = await openSource(input, format === "csv" ? "copied" : "kept");
  const jobs = Number(process.env.FARFAN_BENCH_JOBS ?? 1);
  const result = await runTable(
    tableRows(source, input, format, "plan_id", aggregator.backend, jobs).batches,
    aggregator,
    { sorted: false, maxOpenPlans: DEFAULT_MAX_OPEN_PLANS, blockPlans: DEFAULT_TABLE_BLOCK_PLANS, weights: EQUAL_WEIGHTS, inputs: false },
    { writer, problem: () => {} },
  );
  await source.close();
  await new Promise((resolve) => out.end(resolve));
  process.stdout.write(JSON.stringify({ seconds: (performance.now() - start) / 1000, plans: result.plans, peakOpen: result.peakOpen, ...result.phases }));
}

// --- The parent: data, timed processes, the check, the report. ---

/** Runs `args` under node with the usage probe; resolves to its peak RSS, CPU time and stdout. */
function measured(args, stdoutFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", USAGE_PROBE, ...args], { stdio: ["ignore", "pipe", "inherit", "pipe"] });
    let usage = "";
    let stdout = "";
    child.stdio[3].setEncoding("utf8").on("data", (text) => (usage += text));
    if (stdoutFile) child.stdout.pipe(createWriteStream(stdoutFile));
    else child.stdout.setEncoding("utf8").on("data", (text) => (stdout += text));
    child.once("error", reject);
    child.once("close", (code) => {
      if (code !== 0) return reject(new Error(`${args.join(" ")} exited ${code}`));
      const [rssKiB, cpuMicros] = JSON.parse(usage);
      resolve({ peakRssMb: rssKiB / 1024, cpuSeconds: cpuMicros / 1e6, stdout });
    });
  });
}

async function ensureData(plans) {
  const dir = join(DATA, `n${plans}`);
  const files = ["long.csv", "wide.csv", "plans.ndjson", "long.parquet", "wide.parquet"].map((f) => join(dir, f));
  if (files.every((f) => existsSync(f))) return dir;
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  writeTexts(plans, { longCsv: files[0], wideCsv: files[1], ndjson: files[2] });
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const connection = await (await DuckDBInstance.create(":memory:")).connect();
  await csvToParquet(connection, files[0], files[3], false);
  await csvToParquet(connection, files[1], files[4], true);
  console.log(`generated ${plans} plans in ${((performance.now() - started) / 1000).toFixed(0)} s under ${dir}`);
  return dir;
}

/** Max abs differences between our output and DuckDB's, joined on (plan_id, area_id). */
async function compare(ours, theirs, csv) {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const connection = await (await DuckDBInstance.create(":memory:")).connect();
  const read = (path) => (csv ? `read_csv('${path}', header = true, columns = {'plan_id': 'VARCHAR', 'area_id': 'VARCHAR', 'area_name': 'VARCHAR', 'cluster_id': 'VARCHAR', 'score': 'DOUBLE', 'score_std': 'DOUBLE', 'ci_low': 'DOUBLE', 'ci_high': 'DOUBLE', 'quality_level': 'VARCHAR', 'aggregation_method': 'VARCHAR'})` : `read_parquet('${path}')`);
  const reader = await connection.runAndReadAll(`
    SELECT count(*) AS rows, (SELECT count(*) FROM ${read(ours)}) AS ours, (SELECT count(*) FROM ${read(theirs)}) AS theirs,
           max(greatest(abs(o.score - d.score), abs(o.score_std - d.score_std), abs(o.ci_low - d.ci_low), abs(o.ci_high - d.ci_high))) AS diff,
           sum(CASE WHEN o.quality_level <> d.quality_level OR o.area_name <> d.area_name OR o.cluster_id <> d.cluster_id THEN 1 ELSE 0 END) AS mismatched
    FROM ${read(ours)} o JOIN ${read(theirs)} d USING (plan_id, area_id)`);
  const [row] = reader.getRowObjectsJS();
  return { rows: Number(row.rows), ours: Number(row.ours), theirs: Number(row.theirs), diff: Number(row.diff), mismatched: Number(row.mismatched) };
}

async function main() {
  const sections = [];
  for (const plans of SIZES) {
    const dir = await ensureData(plans);
    const out = join(DATA, "out");
    mkdirSync(out, { recursive: true });
    const tasks = [
      { name: "ours: long Parquet → Parquet", input: "long.parquet", kind: "ours", args: [CLI, join(dir, "long.parquet"), "-o", join(out, "ours-long.parquet")], output: join(out, "ours-long.parquet") },
      { name: "ours: wide Parquet → Parquet", input: "wide.parquet", kind: "ours", args: [CLI, join(dir, "wide.parquet"), "-o", join(out, "ours-wide.parquet")], output: join(out, "ours-wide.parquet") },
      { name: "ours: long CSV → CSV", input: "long.csv", kind: "ours", args: [CLI, join(dir, "long.csv"), "-o", join(out, "ours-long.csv")], output: join(out, "ours-long.csv") },
      { name: "ours: NDJSON → NDJSON (--jobs 2)", input: "plans.ndjson", kind: "ndjson", args: [CLI, join(dir, "plans.ndjson"), "--format", "ndjson", "--jobs", "2"], stdoutFile: join(out, "ours.ndjson") },
      ...Object.entries(DUCKDB_SQL).map(([input, sql]) => {
        const output = join(out, `duckdb-${input.replace(".", "-")}.${input.endsWith(".csv") ? "csv" : "parquet"}`);
        return { name: `DuckDB: ${LABELS[input]}`, input, kind: "duckdb", args: [SELF, "--duckdb", sql(join(dir, input), output)], output };
      }),
    ];
    const usage = new Map();
    const rounds = new Map(tasks.map((task) => [task.name, []]));
    // A round runs every task once, ours beside DuckDB's on each input: the load of a shared
    // machine drifts over minutes, and rounds taken in turn meet the same drift on both sides.
    const inTurn = [...tasks].sort((a, b) => INPUTS.indexOf(a.input) - INPUTS.indexOf(b.input));
    for (let round = 0; round < ROUNDS; round++) {
      const bench = new Bench({ iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 });
      for (const task of inTurn) {
        bench.add(task.name, async () => {
          const result = await measured(task.args, task.stdoutFile);
          usage.set(task.name, [...(usage.get(task.name) ?? []), result]);
          console.log(`${plans} plans, ${task.name}: peak RSS ${result.peakRssMb.toFixed(0)} MB, ${result.cpuSeconds.toFixed(1)} CPU s, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
        });
      }
      await bench.run();
      for (const task of bench.tasks) {
        if (task.result.error) throw task.result.error;
        rounds.get(task.name).push(task.result.latency.p50 / 1000);
      }
    }
    const seconds = new Map([...rounds].map(([name, times]) => [name, median(times)]));
    const phases = {};
    for (const input of ["long.parquet", "wide.parquet", "long.csv"]) {
      const output = join(out, `phases-${input}.${input.endsWith(".csv") ? "csv" : "parquet"}`);
      phases[input] = JSON.parse((await measured([SELF, "--phases", join(dir, input), output])).stdout);
      rmSync(output);
    }
    const checks = {};
    for (const input of Object.keys(DUCKDB_SQL)) {
      const ours = tasks.find((t) => t.kind === "ours" && t.input === input).output;
      const theirs = tasks.find((t) => t.kind === "duckdb" && t.input === input).output;
      checks[input] = await compare(ours, theirs, input.endsWith(".csv"));
      if (checks[input].diff > TOLERANCE || checks[input].mismatched > 0 || checks[input].rows !== plans * 10) {
        throw new Error(`${input}: DuckDB and ours differ: ${JSON.stringify(checks[input])}`);
      }
    }
    const sizes = Object.fromEntries(["long.parquet", "wide.parquet", "long.csv", "plans.ndjson"].map((f) => [f, statSync(join(dir, f)).size]));
    sections.push(report(plans, tasks, seconds, usage, phases, checks, sizes));
    rmSync(out, { recursive: true, force: true });
  }
  const body = [
    "Whole processes, wall time (median of 3 rounds, each round every task once, ours beside DuckDB's on each input), 2 cores. Ours is `farfan-aggregate FILE -o OUT` (native backend); DuckDB runs the SQL in `bench/tables.bench.js` (`@duckdb/node-api`, 2 threads). \"× DuckDB\" is ours plans/s over DuckDB's on the same input and output format; \"× NDJSON\" over our NDJSON path on the same plans. The check joins both outputs on (plan_id, area_id).",
    ...sections,
  ].join("\n\n");
  writeSection("tables", "Tables in and out (`bench/tables.bench.js`)", body);
}

function report(plans, tasks, seconds, usage, phases, checks, sizes) {
  const rate = (name) => plans / seconds.get(name);
  const duck = { "long.parquet": tasks.find((t) => t.kind === "duckdb" && t.input === "long.parquet").name, "wide.parquet": tasks.find((t) => t.kind === "duckdb" && t.input === "wide.parquet").name, "long.csv": tasks.find((t) => t.kind === "duckdb" && t.input === "long.csv").name };
  const ndjson = tasks.find((t) => t.kind === "ndjson").name;
  const rows = tasks.map((t) => {
    const runs = usage.get(t.name);
    const vsDuck = t.kind === "ours" ? (rate(t.name) / rate(duck[t.input])).toFixed(2) : "";
    const vsNdjson = t.kind === "ours" ? (rate(t.name) / rate(ndjson)).toFixed(1) : "";
    return `| ${t.name} | ${seconds.get(t.name).toFixed(2)} s | ${Math.round(rate(t.name)).toLocaleString("en-US")} | ${vsDuck} | ${vsNdjson} | ${median(runs.map((r) => r.peakRssMb)).toFixed(0)} MB | ${median(runs.map((r) => r.cpuSeconds)).toFixed(1)} s |`;
  });
  const phaseRows = Object.entries(phases).map(([input, p]) => {
    const total = p.seconds;
    const pct = (x) => `${x.toFixed(2)} s (${((100 * x) / total).toFixed(0)}%)`;
    return `| ${input} | ${total.toFixed(2)} s | ${pct(p.read)} | ${pct(p.reshape)} | ${pct(p.kernel)} | ${pct(p.write)} | ${p.peakOpen} |`;
  });
  const checkRows = Object.entries(checks).map(([input, c]) => `| ${input} | ${c.rows.toLocaleString("en-US")} of ${c.ours.toLocaleString("en-US")} / ${c.theirs.toLocaleString("en-US")} | ${c.diff.toExponential(2)} | ${c.mismatched} |`);
  const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;
  return [
    `### ${plans.toLocaleString("en-US")} plans`,
    `Inputs: long Parquet ${mb(sizes["long.parquet"])}, wide Parquet ${mb(sizes["wide.parquet"])}, long CSV ${mb(sizes["long.csv"])}, NDJSON ${mb(sizes["plans.ndjson"])}.`,
    "| task | wall time | plans/s | × DuckDB | × NDJSON | peak RSS | CPU time |\n|---|---|---|---|---|---|---|\n" + rows.join("\n"),
    "Phase split of our pipeline (one more run, all on one thread as with `--jobs 1`, timed inside: wall time on the JS thread; \"kernel\" includes the engine's own threads). The CLI's default runs read/decode on a thread of its own, beside the other three, so its wall time is about the larger of read/decode and the rest:\n\n| input | total | read/decode | reshape | kernel | encode/write | plans open at most |\n|---|---|---|---|---|---|---|\n" + phaseRows.join("\n"),
    `DuckDB against ours (target: max abs difference ≤ ${TOLERANCE}):\n\n| input | rows joined (ours / DuckDB's) | max abs difference | quality, name or cluster differing |\n|---|---|---|---|\n` + checkRows.join("\n"),
  ].join("\n\n");
}

const mode = process.argv[2];
if (mode === "--duckdb") await duckdbChild(process.argv[3]);
else if (mode === "--phases") await phasesChild(process.argv[3], process.argv[4]);
else await main();
