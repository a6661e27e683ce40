import {
  AREA_IDS,
  areaIndexOf,
  DIMENSION_COUNT,
  DIMENSION_IDS,
  dimensionIndexOf,
  isFiniteNonNegative,
  isScore,
  MAX_SCORE,
  MIN_SCORE,
  SLOT_AREA_IDS,
  SLOT_DIMENSION_IDS,
  SLOTS_PER_EVALUATION,
} from "../core/constants.js";
import { show, type IssueCollector } from "../core/validate.js";

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
 * the caller throws. The input is only read. This runs 60 times per plan, so the valid path is
 * a few inlined comparisons and every explanation lives in a separate, cold function.
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
  for (let i = 0; i < count && !issues.truncated; i++) {
    const entry: unknown = input[i];
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      issues.add("E_TYPE", `${prefix}[${i}]`, `expected a dimension score object, got ${show(entry)}`);
      continue;
    }
    const { areaId, dimensionId, score, scoreStd } = entry as Record<string, unknown>;
    // Plans usually arrive in canonical order: comparing with the ids expected at position i
    // is cheaper than parsing them.
    const a = areaId === SLOT_AREA_IDS[i] ? (i / DIMENSION_COUNT) | 0 : resolveId(areaId, "areaId", issues, prefix, i);
    const d = dimensionId === SLOT_DIMENSION_IDS[i] ? i % DIMENSION_COUNT : resolveId(dimensionId, "dimensionId", issues, prefix, i);
    // Both tests always run, so an entry with a bad score and a bad std reports both.
    const scoreValid = isScore(score) || reportValue(score, "score", `${prefix}[${i}].score`, issues);
    const stdValid =
      scoreStd === undefined || isFiniteNonNegative(scoreStd) || reportValue(scoreStd, "std", `${prefix}[${i}].scoreStd`, issues);
    if (a < 0 || d < 0) continue;
    const slot = base + a * DIMENSION_COUNT + d;
    if (entryOf[slot] !== -1) {
      reportDuplicate(entryOf[slot]!, a, d, issues, prefix, i);
      continue;
    }
    entryOf[slot] = i;
    filled++;
    if (scoreValid && stdValid) {
      scores[slot] = score as number;
      stds[slot] = scoreStd === undefined ? 0 : (scoreStd as number);
    }
  }
  if (filled < SLOTS_PER_EVALUATION && !issues.truncated) reportMissing(entryOf, base, issues, prefix);
}

/** The index of an id not at its canonical position, or -1 after reporting why it is bad. */
function resolveId(id: unknown, field: "areaId" | "dimensionId", issues: IssueCollector, prefix: string, i: number): number {
  const path = `${prefix}[${i}].${field}`;
  if (typeof id !== "string") {
    issues.add("E_TYPE", path, `expected an id string, got ${show(id)}`);
    return -1;
  }
  const index = field === "areaId" ? areaIndexOf(id) : dimensionIndexOf(id);
  if (index < 0) {
    const expected = field === "areaId" ? "PA01…PA10" : "DIM01…DIM06";
    issues.add("E_UNKNOWN_ID", path, `unknown id ${show(id)}; expected one of ${expected}`);
  }
  return index;
}

/**
 * Explains why a score or std was rejected, for object and column input alike; `where` opens the
 * message (column input names the evaluation, area and dimension there). Always false, so it can
 * end a validity test.
 */
export function reportValue(value: unknown, kind: "score" | "std", path: string, issues: IssueCollector, where = ""): false {
  if (typeof value !== "number") issues.add("E_TYPE", path, `${where}expected a number, got ${show(value)}`);
  else if (!Number.isFinite(value)) issues.add("E_NON_FINITE", path, `${where}expected a finite number, got ${show(value)}`);
  else if (kind === "score") issues.add("E_RANGE", path, `${where}score ${show(value)} is outside [${MIN_SCORE}, ${MAX_SCORE}]`);
  else issues.add("E_RANGE", path, `${where}standard deviation ${show(value)} is negative`);
  return false;
}

function reportDuplicate(first: number, a: number, d: number, issues: IssueCollector, prefix: string, i: number): void {
  issues.add(
    "E_HERMETICITY",
    `${prefix}[${i}]`,
    `Hermeticity violation for ${AREA_IDS[a]}: duplicate ${DIMENSION_IDS[d]} (first at ${prefix}[${first}])`,
  );
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
