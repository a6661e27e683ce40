import {
  AREA_COUNT,
  AREA_IDS,
  areaIndexOf,
  DIMENSION_COUNT,
  DIMENSION_IDS,
  dimensionIndexOf,
  isFiniteNonNegative,
  SLOTS_PER_EVALUATION,
} from "../core/constants.js";
import { show, type IssueCollector } from "../core/validate.js";

/** Weights validated and laid out for the kernels. Shared and never written after preparation. */
export interface PreparedWeights {
  /** 60 raw weights, area-major (`a*6 + d`); 1 for every dimension of an area left equal. */
  readonly vector: Float64Array;
  /** R of SPEC §4 per area, summed in dimension order. */
  readonly sums: Float64Array;
  /** Per area: did the caller's weights name it? */
  readonly custom: readonly boolean[];
}

/**
 * Above this sum an area's weighted sum (≤ 3·R, plus rounding) could overflow to Infinity and
 * the average would become NaN, so such weights are rejected rather than silently broken.
 */
export const MAX_WEIGHT_SUM = Number.MAX_VALUE / 4;

function prepared(vector: Float64Array, custom: boolean[]): PreparedWeights {
  const sums = new Float64Array(AREA_COUNT);
  for (let a = 0; a < AREA_COUNT; a++) sums[a] = areaSum(vector, a * DIMENSION_COUNT);
  return Object.freeze({ vector, sums, custom: Object.freeze(custom) });
}

/** R = ((((r1 + r2) + r3) + r4) + r5) + r6, the order every kernel uses. */
export function areaSum(w: Float64Array, at: number): number {
  return w[at]! + w[at + 1]! + w[at + 2]! + w[at + 3]! + w[at + 4]! + w[at + 5]!;
}

export const EQUAL_WEIGHTS: PreparedWeights = prepared(
  new Float64Array(SLOTS_PER_EVALUATION).fill(1),
  new Array<boolean>(AREA_COUNT).fill(false),
);

/**
 * Validates weights (SPEC §3, `E_WEIGHTS`) and prepares them. Returns undefined when issues
 * were found; they are in `issues`, under `path`. `null` and `undefined` mean "equal weights everywhere".
 */
export function prepareWeights(weights: unknown, issues: IssueCollector, path = "weights"): PreparedWeights | undefined {
  if (weights === undefined || weights === null) return EQUAL_WEIGHTS;
  if (typeof weights !== "object" || Array.isArray(weights)) {
    issues.add("E_WEIGHTS", path, `expected an object mapping area ids to dimension weights, got ${show(weights)}`);
    return undefined;
  }
  const vector = new Float64Array(SLOTS_PER_EVALUATION).fill(1);
  const custom = new Array<boolean>(AREA_COUNT).fill(false);
  const before = issues.issues.length;
  const byArea = weights as Record<string, unknown>;
  for (const key of Object.keys(byArea)) {
    const a = areaIndexOf(key);
    if (a < 0) {
      issues.add("E_WEIGHTS", `${path}[${JSON.stringify(key)}]`, `unknown area id ${show(key)}; expected one of PA01…PA10`);
      continue;
    }
    custom[a] = true;
    prepareArea(byArea[key], `${path}.${key}`, a, vector, issues);
  }
  return issues.issues.length === before && !issues.truncated ? prepared(vector, custom) : undefined;
}

function prepareArea(area: unknown, areaPath: string, a: number, vector: Float64Array, issues: IssueCollector): void {
  if (typeof area !== "object" || area === null || Array.isArray(area)) {
    issues.add("E_WEIGHTS", areaPath, `expected an object of six dimension weights, got ${show(area)}`);
    return;
  }
  // Own enumerable keys only, exactly what the cache key reads: a weight inherited from a
  // prototype is not "named" by the area.
  const byDimension = area as Record<string, unknown>;
  const named = new Array<boolean>(DIMENSION_COUNT).fill(false);
  let valid = true;
  for (const key of Object.keys(byDimension)) {
    const d = dimensionIndexOf(key);
    const w = byDimension[key];
    if (d < 0) {
      issues.add("E_WEIGHTS", `${areaPath}[${JSON.stringify(key)}]`, `unknown dimension id ${show(key)}; expected one of DIM01…DIM06`);
      valid = false;
    } else if (w === undefined) {
      continue;
    } else if (isFiniteNonNegative(w)) {
      vector[a * DIMENSION_COUNT + d] = w;
      named[d] = true;
    } else {
      reportWeight(w, `${areaPath}.${key}`, issues);
      named[d] = true;
      valid = false;
    }
  }
  const missing = named.includes(false) ? DIMENSION_IDS.filter((_, d) => !named[d]) : [];
  if (missing.length > 0) {
    issues.add("E_WEIGHTS", areaPath, `weights for ${AREA_IDS[a]} name ${DIMENSION_COUNT - missing.length} of 6 dimensions; missing ${missing.join(", ")}`);
    return;
  }
  if (valid) checkWeightSum(areaSum(vector, a * DIMENSION_COUNT), `weights for ${AREA_IDS[a]}`, areaPath, issues);
}

/** The issue for a weight that is not a finite number ≥ 0; `where` opens the message. */
export function reportWeight(w: unknown, path: string, issues: IssueCollector, where = ""): void {
  issues.add("E_WEIGHTS", path, `${where}a weight must be a finite number ≥ 0, got ${show(w)}`);
}

/** An area's weights must sum to a positive number no larger than MAX_WEIGHT_SUM; `label` names them. */
export function checkWeightSum(sum: number, label: string, path: string, issues: IssueCollector): void {
  if (sum === 0) issues.add("E_WEIGHTS", path, `${label} sum to 0; at least one must be positive`);
  else if (sum > MAX_WEIGHT_SUM) issues.add("E_WEIGHTS", path, `${label} sum to ${sum}, above ${MAX_WEIGHT_SUM}: the weighted sum could overflow`);
}
