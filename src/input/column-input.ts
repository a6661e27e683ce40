import { types } from "node:util";
import { AREA_COUNT, AREA_IDS, DIMENSION_COUNT, isWeight, SLOTS_PER_EVALUATION } from "../core/constants.js";
import { slotName } from "./columns-check.js";
import { allocateOutput, type KernelInput, type KernelOutput } from "../core/kernel-io.js";
import type { ColumnOutputs } from "../core/types.js";
import { show, type IssueCollector } from "../core/validate.js";
import { areaSum, checkWeightSum, EQUAL_WEIGHTS, reportWeight } from "./weights.js";

/**
 * The shape checks of `aggregateColumns` (SPEC §7): array types, lengths, weights, outputs and
 * memory overlap, all before any kernel runs. Values of scores and stds are screened by the
 * kernel pass itself (columns-check.ts). Nothing is copied: the kernel gets the caller's arrays.
 */

export interface ResolvedColumns {
  /** The caller's arrays; `stds` is `scores` when none were given (see `stdsGiven`). */
  readonly input: KernelInput;
  /**
   * False when the caller gave no stds. The kernel then reads the scores as stds, which costs
   * nothing and allocates no n×60 zeros, and the caller writes σ = 0's results afterwards.
   */
  readonly stdsGiven: boolean;
  readonly firstEvaluation: number;
  readonly out: KernelOutput;
}

const COLUMN_KEYS = new Set(["scores", "stds", "weights", "firstEvaluation"]);
const OUTPUT_KEYS = ["score", "std", "ciLow", "ciHigh", "quality"] as const;

/** The columns and outputs ready for a kernel, or undefined after adding issues. */
export function resolveColumns(columns: unknown, outputs: unknown, issues: IssueCollector): ResolvedColumns | undefined {
  if (typeof columns !== "object" || columns === null || Array.isArray(columns)) {
    issues.add("E_TYPE", "", `expected { scores, stds?, weights?, firstEvaluation? }, got ${show(columns)}`);
    return undefined;
  }
  const given = columns as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!COLUMN_KEYS.has(key)) issues.add("E_TYPE", key, `unknown key ${show(key)}; expected scores, stds, weights, firstEvaluation`);
  }
  const { scores, stds, weights } = given;
  if (!float64Array(scores, "scores", issues)) return undefined;
  if (scores.length % SLOTS_PER_EVALUATION !== 0) {
    issues.add("E_COUNT", "scores", `expected 60 values per evaluation, got ${scores.length} (not a multiple of 60)`);
    return undefined;
  }
  const n = scores.length / SLOTS_PER_EVALUATION;
  const stdsOk = stds === undefined || (float64Array(stds, "stds", issues) && length(stds, scores.length, "stds", issues));
  const weightVector = weights === undefined ? EQUAL_WEIGHTS.vector : checkWeights(weights, n, issues);
  const firstEvaluation = firstEvaluationOf(given.firstEvaluation, n, "firstEvaluation", issues);
  const out = outputs === undefined ? undefined : checkOutputs(outputs, n, issues);
  if (!stdsOk || weightVector === undefined || firstEvaluation === undefined || (outputs !== undefined && out === undefined)) return undefined;
  const inputs: Record<string, ArrayBufferView> = { scores, ...(stds === undefined ? {} : { stds: stds as Float64Array }), weights: weightVector };
  if (out !== undefined && !disjoint(inputs, out, issues)) return undefined;
  if (!issues.empty) return undefined;
  return {
    input: { scores, stds: (stds as Float64Array | undefined) ?? scores, weights: weightVector, evaluations: n },
    stdsGiven: stds !== undefined,
    firstEvaluation,
    out: out ?? allocateOutput(n),
  };
}

/** `aggregateBatch`'s per-call settings: undefined, or `{ firstEvaluation? }` and nothing else. */
export function batchFirstEvaluation(call: unknown, n: number, issues: IssueCollector): number | undefined {
  if (call === undefined) return 0;
  if (typeof call !== "object" || call === null || Array.isArray(call)) {
    issues.add("E_TYPE", "call", `expected { firstEvaluation? }, got ${show(call)}`);
    return undefined;
  }
  for (const key of Object.keys(call)) {
    if (key !== "firstEvaluation") issues.add("E_TYPE", `call.${key}`, `unknown key ${show(key)}; expected firstEvaluation`);
  }
  return firstEvaluationOf((call as { firstEvaluation?: unknown }).firstEvaluation, n, "call.firstEvaluation", issues);
}

/**
 * A batch's study-wide first index: a safe integer ≥ 0 leaving room for `n` evaluations
 * (the Monte-Carlo streams are keyed by it). Undefined after adding an issue.
 */
function firstEvaluationOf(value: unknown, n: number, path: string, issues: IssueCollector): number | undefined {
  if (value === undefined) return 0;
  if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) + n > Number.MAX_SAFE_INTEGER) {
    issues.add("E_RANGE", path, `expected an integer in [0, 2^53 - 1 - ${n}], got ${show(value)}`);
    return undefined;
  }
  return value as number;
}

function float64Array(value: unknown, path: string, issues: IssueCollector): value is Float64Array {
  if (!types.isFloat64Array(value)) {
    issues.add("E_TYPE", path, `expected a Float64Array, got ${describeValue(value)}`);
    return false;
  }
  return fixedMemory(value, path, issues);
}

/** A resizable buffer could shrink under a kernel that is reading it: rejected. */
function fixedMemory(view: ArrayBufferView, path: string, issues: IssueCollector): boolean {
  const buffer = view.buffer as ArrayBuffer & { resizable?: boolean; growable?: boolean };
  if (buffer.resizable === true || buffer.growable === true) {
    issues.add("E_TYPE", path, "expected a fixed-length buffer; a resizable one could shrink while the kernel reads it");
    return false;
  }
  return true;
}

function length(view: ArrayBufferView & { length: number }, expected: number, path: string, issues: IssueCollector): boolean {
  if (view.length === expected) return true;
  issues.add("E_COUNT", path, `expected ${expected} values, got ${view.length}`);
  return false;
}

/** Weights: 60 shared or n×60, each 0 or within SPEC §3's [MIN_WEIGHT, MAX_WEIGHT], no area summing to 0. */
function checkWeights(weights: unknown, n: number, issues: IssueCollector): Float64Array | undefined {
  if (!float64Array(weights, "weights", issues)) return undefined;
  if (weights.length !== SLOTS_PER_EVALUATION && weights.length !== n * SLOTS_PER_EVALUATION) {
    issues.add("E_COUNT", "weights", `expected 60 shared weights or ${n * SLOTS_PER_EVALUATION} (60 per evaluation), got ${weights.length}`);
    return undefined;
  }
  const before = issues.issues.length;
  for (let base = 0; base < weights.length && !issues.truncated; base += DIMENSION_COUNT) {
    let valid = true;
    for (let i = base; i < base + DIMENSION_COUNT; i++) {
      if (!isWeight(weights[i])) {
        reportWeight(weights[i], `weights[${i}]`, issues, `${slotName(i)}: `);
        valid = false;
      }
    }
    if (valid) checkWeightSum(areaSum(weights, base), `${areaLabel(base)} weights[${base}..${base + DIMENSION_COUNT - 1}]`, `weights[${base}]`, issues);
  }
  return issues.issues.length === before && !issues.truncated ? weights : undefined;
}

function areaLabel(base: number): string {
  const e = Math.floor(base / SLOTS_PER_EVALUATION);
  return `evaluation ${e}, ${AREA_IDS[(base / DIMENSION_COUNT) % AREA_COUNT]}:`;
}

function checkOutputs(outputs: unknown, n: number, issues: IssueCollector): KernelOutput | undefined {
  if (typeof outputs !== "object" || outputs === null || Array.isArray(outputs)) {
    issues.add("E_TYPE", "outputs", `expected { score, std, ciLow, ciHigh, quality }, got ${show(outputs)}`);
    return undefined;
  }
  const given = outputs as Record<string, unknown>;
  let ok = true;
  for (const key of OUTPUT_KEYS) {
    const value = given[key];
    const path = `outputs.${key}`;
    if (!(key === "quality" ? types.isUint8Array(value) : types.isFloat64Array(value))) {
      issues.add("E_TYPE", path, `expected a ${key === "quality" ? "Uint8Array" : "Float64Array"}, got ${describeValue(value)}`);
      ok = false;
    } else {
      const view = value as Float64Array | Uint8Array;
      ok = fixedMemory(view, path, issues) && length(view, n * AREA_COUNT, path, issues) && ok;
    }
  }
  return ok ? (given as unknown as ColumnOutputs) : undefined;
}

/** Outputs may share memory with neither the inputs nor each other: a kernel would read what it wrote. */
function disjoint(inputs: Record<string, ArrayBufferView>, out: KernelOutput, issues: IssueCollector): boolean {
  const views: [string, ArrayBufferView][] = [
    ...Object.entries(inputs),
    ...OUTPUT_KEYS.map((key): [string, ArrayBufferView] => [`outputs.${key}`, out[key]]),
  ];
  let ok = true;
  for (let j = Object.keys(inputs).length; j < views.length; j++) {
    for (let i = 0; i < j; i++) {
      const [name, view] = views[j]!;
      const [otherName, other] = views[i]!;
      if (overlap(view, other)) {
        issues.add("E_TYPE", name, `${name} shares memory with ${otherName}; outputs must not overlap inputs or each other`);
        ok = false;
      }
    }
  }
  return ok;
}

function overlap(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return (
    a.buffer === b.buffer &&
    a.byteLength > 0 &&
    b.byteLength > 0 &&
    a.byteOffset < b.byteOffset + b.byteLength &&
    b.byteOffset < a.byteOffset + a.byteLength
  );
}

function describeValue(value: unknown): string {
  return ArrayBuffer.isView(value) ? `a ${value.constructor.name}` : show(value);
}
