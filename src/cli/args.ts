import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { OUTPUT_FORMATS, type OutputFormat } from "./format.js";
import { UsageError } from "./usage.js";
import { DEFAULT_ID_COLUMN } from "../tables/rows.js";
import { DEFAULT_MAX_OPEN_PLANS, DEFAULT_TABLE_BLOCK_PLANS } from "../tables/defaults.js";
import { formatOfPath, TABLE_FORMATS, type TableFormat } from "../tables/formats.js";

export const PROGRAM = "farfan-aggregate";
export const DEFAULT_CHUNK_SIZE = 32;
/** What --from takes: the table formats, or json for JSON and NDJSON. */
export const INPUT_FORMATS = Object.freeze([...TABLE_FORMATS, "json"] as const);
export type InputFormat = (typeof INPUT_FORMATS)[number];
export const ALL_OUTPUT_FORMATS = Object.freeze([...OUTPUT_FORMATS, ...TABLE_FORMATS] as const);
const MAX_CHUNK_SIZE = 1_000_000;
/** More worker threads than this is a typo, not a machine. */
const MAX_JOBS = 256;
export const USAGE = `Usage: ${PROGRAM} [FILE|-] [options]`;
/** Where a project that installed the package finds the plan it ships. */
const SHIPPED_PLAN = "node_modules/farfan-area-aggregator/examples/plan.json";
export const HELP = `${USAGE}

Aggregates each plan's 60 dimension scores into 10 policy-area scores (FARFAN Phase 5).
Input, from FILE or stdin: one plan as JSON, NDJSON (a plan a line), or a table (.csv, .parquet,
.arrow): long (plan_id, area_id, dimension_id, score, score_std; any order) or wide (a row a plan).

Options:
  --weights FILE        weights {"PA01": {"DIM01": 1, ..., "DIM06": 1}, ...} for plans with none
  --format FORMAT       table, json, ndjson; for tables also csv, parquet, arrow (default: by -o)
  -o FILE, --from FMT   tables: results to FILE (format from its extension); the input's format
  --id COLUMN           a table's plan key (${DEFAULT_ID_COLUMN}); --sorted: sorted by it; --max-open-plans N
  --inputs, --no-inputs each area's six inputs in the results (default: in JSON, not in tables)
  --uncertainty METHOD  analytic (default), or monte-carlo with --samples N (1000) and --seed S (0)
  --summary, --fail-fast  statistics per area and cluster on stderr; stop at the first bad plan
  --chunk-size N        plans per batch (${DEFAULT_CHUNK_SIZE}; tables ${DEFAULT_TABLE_BLOCK_PLANS}); --jobs N: threads to use (${availableParallelism()})
  -h, --help            print this help (-V, --version: the version)

Examples, in a project that installed the package:
  cp ${SHIPPED_PLAN} .
  npx ${PROGRAM} plan.json --format table
  npx ${PROGRAM} plan.json --uncertainty monte-carlo --seed 7 --format json
  npx ${PROGRAM} --summary < plan.json > areas.json

Exit status: 0 all aggregated; 1 some input was bad (each problem on stderr with its line and code,
the good lines still written); 2 a usage error; 3 the output could not be written (E_OUTPUT).
`;

/** The installed package's version, from its package.json (two folders up from dist/cli/). */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return manifest.version;
}

export const UNCERTAINTY_METHODS = Object.freeze(["analytic", "monte-carlo"] as const);

/** The Monte-Carlo settings as given; their ranges are the aggregator's to check. */
export interface MonteCarloArguments {
  readonly method: "monte-carlo";
  readonly samples: number | undefined;
  readonly seed: number | undefined;
}

export interface Arguments {
  readonly help: boolean;
  readonly version: boolean;
  /** A path, "-" for stdin, or undefined when none was given. */
  readonly file: string | undefined;
  readonly weightsFile: string | undefined;
  /** --format, or the format -o FILE's extension names. */
  readonly format: OutputFormat | TableFormat | undefined;
  readonly outputFile: string | undefined;
  /** --from, or the format FILE's extension names (undefined: JSON or NDJSON). */
  readonly inputFormat: TableFormat | undefined;
  readonly idColumn: string;
  readonly sorted: boolean;
  readonly maxOpenPlans: number;
  /** --inputs (true), --no-inputs (false), or neither (undefined: the format's default). */
  readonly inputs: boolean | undefined;
  /** True when --chunk-size was given. */
  readonly chunkSizeGiven: boolean;
  readonly failFast: boolean;
  readonly summary: boolean;
  readonly chunkSize: number;
  /** Threads that handle NDJSON chunks; 1 handles them on the main thread. */
  readonly jobs: number;
  /** Undefined for analytic intervals. */
  readonly monteCarlo: MonteCarloArguments | undefined;
}

export function parseArguments(args: readonly string[]): Arguments {
  const { values, positionals } = tokenize(args);
  const outputFile = values.get("output");
  const format = oneOf("--format", values.get("format"), ALL_OUTPUT_FORMATS) ?? (outputFile === undefined ? undefined : formatOfOutput(outputFile));
  const from = oneOf("--from", values.get("from"), INPUT_FORMATS);
  const method = oneOf("--uncertainty", values.get("uncertainty"), UNCERTAINTY_METHODS) ?? "analytic";
  if (positionals.length > 1) throw new UsageError(`expected at most one FILE, got ${positionals.length}`);
  const samples = integer("--samples", values.get("samples"));
  const seed = integer("--seed", values.get("seed"));
  if (method === "analytic" && (samples !== undefined || seed !== undefined)) {
    throw new UsageError("--samples and --seed apply only to --uncertainty monte-carlo");
  }
  const chunkSize = integer("--chunk-size", values.get("chunk-size")) ?? DEFAULT_CHUNK_SIZE;
  if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new UsageError(`--chunk-size must be an integer in [1, ${MAX_CHUNK_SIZE.toLocaleString("en-US")}], got ${chunkSize}`);
  }
  const maxOpenPlans = integer("--max-open-plans", values.get("max-open-plans")) ?? DEFAULT_MAX_OPEN_PLANS;
  if (maxOpenPlans < 1 || maxOpenPlans > MAX_CHUNK_SIZE * 10) {
    throw new UsageError(`--max-open-plans must be an integer in [1, ${(MAX_CHUNK_SIZE * 10).toLocaleString("en-US")}], got ${maxOpenPlans}`);
  }
  if (values.has("inputs") && values.has("no-inputs")) throw new UsageError("--inputs and --no-inputs contradict each other");
  const file = positionals[0];
  const jobs = integer("--jobs", values.get("jobs")) ?? availableParallelism();
  if (jobs < 1 || jobs > MAX_JOBS) throw new UsageError(`--jobs must be an integer in [1, ${MAX_JOBS}], got ${jobs}`);
  return {
    help: values.has("help"),
    version: values.has("version"),
    file,
    weightsFile: values.get("weights"),
    format,
    outputFile,
    inputFormat: from === "json" ? undefined : (from ?? (file === undefined || file === "-" ? undefined : formatOfPath(file))),
    idColumn: values.get("id") ?? DEFAULT_ID_COLUMN,
    sorted: values.has("sorted"),
    maxOpenPlans,
    inputs: values.has("inputs") ? true : values.has("no-inputs") ? false : undefined,
    chunkSizeGiven: values.has("chunk-size"),
    failFast: values.has("fail-fast"),
    summary: values.has("summary"),
    chunkSize,
    jobs,
    monteCarlo: method === "monte-carlo" ? { method, samples, seed } : undefined,
  };
}

/** Options that take a value; every other option is a switch. */
const VALUED = new Set(["weights", "format", "uncertainty", "samples", "seed", "chunk-size", "jobs", "output", "from", "id", "max-open-plans"]);
const SWITCHES = new Set(["fail-fast", "summary", "help", "version", "sorted", "inputs", "no-inputs"]);
const SHORT: Readonly<Record<string, string>> = { "-h": "help", "-V": "version" };
/** Short options that take a value. */
const SHORT_VALUED: Readonly<Record<string, string>> = { "-o": "output" };

/** The output format -o FILE's extension names: a table format, json or ndjson. */
function formatOfOutput(file: string): OutputFormat | TableFormat {
  const table = formatOfPath(file);
  if (table !== undefined) return table;
  if (/\.(ndjson|jsonl)$/i.test(file)) return "ndjson";
  if (/\.json$/i.test(file)) return "json";
  throw new UsageError(`-o ${file}: the extension names no output format (.csv, .parquet, .arrow, .json, .ndjson); add --format`);
}

/**
 * The arguments split into options (the last of a repeated one wins; a switch maps to "") and
 * positionals. Ours rather than util.parseArgs, so every message is our own: `--seed -1` is the
 * value "-1" (and then "not a whole number"), not "argument is ambiguous"; only a value that
 * looks like a long option (`--weights --summary`) counts as missing. "--" ends the options.
 */
function tokenize(args: readonly string[]): { values: Map<string, string>; positionals: string[] } {
  const values = new Map<string, string>();
  const positionals: string[] = [];
  let optionsEnded = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (optionsEnded || arg === "-" || !arg.startsWith("-")) {
      positionals.push(arg);
      continue;
    }
    if (arg === "--") {
      optionsEnded = true;
      continue;
    }
    const shortValued = SHORT_VALUED[arg];
    if (shortValued !== undefined) {
      const value = args[++i];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`${arg} needs a value`);
      values.set(shortValued, value);
      continue;
    }
    const short = SHORT[arg];
    if (short !== undefined) {
      values.set(short, "");
      continue;
    }
    const equals = arg.indexOf("=");
    const name = arg.startsWith("--") ? arg.slice(2, equals === -1 ? undefined : equals) : "";
    const inline = equals === -1 ? undefined : arg.slice(equals + 1);
    if (SWITCHES.has(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      values.set(name, "");
    } else if (VALUED.has(name)) {
      const value = inline ?? args[++i];
      if (value === undefined || (inline === undefined && value.startsWith("--"))) throw new UsageError(`--${name} needs a value`);
      values.set(name, value);
    } else {
      throw new UsageError(`unknown option ${JSON.stringify(equals === -1 ? arg : arg.slice(0, equals))}`);
    }
  }
  return { values, positionals };
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
