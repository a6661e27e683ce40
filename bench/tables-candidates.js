// Measures the libraries a table reader and writer could be built on, on bench/tables-data.js's
// data: each task in a fresh process (peak RSS is then the task's own), two passes in it (the
// first pays for loading, wasm memory growth and page faults; the second is warm).
//
//   node bench/tables-candidates.js DIR [TASK...]
//
// DIR holds long.csv, long.parquet and wide.parquet (see bench/tables-data.js; the bench writes
// them under /tmp). The candidate libraries are not dependencies of the package: they are
// loaded from FARFAN_CANDIDATES (a folder whose node_modules has them, default the package's
// own). Prints one JSON line per task; bench/RESULTS.md's "Tables" section records a run.
//
// Reading tasks end with the plans in the engine's columns (`e*60 + a*6 + d`), through the same
// reshape for every library, so plans/s compares whole reading paths; "decode" is the library's
// own part. Writing tasks write the results of the same plans (10 rows a plan) from columns.
import { spawnSync } from "node:child_process";
import { openAsBlob, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { AREA_IDS, DIMENSION_IDS } from "./tables-data.js";

const ROOT = process.env.FARFAN_CANDIDATES ?? fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(join(ROOT, "noop.js"));
const load = async (name) => import(pathToFileURL(require.resolve(name)).href);

const AREA = new Map(AREA_IDS.map((id, a) => [id, a]));
const DIMENSION = new Map(DIMENSION_IDS.map((id, d) => [id, d]));

/** The reshape every reading task ends with: rows into plan columns, plans by first appearance. */
class Gatherer {
  keys = new Map();
  scores;
  stds;
  constructor(plans) {
    this.scores = new Float64Array(plans * 60);
    this.stds = new Float64Array(plans * 60);
  }
  row(key, area, dimension, score, std) {
    let e = this.keys.get(key);
    if (e === undefined) this.keys.set(key, (e = this.keys.size));
    const slot = e * 60 + AREA.get(area) * 6 + DIMENSION.get(dimension);
    this.scores[slot] = score;
    this.stds[slot] = std;
  }
}

const plansOf = (dir) => Number(/n(\d+)/.exec(dir)[1]);

/** Results of `plans` plans as the writers take them: key, area, names, six numbers per row. */
function resultColumns(plans) {
  const rows = plans * 10;
  const key = new Array(rows);
  const area = new Array(rows);
  const areaName = new Array(rows);
  const cluster = new Array(rows);
  const quality = new Array(rows);
  const method = new Array(rows);
  const numbers = [0, 1, 2, 3].map(() => new Float64Array(rows));
  for (let r = 0; r < rows; r++) {
    key[r] = `P${String(Math.floor(r / 10)).padStart(7, "0")}`;
    area[r] = AREA_IDS[r % 10];
    areaName[r] = `Area name ${r % 10}`;
    cluster[r] = `CL0${(r % 4) + 1}`;
    quality[r] = ["INSUFICIENTE", "ACEPTABLE", "BUENO", "EXCELENTE"][r % 4];
    method[r] = "weighted_average";
    for (const column of numbers) column[r] = Math.sin(r + column.length) + 1.5;
  }
  const [score, std, low, high] = numbers;
  return { plan_id: key, area_id: area, area_name: areaName, cluster_id: cluster, score, score_std: std, ci_low: low, ci_high: high, quality_level: quality, aggregation_method: method };
}

const TASKS = {
  /** parquet-wasm over the whole file in memory, one row group at a time, into apache-arrow through IPC. */
  async "parquet-wasm (buffer)"(dir) {
    const wasm = await load("parquet-wasm/node");
    const arrow = await load("apache-arrow");
    const bytes = readFileSync(join(dir, "long.parquet"));
    return reading(dir, bytes.length, (gatherer, time) => {
      const decoded = time(() => arrow.tableFromIPC(wasm.readParquet(bytes, { batchSize: 65536 }).intoIPCStream()));
      gatherArrow(decoded, gatherer);
    });
  },
  /** parquet-wasm's file-backed reader (a Blob from fs.openAsBlob), one row group at a time. */
  async "parquet-wasm (file, row groups)"(dir) {
    const wasm = await load("parquet-wasm/node");
    const arrow = await load("apache-arrow");
    const path = join(dir, "long.parquet");
    const file = await wasm.ParquetFile.fromFile(await openAsBlob(path));
    const groups = file.metadata().numRowGroups();
    return readingAsync(dir, statSync(path).size, async (gatherer, time) => {
      for (let g = 0; g < groups; g++) {
        const decoded = await time(async () => arrow.tableFromIPC((await file.read({ rowGroups: [g], batchSize: 65536 })).intoIPCStream()));
        gatherArrow(decoded, gatherer);
      }
    });
  },
  /** hyparquet, columns decoded chunk by chunk. */
  async hyparquet(dir) {
    const hyparquet = await load("hyparquet");
    const path = join(dir, "long.parquet");
    return readingAsync(dir, statSync(path).size, async (gatherer, time) => {
      const file = await hyparquet.asyncBufferFromFile(path);
      const metadata = await hyparquet.parquetMetadataAsync(file);
      let row = 0;
      for (const group of metadata.row_groups) {
        const rows = Number(group.num_rows);
        let columns;
        await time(() => hyparquet.parquetRead({ file, metadata, rowStart: row, rowEnd: row + rows, onComplete: (data) => (columns = data), rowFormat: "array" }));
        for (const [key, area, dimension, score, std] of columns) gatherer.row(key, area, dimension, score, std);
        row += rows;
      }
    });
  },
  /** DuckDB reading the file into JS, chunk by chunk (its vectors' values one at a time). */
  async "duckdb (read into JS)"(dir) {
    const { DuckDBInstance } = await load("@duckdb/node-api");
    const path = join(dir, "long.parquet");
    const connection = await (await DuckDBInstance.create(":memory:")).connect();
    return readingAsync(dir, statSync(path).size, async (gatherer, time) => {
      const result = await connection.stream(`SELECT plan_id, area_id, dimension_id, score, score_std FROM read_parquet('${path}')`);
      for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        const columns = time(() => chunk.getColumns());
        const [key, area, dimension, score, std] = columns;
        for (let r = 0; r < key.length; r++) gatherer.row(key[r], area[r], dimension[r], score[r], std[r]);
      }
    });
  },
  /** Long CSV: a minimal JS scanner, indexOf over the text of whole lines per chunk, Number() for numbers. */
  async "CSV: JS scanner"(dir) {
    return csvReading(dir, (text, gatherer) => {
      let at = text.indexOf("\n") + 1;
      while (at < text.length) {
        const c1 = text.indexOf(",", at);
        const c2 = text.indexOf(",", c1 + 1);
        const c3 = text.indexOf(",", c2 + 1);
        const c4 = text.indexOf(",", c3 + 1);
        let end = text.indexOf("\n", c4 + 1);
        if (end === -1) end = text.length;
        gatherer.row(text.slice(at, c1), text.slice(c1 + 1, c2), text.slice(c2 + 1, c3), Number(text.slice(c3 + 1, c4)), Number(text.slice(c4 + 1, end)));
        at = end + 1;
      }
    });
  },
  async "CSV: udsv"(dir) {
    const { inferSchema, initParser } = await load("udsv");
    return csvReading(dir, (text, gatherer) => {
      const schema = inferSchema(text);
      schema.cols[3].type = "n";
      schema.cols[4].type = "n";
      const [key, area, dimension, score, std] = initParser(schema).typedCols(text);
      for (let r = 0; r < key.length; r++) gatherer.row(key[r], area[r], dimension[r], score[r], std[r]);
    });
  },
  async "CSV: papaparse"(dir) {
    const Papa = (await load("papaparse")).default;
    return csvReading(dir, (text, gatherer) => {
      const { data } = Papa.parse(text, { header: false, skipEmptyLines: true });
      for (let r = 1; r < data.length; r++) {
        const row = data[r];
        gatherer.row(row[0], row[1], row[2], Number(row[3]), Number(row[4]));
      }
    });
  },
  async "CSV: csv-parse"(dir) {
    const { parse } = await load("csv-parse/sync");
    return csvReading(dir, (text, gatherer) => {
      const rows = parse(text, { from_line: 2 });
      for (const row of rows) gatherer.row(row[0], row[1], row[2], Number(row[3]), Number(row[4]));
    });
  },
  /** The package's own readers and gatherer (dist/tables): byte ranges and a hashed key index instead of strings. */
  async "ours: csvBatches + PlanGatherer"(dir) {
    return oursReading(dir, "long.csv");
  },
  async "ours: parquet-wasm row groups + PlanGatherer"(dir) {
    return oursReading(dir, "long.parquet");
  },
  /** Writing the results as Parquet: apache-arrow table, IPC stream into parquet-wasm, writeParquet. */
  async "write: parquet-wasm"(dir) {
    const wasm = await load("parquet-wasm/node");
    const arrow = await load("apache-arrow");
    return writing(dir, (columns) => {
      const ipc = arrow.tableToIPC(arrow.tableFromArrays(columns), "stream");
      return wasm.writeParquet(wasm.Table.fromIPCStream(ipc));
    });
  },
  async "write: hyparquet-writer"(dir) {
    const { parquetWriteBuffer } = await load("hyparquet-writer");
    return writing(dir, (columns) =>
      parquetWriteBuffer({
        columnData: Object.entries(columns).map(([name, data]) => ({ name, data, type: data instanceof Float64Array ? "DOUBLE" : "STRING" })),
      }),
    );
  },
  /** Writing the results as Arrow IPC (file format) with apache-arrow. */
  async "write: apache-arrow IPC"(dir) {
    const arrow = await load("apache-arrow");
    return writing(dir, (columns) => arrow.tableToIPC(arrow.tableFromArrays(columns), "file"));
  },
};

async function oursReading(dir, name) {
  const { tableBatches } = await import("../dist/tables/read.js");
  const { PlanGatherer } = await import("../dist/tables/gather.js");
  const { createReadStream } = await import("node:fs");
  const path = join(dir, name);
  const plans = plansOf(dir);
  const passes = [];
  for (let k = 0; k < 2; k++) {
    const gatherer = new PlanGatherer({ sorted: false, maxOpenPlans: 65536, blockPlans: 16384 });
    const start = performance.now();
    const cpu = process.cpuUsage();
    let decode = 0;
    let seen = 0;
    const batches = tableBatches(name.endsWith(".csv") ? "csv" : "parquet", { path, chunks: createReadStream(path, { highWaterMark: 1 << 20 }) }, { idColumn: "plan_id" });
    for (let t = performance.now(), next = await batches.next(); !next.done; t = performance.now(), next = await batches.next()) {
      decode += performance.now() - t;
      for (const block of gatherer.add(next.value)) (seen += block.count), gatherer.recycle(block);
    }
    for (const block of gatherer.finish()) seen += block.count;
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    if (seen !== plans) throw new Error(`read ${seen} plans, expected ${plans}`);
    passes.push({ seconds, cpuSeconds: (used.user + used.system) / 1e6, decodeSeconds: (decode - 0) / 1000, plansPerSecond: plans / seconds, mbPerSecond: statSync(path).size / 1e6 / seconds });
  }
  return { bytes: statSync(path).size, passes };
}

/** Arrow columns to the common reshape: each batch's strings decoded once (toArray), numbers as they are. */
function gatherArrow(table, gatherer) {
  for (const batch of table.batches) {
    const [key, area, dimension, score, std] = ["plan_id", "area_id", "dimension_id", "score", "score_std"].map((name) => batch.getChild(name).toArray());
    for (let r = 0; r < batch.numRows; r++) gatherer.row(key[r], area[r], dimension[r], score[r], std[r]);
  }
}

/** Two passes of `pass(gatherer, time)`; `time(f)` adds f's duration to the pass's decode time. */
async function readingAsync(dir, bytes, pass) {
  const plans = plansOf(dir);
  const passes = [];
  for (let k = 0; k < 2; k++) {
    const gatherer = new Gatherer(plans);
    let decode = 0;
    const time = (f) => {
      const start = performance.now();
      const value = f();
      if (value instanceof Promise) return value.finally(() => (decode += performance.now() - start));
      decode += performance.now() - start;
      return value;
    };
    const start = performance.now();
    const cpu = process.cpuUsage();
    await pass(gatherer, time);
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    if (gatherer.keys.size !== plans) throw new Error(`read ${gatherer.keys.size} plans, expected ${plans}`);
    passes.push({ seconds, cpuSeconds, decodeSeconds: decode / 1000, plansPerSecond: plans / seconds, mbPerSecond: bytes / 1e6 / seconds, check: gatherer.scores[plans * 60 - 1] });
  }
  return { bytes, passes };
}
const reading = (dir, bytes, pass) => readingAsync(dir, bytes, async (g, time) => pass(g, time));

/** A long CSV read in 16 MiB chunks of whole lines, decoded as UTF-8, each chunk given to `parse`. */
function csvReading(dir, parse) {
  const path = join(dir, "long.csv");
  const bytes = readFileSync(path);
  const header = bytes.subarray(0, bytes.indexOf(10) + 1);
  const decoder = new TextDecoder();
  return reading(dir, bytes.length, (gatherer, time) => {
    for (let at = header.length; at < bytes.length; ) {
      let end = Math.min(bytes.length, at + (16 << 20));
      if (end < bytes.length) end = bytes.lastIndexOf(10, end - 1) + 1;
      const text = decoder.decode(Buffer.concat([header, bytes.subarray(at, end)]));
      time(() => parse(text, gatherer));
      at = end;
    }
  });
}

async function writing(dir, write) {
  const plans = plansOf(dir);
  const columns = resultColumns(plans);
  const passes = [];
  for (let k = 0; k < 2; k++) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    const written = write(columns);
    const bytes = written instanceof ArrayBuffer ? new Uint8Array(written) : written;
    writeFileSync(join("/tmp", `candidate-out-${process.pid}`), bytes);
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    passes.push({ seconds, cpuSeconds: (used.user + used.system) / 1e6, plansPerSecond: plans / seconds, mbPerSecond: bytes.length / 1e6 / seconds, outputBytes: bytes.length });
  }
  return { passes };
}

const [dir, ...names] = process.argv.slice(2);
if (process.env.FARFAN_CANDIDATE_TASK !== undefined) {
  const result = await TASKS[process.env.FARFAN_CANDIDATE_TASK](dir);
  const { maxRSS } = process.resourceUsage();
  process.stdout.write(`${JSON.stringify({ task: process.env.FARFAN_CANDIDATE_TASK, plans: plansOf(dir), ...result, peakRssMb: Math.round(maxRSS / 1024) })}\n`);
} else {
  for (const task of names.length > 0 ? names : Object.keys(TASKS)) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), dir], { env: { ...process.env, FARFAN_CANDIDATE_TASK: task }, encoding: "utf8", maxBuffer: 1 << 24 });
    process.stdout.write(child.status === 0 ? child.stdout : `${JSON.stringify({ task, failed: child.stderr.trim().split("\n").slice(-3).join(" | ") })}\n`);
  }
}
