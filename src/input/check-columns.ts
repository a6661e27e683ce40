import { AggregationError } from "../core/errors.js";
import { readKnownFields } from "../core/caller-data.js";
import { AREA_COUNT, AREA_IDS, DIMENSION_COUNT, isWeight, SLOTS_PER_EVALUATION } from "../core/constants.js";
import type { KernelInput, KernelOutput } from "../core/kernel-io.js";
import { fixedView, isDetached, isFloat64Array, isUint8Array, overlap, privateCopy, typedArrayName, viewLength } from "../core/typed-views.js";
import type { ColumnOutputs } from "../core/types.js";
import { isArrayUnlessRevoked, show, type IssueCollector } from "../core/validate.js";
import { firstEvaluationOf } from "./call-options.js";
import { slotName } from "./report-bad-slots.js";
import { areaSum, checkWeightSum, EQUAL_WEIGHTS, reportWeight } from "./weights.js";

/**
 * The shape checks of `aggregateColumns` (docs/contract.md §3): array types, lengths, weights, outputs and
 * memory overlap, all before any kernel runs. The `columns` and `outputs` objects are read once,
 * own properties only; typed arrays' shapes come from the intrinsic accessors, and the kernel
 * gets fresh views of the caller's memory (typed-views.ts), so nothing the caller attached to
 * their arrays is consulted. Weights are copied once and validated and computed with as that
 * copy. Values of scores and stds are checked by the kernel pass itself (report-bad-slots.ts).
 */

export interface ResolvedColumns {
  /** Views of the caller's scores and stds (undefined when none were given), and the validated weights. */
  readonly input: KernelInput;
  readonly firstEvaluation: number;
  /** What the kernel writes: views of the caller's outputs; undefined when none were given (the kernel then provides them). */
  readonly out: KernelOutput | undefined;
  /** The caller's own output arrays, which the call returns; undefined when none were given. */
  readonly callerOut: ColumnOutputs | undefined;
}

const COLUMN_KEYS = ["scores", "stds", "weights", "firstEvaluation"] as const;
const OUTPUT_KEYS = ["score", "std", "ciLow", "ciHigh", "quality"] as const;

/**
 * The columns and outputs ready for a kernel, or undefined after adding issues.
 * @throws AggregationError E_BUFFER_DETACHED for an array whose buffer was detached before the call
 */
export function resolveColumns(columns: unknown, outputs: unknown, issues: IssueCollector): ResolvedColumns | undefined {
  if (typeof columns !== "object" || columns === null || isArrayUnlessRevoked(columns)) {
    issues.add("E_TYPE", "", `expected { scores, stds?, weights?, firstEvaluation? }, got ${show(columns)}`);
    return undefined;
  }
  const given = readKnownFields(columns, COLUMN_KEYS, "", issues);
  if (given === undefined) return undefined;
  const scores = float64View(given.scores, "scores", issues);
  if (scores === undefined) return undefined;
  if (scores.length % SLOTS_PER_EVALUATION !== 0) {
    issues.add("E_COUNT", "scores", `expected 60 values per evaluation, got ${scores.length} (not a multiple of 60)`);
    return undefined;
  }
  const n = scores.length / SLOTS_PER_EVALUATION;
  const stds = given.stds === undefined ? undefined : float64View(given.stds, "stds", issues);
  const stdsOk = given.stds === undefined || (stds !== undefined && length(stds, scores.length, "stds", issues));
  const weights = given.weights === undefined ? EQUAL_WEIGHTS.vector : checkWeights(given.weights, n, issues);
  const firstEvaluation = firstEvaluationOf(given.firstEvaluation, n, "firstEvaluation", issues);
  const callerOut = outputs === undefined ? undefined : checkOutputs(outputs, n, issues);
  if (!stdsOk || weights === undefined || firstEvaluation === undefined || (outputs !== undefined && callerOut === undefined)) return undefined;
  const out = callerOut === undefined ? undefined : viewsOf(callerOut);
  const inputs: [string, ArrayBufferView][] = [["scores", scores], ...(stds === undefined ? [] : [["stds", stds] as [string, ArrayBufferView]])];
  if (out !== undefined && !disjoint(inputs, out, issues)) return undefined;
  if (!issues.empty) return undefined;
  return {
    input: { scores, stds, weights, evaluations: n },
    firstEvaluation,
    out,
    callerOut,
  };
}

/**
 * A fresh view of a Float64Array (its shape as the engine says), or undefined after an issue.
 * @throws AggregationError E_BUFFER_DETACHED for an array whose buffer was detached before the call
 */
function float64View(value: unknown, path: string, issues: IssueCollector): Float64Array | undefined {
  if (isFloat64Array(value)) return fixedView(attached(value, path));
  issues.add("E_TYPE", path, `expected a Float64Array, got ${describeValue(value)}`);
  return undefined;
}

/** `view`, unless its buffer was detached (transferred) before the call: then there is nothing to read or fill. */
function attached<T extends Float64Array | Uint8Array>(view: T, path: string): T {
  if (!isDetached(view)) return view;
  throw new AggregationError("E_BUFFER_DETACHED", `${path} was detached (its buffer transferred) before the call; nothing was read or written`);
}

function length(view: Float64Array | Uint8Array, expected: number, path: string, issues: IssueCollector): boolean {
  if (view.length === expected) return true;
  issues.add("E_COUNT", path, `expected ${expected} values, got ${view.length}`);
  return false;
}

/**
 * Weights: 60 shared or n×60, copied once (so the values checked are the values computed with,
 * whatever another thread writes into a shared buffer meanwhile), each 0 or in docs/contract.md §3's
 * bounds, no area summing to 0. Returns the copy.
 */
function checkWeights(weights: unknown, n: number, issues: IssueCollector): Float64Array | undefined {
  const view = float64View(weights, "weights", issues);
  if (view === undefined) return undefined;
  if (view.length !== SLOTS_PER_EVALUATION && view.length !== n * SLOTS_PER_EVALUATION) {
    issues.add("E_COUNT", "weights", `expected 60 shared weights or ${n * SLOTS_PER_EVALUATION} (60 per evaluation), got ${view.length}`);
    return undefined;
  }
  const copy = privateCopy(view);
  const before = issues.issues.length;
  for (let base = 0; base < copy.length && !issues.truncated; base += DIMENSION_COUNT) {
    let valid = true;
    for (let i = base; i < base + DIMENSION_COUNT; i++) {
      if (!isWeight(copy[i])) {
        reportWeight(copy[i], `weights[${i}]`, issues, `${slotName(i)}: `);
        valid = false;
      }
    }
    if (valid) checkWeightSum(areaSum(copy, base), `${areaLabel(base)} weights[${base}..${base + DIMENSION_COUNT - 1}]`, `weights[${base}]`, issues);
  }
  return issues.issues.length === before && !issues.truncated ? copy : undefined;
}

function areaLabel(base: number): string {
  const e = Math.floor(base / SLOTS_PER_EVALUATION);
  return `evaluation ${e}, ${AREA_IDS[(base / DIMENSION_COUNT) % AREA_COUNT]}:`;
}

/** The caller's output arrays (read once, own properties only), checked; undefined after issues. */
function checkOutputs(outputs: unknown, n: number, issues: IssueCollector): ColumnOutputs | undefined {
  if (typeof outputs !== "object" || outputs === null || isArrayUnlessRevoked(outputs)) {
    issues.add("E_TYPE", "outputs", `expected { score, std, ciLow, ciHigh, quality }, got ${show(outputs)}`);
    return undefined;
  }
  const given = readKnownFields(outputs, OUTPUT_KEYS, "outputs", issues);
  if (given === undefined) return undefined;
  let ok = true;
  for (const key of OUTPUT_KEYS) {
    const value = given[key];
    const path = `outputs.${key}`;
    if (!(key === "quality" ? isUint8Array(value) : isFloat64Array(value))) {
      issues.add("E_TYPE", path, `expected a ${key === "quality" ? "Uint8Array" : "Float64Array"}, got ${describeValue(value)}`);
      ok = false;
    } else {
      const actual = viewLength(attached(value as Float64Array | Uint8Array, path));
      if (actual !== n * AREA_COUNT) {
        issues.add("E_COUNT", path, `expected ${n * AREA_COUNT} values, got ${actual}`);
        ok = false;
      }
    }
  }
  return ok ? (given as unknown as ColumnOutputs) : undefined;
}

function viewsOf(out: ColumnOutputs): KernelOutput {
  return { score: fixedView(out.score), std: fixedView(out.std), ciLow: fixedView(out.ciLow), ciHigh: fixedView(out.ciHigh), quality: fixedView(out.quality) };
}

/** Outputs may share memory with neither the inputs nor each other: a kernel would read what it wrote. */
function disjoint(inputs: readonly [string, ArrayBufferView][], out: KernelOutput, issues: IssueCollector): boolean {
  const views: [string, ArrayBufferView][] = [...inputs, ...OUTPUT_KEYS.map((key): [string, ArrayBufferView] => [`outputs.${key}`, out[key]])];
  let ok = true;
  for (let j = inputs.length; j < views.length; j++) {
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

function describeValue(value: unknown): string {
  const name = typedArrayName(value);
  return name !== undefined ? `a ${name}` : ArrayBuffer.isView(value) ? "a DataView" : show(value);
}
