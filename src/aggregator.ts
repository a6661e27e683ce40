import { performance } from "node:perf_hooks";
import { assembleAreaScores } from "./assemble.js";
import { KernelDispatcher, type KernelRun } from "./backend.js";
import { allocateColumns, packEvaluation, type PackedColumns } from "./columns.js";
import { SLOTS_PER_EVALUATION } from "./constants.js";
import { allocateOutput, type KernelOutput } from "./kernel.js";
import { measuredMetrics } from "./metrics.js";
import { resolveOptions, type ResolvedOptions } from "./options.js";
import type {
  AggregateResult,
  AggregatorOptions,
  BackendName,
  BatchResult,
  DimensionScore,
  Evaluation,
  PerformanceMetrics,
  Weights,
} from "./types.js";
import { IssueCollector, show } from "./validate.js";
import { WeightsCache } from "./weights-cache.js";
import { EQUAL_WEIGHTS, prepareWeights, type PreparedWeights } from "./weights.js";

/** Buffers for one plan. Allocating typed arrays costs microseconds, so one set is reused. */
interface Scratch {
  readonly columns: PackedColumns;
  readonly out: KernelOutput;
}

// Reused by single-plan calls. A call made re-entrantly (say, from a getter on an input object)
// finds it taken and allocates its own, so no call can overwrite another's buffers.
let spareScratch: Scratch | undefined;

function takeScratch(): Scratch {
  const scratch = spareScratch ?? { columns: allocateColumns(1), out: allocateOutput(1) };
  spareScratch = undefined;
  return scratch;
}

/**
 * Phase 5 aggregation: 60 dimension scores in, 10 `AreaScore`s out (SPEC §2–§5), on the
 * native or the TypeScript backend, with an adaptive cache of prepared weights.
 *
 * @example
 * const aggregator = new HighPerformanceAreaAggregator({ backend: "js" });
 * const { areaScores, metrics } = await aggregator.aggregate(dimensionScores);
 */
export class HighPerformanceAreaAggregator {
  readonly #options: ResolvedOptions;
  readonly #kernels: KernelDispatcher;
  readonly #cache: WeightsCache | undefined;

  /** @throws OptionsError for a bad option, BackendUnavailableError for `backend: "native"` without the addon. */
  constructor(options?: AggregatorOptions) {
    this.#options = resolveOptions(options);
    const { backend: choice, vectorization, parallel, maxWorkers } = this.#options;
    this.#kernels = new KernelDispatcher({ choice, vectorization, threads: parallel ? maxWorkers : 1 });
    this.#cache = this.#options.caching ? new WeightsCache() : undefined;
  }

  /**
   * The backend this aggregator runs on: "native" when the addon is in use (with `auto`, calls
   * on fewer than AUTO_NATIVE_MIN_EVALUATIONS evaluations still run the TypeScript kernel;
   * each call's metrics say what ran).
   */
  get backend(): BackendName {
    return this.#kernels.name;
  }

  /** Aggregates one plan. Rejects with `ValidationError` for bad input. */
  async aggregate(dimensionScores: readonly DimensionScore[], weights?: Weights | null): Promise<AggregateResult> {
    return this.aggregateSync(dimensionScores, weights);
  }

  /** `aggregate`, synchronously. Throws `ValidationError` for bad input. */
  aggregateSync(dimensionScores: readonly DimensionScore[], weights?: Weights | null): AggregateResult {
    const start = performance.now();
    const issues = new IssueCollector();
    const scratch = takeScratch();
    try {
      packEvaluation(dimensionScores, scratch.columns, 0, issues);
      const prepared = this.#prepare(weights, issues, "weights");
      issues.throwIfAny();
      const validated = performance.now();
      const { scores, stds, entryOf } = scratch.columns;
      const run = this.#kernels
        .for(1)
        .run({ scores, stds, weights: prepared!.vector, evaluations: 1 }, this.#options.thresholds, scratch.out);
      const areaScores = assembleAreaScores(dimensionScores, entryOf, 0, scratch.out, prepared!);
      const metrics = this.#metrics(start, validated, 1, run);
      return { areaScores, metrics };
    } finally {
      spareScratch = scratch;
    }
  }

  /**
   * Aggregates many plans with one kernel run. Each item is a plan's 60 dimension scores, or
   * `{ dimensionScores, weights }` to give that plan weights of its own (they win over `weights`;
   * `null` or absent means "none of its own").
   * Rejects with one `ValidationError` listing the issues of every bad plan, paths prefixed `[e]`.
   */
  async aggregateBatch(
    evaluations: readonly (readonly DimensionScore[] | Evaluation)[],
    weights?: Weights | null,
  ): Promise<BatchResult> {
    const start = performance.now();
    const issues = new IssueCollector();
    if (!Array.isArray(evaluations)) {
      issues.add("E_COUNT", "", `expected an array of evaluations, got ${show(evaluations)}`);
      issues.throwIfAny();
    }
    const n = evaluations.length;
    const columns = allocateColumns(n);
    const entries = new Array<readonly DimensionScore[]>(n);
    const prepared = new Array<PreparedWeights | undefined>(n);
    const shared = this.#prepare(weights, issues, "weights");
    for (let e = 0; e < n && !issues.truncated; e++) {
      const item: unknown = evaluations[e];
      if (Array.isArray(item)) {
        entries[e] = item;
        prepared[e] = shared;
        packEvaluation(item, columns, e, issues, `[${e}]`);
      } else if (typeof item === "object" && item !== null) {
        const { dimensionScores, weights: own } = item as Evaluation;
        entries[e] = dimensionScores;
        prepared[e] = own === undefined || own === null ? shared : this.#prepare(own, issues, `[${e}].weights`);
        packEvaluation(dimensionScores, columns, e, issues, `[${e}].dimensionScores`);
      } else {
        issues.add("E_TYPE", `[${e}]`, `expected an array of dimension scores or { dimensionScores, weights }, got ${show(item)}`);
      }
    }
    issues.throwIfAny();
    const validated = performance.now();
    const weightsFor = prepared as PreparedWeights[];
    const out = allocateOutput(n);
    const run = await this.#kernels
      .for(n)
      .runAsync({ scores: columns.scores, stds: columns.stds, weights: weightColumn(weightsFor), evaluations: n }, this.#options.thresholds, out);
    const areaScores = new Array<ReturnType<typeof assembleAreaScores>>(n);
    for (let e = 0; e < n; e++) areaScores[e] = assembleAreaScores(entries[e]!, columns.entryOf, e, out, weightsFor[e]!);
    return { areaScores, metrics: this.#metrics(start, validated, n, run) };
  }

  /** Prepared weights from the cache or freshly validated; undefined (issues added) when bad. */
  #prepare(weights: unknown, issues: IssueCollector, path: string): PreparedWeights | undefined {
    return this.#cache === undefined ? prepareWeights(weights, issues, path) : this.#cache.prepare(weights, issues, path);
  }

  #metrics(start: number, validated: number, evaluations: number, run: KernelRun): PerformanceMetrics {
    const timings = { start, validated, end: performance.now() };
    return measuredMetrics(timings, evaluations, run, this.#cache?.stats());
  }
}

/** One shared 60-weight vector when every plan uses the same weights, else 60 per plan. */
function weightColumn(prepared: readonly PreparedWeights[]): Float64Array {
  const first = prepared[0] ?? EQUAL_WEIGHTS;
  if (prepared.every((p) => p === first)) return first.vector;
  const column = new Float64Array(prepared.length * SLOTS_PER_EVALUATION);
  prepared.forEach((p, e) => column.set(p.vector, e * SLOTS_PER_EVALUATION));
  return column;
}

let sharedAggregator: HighPerformanceAreaAggregator | undefined;

/**
 * Aggregates one plan: the Python's `aggregate_with_performance_boost`. Without `options` it
 * uses one shared aggregator (so its weight cache persists between calls); with `options` it
 * builds a fresh one for this call — keep a `HighPerformanceAreaAggregator` to reuse options.
 */
export async function aggregate(
  dimensionScores: readonly DimensionScore[],
  weights?: Weights | null,
  options?: AggregatorOptions,
): Promise<AggregateResult> {
  const aggregator =
    options === undefined ? (sharedAggregator ??= new HighPerformanceAreaAggregator()) : new HighPerformanceAreaAggregator(options);
  return aggregator.aggregateSync(dimensionScores, weights);
}
