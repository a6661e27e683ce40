import { createWriteStream, type WriteStream } from "node:fs";
import type { HighPerformanceAreaAggregator } from "../aggregator.js";
import { AggregationError, ValidationError } from "../core/errors.js";
import { IssueCollector } from "../core/validate.js";
import { prepareWeights, type PreparedWeights } from "../input/weights.js";
import { arrowWriter } from "../tables/arrow-writer.js";
import { csvWriter } from "../tables/csv-writer.js";
import { arrowFlavourOfPath, loadArrow, type TableFormat } from "../tables/formats.js";
import type { PlanProblem } from "../tables/gather.js";
import { areaDicts, jsonWriter, planKey } from "../tables/json-writer.js";
import { textCodecFor, type TextCodec } from "../tables/text-codec.js";
import { parquetWriter } from "../tables/parquet-writer.js";
import type { ResultSettings } from "../tables/results.js";
import { runTable } from "../tables/run.js";
import type { ByteSink, TableWriter } from "../tables/writer.js";
import type { Arguments } from "./args.js";
import { DEFAULT_TABLE_BLOCK_PLANS } from "../tables/defaults.js";
import { formatProblem, table } from "./format.js";
import { openSource } from "./input.js";
import { Output } from "./output.js";
import { tableRows } from "./table-reader.js";
import { createProgress } from "./progress.js";
import { UsageError } from "./usage.js";

/** Table output formats that are bytes, not text: never written to a terminal. */
const BINARY: ReadonlySet<string> = new Set(["parquet", "arrow"]);

/**
 * The CLI on a table (CSV, Parquet, Arrow IPC): rows in, one result row per plan × area out, in
 * the output's format; each bad plan is one problem on stderr (exit status 1), the others are
 * written. A table that cannot be read at all (not the format, a missing column, a column of
 * the wrong type) is one coded error; if that happens midway, the output is closed as a valid
 * table of the plans before it, and stderr says how many that is.
 */
export async function runTableCli(options: Arguments, aggregator: HighPerformanceAreaAggregator, weights: unknown, stdout: Output): Promise<number> {
  const inputFormat = options.inputFormat!;
  if (options.summary) throw new UsageError("--summary is not available for table input");
  const toFile = options.outputFile !== undefined;
  const format = options.format ?? (toFile ? inputFormat : process.stdout.isTTY ? "table" : inputFormat);
  if (BINARY.has(format) && !toFile && process.stdout.isTTY) {
    throw new UsageError(`--format ${format} writes binary data: give -o FILE, or redirect stdout`);
  }
  const file = options.file ?? "-";
  // The CSV reader copies each chunk into its batch before it asks for the next.
  const source = await openSource(file, inputFormat === "csv" ? "copied" : "kept");
  try {
    const fileStream = toFile ? createWriteStream(options.outputFile!) : undefined;
    const output = fileStream === undefined ? stdout : new Output(fileStream);
    const prepared = preparedWeights(weights);
    const settings: ResultSettings = {
      idColumn: options.idColumn,
      method: options.monteCarlo === undefined ? "weighted_average" : "monte_carlo",
      inputs: options.inputs ?? !(format === "csv" || BINARY.has(format)),
    };
    const blockPlans = options.chunkSizeGiven ? options.chunkSize : DEFAULT_TABLE_BLOCK_PLANS;
    // Numbers in and out as the backend reads and writes them (the same doubles, the same bytes).
    const codec = textCodecFor(aggregator.backend);
    const writer = await createWriter(format, { write: (data, written) => output.write(data, written) }, settings, prepared, options.outputFile, codec);
    const rows = tableRows(source, file, inputFormat, options.idColumn, aggregator.backend, options.jobs);
    const progress = createProgress(process.stderr, toFile ? ({ isTTY: false } as NodeJS.WriteStream) : process.stdout, rows.position);
    let written = 0;
    let failed = false;
    try {
      const result = await runTable(
        rows.batches,
        aggregator,
        { sorted: options.sorted, maxOpenPlans: options.maxOpenPlans, blockPlans, weights: prepared, inputs: settings.inputs },
        {
          writer,
          problem: (problem) => {
            progress.log(formatProblem(problemLabel(problem), problem.error));
            if (options.failFast) throw new FailFast();
          },
          advance: (count) => {
            written += count;
            progress.advance(count);
          },
        },
      );
      failed = result.problems > 0;
    } catch (error) {
      if (!(error instanceof ValidationError) && !(error instanceof AggregationError) && !(error instanceof FailFast)) throw error;
      if (!(error instanceof FailFast)) progress.log(`${file === "-" ? "stdin" : file}:${stopReport(error)}; the results of the ${written} plans before it were written\n`);
      failed = true;
      await writer.end();
    } finally {
      progress.stop();
    }
    if (fileStream !== undefined) await closed(fileStream);
    return failed ? 1 : 0;
  } finally {
    await source.close();
  }
}

/** Thrown by the problem sink under --fail-fast: the run stops at its first problem. */
class FailFast extends Error {}

/**
 * Why a run stopped, as its line on stderr says it after the file's name: the table cannot be read
 * (further) at a row, or its format's library is missing, or the reader thread stopped.
 */
function stopReport(error: ValidationError | AggregationError): string {
  const [where, message] = error instanceof ValidationError ? [error.issues[0]!.path, error.issues[0]!.message] : ["", error.message];
  return `${where === "" ? "" : ` ${where}:`} ${message} (${error.code})`;
}

function problemLabel(problem: PlanProblem): string {
  return problem.key === undefined ? problem.where : `plan ${JSON.stringify(problem.key)} (${problem.where})`;
}

/** The --weights file's content (already checked) as the engine's 60 weights. */
function preparedWeights(weights: unknown): PreparedWeights {
  const issues = new IssueCollector();
  const prepared = prepareWeights(weights, issues);
  issues.throwIfAny();
  return prepared!;
}

async function createWriter(
  format: string,
  sink: ByteSink,
  settings: ResultSettings,
  weights: PreparedWeights,
  outputFile: string | undefined,
  codec: TextCodec,
): Promise<TableWriter> {
  switch (format as TableFormat | "json" | "ndjson" | "table") {
    case "csv":
      return csvWriter(sink, settings, undefined, codec);
    case "arrow":
      return arrowWriter(await loadArrow(), sink, settings, outputFile === undefined ? "stream" : arrowFlavourOfPath(outputFile));
    case "parquet":
      return parquetWriter(sink, settings);
    case "json":
    case "ndjson":
      return jsonWriter(sink, settings, weights, format as "json" | "ndjson");
    case "table":
      return tableWriter(sink, settings, weights);
  }
}

/** The terminal's table, a plan at a time under its key. */
function tableWriter(sink: ByteSink, settings: ResultSettings, weights: PreparedWeights): TableWriter {
  let plans = 0;
  return {
    async write(block) {
      let text = "";
      for (let p = 0; p < block.plans; p++) {
        const rows = areaDicts(block, p, settings, weights).map((area) => {
          const [low, high] = area.confidence_interval_95!;
          return [area.area_id!, area.area_name!, area.score!.toFixed(3), `[${low.toFixed(3)}, ${high.toFixed(3)}]`, area.quality_level!, area.cluster_id!];
        });
        text += `${plans++ > 0 ? "\n" : ""}plan ${planKey(block, p)}\n${table(["Area", "Name", "Score", "95% interval", "Quality", "Cluster"], rows)}`;
      }
      if (text !== "") await sink.write(Buffer.from(text));
    },
    end: async () => {},
  };
}

function closed(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.end(() => resolve());
    stream.once("error", reject);
  });
}
