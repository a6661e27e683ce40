#!/usr/bin/env node
import { parseArgs } from "node:util";
import { HighPerformanceAreaAggregator } from "./aggregator.js";
import { createRenderer, formatProblem, OUTPUT_FORMATS, recordLabel, type OutputFormat } from "./cli-format.js";
import { parseInput, readSource, readWeightsFile, UsageError, type RawEvaluation } from "./cli-input.js";
import { dimensionScoresFromJson } from "./codec.js";
import type { AreaScore, Weights } from "./types.js";
import { IssueCollector, ValidationError } from "./validate.js";
import { prepareWeights } from "./weights.js";

const PROGRAM = "farfan-aggregate";
const USAGE = `Usage: ${PROGRAM} [FILE|-] [--weights FILE] [--format table|json|ndjson] [--fail-fast]`;
const HELP = `${USAGE}

Aggregates the 60 dimension scores of a development plan into 10 policy-area scores
(FARFAN Phase 5): score, 95% interval, quality level and cluster per area.

Input, from FILE, or from stdin when FILE is "-" or omitted:
  a JSON list of 60 dimension scores {"area_id", "dimension_id", "score", "score_std", ...},
  or {"dimension_scores": [...], "weights": {...}} (other keys are ignored);
  or NDJSON: one such evaluation per line, blank lines skipped.
  Text that parses as one JSON document is one evaluation; anything else is read as NDJSON.

Options:
  --weights FILE   weights {"PA01": {"DIM01": 1, ..., "DIM06": 1}, ...} for every evaluation
                   that carries none of its own; areas left out get equal weights
  --format FORMAT  table, json or ndjson. Default: table on a terminal, otherwise json for
                   one evaluation and ndjson for NDJSON input. json and ndjson write the
                   Python AreaScore.to_dict() shape; NDJSON results are {"line", "area_scores"}
  --fail-fast      with NDJSON input, stop at the first bad line
  -h, --help       show this help

Exit status: 0 when every evaluation was aggregated; 1 when some input was bad (every
problem is reported on stderr, and the good NDJSON lines are still written); 2 for a usage error.
`;

interface Arguments {
  readonly help: boolean;
  /** A path, "-" for stdin, or undefined when none was given. */
  readonly file: string | undefined;
  readonly weightsFile: string | undefined;
  readonly format: OutputFormat | undefined;
  readonly failFast: boolean;
}

function parseArguments(args: string[]): Arguments {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        weights: { type: "string" },
        format: { type: "string" },
        "fail-fast": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    // parseArgs throws only for unknown options and missing or unexpected option values.
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const format = values.format;
  if (format !== undefined && !OUTPUT_FORMATS.includes(format as OutputFormat)) {
    throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(", ")}, got ${JSON.stringify(format)}`);
  }
  if (positionals.length > 1) throw new UsageError(`expected at most one FILE, got ${positionals.length}`);
  return {
    help: values.help,
    file: positionals[0],
    weightsFile: values.weights,
    format: format as OutputFormat | undefined,
    failFast: values["fail-fast"],
  };
}

/** The bad-weights issues of the --weights file, checked once rather than reported for every evaluation. */
function weightsProblem(weights: unknown): ValidationError | undefined {
  const issues = new IssueCollector();
  prepareWeights(weights, issues);
  return issues.empty ? undefined : new ValidationError(issues.issues, issues.truncated);
}

function aggregateEvaluation(
  aggregator: HighPerformanceAreaAggregator,
  evaluation: RawEvaluation,
  sharedWeights: unknown,
): AreaScore[] | ValidationError {
  // Casts only: the aggregator validates both and reports what is wrong with them.
  const dimensionScores = dimensionScoresFromJson(evaluation.dimensionScores);
  const weights = (evaluation.weights ?? sharedWeights) as Weights | undefined;
  try {
    return aggregator.aggregateSync(dimensionScores, weights).areaScores;
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
}

function isBrokenPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "EPIPE";
}

/**
 * Writes to stdout; false once the reader has gone away (EPIPE, as under `| head`), so the run
 * stops quietly. Waiting for each write also lets a slow reader hold the run back.
 */
function writeOut(text: string): Promise<boolean> {
  if (text === "") return Promise.resolve(true);
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => {
      if (error === null || error === undefined) resolve(true);
      else if (isBrokenPipe(error)) resolve(false);
      else reject(error);
    });
  });
}

async function run(args: string[]): Promise<number> {
  const options = parseArguments(args);
  if (options.help) {
    await writeOut(HELP);
    return 0;
  }
  // An explicit "-" may read a terminal (paste, then Ctrl-D); no FILE at all on a terminal is a mistake.
  if (options.file === undefined && process.stdin.isTTY) {
    throw new UsageError("no input: give a FILE, or pipe the data to stdin");
  }
  let sharedWeights: unknown;
  if (options.weightsFile !== undefined) {
    sharedWeights = await readWeightsFile(options.weightsFile);
    const problem = weightsProblem(sharedWeights);
    if (problem !== undefined) {
      process.stderr.write(formatProblem(`--weights ${options.weightsFile}`, problem));
      return 1;
    }
  }
  const input = parseInput(await readSource(options.file ?? "-"));
  const format = options.format ?? (process.stdout.isTTY ? "table" : input.ndjson ? "ndjson" : "json");
  const renderer = createRenderer(format, input.ndjson);
  // One aggregator for the run, so its cache of prepared weights serves every evaluation.
  const aggregator = new HighPerformanceAreaAggregator();
  let failed = false;
  for (const record of input.records) {
    const outcome = "problem" in record ? record.problem : aggregateEvaluation(aggregator, record.evaluation, sharedWeights);
    if (Array.isArray(outcome)) {
      if (!(await writeOut(renderer.record(record.line, outcome)))) return failed ? 1 : 0;
      continue;
    }
    failed = true;
    process.stderr.write(formatProblem(recordLabel(record.line), outcome));
    if (options.failFast) break;
  }
  await writeOut(renderer.end());
  return failed ? 1 : 0;
}

// A closed pipe is also emitted as an 'error' event, which would crash the process unheard.
process.stdout.on("error", (error) => {
  if (!isBrokenPipe(error)) throw error;
});

run(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    // Anything but a usage error is a bug: rethrown, Node prints its stack.
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${PROGRAM}: ${error.message}\n${USAGE}\nRun '${PROGRAM} --help' for details.\n`);
    process.exitCode = 2;
  },
);
