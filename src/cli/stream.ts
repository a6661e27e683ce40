import type { HighPerformanceAreaAggregator } from "../aggregator.js";
import { evaluationProblem } from "./check.js";
import { formatProblem, recordLabel, type Renderer } from "./format.js";
import { recordOfLine, type InputRecord } from "./input.js";
import type { NumberedLine } from "./lines.js";
import { isBlank } from "./lines.js";
import type { Output } from "./output.js";
import type { Progress } from "./progress.js";
import type { ScoreSummary } from "./summary.js";
import { dimensionScoresFromJson } from "../input/codec.js";
import type { AreaScore, Evaluation, Weights } from "../core/types.js";
import type { ValidationError } from "../core/validate.js";

export interface StreamSettings {
  /** One aggregator for the run, so its cache of prepared weights serves every evaluation. */
  readonly aggregator: HighPerformanceAreaAggregator;
  /** The --weights file's content, already checked; undefined without one. */
  readonly sharedWeights: Weights | undefined;
  /** Evaluations per aggregateBatch call: the run holds about this many plans at a time. */
  readonly chunkSize: number;
  readonly failFast: boolean;
}

export interface StreamSinks {
  readonly output: Output;
  readonly renderer: Renderer;
  readonly progress: Progress;
  readonly summary: ScoreSummary | undefined;
}

interface Good {
  readonly line: number | undefined;
  readonly evaluation: Evaluation;
}

interface Bad {
  readonly line: number | undefined;
  readonly problem: string | ValidationError;
}

/** An input record checked and ready: its evaluation in the library's form, or why not. */
type Checked = Good | Bad;

const isGood = (item: Checked): item is Good => "evaluation" in item;

/**
 * Aggregates records chunk by chunk and writes each result, in input order, before reading on.
 * Record i of the input (every non-blank line counts, good or bad) is evaluation i of the study:
 * each batch says where it starts (`firstEvaluation`), which keys the Monte-Carlo streams, so a
 * result depends neither on the chunk size nor on bad lines elsewhere.
 */
export class StreamRun {
  readonly #settings: StreamSettings;
  readonly #sinks: StreamSinks;
  #failed = false;
  #stopped = false;
  #nextEvaluation = 0;

  constructor(settings: StreamSettings, sinks: StreamSinks) {
    this.#settings = settings;
    this.#sinks = sinks;
  }

  /** True when some evaluation was bad (exit status 1). */
  get failed(): boolean {
    return this.#failed;
  }

  /** NDJSON: every non-blank line is an evaluation, read chunk by chunk. */
  async lines(lines: AsyncIterable<NumberedLine>): Promise<void> {
    let chunk: NumberedLine[] = [];
    for await (const line of lines) {
      if (isBlank(line.text)) continue;
      chunk.push(line);
      if (chunk.length < this.#settings.chunkSize) continue;
      await this.records(chunk.map(recordOfLine));
      chunk = [];
      // Leaving the loop closes the input: nothing more is read.
      if (this.#stopped) return;
    }
    if (chunk.length > 0) await this.records(chunk.map(recordOfLine));
  }

  /** Aggregates one chunk of records (a single JSON document is a chunk of one), then writes it. */
  async records(records: readonly InputRecord[]): Promise<void> {
    const first = this.#nextEvaluation;
    this.#nextEvaluation += records.length;
    const checked = this.#check(records);
    // Runs of good evaluations go to the aggregator as batches, each keyed by its first index.
    let start = 0;
    while (start < checked.length && !this.#stopped) {
      let end = start;
      while (end < checked.length && isGood(checked[end]!)) end++;
      if (end > start) await this.#aggregateRun(checked.slice(start, end) as Good[], first + start);
      const bad = checked[end];
      if (bad !== undefined && !this.#stopped) this.#report(bad as Bad);
      start = end + 1;
    }
  }

  /** Each record's evaluation, or its problem; with --fail-fast nothing past the first bad one. */
  #check(records: readonly InputRecord[]): Checked[] {
    const checked: Checked[] = [];
    for (const record of records) {
      const item = checkedRecord(record);
      checked.push(item);
      if (!isGood(item) && this.#settings.failFast) break;
    }
    return checked;
  }

  async #aggregateRun(run: readonly Good[], firstEvaluation: number): Promise<void> {
    const evaluations = run.map((item) => item.evaluation);
    const { areaScores } = await this.#settings.aggregator.aggregateBatch(evaluations, this.#settings.sharedWeights, { firstEvaluation });
    const { output, renderer, progress, summary } = this.#sinks;
    for (let i = 0; i < run.length; i++) {
      const result: AreaScore[] = areaScores[i]!;
      if (!(await output.write(renderer.record(run[i]!.line, result)))) {
        this.#stopped = true;
        return;
      }
      summary?.add(result);
      progress.advance(1);
    }
  }

  #report(item: Bad): void {
    this.#failed = true;
    this.#sinks.progress.log(formatProblem(recordLabel(item.line), item.problem));
    this.#sinks.progress.advance(1);
    if (this.#settings.failFast) this.#stopped = true;
  }
}

function checkedRecord(record: InputRecord): Checked {
  if ("problem" in record) return record;
  const { line, evaluation } = record;
  // Casts only: evaluationProblem validates both and reports what is wrong with them.
  const dimensionScores = dimensionScoresFromJson(evaluation.dimensionScores);
  const weights = evaluation.weights as Weights | undefined;
  const problem = evaluationProblem(dimensionScores, weights);
  return problem === undefined ? { line, evaluation: { dimensionScores, weights } } : { line, problem };
}
