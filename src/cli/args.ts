import { parseArgs } from "node:util";
import { OUTPUT_FORMATS, type OutputFormat } from "./format.js";
import { MAX_DOCUMENT_CHARS } from "./input.js";
import { UsageError } from "./usage.js";

export const PROGRAM = "farfan-aggregate";
export const DEFAULT_CHUNK_SIZE = 256;
const MAX_CHUNK_SIZE = 1_000_000;
export const USAGE =
  `Usage: ${PROGRAM} [FILE|-] [--weights FILE] [--format table|json|ndjson] [--fail-fast]\n` +
  `       [--uncertainty analytic|monte-carlo [--samples N] [--seed S]] [--summary] [--chunk-size N]`;
export const HELP = `${USAGE}

Aggregates the 60 dimension scores of a development plan into 10 policy-area scores
(FARFAN Phase 5): score, 95% interval, quality level and cluster per area.

Input, from FILE, or from stdin when FILE is "-" or omitted:
  a JSON list of 60 dimension scores {"area_id", "dimension_id", "score", "score_std", ...},
  or {"dimension_scores": [...], "weights": {...}} (other keys are ignored);
  or NDJSON: one such evaluation per line, blank lines skipped.
  Text that parses as one JSON document is one evaluation; anything else is read as NDJSON.
  That is decided without reading everything: when the first non-blank line is a complete
  JSON value and another non-blank line follows, the input is NDJSON; otherwise it is held
  and parsed as one document, and read as NDJSON after all if it does not parse or grows
  past ${MAX_DOCUMENT_CHARS / 2 ** 20} MiB.

NDJSON is processed as a stream: --chunk-size evaluations are aggregated at a time and written
(in input order) before more input is read, so memory stays flat however long the input.

Options:
  --weights FILE   weights {"PA01": {"DIM01": 1, ..., "DIM06": 1}, ...} for every evaluation
                   that carries none of its own; areas left out get equal weights
  --format FORMAT  table, json or ndjson. Default: table on a terminal, otherwise json for
                   one evaluation and ndjson for NDJSON input. json and ndjson write the
                   Python AreaScore.to_dict() shape; NDJSON results are {"line", "area_scores"}
  --fail-fast      with NDJSON input, stop at the first bad line
  --uncertainty METHOD
                   analytic (default): the propagated std and score ± 1.96·std;
                   monte-carlo: the std and the 2.5/97.5 percentiles of --samples weighted
                   means of clamped normal draws per area ("aggregation_method": "monte_carlo").
                   Draws are keyed by --seed and the evaluation's index in the input (every
                   non-blank line counts, good or bad), so a run repeats exactly
  --samples N      Monte-Carlo samples per area, at least 2 (default 1000)
  --seed S         Monte-Carlo seed, an integer in [0, 2^53) (default 0)
  --summary        after the results, write to stderr a table per area and per cluster (a
                   cluster pools its areas' scores): the count, mean, p10, p50 and p90 of the
                   score and the count of each quality level. Percentiles are nearest-rank,
                   read from a fixed histogram of 1e-4-wide bins over [0, 3] (memory does not
                   grow with the input): the exact value lies in [shown, shown + 0.0001)
  --chunk-size N   evaluations aggregated per batch (default ${DEFAULT_CHUNK_SIZE}); results do not depend on it
  -h, --help       show this help

A progress bar with plans/s is drawn on stderr when stderr is a terminal and stdout is not
(results going to a file or a pipe), never otherwise.

Exit status: 0 when every evaluation was aggregated; 1 when some input was bad (every
problem is reported on stderr, and the good NDJSON lines are still written); 2 for a usage error.
`;

export const UNCERTAINTY_METHODS = Object.freeze(["analytic", "monte-carlo"] as const);

/** The Monte-Carlo settings as given; their ranges are the aggregator's to check. */
export interface MonteCarloArguments {
  readonly method: "monte-carlo";
  readonly samples: number | undefined;
  readonly seed: number | undefined;
}

export interface Arguments {
  readonly help: boolean;
  /** A path, "-" for stdin, or undefined when none was given. */
  readonly file: string | undefined;
  readonly weightsFile: string | undefined;
  readonly format: OutputFormat | undefined;
  readonly failFast: boolean;
  readonly summary: boolean;
  readonly chunkSize: number;
  /** Undefined for analytic intervals. */
  readonly monteCarlo: MonteCarloArguments | undefined;
}

export function parseArguments(args: string[]): Arguments {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        weights: { type: "string" },
        format: { type: "string" },
        "fail-fast": { type: "boolean", default: false },
        uncertainty: { type: "string", default: "analytic" },
        samples: { type: "string" },
        seed: { type: "string" },
        summary: { type: "boolean", default: false },
        "chunk-size": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    // parseArgs throws only for unknown options and missing or unexpected option values.
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const format = oneOf("--format", values.format, OUTPUT_FORMATS);
  const method = oneOf("--uncertainty", values.uncertainty, UNCERTAINTY_METHODS);
  if (positionals.length > 1) throw new UsageError(`expected at most one FILE, got ${positionals.length}`);
  const samples = integer("--samples", values.samples);
  const seed = integer("--seed", values.seed);
  if (method === "analytic" && (samples !== undefined || seed !== undefined)) {
    throw new UsageError("--samples and --seed apply only to --uncertainty monte-carlo");
  }
  const chunkSize = integer("--chunk-size", values["chunk-size"]) ?? DEFAULT_CHUNK_SIZE;
  if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new UsageError(`--chunk-size must be an integer in [1, ${MAX_CHUNK_SIZE.toLocaleString("en-US")}], got ${chunkSize}`);
  }
  return {
    help: values.help,
    file: positionals[0],
    weightsFile: values.weights,
    format,
    failFast: values["fail-fast"],
    summary: values.summary,
    chunkSize,
    monteCarlo: method === "monte-carlo" ? { method, samples, seed } : undefined,
  };
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value !== undefined && !allowed.includes(value as T)) {
    throw new UsageError(`${flag} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value as T | undefined;
}

/** A flag's value written as a plain decimal integer (no sign, exponent or fraction). */
function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value)) throw new UsageError(`${flag} must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}
