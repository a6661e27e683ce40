export { aggregate, HighPerformanceAreaAggregator } from "./aggregator.js";
export { ASYNC_MIN_EVALUATIONS, ASYNC_MIN_MONTE_CARLO_DRAWS, AUTO_NATIVE_MIN_EVALUATIONS } from "./backend/dispatch.js";
export { nativeInfo, type NativeStatus } from "./backend/load-native.js";
export { ADDON_ENV, BACKEND_ENV, FORCE_JS_ENV, ISA_ENV } from "./core/env.js";
export { ADAPTIVE_POLICY } from "./input/adaptive-cache.js";
export {
  AREA_IDS,
  AREA_NAMES,
  CLUSTER_OF_AREA,
  CLUSTERS,
  DEFAULT_THRESHOLDS,
  DIMENSION_IDS,
  DIMENSION_NAMES,
  MAX_BATCH_EVALUATIONS,
  MAX_ISSUES,
  MAX_SCORE,
  MAX_STD,
  MAX_WEIGHT,
  MIN_SCORE,
  MIN_WEIGHT,
  QUALITY_LEVELS,
  Z_95,
} from "./core/constants.js";
export type { AreaId, Cluster, ClusterId, DimensionId, QualityLevel, QualityThresholds } from "./core/constants.js";
export { METRICS_CHANNEL } from "./core/metrics.js";
export { DEFAULT_MONTE_CARLO_SAMPLES, MAX_MONTE_CARLO_SAMPLES, MAX_WORKERS } from "./core/options.js";
export type * from "./core/types.js";
export {
  AbortError,
  AggregationError,
  BackendUnavailableError,
  OptionsError,
  ValidationError,
  type AggregationErrorCode,
  type Issue,
  type IssueCode,
} from "./core/errors.js";
export { allocateSharedColumns, type SharedColumns } from "./input/allocate-shared.js";
export { areaScoreToDict, dimensionScoresFromJson, jsonIssuePath, type AreaScoreDict, type DimensionScoreDict } from "./input/codec.js";
