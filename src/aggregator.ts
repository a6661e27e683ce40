import { performance } from "node:perf_hooks";
import { assembleAreaScores } from "./output/assemble.js";
import { controlledCall, throwIfAborted } from "./backend/call-control.js";
import { KernelDispatcher } from "./backend/dispatch.js";
import { ENGINE_OUTPUTS, type CallOutputs, type KernelCall } from "./backend/kernel-call.js";
import { readBatch } from "./input/batch-input.js";
import { isOwnedBatch } from "./input/owned-batch.js";
import { resolveCall } from "./input/call-options.js";
import { resolveColumns } from "./input/check-columns.js";
import { allocateColumns, packEvaluation, releaseColumns, type PackedColumns } from "./input/pack-plans.js";
import { reportBadSlots } from "./input/report-bad-slots.js";
import type { MonteCarloParams } from "./kernels/montecarlo.js";
import { AggregationError } from "./core/errors.js";
import { privateCopy } from "./core/typed-views.js";
import { SLOTS_PER_EVALUATION } from "./core/constants.js";
import { allocateOutput, type KernelInput, type KernelOutput } from "./core/kernel-io.js";
import { measuredMetrics, type KernelRun } from "./core/metrics.js";
import { resolveOptions, type ResolvedOptions } from "./core/options.js";
import type {
  AggregateOptions,
  AggregateResult,
  AggregationMethod,
  AggregatorOptions,
  BackendName,
  BackendReason,
  BatchCallOptions,
  BatchResult,
  CallOptions,
  ColumnInput,
  ColumnOutputs,
  ColumnsResult,
  DimensionScore,
  Evaluation,
  PerformanceMetrics,
  Weights,
} from "./core/types.js";
import { IssueCollector } from "./core/validate.js";
import { WeightsCache } from "./input/weights-cache.js";
import { EQUAL_WEIGHTS, prepareWeights, type PreparedWeights } from "./input/weights.js";

/** Buffers for one plan. Allocating typed arrays costs microseconds, so one set is reused. */
interface Scratch {
  readonly columns: PackedColumns;
  /** The package's outputs, as the call that writes them names them. */
  readonly outputs: { readonly owner: "package"; readonly out: KernelOutput };
}

// Reused by single-plan calls. A call made re-entrantly (say, from a getter on an input object)
// finds it taken and allocates its own, so no call can overwrite another's buffers.
let spareScratch: Scratch | undefined;

function takeScratch(): Scratch {
  const scratch = spareScratch ?? { columns: allocateColumns(1), outputs: Object.freeze({ owner: "package", out: allocateOutput(1) }) };
  spareScratch = undefined;
  return scratch;
}

/**
 * Phase 5 aggregation: 60 dimension scores in, 10 `AreaScore`s out (docs/contract.md §2–§5), on the
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

  /**
   * Aggregates one plan. Rejects with `ValidationError` for bad input, `AbortError` when
   * `call.signal` has aborted (one plan takes microseconds: nothing to stop midway), and calls
   * `call.onProgress(1, 1)` once it succeeds, as every async method reports its end.
   */
  async aggregate(dimensionScores: readonly DimensionScore[], weights?: Weights | null, call?: CallOptions): Promise<AggregateResult> {
    const issues = new IssueCollector();
    const resolved = resolveCall(call, 1, "single", issues);
    issues.throwIfAny();
    throwIfAborted(resolved!.signal);
    const result = this.aggregateSync(dimensionScores, weights);
    resolved!.onProgress?.(1, 1);
    return result;
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
      const { scores, stds } = scratch.columns;
      const input = { scores, stds, weights: prepared!.vector, evaluations: 1 };
      const { outputs } = scratch;
      const { run, reason } = this.#kernels.run(this.#call({ input, outputs, check: false, firstEvaluation: 0 }));
      const areaScores = assembleAreaScores(scratch.columns, 0, outputs.out, prepared!, this.aggregationMethod, "");
      const metrics = this.#metrics(start, validated, 1, run, reason);
      return { areaScores, metrics };
    } finally {
      // The scratch keeps no caller object (nor output) alive between calls.
      releaseColumns(scratch.columns);
      spareScratch = scratch;
    }
  }

  /**
   * Aggregates many plans with one kernel run. Each item is a plan's 60 dimension scores, or
   * `{ dimensionScores, weights }` to give that plan weights of its own (they win over `weights`;
   * `null` or absent means "none of its own"). `call.firstEvaluation` places the batch in a
   * larger study (it keys the Monte-Carlo streams); `call.signal` aborts it (`AbortError`) and
   * `call.onProgress(done, total)` follows it.
   * At most MAX_BATCH_EVALUATIONS plans per call. Rejects with one `ValidationError` listing
   * the issues of every bad plan, paths prefixed `[e]`.
   */
  async aggregateBatch(
    evaluations: readonly (readonly DimensionScore[] | Evaluation)[],
    weights?: Weights | null,
    call?: BatchCallOptions,
  ): Promise<BatchResult> {
    const start = performance.now();
    const issues = new IssueCollector();
    const items = readBatch(evaluations, issues) ?? [];
    const n = items.length;
    const resolvedCall = resolveCall(call, n, "batch", issues);
    if (resolvedCall !== undefined) throwIfAborted(resolvedCall.signal);
    const shared = this.#prepare(weights, issues, "weights");
    // Columns for n plans only once every item is a plan: a batch of holes is refused without
    // them. Otherwise the plans are still checked, one at a time, so every problem is listed.
    const columns = issues.empty ? allocating(n, issues, allocateColumns) : undefined;
    const checkOnly = columns === undefined;
    const target = columns ?? allocateColumns(1);
    const prepared: PreparedWeights[] = [];
    for (let e = 0; e < n && !issues.truncated; e++) {
      const item = items[e];
      if (item === undefined) continue;
      const own = item.weights === undefined || item.weights === null ? shared : this.#prepare(item.weights, issues, `[${e}].weights`);
      prepared[e] = own!;
      packEvaluation(item.plan, target, checkOnly ? 0 : e, issues, item.prefix);
    }
    issues.throwIfAny();
    const validated = performance.now();
    const out = allocating(n, issues, allocateOutput);
    const weightsColumn = allocating(n, issues, () => weightColumn(prepared));
    issues.throwIfAny();
    const input = { scores: target.scores, stds: target.stds, weights: weightsColumn!, evaluations: n };
    const kernelCall = this.#call({ input, outputs: { owner: "package", out: out! }, check: false, firstEvaluation: resolvedCall!.firstEvaluation });
    const { run, reason } = await controlledCall(resolvedCall!, n, (control) => this.#kernels.runAsync({ ...kernelCall, control }));
    const areaScores = new Array<ReturnType<typeof assembleAreaScores>>(n);
    const shareExtras = isOwnedBatch(evaluations);
    for (let e = 0; e < n; e++) areaScores[e] = assembleAreaScores(target, e, out!, prepared[e]!, this.aggregationMethod, items[e]!.prefix, shareExtras);
    return { areaScores, metrics: this.#metrics(start, validated, n, run, reason) };
  }

  /**
   * Aggregates `n` plans given as columns (docs/contract.md §2): `scores` and `stds` are
   * `Float64Array(n*60)` (index `e*60 + a*6 + d`), `weights` 60 shared or `n*60` raw weights.
   * Resolves to four `Float64Array(n*10)` and a quality `Uint8Array(n*10)`; pass `outputs` to
   * have those filled instead of allocated (reuse them across calls; by default they are
   * allocated over SharedArrayBuffers, except that a large §4-only call on the native backend
   * resolves with memory of the engine's own, which it reuses once V8 collects the arrays).
   * Scores and stds are checked in the kernel's own pass; a bad one rejects with a
   * `ValidationError` naming every bad slot (`scores[i]`: evaluation, area and dimension). Large calls run on other threads: over ordinary ArrayBuffers they work
   * on copies made when the call starts (results are copied into `outputs` when it ends, unless
   * one was detached or shrunk meanwhile: then nothing is written and the call rejects with
   * `AggregationError` E_BUFFER_DETACHED); over SharedArrayBuffers (`allocateSharedColumns`)
   * they work in place. `call.signal` aborts the call (`AbortError`; `outputs` are then
   * unspecified); `call.onProgress(done, total)` follows it.
   */
  async aggregateColumns(columns: ColumnInput, outputs?: ColumnOutputs, call?: CallOptions): Promise<ColumnsResult> {
    const start = performance.now();
    const issues = new IssueCollector();
    const hooks = resolveCall(call, 0, "single", issues);
    throwIfAborted(hooks?.signal);
    const resolved = resolveColumns(columns, outputs, issues);
    issues.throwIfAny();
    const validated = performance.now();
    const { input, firstEvaluation, out: given, callerOut } = resolved!;
    const outputsOwner: CallOutputs = given === undefined ? ENGINE_OUTPUTS : { owner: "caller", out: given };
    const kernelCall = this.#call({ input, outputs: outputsOwner, check: true, firstEvaluation });
    // Monte-Carlo reads the inputs in two passes, with the caller's code free to run between them
    // (and other threads free to write shared memory at any time): it reads one private copy.
    const once = kernelCall.monteCarlo === undefined ? kernelCall : { ...kernelCall, input: privateInput(input) };
    const n = input.evaluations;
    const outcome = await controlledCall(hooks!, n, (control) => this.#kernels.runAsync({ ...once, control }));
    if (outcome.out === undefined) {
      reportBadSlots(outcome.bad, issues);
      issues.throwIfAny();
      throw new AggregationError("E_INTERNAL", "a kernel run left no outputs and reported no bad slot");
    }
    const { score, std, ciLow, ciHigh, quality } = callerOut ?? outcome.out;
    return { score, std, ciLow, ciHigh, quality, metrics: this.#metrics(start, validated, n, outcome.run, outcome.reason) };
  }

  /** How this aggregator finds stds and intervals: SPEC §4 (`"weighted_average"`) or §6 (`"monte_carlo"`). */
  get aggregationMethod(): AggregationMethod {
    return this.#options.monteCarlo === undefined ? "weighted_average" : "monte_carlo";
  }

  /** A kernel call under this aggregator's options. */
  #call(fields: Pick<KernelCall, "input" | "outputs" | "check"> & { readonly firstEvaluation: number }): KernelCall {
    const { input, outputs, check, firstEvaluation } = fields;
    return { input, outputs, check, thresholds: this.#options.thresholds, monteCarlo: this.#monteCarlo(firstEvaluation, input), control: undefined };
  }

  /** A call's Monte-Carlo pass; none when every σ is 0 (it would change nothing). */
  #monteCarlo(firstEvaluation: number, input: KernelInput): MonteCarloParams | undefined {
    const mc = this.#options.monteCarlo;
    return mc !== undefined && input.stds !== undefined ? { ...mc, firstEvaluation } : undefined;
  }

  /** Prepared weights from the cache or freshly validated; undefined (issues added) when bad. */
  #prepare(weights: unknown, issues: IssueCollector, path: string): PreparedWeights | undefined {
    return this.#cache === undefined ? prepareWeights(weights, issues, path) : this.#cache.prepare(weights, issues, path);
  }

  #metrics(start: number, validated: number, evaluations: number, run: KernelRun, reason: BackendReason): PerformanceMetrics {
    const timings = { start, validated, end: performance.now() };
    return measuredMetrics(timings, evaluations, run, reason, this.#cache?.stats());
  }
}

/** One read of the scores and stds into memory of the package's own (the weights already are). */
function privateInput(input: KernelInput): KernelInput {
  return { ...input, scores: privateCopy(input.scores), stds: input.stds && privateCopy(input.stds) };
}

/** One shared 60-weight vector when every plan uses the same weights, else 60 per plan. */
function weightColumn(prepared: readonly PreparedWeights[]): Float64Array {
  const first = prepared[0] ?? EQUAL_WEIGHTS;
  if (prepared.every((p) => p === first)) return first.vector;
  const column = new Float64Array(prepared.length * SLOTS_PER_EVALUATION);
  prepared.forEach((p, e) => column.set(p.vector, e * SLOTS_PER_EVALUATION));
  return column;
}

/**
 * `allocate(n)`, or undefined with an E_COUNT issue when the memory for `n` evaluations cannot
 * be had (a typed array that size fails with a RangeError): a coded error, never a raw one.
 */
function allocating<T>(n: number, issues: IssueCollector, allocate: (n: number) => T): T | undefined {
  try {
    return allocate(n);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    issues.add("E_COUNT", "", `the memory for ${n} evaluations could not be allocated (${error.message}); split the batch`);
    return undefined;
  }
}

let sharedAggregator: HighPerformanceAreaAggregator | undefined;

/** The names in `aggregate()`'s options that belong to the call rather than to an aggregator. */
const CALL_KEYS: readonly string[] = ["signal", "onProgress"] satisfies (keyof CallOptions)[];

/**
 * Aggregates one plan: the Python's `aggregate_with_performance_boost`. `options` holds
 * aggregator options and this call's `signal` and `onProgress`, as the methods' last argument
 * does. Without aggregator options it uses one shared aggregator (so its weight cache persists
 * between calls); with them it builds a fresh one for this call — keep a
 * `HighPerformanceAreaAggregator` to reuse options.
 */
export async function aggregate(
  dimensionScores: readonly DimensionScore[],
  weights?: Weights | null,
  options?: AggregateOptions,
): Promise<AggregateResult> {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    const aggregator = options === undefined ? (sharedAggregator ??= new HighPerformanceAreaAggregator()) : new HighPerformanceAreaAggregator(options);
    return aggregator.aggregateSync(dimensionScores, weights);
  }
  // One read of each own enumerable property (a spread reads nothing inherited), then split.
  const own: Record<string, unknown> = { ...options };
  const call: Record<string, unknown> = {};
  for (const key of CALL_KEYS) {
    if (Object.hasOwn(own, key)) {
      call[key] = own[key];
      delete own[key];
    }
  }
  const aggregator =
    Reflect.ownKeys(own).length === 0 ? (sharedAggregator ??= new HighPerformanceAreaAggregator()) : new HighPerformanceAreaAggregator(own);
  return aggregator.aggregate(dimensionScores, weights, call);
}
