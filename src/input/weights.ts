import {
  AREA_COUNT,
  AREA_IDS,
  areaIndexOf,
  DIMENSION_COUNT,
  DIMENSION_IDS,
  dimensionIndexOf,
  isWeight,
  MAX_WEIGHT,
  MIN_WEIGHT,
  SLOTS_PER_EVALUATION,
} from "../core/constants.js";
import { types } from "node:util";
import { descriptorValue, threw } from "../core/caller-data.js";
import { show, type IssueCollector } from "../core/validate.js";
import { WeightsContent } from "./weights-content.js";

/** Weights validated and laid out for the kernels. Shared and never written after preparation. */
export interface PreparedWeights {
  /** 60 raw weights, area-major (`a*6 + d`); 1 for every dimension of an area left equal. */
  readonly vector: Float64Array;
  /** R of docs/contract.md §4 per area, summed in dimension order. */
  readonly sums: Float64Array;
  /** Per area: did the caller's weights name it? */
  readonly custom: readonly boolean[];
}

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
 * Validates weights (docs/contract.md §3, `E_WEIGHTS`) and prepares them. Returns undefined when issues
 * were found; they are in `issues`, under `path`. `null` and `undefined` mean "equal weights everywhere".
 */
export function prepareWeights(weights: unknown, issues: IssueCollector, path = "weights"): PreparedWeights | undefined {
  if (weights === undefined || weights === null) return EQUAL_WEIGHTS;
  const content = new WeightsContent();
  return readWeights(weights, content, issues, path) ? preparedFrom(content) : undefined;
}

/** The kernels' layout of a valid content: its weights in place, 1 for every pair it does not name. */
export function preparedFrom(content: WeightsContent): PreparedWeights {
  const vector = new Float64Array(SLOTS_PER_EVALUATION).fill(1);
  const custom = new Array<boolean>(AREA_COUNT).fill(false);
  for (let i = 0; i < content.count; i++) {
    const pair = content.pairs[i]!;
    vector[pair] = content.values[i]!;
    custom[(pair / DIMENSION_COUNT) | 0] = true;
  }
  return prepared(vector, custom);
}

/**
 * Visits the own enumerable properties of a weights object or area, each value read once, with
 * `reading.key` naming the key being read (for the issue, should the read throw): for…in with an
 * own check on ordinary objects (V8 makes both free there, where `Object.keys` and a read cost the
 * same and a separate `Object.hasOwn` twice that), one descriptor per key for a Proxy, so that
 * its traps get one chance to answer, not three.
 */
function forEachOwn(object: object, reading: { key: string | undefined }, visit: (key: string, value: unknown) => void): void {
  if (types.isProxy(object)) {
    for (const key of Reflect.ownKeys(object)) {
      if (typeof key !== "string") continue;
      reading.key = key;
      const descriptor = Reflect.getOwnPropertyDescriptor(object, key);
      if (descriptor?.enumerable === true) visit(key, descriptorValue(object, descriptor));
    }
    return;
  }
  const byKey = object as Record<string, unknown>;
  for (const key in byKey) {
    if (!Object.hasOwn(byKey, key)) continue;
    reading.key = key;
    visit(key, byKey[key]);
  }
}

/**
 * Reads `weights` once into `content` (own enumerable keys; each value read once, inherited
 * ones absent) and validates what was read, in the same pass. True when valid; otherwise the
 * problems are in `issues`, a getter or Proxy trap that threw among them, at the path it was
 * reading. Paths are built only for issues: this runs on every call with weights, cache hit or
 * not.
 */
export function readWeights(weights: unknown, content: WeightsContent, issues: IssueCollector, path: string): boolean {
  const before = issues.issues.length;
  content.count = 0;
  const reading: { key: string | undefined } = { key: undefined };
  try {
    if (typeof weights !== "object" || weights === null || Array.isArray(weights)) {
      issues.add("E_WEIGHTS", path, `expected an object mapping area ids to dimension weights, got ${show(weights)}`);
      return false;
    }
    forEachOwn(weights, reading, (key, area) => {
      const a = areaIndexOf(key);
      if (a < 0) issues.add("E_WEIGHTS", `${path}[${JSON.stringify(key)}]`, `unknown area id ${show(key)}; expected one of PA01…PA10`);
      else readArea(area, path, key, a, content, issues);
    });
  } catch (error) {
    issues.add("E_WEIGHTS", reading.key === undefined ? path : `${path}.${reading.key}`, threw("reading it", error));
  }
  return issues.issues.length === before && !issues.truncated;
}

/** Reads and checks one area's weights; `path.areaKey` is its path, built only for an issue. */
function readArea(area: unknown, path: string, areaKey: string, a: number, content: WeightsContent, issues: IssueCollector): void {
  if (typeof area !== "object" || area === null || Array.isArray(area)) {
    issues.add("E_WEIGHTS", `${path}.${areaKey}`, `expected an object of six dimension weights, got ${show(area)}`);
    return;
  }
  let named = 0;
  let valid = true;
  // In read order rather than docs/contract.md §4's: all that matters here is whether it is 0, and a sum of
  // at most six weights in [0, MAX_WEIGHT] is 0 in any order exactly when every weight is.
  let sum = 0;
  const reading: { key: string | undefined } = { key: undefined };
  try {
    forEachOwn(area, reading, (key, w) => {
      const d = dimensionIndexOf(key);
      if (d < 0) {
        issues.add("E_WEIGHTS", `${path}.${areaKey}[${JSON.stringify(key)}]`, `unknown dimension id ${show(key)}; expected one of DIM01…DIM06`);
        valid = false;
        return;
      }
      if (w === undefined) return;
      named |= 1 << d;
      if (isWeight(w)) {
        content.add(a * DIMENSION_COUNT + d, w);
        sum += w;
      } else {
        reportWeight(w, `${path}.${areaKey}.${key}`, issues);
        valid = false;
      }
    });
  } catch (error) {
    issues.add("E_WEIGHTS", `${path}.${areaKey}${reading.key === undefined ? "" : `.${reading.key}`}`, threw("reading it", error));
    return;
  }
  if (named !== ALL_SIX) {
    const missing = DIMENSION_IDS.filter((_, d) => (named & (1 << d)) === 0);
    issues.add("E_WEIGHTS", `${path}.${areaKey}`, `weights for ${AREA_IDS[a]} name ${DIMENSION_COUNT - missing.length} of 6 dimensions; missing ${missing.join(", ")}`);
    return;
  }
  if (valid) checkWeightSum(sum, `weights for ${AREA_IDS[a]}`, `${path}.${areaKey}`, issues);
}

const ALL_SIX = (1 << DIMENSION_COUNT) - 1;

/** The issue for a weight that fails `isWeight` (docs/contract.md §3); `where` opens the message. */
export function reportWeight(w: unknown, path: string, issues: IssueCollector, where = ""): void {
  const why =
    typeof w !== "number"
      ? "must be a number"
      : !Number.isFinite(w)
        ? "must be finite"
        : w < 0
          ? "must be ≥ 0"
          : `must be 0 or within [${MIN_WEIGHT}, ${MAX_WEIGHT}], where the weighted mean stays finite and exact`;
  issues.add("E_WEIGHTS", path, `${where}a weight ${why}, got ${show(w)}`);
}

/**
 * An area's weights must not sum to 0 (the mean would be NaN); `label` names them. Weights
 * within docs/contract.md §3's bounds cannot sum to more than 6·MAX_WEIGHT, so no upper check is needed.
 */
export function checkWeightSum(sum: number, label: string, path: string, issues: IssueCollector): void {
  if (sum === 0) issues.add("E_WEIGHTS", path, `${label} sum to 0; at least one must be positive`);
}
