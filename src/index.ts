export { aggregate, HighPerformanceAreaAggregator } from "./aggregator.js";
export {
  ASYNC_MIN_EVALUATIONS,
  ASYNC_MIN_MONTE_CARLO_DRAWS,
  AUTO_NATIVE_MIN_EVALUATIONS,
  BACKEND_ENV,
  BackendUnavailableError,
  FORCE_JS_ENV,
  ISA_ENV,
  nativeInfo,
  type NativeStatus,
} from "./backend.js";
export { ADAPTIVE_POLICY } from "./cache.js";
export {
  AREA_IDS,
  AREA_NAMES,
  CLUSTER_OF_AREA,
  CLUSTERS,
  DEFAULT_THRESHOLDS,
  DIMENSION_IDS,
  DIMENSION_NAMES,
  MAX_ISSUES,
  MAX_SCORE,
  MIN_SCORE,
  QUALITY_LEVELS,
  Z_95,
} from "./constants.js";
export type { AreaId, Cluster, ClusterId, DimensionId, QualityLevel, QualityThresholds } from "./constants.js";
export { METRICS_CHANNEL } from "./metrics.js";
export { DEFAULT_MONTE_CARLO_SAMPLES, MAX_MONTE_CARLO_SAMPLES, OptionsError } from "./options.js";
export type * from "./types.js";
export { ValidationError, type Issue, type IssueCode } from "./validate.js";
export { MAX_WEIGHT_SUM } from "./weights.js";
export { areaScoreToDict, dimensionScoresFromJson, jsonIssuePath, type AreaScoreDict, type DimensionScoreDict } from "./codec.js";
