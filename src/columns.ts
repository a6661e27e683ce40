import {
  AREA_IDS,
  AREA_INDEX,
  DIMENSION_COUNT,
  DIMENSION_IDS,
  DIMENSION_INDEX,
  MAX_SCORE,
  MIN_SCORE,
  SLOTS_PER_EVALUATION,
} from "./constants.js";
import { show, type IssueCollector } from "./validate.js";

/**
 * Columns in canonical order: slot `e*60 + a*6 + d` holds area `a`, dimension `d` of
 * evaluation `e`, whatever order the input came in (SPEC §7). `entryOf` remembers which input
 * entry filled each slot, so results can carry the caller's objects back.
 */
export interface PackedColumns {
  readonly scores: Float64Array;
  readonly stds: Float64Array;
  readonly entryOf: Int32Array;
}

export function allocateColumns(evaluations: number): PackedColumns {
  const slots = evaluations * SLOTS_PER_EVALUATION;
  return { scores: new Float64Array(slots), stds: new Float64Array(slots), entryOf: new Int32Array(slots) };
}

/**
 * Validates one evaluation (SPEC §3) and writes it into `columns` at evaluation index `e`, in a
 * single pass. Problems go to `issues` with paths prefixed by `prefix` (e.g. `[3]` in a batch);
 * the caller throws. The input is only read.
 */
export function packEvaluation(
  input: unknown,
  columns: PackedColumns,
  e: number,
  issues: IssueCollector,
  prefix = "",
): void {
  if (!Array.isArray(input)) {
    issues.add("E_COUNT", prefix, `expected an array of ${SLOTS_PER_EVALUATION} dimension scores, got ${show(input)}`);
    return;
  }
  const count = input.length;
  if (count !== SLOTS_PER_EVALUATION) {
    issues.add("E_COUNT", prefix, `expected ${SLOTS_PER_EVALUATION} dimension scores, got ${count}`);
  }
  const { scores, stds, entryOf } = columns;
  const base = e * SLOTS_PER_EVALUATION;
  entryOf.fill(-1, base, base + SLOTS_PER_EVALUATION);
  let filled = 0;
  for (let i = 0; i < count && !issues.full; i++) {
    const entry: unknown = input[i];
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      issues.add("E_TYPE", `${prefix}[${i}]`, `expected a dimension score object, got ${show(entry)}`);
      continue;
    }
    const { areaId, dimensionId, score, scoreStd } = entry as Record<string, unknown>;
    const a = indexOf(areaId, AREA_INDEX, "areaId", "PA01…PA10", issues, prefix, i);
    const d = indexOf(dimensionId, DIMENSION_INDEX, "dimensionId", "DIM01…DIM06", issues, prefix, i);
    const scoreOk = checkValue(score, MAX_SCORE, "score", issues, prefix, i);
    const stdOk = scoreStd === undefined || checkValue(scoreStd, Infinity, "scoreStd", issues, prefix, i);
    if (a < 0 || d < 0) continue;
    const slot = base + a * DIMENSION_COUNT + d;
    const first = entryOf[slot]!;
    if (first !== -1) {
      issues.add(
        "E_HERMETICITY",
        `${prefix}[${i}]`,
        `Hermeticity violation for ${AREA_IDS[a]}: duplicate ${DIMENSION_IDS[d]} (first at ${prefix}[${first}])`,
      );
      continue;
    }
    entryOf[slot] = i;
    filled++;
    if (scoreOk && stdOk) {
      scores[slot] = score as number;
      stds[slot] = scoreStd === undefined ? 0 : (scoreStd as number);
    }
  }
  if (filled < SLOTS_PER_EVALUATION && !issues.full) reportMissing(entryOf, base, issues, prefix);
}

function indexOf(
  id: unknown,
  index: ReadonlyMap<string, number>,
  field: string,
  expected: string,
  issues: IssueCollector,
  prefix: string,
  i: number,
): number {
  if (typeof id === "string") {
    const found = index.get(id);
    if (found !== undefined) return found;
    issues.add("E_UNKNOWN_ID", `${prefix}[${i}].${field}`, `unknown id ${show(id)}; expected one of ${expected}`);
  } else {
    issues.add("E_TYPE", `${prefix}[${i}].${field}`, `expected an id string, got ${show(id)}`);
  }
  return -1;
}

/** A score must be a finite number in [0, 3]; a std a finite number ≥ 0. */
function checkValue(
  value: unknown,
  upper: number,
  field: "score" | "scoreStd",
  issues: IssueCollector,
  prefix: string,
  i: number,
): boolean {
  if (typeof value === "number" && value >= MIN_SCORE && value <= upper && value !== Infinity) return true;
  const path = `${prefix}[${i}].${field}`;
  if (typeof value !== "number") issues.add("E_TYPE", path, `expected a number, got ${show(value)}`);
  else if (!Number.isFinite(value)) issues.add("E_NON_FINITE", path, `expected a finite number, got ${show(value)}`);
  else if (field === "score") issues.add("E_RANGE", path, `score ${show(value)} is outside [${MIN_SCORE}, ${MAX_SCORE}]`);
  else issues.add("E_RANGE", path, `standard deviation ${show(value)} is negative`);
  return false;
}

function reportMissing(entryOf: Int32Array, base: number, issues: IssueCollector, prefix: string): void {
  for (let a = 0; a < AREA_IDS.length; a++) {
    for (let d = 0; d < DIMENSION_COUNT; d++) {
      if (entryOf[base + a * DIMENSION_COUNT + d] !== -1) continue;
      const pair = `${AREA_IDS[a]}.${DIMENSION_IDS[d]}`;
      issues.add(
        "E_HERMETICITY",
        prefix ? `${prefix}.${pair}` : pair,
        `Hermeticity violation for ${AREA_IDS[a]}: missing ${DIMENSION_IDS[d]}`,
      );
    }
  }
}
