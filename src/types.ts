import type { AreaId, ClusterId, DimensionId, QualityLevel, QualityThresholds } from "./constants.js";

/** One dimension score from Phase 4. Fields beyond these four are carried along untouched. */
export interface DimensionScore {
  readonly areaId: string;
  readonly dimensionId: string;
  /** On 0–3. */
  readonly score: number;
  /** Standard deviation of `score`, ≥ 0. @default 0 */
  readonly scoreStd?: number;
  readonly [extra: string]: unknown;
}

/** Raw (unnormalised) weights per area and dimension. An absent area gets equal weights. */
export type Weights = Readonly<Partial<Record<AreaId, Readonly<Record<DimensionId, number>>>>>;

export type AggregationMethod = "weighted_average" | "monte_carlo";

export interface ValidationDetails {
  readonly hermeticity: true;
  /** `"custom"` when the caller's weights named this area, `"equal"` otherwise. */
  readonly weightSource: "equal" | "custom";
  /** R of SPEC §4: the sum of the area's raw weights, in dimension order. */
  readonly weightSum: number;
}

/** One policy area's result (SPEC §5). */
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

export type BackendChoice = "auto" | "native" | "js";
export type BackendName = "native" | "js";
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

export interface AggregateResult {
  areaScores: AreaScore[];
  metrics: PerformanceMetrics;
}

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
   * Monte-Carlo samples per area. Validated (a positive integer) but not used yet: intervals
   * are analytic (SPEC §4) until the Monte-Carlo method lands — as in the Python, which never
   * used it either. @default undefined
   */
  readonly nBootstrapSamples?: number;
  /** Upper bound on native worker threads. @default os.availableParallelism() */
  readonly maxWorkers?: number;
  /** Which kernel runs: `"auto"` prefers native when it is available. @default "auto" */
  readonly backend?: BackendChoice;
  /** Quality thresholds in score units. @default DEFAULT_THRESHOLDS */
  readonly thresholds?: Partial<QualityThresholds>;
}
