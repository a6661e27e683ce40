import type { AreaId, ClusterId, DimensionId, QualityLevel, QualityThresholds } from "./constants.js";

/**
 * One dimension score from Phase 4. Fields beyond these four are carried along untouched. The
 * ids are typed as the literal unions, so a typo such as "PA1" does not compile; data read at
 * run time is still checked (E_UNKNOWN_ID).
 */
export interface DimensionScore {
  readonly areaId: AreaId;
  readonly dimensionId: DimensionId;
  /** On 0–3. */
  readonly score: number;
  /** Standard deviation of `score`, ≥ 0. @default 0 */
  readonly scoreStd?: number;
  readonly [extra: string]: unknown;
}

/** Raw (unnormalised) weights per area and dimension. An absent area gets equal weights. */
export type Weights = Readonly<Partial<Record<AreaId, Readonly<Record<DimensionId, number>>>>>;

/** How an area's std and interval were found: docs/contract.md §4 (analytic) or §6 (Monte-Carlo). */
export type AggregationMethod = "weighted_average" | "monte_carlo";

/** What validation established about one area's inputs. */
export interface ValidationDetails {
  readonly hermeticity: true;
  /** `"custom"` when the caller's weights named this area, `"equal"` otherwise. */
  readonly weightSource: "equal" | "custom";
  /** R of docs/contract.md §4: the sum of the area's raw weights, in dimension order. */
  readonly weightSum: number;
}

/** One policy area's result (docs/contract.md §5). */
export interface AreaScore {
  areaId: AreaId;
  areaName: string;
  clusterId: ClusterId;
  score: number;
  scoreStd: number;
  confidenceInterval95: [low: number, high: number];
  qualityLevel: QualityLevel;
  /** The area's six inputs, DIM01…DIM06, as copies (nested extras copied too). */
  dimensionScores: DimensionScore[];
  aggregationMethod: AggregationMethod;
  validationPassed: true;
  validationDetails: ValidationDetails;
}

/** Which kernel an aggregator may use: `"auto"` prefers native when the addon loaded. */
export type BackendChoice = "auto" | "native" | "js";
/** The kernel that ran a call. */
export type BackendName = "native" | "js";
/**
 * Why a call ran on its `backend` (docs/contract.md §5): `"auto"`, the engine chose itself;
 * `"small-call"`, `auto` ran the TypeScript kernel because it is faster than crossing into the
 * engine for fewer than AUTO_NATIVE_MIN_EVALUATIONS evaluations; `"requested"`, the `backend`
 * option (or `enableJit: false`, or FARFAN_AGGREGATOR_BACKEND) named it; `"force-js"`,
 * FARFAN_AGGREGATOR_FORCE_JS; `"engine-unavailable"`, the engine did not load (a warning said why).
 */
export type BackendReason = "auto" | "small-call" | "requested" | "force-js" | "engine-unavailable";
/** The instruction set the kernel of a call used; `"js"` for the TypeScript kernel. */
export type Isa = "avx512" | "avx2" | "scalar" | "js";

/** Measured figures for one call; nothing here is estimated. */
export interface PerformanceMetrics {
  totalTimeMs: number;
  validationTimeMs: number;
  aggregationTimeMs: number;
  evaluations: number;
  areasProcessed: number;
  dimensionsProcessed: number;
  backend: BackendName;
  /** Why `backend` ran this call: under `backend: "auto"`, one plan runs the TypeScript kernel, which is faster there. */
  backendReason: BackendReason;
  isa: Isa;
  threads: number;
  /** Busy time ÷ (threads × wall time) of the kernel. */
  parallelEfficiency: number;
  /** Cumulative over the aggregator's life: lookups of prepared weight vectors. */
  cacheHits: number;
  cacheMisses: number;
  cacheHitRate: number;
  cacheSize: number;
  /** The cache's current bound; 0 when caching is off. */
  cacheMaxSize: number;
}

/** What aggregating one plan gives: its ten areas, PA01…PA10, and the call's metrics. */
export interface AggregateResult {
  areaScores: AreaScore[];
  metrics: PerformanceMetrics;
}

/** What aggregating a batch gives: ten areas per plan, in input order, and the call's metrics. */
export interface BatchResult {
  /** `areaScores[e]` holds the ten areas of evaluation `e`, in input order. */
  areaScores: AreaScore[][];
  metrics: PerformanceMetrics;
}

/** One evaluation in a batch: its scores and, optionally, weights of its own. */
export interface Evaluation {
  readonly dimensionScores: readonly DimensionScore[];
  readonly weights?: Weights | null | undefined;
}

/** Options of `HighPerformanceAreaAggregator` and `aggregate()`; every one is optional. */
export interface AggregatorOptions {
  /** Split large batches over the native thread pool. Ignored by the JS backend. @default true */
  readonly enableParallel?: boolean;
  /** Allow SIMD kernels in the native backend; `false` forces its scalar loop. @default true */
  readonly enableVectorization?: boolean;
  /** Keep prepared weight vectors in the adaptive LRU cache. @default true */
  readonly enableCaching?: boolean;
  /**
   * The Python's "JIT" switch; here it means "may use the native backend". `false` with no
   * explicit `backend` selects `"js"`. @default true
   */
  readonly enableJit?: boolean;
  /**
   * The Python's unused `n_bootstrap_samples`, here working: Monte-Carlo intervals with this many
   * samples per area, as `uncertainty: { method: "monte-carlo", samples }` (give one or the other,
   * or both with the same count). @default undefined (analytic intervals)
   */
  readonly nBootstrapSamples?: number;
  /**
   * Upper bound on the threads a native call uses: an integer in [1, 256] (`MAX_WORKERS`;
   * anything else is an OptionsError at construction). The threads actually used are also
   * capped at `os.availableParallelism()`, since more threads than cores only contend.
   * @default os.availableParallelism()
   */
  readonly maxWorkers?: number;
  /** Which kernel runs: `"auto"` prefers native when it is available. @default "auto" */
  readonly backend?: BackendChoice;
  /** Quality thresholds in score units. @default DEFAULT_THRESHOLDS */
  readonly thresholds?: Partial<QualityThresholds>;
  /** How `scoreStd` and the 95% interval are found (docs/contract.md §4 or §6). @default { method: "analytic" } */
  readonly uncertainty?: UncertaintyOptions;
}

/**
 * `"analytic"`: the propagated std and score ± 1.96·std (docs/contract.md §4). `"monte-carlo"`: `samples`
 * draws per area from a counter-based generator keyed by `seed` and the evaluation's index, so
 * results repeat exactly for the same seed whatever the backend's threads or batch splits
 * (docs/contract.md §6, which writes out the algorithm).
 *
 * @example
 * new HighPerformanceAreaAggregator({ uncertainty: { method: "monte-carlo", samples: 1000, seed: 7 } })
 */
export interface UncertaintyOptions {
  readonly method: "analytic" | "monte-carlo";
  /** Samples per area, an integer in [2, 1,000,000]. Monte-Carlo only. @default 1000 */
  readonly samples?: number;
  /** An integer in [0, 2⁵³). Monte-Carlo only. @default 0 */
  readonly seed?: number;
}

/** Per-call settings of every async method, their last argument. */
export interface CallOptions {
  /**
   * Aborts the call: it rejects at once with `AbortError` (the signal's `reason` as `cause`)
   * and its work stops between chunks, on either backend; a signal already aborted rejects
   * before any work.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * Follows a long call: called with the evaluations done and the call's total, at most every
   * 100 ms while that grows (on either backend; with Monte-Carlo, it counts that pass, most of
   * the work), and once with (total, total) when the call succeeds. An error it throws stops
   * the call, which rejects with that error.
   */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

/** The options of the `aggregate()` function: an aggregator's, and this call's `signal` and `onProgress`. */
export interface AggregateOptions extends AggregatorOptions, CallOptions {}

/** Per-call settings of `aggregateBatch`. */
export interface BatchCallOptions extends CallOptions {
  /**
   * The study-wide index of this batch's first evaluation. Monte-Carlo streams are keyed by it,
   * so a study aggregated in several batches gets the same numbers as in one. @default 0
   */
  readonly firstEvaluation?: number;
}

/**
 * Columnar input (docs/contract.md §2): `scores` and `stds` hold `n*60` values, index `e*60 + a*6 + d`
 * (area-major within an evaluation, canonical PA01…PA10 and DIM01…DIM06 order).
 */
export interface ColumnInput {
  readonly scores: Float64Array;
  /** Omitted: every std is 0. */
  readonly stds?: Float64Array | undefined;
  /** Raw weights: 60 shared by every evaluation, or `n*60`, one set per evaluation. Omitted: equal. */
  readonly weights?: Float64Array | undefined;
  /** As in `BatchCallOptions`. @default 0 */
  readonly firstEvaluation?: number | undefined;
}

/** Ten values per evaluation, index `e*10 + a`. Given to `aggregateColumns`, they are filled in place. */
export interface ColumnOutputs {
  readonly score: Float64Array;
  readonly std: Float64Array;
  readonly ciLow: Float64Array;
  readonly ciHigh: Float64Array;
  /** 0 = INSUFICIENTE, 1 = ACEPTABLE, 2 = BUENO, 3 = EXCELENTE. */
  readonly quality: Uint8Array;
}

/** What `aggregateColumns` resolves to: the filled outputs and the call's metrics. */
export interface ColumnsResult extends ColumnOutputs {
  readonly metrics: PerformanceMetrics;
}
