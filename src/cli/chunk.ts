import { HighPerformanceAreaAggregator } from "../aggregator.js";
import type { MonteCarloArguments } from "./args.js";
import { evaluationProblem } from "./check.js";
import { formatProblem, recordLabel, recordRenderer, type JsonShape, type OutputFormat, type RecordRenderer } from "./format.js";
import type { InputRecord } from "./input.js";
import { failureProblem, type Problem } from "./problems.js";
import { SpareBuffers } from "../core/spare-buffers.js";
import { SUMMARY_RECORD_LENGTH, summaryRecord } from "./summary.js";
import { dimensionScoresFromJson } from "../input/codec.js";
import { ownedBatch } from "../input/owned-batch.js";
import type { AggregatorOptions, AreaScore, Evaluation, Weights } from "../core/types.js";

/**
 * How every chunk of a run is handled, in the main thread or in a worker thread alike: plain
 * data, so it crosses to a worker as it is.
 */
export interface ChunkSettings {
  /** Undefined for analytic intervals. */
  readonly monteCarlo: MonteCarloArguments | undefined;
  /** The --weights file's content, already checked; undefined without one. */
  readonly sharedWeights: Weights | undefined;
  readonly format: OutputFormat;
  readonly ndjsonInput: boolean;
  readonly failFast: boolean;
  /** True with --summary: each result also gives its summaryRecord. */
  readonly summary: boolean;
  /** JSON outputs: the plan key field carried from each line (--id), and whether areas echo their inputs. */
  readonly json: JsonShape;
}

/**
 * What became of one input record: its output text as UTF-8 (for stdout), or its report (for
 * stderr). The outputs of a chunk are views of one buffer, so a worker's result crosses to the
 * main thread as one copy, and the main thread never encodes them.
 */
export type Outcome = { readonly output: Uint8Array } | { readonly report: string };

/** A chunk's outcomes in input order; with --fail-fast nothing past the first report. */
export interface ChunkResult {
  readonly outcomes: Outcome[];
  /** With --summary: SUMMARY_RECORD_LENGTH numbers per output outcome, in order; else empty. */
  readonly summary: Float64Array;
}

/** The buffers that hold a chunk's output bytes: one (ResultBuilder.finish), or several for a chunk handled again in parts. */
export function outputBuffers({ outcomes }: ChunkResult): Set<ArrayBuffer> {
  const buffers = new Set<ArrayBuffer>();
  for (const outcome of outcomes) if ("output" in outcome) buffers.add(outcome.output.buffer as ArrayBuffer);
  return buffers;
}

/** The buffers a worker thread can hand over with its result instead of having them copied: its outputs' and the summary's. */
export function transferables(result: ChunkResult): ArrayBuffer[] {
  const buffers = outputBuffers(result);
  if (result.summary.length > 0) buffers.add(result.summary.buffer as ArrayBuffer);
  return [...buffers];
}

/** The aggregator options of the run's Monte-Carlo settings (its OptionsErrors are the caller's to report). */
export function aggregatorOptions(monteCarlo: MonteCarloArguments | undefined): AggregatorOptions {
  if (monteCarlo === undefined) return {};
  const { method, samples, seed } = monteCarlo;
  return { uncertainty: { method, ...(samples === undefined ? {} : { samples }), ...(seed === undefined ? {} : { seed }) } };
}

interface Good {
  readonly line: number | undefined;
  readonly evaluation: Evaluation;
  /** The plan key its line carries, or undefined. */
  readonly key: unknown;
}

interface Bad {
  readonly line: number | undefined;
  readonly problem: Problem;
}

/** An input record checked and ready: its evaluation in the library's form, or why not. */
type Checked = Good | Bad;

const isGood = (item: Checked): item is Good => "evaluation" in item;

/**
 * Turns one chunk of input records into its outcomes. Record i of a chunk is evaluation
 * `firstEvaluation + i` of the study (every non-blank line counts, good or bad), which keys the
 * Monte-Carlo streams, so an outcome depends neither on the chunk size, nor on bad lines
 * elsewhere, nor on which thread handled it.
 */
export class ChunkHandler {
  readonly #settings: ChunkSettings;
  /** One aggregator for the run (per thread), so its cache of prepared weights serves every evaluation. */
  readonly #aggregator: HighPerformanceAreaAggregator;
  readonly #render: RecordRenderer;
  /** Buffers of earlier chunks' outputs, written and handed back, for later chunks' outputs. */
  readonly #spares = new SpareBuffers();

  constructor(settings: ChunkSettings, aggregator: HighPerformanceAreaAggregator) {
    this.#settings = settings;
    this.#aggregator = aggregator;
    this.#render = recordRenderer(settings.format, settings.ndjsonInput, settings.json);
  }

  async handle(records: readonly InputRecord[], firstEvaluation: number): Promise<ChunkResult> {
    const result = new ResultBuilder(this.#settings, this.#spares);
    const checked = this.#check(records);
    // Runs of good evaluations go to the aggregator as batches, each keyed by its first index.
    let start = 0;
    while (start < checked.length && !result.stopped) {
      let end = start;
      while (end < checked.length && isGood(checked[end]!)) end++;
      if (end > start) await this.#aggregateRun(checked.slice(start, end) as Good[], firstEvaluation + start, result);
      const bad = checked[end];
      if (bad !== undefined && !result.stopped) result.report(bad as Bad);
      start = end + 1;
    }
    return result.finish();
  }

  /** Takes back output buffers whose bytes have been written (outputBuffers of an earlier result): later outputs go in them. */
  recycle(buffers: Iterable<ArrayBuffer>): void {
    this.#spares.give(buffers);
  }

  /** Each record's evaluation, or its problem; with --fail-fast nothing past the first bad one. */
  #check(records: readonly InputRecord[]): Checked[] {
    const checked: Checked[] = [];
    for (const record of records) {
      const item = checkedRecord(record, this.#settings.json.idColumn);
      checked.push(item);
      if (!isGood(item) && this.#settings.failFast) break;
    }
    return checked;
  }

  /**
   * Aggregates a run of checked evaluations and renders each result. Whatever fails stays the
   * problem of one line: a batch that throws (an extra no copy survives, say) is aggregated
   * again one evaluation at a time, each keyed by its own index, so the good ones still come
   * out exactly as they would have, and a result that cannot be rendered is reported alone.
   */
  async #aggregateRun(run: readonly Good[], firstEvaluation: number, result: ResultBuilder): Promise<void> {
    let areaScores: AreaScore[][];
    try {
      areaScores = await this.#aggregate(run, firstEvaluation);
    } catch (error) {
      if (run.length === 1) return result.report({ line: run[0]!.line, problem: failureProblem(error) });
      for (let i = 0; i < run.length && !result.stopped; i++) await this.#aggregateRun(run.slice(i, i + 1), firstEvaluation + i, result);
      return;
    }
    for (let i = 0; i < run.length && !result.stopped; i++) this.#output(run[i]!.line, run[i]!.key, areaScores[i]!, result);
  }

  async #aggregate(run: readonly Good[], firstEvaluation: number): Promise<AreaScore[][]> {
    // Parsed here from the line's text: nobody else's, so the results take their extras as they are.
    const evaluations = ownedBatch(run.map((item) => item.evaluation));
    const { areaScores } = await this.#aggregator.aggregateBatch(evaluations, this.#settings.sharedWeights, { firstEvaluation });
    return areaScores;
  }

  #output(line: number | undefined, key: unknown, areaScores: AreaScore[], result: ResultBuilder): void {
    let text: string;
    try {
      text = this.#render(line, key, areaScores);
    } catch (error) {
      return result.report({ line, problem: failureProblem(error) });
    }
    result.output(text, areaScores);
  }
}

/** A chunk's outcomes as they are found: results' texts, reports, and with --summary each result's summaryRecord. */
class ResultBuilder {
  readonly #settings: ChunkSettings;
  readonly #spares: SpareBuffers;
  /** Per outcome: a result's text, or a report. */
  readonly #outcomes: ({ readonly text: string } | { readonly report: string })[] = [];
  readonly #summary: Float64Array[] = [];
  #reported = false;

  constructor(settings: ChunkSettings, spares: SpareBuffers) {
    this.#settings = settings;
    this.#spares = spares;
  }

  /** True once nothing more is wanted: --fail-fast after a report. */
  get stopped(): boolean {
    return this.#reported && this.#settings.failFast;
  }

  output(text: string, areaScores: readonly AreaScore[]): void {
    this.#outcomes.push({ text });
    if (this.#settings.summary) this.#summary.push(summaryRecord(areaScores));
  }

  report({ line, problem }: Bad): void {
    this.#outcomes.push(reportOutcome(line, problem));
    this.#reported = true;
  }

  finish(): ChunkResult {
    const size = this.#outcomes.reduce((total, o) => total + ("text" in o ? Buffer.byteLength(o.text) : 0), 0);
    // Without output bytes no spare is taken; never a view of Buffer's shared pool, which a worker would move away.
    const bytes = size === 0 ? Buffer.allocUnsafeSlow(0) : Buffer.from(this.#spares.take(size));
    let at = 0;
    const outcomes = this.#outcomes.map((o): Outcome => {
      if (!("text" in o)) return o;
      const start = at;
      at += bytes.write(o.text, at);
      return { output: bytes.subarray(start, at) };
    });
    const summary = new Float64Array(this.#summary.length * SUMMARY_RECORD_LENGTH);
    this.#summary.forEach((record, k) => summary.set(record, k * SUMMARY_RECORD_LENGTH));
    return { outcomes, summary };
  }
}

/** A record's problem as the outcome stderr gets. */
export function reportOutcome(line: number | undefined, problem: Problem): { readonly report: string } {
  return { report: formatProblem(recordLabel(line), problem) };
}

function checkedRecord(record: InputRecord, idColumn: string): Checked {
  if ("problem" in record) return record;
  const { line, evaluation } = record;
  const key = evaluation.fields !== undefined && Object.hasOwn(evaluation.fields, idColumn) ? evaluation.fields[idColumn] : undefined;
  try {
    // Casts only: evaluationProblem validates both and reports what is wrong with them.
    const dimensionScores = dimensionScoresFromJson(evaluation.dimensionScores);
    const weights = evaluation.weights as Weights | undefined;
    const problem = evaluationProblem(dimensionScores, weights);
    return problem === undefined ? { line, evaluation: { dimensionScores, weights }, key } : { line, problem };
  } catch (error) {
    return { line, problem: failureProblem(error) };
  }
}
