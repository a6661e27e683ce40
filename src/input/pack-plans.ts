import { allocateBuffer, newFloat64Array } from "../core/buffers.js";
import {
  AREA_IDS,
  type AreaId,
  type DimensionId,
  areaIndexOf,
  DIMENSION_COUNT,
  DIMENSION_IDS,
  dimensionIndexOf,
  isScore,
  isStd,
  MAX_SCORE,
  MAX_STD,
  MIN_SCORE,
  SLOT_AREA_IDS,
  SLOT_DIMENSION_IDS,
  SLOTS_PER_EVALUATION,
} from "../core/constants.js";
import { ownValue, prototypesSupply, threw } from "../core/caller-data.js";
import { isKnownField } from "../core/fields.js";
import { show, type IssueCollector } from "../core/validate.js";
import type { DimensionScore } from "../core/types.js";

/**
 * One read of the caller's plans (docs/contract.md §3 "What counts as the caller's data"), in canonical
 * order: slot `e*60 + a*6 + d` holds area `a`, dimension `d` of evaluation `e`, whatever order
 * the input came in (docs/contract.md §2). This is the snapshot everything after validation uses — the
 * kernel computes with `scores`/`stds`, the output takes the `copies` — so nothing reads the
 * caller's four fields twice.
 */
export interface PackedColumns {
  readonly scores: Float64Array;
  readonly stds: Float64Array;
  /** Which input entry (its index in the plan) filled each slot. */
  readonly entryOf: Int32Array;
  /**
   * Per evaluation, by slot (`a*6 + d`): the output's copy of each valid entry, made as it was
   * read — canonical ids, the score, and `scoreStd` only when the entry had its own.
   */
  readonly copies: DimensionScore[][];
  /**
   * Entries with fields beyond those four, by slot (`e*60 + a*6 + d`): their extras are copied
   * once every plan is valid. Replaced, not cleared, by releaseColumns.
   */
  extras: Map<number, object>;
}

/** Columns for `evaluations` plans. Throws ValidationError E_COUNT when the memory cannot be had. */
export function allocateColumns(evaluations: number): PackedColumns {
  const slots = evaluations * SLOTS_PER_EVALUATION;
  return {
    scores: newFloat64Array(slots),
    stds: newFloat64Array(slots),
    entryOf: allocateBuffer(slots * Int32Array.BYTES_PER_ELEMENT, () => new Int32Array(slots)),
    // Filled in evaluation order, so it stays a fast array (`new Array(n)` of a large n would not).
    copies: [],
    extras: new Map(),
  };
}

/**
 * Forgets every caller object the columns hold (entries with extras) and the copies handed out.
 * The map of extras is replaced rather than cleared: clear() (and each growth) links the old
 * table to the new one, so in columns reused for long enough to reach V8's old generation, a
 * cleared table kept every later table alive — each one holding 60 entries with their extras —
 * through every young-generation collection until a full one. The CLI, which checks each plan in
 * reused columns, then copied ~1 MB of dead plans a scavenge (node --trace-gc-nvp).
 */
export function releaseColumns(columns: PackedColumns): void {
  columns.copies.length = 0;
  if (columns.extras.size > 0) columns.extras = new Map();
}

// What packEvaluation was reading when a getter or Proxy trap threw: names the issue.
const READING_ENTRY = 0;
const READING_AREA_ID = 1;
const READING_DIMENSION_ID = 2;
const READING_SCORE = 3;
const READING_STD = 4;
const LISTING_FIELDS = 5;
const FIELD_SUFFIX = ["", ".areaId", ".dimensionId", ".score", ".scoreStd", ""];
const WHAT_THREW = ["reading it", "reading it", "reading it", "reading it", "reading it", "listing its fields"];

/**
 * Reads, validates (docs/contract.md §3) and writes one evaluation into `columns` at evaluation index `e`,
 * in a single pass. The array's length is read once, each element once, and from each entry its
 * own `areaId`, `dimensionId`, `score` and `scoreStd` once each; inherited properties (a polluted
 * `Object.prototype`) are absent, and so are holes (except behind a non-enumerable index defined
 * on Array.prototype or Object.prototype, which is not worth a check per element). A getter or Proxy trap that throws becomes an issue
 * at the path being read. Problems go to `issues` with paths prefixed by `prefix` (e.g. `[3]` in
 * a batch); the caller throws. This runs 60 times per plan, so the valid path is a few inlined
 * comparisons and every explanation lives in a separate, cold function.
 */
export function packEvaluation(
  input: unknown,
  columns: PackedColumns,
  e: number,
  issues: IssueCollector,
  prefix = "",
): void {
  let count: number;
  try {
    if (!Array.isArray(input)) {
      issues.add("E_COUNT", prefix, `expected an array of ${SLOTS_PER_EVALUATION} dimension scores, got ${show(input)}`);
      return;
    }
    count = input.length;
  } catch (error) {
    issues.add("E_COUNT", prefix, threw("reading the array", error));
    return;
  }
  if (count !== SLOTS_PER_EVALUATION) {
    issues.add("E_COUNT", prefix, `expected ${SLOTS_PER_EVALUATION} dimension scores, got ${count}`);
  }
  const { scores, stds, entryOf, extras } = columns;
  const base = e * SLOTS_PER_EVALUATION;
  entryOf.fill(-1, base, base + SLOTS_PER_EVALUATION);
  // Own check, not `??=`: a polluted Array.prototype[e] must not become our slot table.
  const copies = Object.hasOwn(columns.copies, e) ? columns.copies[e]! : (columns.copies[e] = new Array<DimensionScore>(SLOTS_PER_EVALUATION));
  // Checking that each field is own costs as much as the rest of the call (Object.hasOwn is a
  // builtin call, ~20 ns): entries of a plain array whose prototype is Object.prototype skip it
  // while no prototype supplies elements or known fields — then a plain read is an own read.
  const unpolluted = !prototypesPolluted();
  let filled = 0;
  for (let i = 0; i < count && !issues.truncated; i++) {
    let reading = READING_ENTRY;
    try {
      const entry = unpolluted ? input[i] : ownValue(input, i);
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
        issues.add("E_TYPE", `${prefix}[${i}]`, `expected a dimension score object, got ${show(entry)}`);
        continue;
      }
      // `"score" in entry` runs no getter; it lets V8 learn the entry's map, so the prototype
      // check that follows folds to a constant (alone, it is a call: +15% per plan).
      const plain = unpolluted && "score" in entry && Object.getPrototypeOf(entry) === Object.prototype;
      const fields = entry as Partial<Record<"areaId" | "dimensionId" | "score" | "scoreStd", unknown>>;
      reading = READING_AREA_ID;
      const areaId = plain ? fields.areaId : ownValue(entry, "areaId");
      reading = READING_DIMENSION_ID;
      const dimensionId = plain ? fields.dimensionId : ownValue(entry, "dimensionId");
      reading = READING_SCORE;
      const score = plain ? fields.score : ownValue(entry, "score");
      reading = READING_STD;
      const scoreStd = plain ? fields.scoreStd : ownValue(entry, "scoreStd");
      reading = READING_ENTRY;
      // Plans usually arrive in canonical order: comparing with the ids expected at position i
      // is cheaper than parsing them.
      const a = areaId === SLOT_AREA_IDS[i] ? (i / DIMENSION_COUNT) | 0 : resolveId(areaId, "areaId", issues, prefix, i);
      const d = dimensionId === SLOT_DIMENSION_IDS[i] ? i % DIMENSION_COUNT : resolveId(dimensionId, "dimensionId", issues, prefix, i);
      // Both tests always run, so an entry with a bad score and a bad std reports both.
      const scoreValid = isScore(score) || reportValue(score, "score", `${prefix}[${i}].score`, issues);
      const stdValid = scoreStd === undefined || isStd(scoreStd) || reportValue(scoreStd, "std", `${prefix}[${i}].scoreStd`, issues);
      if (a < 0 || d < 0) continue;
      const k = a * DIMENSION_COUNT + d;
      const slot = base + k;
      if (entryOf[slot] !== -1) {
        reportDuplicate(entryOf[slot]!, a, d, issues, prefix, i);
        continue;
      }
      entryOf[slot] = i;
      filled++;
      if (scoreValid && stdValid) {
        scores[slot] = score as number;
        stds[slot] = scoreStd === undefined ? 0 : (scoreStd as number);
        // The output's copy, made here while the values are at hand: a second pass over the
        // slots to build it made assembly 40% of a one-plan call. The ids are valid strings by now.
        copies[k] =
          scoreStd === undefined
            ? { areaId: areaId as AreaId, dimensionId: dimensionId as DimensionId, score: score as number }
            : { areaId: areaId as AreaId, dimensionId: dimensionId as DimensionId, score: score as number, scoreStd: scoreStd as number };
        reading = LISTING_FIELDS;
        if (hasExtras(entry)) extras.set(slot, entry);
      }
    } catch (error) {
      issues.add("E_TYPE", `${prefix}[${i}]${FIELD_SUFFIX[reading]}`, threw(WHAT_THREW[reading]!, error));
    }
  }
  // A getter may have polluted a prototype halfway: the plain reads after it cannot be told
  // from own ones, and reading them again would break "read once", so the plan is refused.
  if (unpolluted && prototypesPolluted()) {
    issues.add("E_TYPE", prefix, "a prototype gained elements or known fields (areaId, dimensionId, score, scoreStd) while the plan was read");
  }
  if (filled < SLOTS_PER_EVALUATION && !issues.truncated) reportMissing(entryOf, base, issues, prefix);
}

/** Whether the entry has an own enumerable field other than the four known ones (an extra to copy). */
function hasExtras(entry: object): boolean {
  for (const key in entry) {
    if (!isKnownField(key)) return true;
  }
  return false;
}

const KNOWN_FIELDS = ["areaId", "dimensionId", "score", "scoreStd"] as const;

/** Whether a plain read of an array element or of a plain entry's known field could return an inherited value. */
function prototypesPolluted(): boolean {
  return prototypesSupply(KNOWN_FIELDS);
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
  else if (value < 0) issues.add("E_RANGE", path, `${where}standard deviation ${show(value)} is negative`);
  else issues.add("E_RANGE", path, `${where}standard deviation ${show(value)} is above ${MAX_STD}, where the propagation could overflow`);
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
