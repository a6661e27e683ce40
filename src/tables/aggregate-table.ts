import { HighPerformanceAreaAggregator } from "../aggregator.js";
import { ownValue } from "../core/caller-data.js";
import { AREA_COUNT, AREA_ROWS, QUALITY_BY_CODE } from "../core/constants.js";
import { OptionsError } from "../core/errors.js";
import type { AggregationMethod, Weights } from "../core/types.js";
import { ValidationError } from "../core/errors.js";
import { IssueCollector, show } from "../core/validate.js";
import { prepareWeights } from "../input/weights.js";
import { arrowLayout, arrowRows, type ArrowBatch } from "./arrow-batches.js";
import { DEFAULT_MAX_OPEN_PLANS, DEFAULT_TABLE_BLOCK_PLANS } from "./defaults.js";
import type { PlanProblem } from "./gather.js";
import { planKey } from "./json-writer.js";
import { INPUT_COLUMNS, inputColumn, RESULT_NUMBER_COLUMNS, resultNumbers, type ResultBlock } from "./results.js";
import { DEFAULT_ID_COLUMN, layoutOf, LONG_COLUMNS, WIDE_SCORE_COLUMNS, WIDE_STD_COLUMNS, type NumberColumn, type RowBatch, type TextColumn } from "./rows.js";
import { runTable } from "./run.js";
import { tableError } from "./table-errors.js";

/** Options of `aggregateTable`; every one is optional. */
export interface AggregateTableOptions {
  /** The plan key column. @default "plan_id" */
  readonly idColumn?: string;
  /** A long table sorted by plan key: a plan is the run of rows with its key (SPEC-style E_PLAN_SPLIT when a key comes back). @default false */
  readonly sorted?: boolean;
  /** Long tables: plans open at once; a plan still incomplete when this many later plans have started is E_OPEN_PLANS. @default 65536 */
  readonly maxOpenPlans?: number;
  /** Raw weights every plan shares, as `aggregate()` takes them. @default equal weights */
  readonly weights?: Weights | null;
  /** Add each area's six inputs to the results (`score_DIM01` … `score_std_DIM06`). @default false */
  readonly inputs?: boolean;
  /** The aggregator to run on (its backend, thresholds, Monte-Carlo settings). @default a shared default one */
  readonly aggregator?: HighPerformanceAreaAggregator;
}

/**
 * A table as `aggregateTable` takes it: an apache-arrow `Table` (any version: only its record
 * batches' documented shape is read), or plain columns by name, each an array (or typed array)
 * of the same length: text columns of strings (plan keys may be numbers), number columns of
 * numbers. Long: `plan_id`, `area_id`, `dimension_id`, `score`, `score_std` (optional); wide:
 * `plan_id`, `score_PA01_DIM01` … `score_PA10_DIM06`, `score_std_PA01_DIM01` … (optional).
 */
export type TableInput = ArrowTableLike | { readonly [column: string]: ArrayLike<unknown> };

/** The parts of an apache-arrow Table read here. */
export interface ArrowTableLike {
  readonly batches: readonly ArrowBatch[];
  readonly schema: ArrowBatch["schema"];
}

/**
 * The results: one row per plan × area, plans in order of first appearance, areas PA01…PA10.
 * Columns by name: the plan key (under the input's key column name), `area_id`, `area_name`,
 * `cluster_id`, `score`, `score_std`, `ci_low`, `ci_high`, `quality_level`,
 * `aggregation_method`, and with `inputs` the twelve input columns. Ready for
 * `arrow.tableFromArrays(result.columns)` or a DataFrame.
 */
export interface TableResult {
  readonly rows: number;
  readonly plans: number;
  readonly columns: { readonly [column: string]: string[] | Float64Array };
}

let sharedAggregator: HighPerformanceAreaAggregator | undefined;

/**
 * Area scores for every plan of a table, without writing the reshape: rows in any order, a
 * plan being whatever its key gathers (see `AggregateTableOptions`). Validation is the
 * aggregator's (SPEC §3 codes): a table with bad plans rejects with one `ValidationError`
 * listing every bad plan's issues, each path prefixed with its plan key (`["P07"].row 17.score`);
 * a column missing or of the wrong type is E_SCHEMA naming it.
 *
 * @example
 * import { tableFromArrays } from "apache-arrow";
 * const { columns } = await aggregateTable(arrowTable);
 * const areas = tableFromArrays(columns);
 */
export async function aggregateTable(table: TableInput, options: AggregateTableOptions = {}): Promise<TableResult> {
  const settings = readOptions(options);
  const aggregator = settings.aggregator ?? (sharedAggregator ??= new HighPerformanceAreaAggregator());
  const problems: PlanProblem[] = [];
  const blocks: ResultBlock[] = [];
  const result = await runTable(
    batchesOf(table, settings.idColumn),
    aggregator,
    { sorted: settings.sorted, maxOpenPlans: settings.maxOpenPlans, blockPlans: DEFAULT_TABLE_BLOCK_PLANS, weights: settings.weights, inputs: settings.inputs },
    {
      writer: {
        // Blocks are reused by the run once written: keep copies.
        write: async (block) => void blocks.push(copied(block)),
        end: async () => {},
      },
      problem: (problem) => void problems.push(problem),
    },
  );
  if (problems.length > 0) throw planErrors(problems);
  const columns = resultColumns(blocks, settings.idColumn, aggregator.aggregationMethod, settings.inputs);
  return { rows: result.plans * AREA_COUNT, plans: result.plans, columns };
}

interface Settings {
  readonly idColumn: string;
  readonly sorted: boolean;
  readonly maxOpenPlans: number;
  readonly weights: ReturnType<typeof prepareWeights> & object;
  readonly inputs: boolean;
  readonly aggregator: HighPerformanceAreaAggregator | undefined;
}

/** The options, each read once (own properties only); a bad one is an OptionsError. */
function readOptions(options: AggregateTableOptions): Settings {
  if (typeof options !== "object" || options === null) throw new OptionsError(`options: expected an object, got ${show(options)}`);
  const idColumn = ownValue(options, "idColumn") ?? DEFAULT_ID_COLUMN;
  if (typeof idColumn !== "string" || idColumn === "") throw new OptionsError(`idColumn: expected a column name, got ${show(idColumn)}`);
  const flag = (name: string) => {
    const value = ownValue(options, name) ?? false;
    if (typeof value !== "boolean") throw new OptionsError(`${name}: expected true or false, got ${show(value)}`);
    return value;
  };
  const maxOpenPlans = ownValue(options, "maxOpenPlans") ?? DEFAULT_MAX_OPEN_PLANS;
  if (!Number.isSafeInteger(maxOpenPlans) || (maxOpenPlans as number) < 1) {
    throw new OptionsError(`maxOpenPlans: expected a positive integer, got ${show(maxOpenPlans)}`);
  }
  const aggregator = ownValue(options, "aggregator");
  if (aggregator !== undefined && !(aggregator instanceof HighPerformanceAreaAggregator)) {
    throw new OptionsError(`aggregator: expected a HighPerformanceAreaAggregator, got ${show(aggregator)}`);
  }
  const issues = new IssueCollector();
  const weights = prepareWeights(ownValue(options, "weights"), issues);
  issues.throwIfAny();
  return { idColumn, sorted: flag("sorted"), maxOpenPlans: maxOpenPlans as number, weights: weights!, inputs: flag("inputs"), aggregator };
}

/** The table's rows: an Arrow table's record batches, or plain columns as one batch. */
async function* batchesOf(table: TableInput, idColumn: string): AsyncGenerator<RowBatch> {
  if (typeof table !== "object" || table === null || Array.isArray(table)) {
    throw new ValidationError([{ code: "E_TYPE", path: "", message: `expected an Arrow table or columns by name, got ${show(table)}` }]);
  }
  const batches = ownValue(table, "batches") ?? (table as { batches?: unknown }).batches;
  if (Array.isArray(batches) && typeof (table as ArrowTableLike).schema === "object") {
    const layout = arrowLayout((table as ArrowTableLike).schema.fields, idColumn);
    let row = 1;
    for (const batch of batches as ArrowBatch[]) {
      yield arrowRows(batch, layout, row);
      row += batch.numRows;
    }
    return;
  }
  yield plainRows(table as { readonly [column: string]: ArrayLike<unknown> }, idColumn);
}

/** Plain columns as one batch of rows, each cell read once. */
function plainRows(table: { readonly [column: string]: ArrayLike<unknown> }, idColumn: string): RowBatch {
  const names = Object.keys(table);
  const columns = new Map(names.map((name) => [name, ownValue(table, name)]));
  const layout = layoutOf(names);
  if (layout === undefined) throw tableError("E_SCHEMA", LONG_COLUMNS.area, `neither a long table (${LONG_COLUMNS.area}, …) nor a wide one (${WIDE_SCORE_COLUMNS[0]} …)`);
  const rows = lengthOf(columns, idColumn);
  const column = (name: string, required: boolean) => {
    const value = columns.get(name);
    if (value === undefined) {
      if (required) throw tableError("E_SCHEMA", name, `no column "${name}"`);
      return undefined;
    }
    if (lengthOf(columns, name) !== rows) throw tableError("E_COUNT", name, `column "${name}" has ${lengthOf(columns, name)} values, "${idColumn}" has ${rows}`);
    return value as ArrayLike<unknown>;
  };
  const base = { rows, rowName: "row" as const, firstRow: 1, rowNumbers: undefined, key: textCells(column(idColumn, true)!, rows) };
  if (layout === "long") {
    const std = column(LONG_COLUMNS.std, false);
    return {
      ...base,
      layout,
      area: textCells(column(LONG_COLUMNS.area, true)!, rows),
      dimension: textCells(column(LONG_COLUMNS.dimension, true)!, rows),
      score: numberCells(column(LONG_COLUMNS.score, true)!, rows),
      std: std === undefined ? undefined : numberCells(std, rows),
    };
  }
  const someStd = WIDE_STD_COLUMNS.some((name) => columns.has(name));
  return {
    ...base,
    layout,
    scores: WIDE_SCORE_COLUMNS.map((name) => numberCells(column(name, true)!, rows)),
    stds: WIDE_STD_COLUMNS.map((name) => (someStd ? numberCells(column(name, true)!, rows) : undefined)),
  };
}

function lengthOf(columns: Map<string, unknown>, name: string): number {
  const value = columns.get(name);
  if (value === undefined) throw tableError("E_SCHEMA", name, `no column "${name}"`);
  const length = typeof value === "object" && value !== null ? (ArrayBuffer.isView(value) ? (value as Float64Array).length : ownValue(value, "length")) : undefined;
  if (!Number.isSafeInteger(length) || (length as number) < 0) throw tableError("E_TYPE", name, `column "${name}" is not an array: ${show(value)}`);
  return length as number;
}

const encoder = new TextEncoder();

/** Strings (or numbers, for keys) as UTF-8 cells; anything else is a cell no id matches, and a null key. */
function textCells(values: ArrayLike<unknown>, rows: number): TextColumn {
  const parts: Uint8Array[] = [];
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  const bitmap = new Uint8Array((rows + 7) >> 3).fill(0xff);
  let nulls = false;
  let at = 0;
  for (let r = 0; r < rows; r++) {
    const value = values[r];
    const text = typeof value === "string" ? value : typeof value === "number" || typeof value === "bigint" ? String(value) : undefined;
    if (text === undefined) {
      bitmap[r >> 3]! &= ~(1 << (r & 7));
      nulls = true;
    }
    const bytes = encoder.encode(text ?? "");
    parts.push(bytes);
    starts[r] = at;
    ends[r] = at += bytes.length;
  }
  return { bytes: Buffer.concat(parts), starts, ends, nulls: nulls ? { bitmap, offset: 0 } : undefined };
}

/** Numbers as doubles; any other cell is bad, kept for the message. */
function numberCells(values: ArrayLike<unknown>, rows: number): NumberColumn {
  if (values instanceof Float64Array) return { values };
  const out = new Float64Array(rows);
  const bad = new Map<number, unknown>();
  for (let r = 0; r < rows; r++) {
    const value = values[r];
    if (typeof value === "number") out[r] = value;
    else bad.set(r, value ?? null);
  }
  return { values: out, bad };
}

/** Every bad plan's issues in one ValidationError, each path prefixed with the plan key. */
function planErrors(problems: readonly PlanProblem[]): ValidationError {
  const issues = new IssueCollector();
  for (const problem of problems) {
    const prefix = problem.key === undefined ? "" : `[${JSON.stringify(problem.key)}]`;
    for (const issue of problem.error.issues) issues.add(issue.code, issue.path === "" ? prefix : `${prefix}${prefix ? "." : ""}${issue.path}`, issue.message);
    if (problem.error.truncated) issues.truncated = true;
  }
  return new ValidationError(issues.issues, issues.truncated);
}

function copied(block: ResultBlock): ResultBlock {
  return {
    ...block,
    keys: { bytes: block.keys.bytes.slice(), offsets: block.keys.offsets.slice() },
    score: block.score.slice(),
    std: block.std.slice(),
    ciLow: block.ciLow.slice(),
    ciHigh: block.ciHigh.slice(),
    quality: block.quality.slice(),
    inputs: block.inputs === undefined ? undefined : { scores: block.inputs.scores.slice(), stds: block.inputs.stds.slice() },
  };
}

function resultColumns(blocks: readonly ResultBlock[], idColumn: string, method: AggregationMethod, inputs: boolean): TableResult["columns"] {
  const rows = blocks.reduce((total, block) => total + block.plans * AREA_COUNT, 0);
  const key: string[] = [];
  const area: string[] = [];
  const name: string[] = [];
  const cluster: string[] = [];
  const quality: string[] = [];
  const numbers = RESULT_NUMBER_COLUMNS.map(() => new Float64Array(rows));
  const echoed = inputs ? INPUT_COLUMNS.map(() => new Float64Array(rows)) : [];
  let at = 0;
  for (const block of blocks) {
    for (let p = 0; p < block.plans; p++) {
      const k = planKey(block, p);
      for (const row of AREA_ROWS) {
        key.push(k);
        area.push(row.areaId);
        name.push(row.areaName);
        cluster.push(row.clusterId);
      }
    }
    for (let r = 0; r < block.plans * AREA_COUNT; r++) quality.push(QUALITY_BY_CODE[block.quality[r]!]!);
    resultNumbers(block).forEach((column, k) => numbers[k]!.set(column, at));
    echoed.forEach((column, c) => column.set(inputColumn(block, c), at));
    at += block.plans * AREA_COUNT;
  }
  const columns: Record<string, string[] | Float64Array> = { [idColumn]: key, area_id: area, area_name: name, cluster_id: cluster };
  RESULT_NUMBER_COLUMNS.forEach((column, k) => (columns[column] = numbers[k]!));
  columns["quality_level"] = quality;
  columns["aggregation_method"] = new Array<string>(rows).fill(method);
  INPUT_COLUMNS.forEach((column, c) => {
    if (inputs) columns[column] = echoed[c]!;
  });
  return columns;
}
