#!/usr/bin/env node
import { HighPerformanceAreaAggregator } from "../aggregator.js";
import { HELP, packageVersion, parseArguments, PROGRAM, USAGE, type Arguments } from "./args.js";
import { weightsProblem } from "./check.js";
import { aggregatorOptions, ChunkHandler, type ChunkSettings } from "./chunk.js";
import { createLayout, formatProblem } from "./format.js";
import { classifyInput, openSource, readWeightsFile } from "./input.js";
import { Output, outputProblem } from "./output.js";
import { createProgress } from "./progress.js";
import { ChunkWorkers } from "./pool.js";
import { inThisThread, StreamRun } from "./stream.js";
import { UsageError } from "./usage.js";
import { ScoreSummary } from "./summary.js";
import { runTableCli } from "./table-run.js";
import { OUTPUT_FORMATS, type OutputFormat } from "./format.js";
import { OptionsError } from "../core/errors.js";
import type { Weights } from "../core/types.js";

/** The aggregator for the run's main thread; a Monte-Carlo setting it rejects is a usage error. */
function createAggregator({ monteCarlo }: Arguments): HighPerformanceAreaAggregator {
  try {
    return new HighPerformanceAreaAggregator(aggregatorOptions(monteCarlo));
  } catch (error) {
    if (error instanceof OptionsError) throw new UsageError(`--uncertainty monte-carlo: ${error.message}`);
    throw error;
  }
}

async function run(args: string[], output: Output): Promise<number> {
  const options = parseArguments(args);
  if (options.help || options.version) {
    await output.write(options.help ? HELP : `${packageVersion()}\n`);
    return 0;
  }
  // An explicit "-" may read a terminal (paste, then Ctrl-D); no FILE at all on a terminal is a mistake.
  if (options.file === undefined && process.stdin.isTTY) {
    throw new UsageError("no input: give a FILE, or pipe the data to stdin");
  }
  const aggregator = createAggregator(options);
  let sharedWeights: unknown;
  if (options.weightsFile !== undefined) {
    sharedWeights = await readWeightsFile(options.weightsFile);
    const problem = weightsProblem(sharedWeights);
    if (problem !== undefined) {
      process.stderr.write(formatProblem(`--weights ${options.weightsFile}`, problem));
      return 1;
    }
  }
  if (options.inputFormat !== undefined) return runTableCli(options, aggregator, sharedWeights, output);
  if (options.format !== undefined && !OUTPUT_FORMATS.includes(options.format as OutputFormat)) {
    throw new UsageError(`--format ${options.format} needs table input (.csv, .parquet, .arrow, or --from)`);
  }
  if (options.outputFile !== undefined) throw new UsageError("-o FILE is for table input (.csv, .parquet, .arrow, or --from); redirect stdout instead");
  const source = await openSource(options.file ?? "-");
  try {
    const input = await classifyInput(source);
    const format = (options.format as OutputFormat | undefined) ?? (process.stdout.isTTY ? "table" : input.ndjson ? "ndjson" : "json");
    const summary = options.summary ? new ScoreSummary() : undefined;
    const progress = createProgress(process.stderr, process.stdout, source);
    const settings: ChunkSettings = {
      monteCarlo: options.monteCarlo,
      sharedWeights: sharedWeights as Weights | undefined,
      format,
      ndjsonInput: input.ndjson,
      failFast: options.failFast,
      summary: summary !== undefined,
      json: { idColumn: options.idColumn, inputs: options.inputs ?? true },
    };
    const handler = new ChunkHandler(settings, aggregator);
    const layout = createLayout(format, input.ndjson);
    const stream = new StreamRun({ chunkSize: options.chunkSize, failFast: options.failFast }, { output, layout, progress, summary });
    // Worker threads only for NDJSON and only with more than one job: --jobs 1 is the main thread alone.
    const pool = input.ndjson && options.jobs > 1 ? new ChunkWorkers(options.jobs, settings) : undefined;
    try {
      if (input.ndjson) await stream.lines(input.lines, pool ?? inThisThread(handler));
      else await stream.write(await handler.handle([input.record], 0));
    } finally {
      progress.stop();
      await pool?.close();
    }
    const complete = await output.write(layout.end());
    // A reader that went away (| head) cut the run short: no summary of a part of it.
    if (complete && summary !== undefined) process.stderr.write(summary.render());
    return stream.failed ? 1 : 0;
  } finally {
    await source.close();
  }
}

/** Exit status when the output could not be written (a full disk, say): the input may be fine. */
const OUTPUT_FAILED = 3;

const stdout = new Output(process.stdout);
run(process.argv.slice(2), stdout).then(
  (status) => {
    const failure = stdout.failure;
    if (failure === undefined) {
      process.exitCode = status;
      return;
    }
    process.stderr.write(`${PROGRAM}: cannot write output: ${outputProblem(failure)} (E_OUTPUT)\n`);
    process.exitCode = OUTPUT_FAILED;
  },
  (error: unknown) => {
    // Anything but a usage error is a bug: rethrown, Node prints its stack.
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${PROGRAM}: ${error.message} (${error.code})\n${USAGE}\nRun '${PROGRAM} --help' for details.\n`);
    process.exitCode = 2;
  },
);
