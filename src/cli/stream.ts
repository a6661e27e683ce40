import type { HighPerformanceAreaAggregator } from "../aggregator.js";
import { evaluationProblem } from "./check.js";
import { formatProblem, recordLabel, type Renderer } from "./format.js";
import { recordOfLine, type InputRecord } from "./input.js";
import type { NumberedLine } from "./lines.js";
import { isBlank } from "./lines.js";
import type { Output } from "./output.js";
import { failureProblem, type Problem } from "./problems.js";
import type { Progress } from "./progress.js";
import type { ScoreSummary } from "./summary.js";
import { dimensionScoresFromJson } from "../input/codec.js";
import type { AreaScore, Evaluation, Weights } from "../core/types.js";

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
  readonly problem: Problem;
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
      if (line.text !== undefined && isBlank(line.text)) continue;
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

  /**
   * Aggregates a run of checked evaluations and writes each result. Whatever fails stays the
   * problem of one line: a batch that throws (an extra no copy survives, say) is aggregated
   * again one evaluation at a time, each keyed by its own index, so the good ones still come
   * out exactly as they would have, and a result that cannot be written is reported alone.
   */
  async #aggregateRun(run: readonly Good[], firstEvaluation: number): Promise<void> {
    let areaScores: AreaScore[][];
    try {
      areaScores = await this.#aggregate(run, firstEvaluation);
    } catch (error) {
      if (run.length === 1) return this.#report({ line: run[0]!.line, problem: failureProblem(error) });
      for (let i = 0; i < run.length && !this.#stopped; i++) await this.#aggregateRun(run.slice(i, i + 1), firstEvaluation + i);
      return;
    }
    for (let i = 0; i < run.length && !this.#stopped; i++) await this.#write(run[i]!.line, areaScores[i]!);
  }

  async #aggregate(run: readonly Good[], firstEvaluation: number): Promise<AreaScore[][]> {
    const evaluations = run.map((item) => item.evaluation);
    const { areaScores } = await this.#settings.aggregator.aggregateBatch(evaluations, this.#settings.sharedWeights, { firstEvaluation });
    return areaScores;
  }

  async #write(line: number | undefined, result: AreaScore[]): Promise<void> {
    const { output, renderer, progress, summary } = this.#sinks;
    let text: string;
    try {
      text = renderer.record(line, result);
    } catch (error) {
      return this.#report({ line, problem: failureProblem(error) });
    }
    if (!(await output.write(text))) {
      this.#stopped = true;
      return;
    }
    summary?.add(result);
    progress.advance(1);
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
  try {
    // Casts only: evaluationProblem validates both and reports what is wrong with them.
    const dimensionScores = dimensionScoresFromJson(evaluation.dimensionScores);
    const weights = evaluation.weights as Weights | undefined;
    const problem = evaluationProblem(dimensionScores, weights);
    return problem === undefined ? { line, evaluation: { dimensionScores, weights } } : { line, problem };
  } catch (error) {
    return { line, problem: failureProblem(error) };
  }
}
