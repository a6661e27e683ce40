/**
 * A columns recipe on every backend: the hostile call with its lies, what the caller does while
 * it runs (transfer, shrink, write), compared with the snapshot of the values at its start; the
 * input columns after it, and a canary where transferred memory was.
 */
import { HighPerformanceAreaAggregator, type ColumnsResult } from "../../../src/index.js";
import { buildHostileColumns, buildSnapshotColumns, columnValues, type BuiltColumns } from "./build-columns.js";
import { agree, BACKENDS, fail, judge, pollute, withMonteCarlo } from "./invariants.js";
import { bits, describeColumnsResult, outcome, outcomeOf, settle, type Outcome, type Settled } from "./outcome.js";
import type { ColumnName, ColumnsRecipe } from "./recipe.js";
import type { CaseReport, Failure } from "./report.js";

/** Pattern a canary array is filled with; anything else in it after the call was written by someone else. */
const CANARY = 7.25;

// The engine's own answers, whatever own properties or a lying prototype claim during the call.
const RESIZABLE = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "resizable")!.get!;
const TYPED_ARRAY = Object.getPrototypeOf(Uint8Array.prototype) as object;
const TYPED_LENGTH = Object.getOwnPropertyDescriptor(TYPED_ARRAY, "length")!.get!;
const TYPED_BUFFER = Object.getOwnPropertyDescriptor(TYPED_ARRAY, "buffer")!.get!;

function typedLength(view: Float64Array | Float32Array): number {
  return TYPED_LENGTH.call(view) as number;
}

/** Does what `recipe.during` says while the call runs; returns a check to make once it settles. */
function interfere(recipe: ColumnsRecipe, built: BuiltColumns): (() => string | undefined) | undefined {
  const during = recipe.during;
  if (during.kind === "none") return undefined;
  if (during.kind === "flip") {
    const scores = built.views.scores;
    if (!(scores instanceof Float64Array) || typedLength(scores) === 0) return undefined;
    const slot = during.slot % typedLength(scores);
    const valid = scores[slot]!;
    for (let i = 0; i < during.times; i++) {
      scores[slot] = Number.NaN;
      scores[slot] = valid;
    }
    return undefined;
  }
  const view = during.what === "output" ? built.scoreOutput : built.views[during.what];
  const buffer = view instanceof Float64Array ? (TYPED_BUFFER.call(view) as ArrayBufferLike) : undefined;
  if (!(buffer instanceof ArrayBuffer)) return undefined;
  if (during.kind === "resize") {
    if (RESIZABLE.call(buffer)) buffer.resize(0);
    return undefined;
  }
  const freed = buffer.byteLength;
  structuredClone(buffer, { transfer: [buffer] });
  (globalThis as { gc?: () => void }).gc?.();
  // The same size as the freed memory, so the allocator likely hands that memory out again: a
  // write into it would show here.
  const canary = new Float64Array(Math.max(freed / 8, 1)).fill(CANARY);
  return () => {
    const bad = canary.findIndex((x) => x !== CANARY);
    return bad < 0 ? undefined : `canary[${bad}] = ${canary[bad]} after ${during.what}'s buffer was transferred during the call`;
  };
}

/** Installs the recipe's lies on the built-in prototypes; returns the restore function. */
function prototypeLies(recipe: ColumnsRecipe): () => void {
  const entries: { target: object; key: PropertyKey; descriptor: PropertyDescriptor }[] = [];
  if (recipe.prototypeLie) {
    entries.push({ target: ArrayBuffer.prototype, key: "resizable", descriptor: { get: () => false } });
    entries.push({ target: SharedArrayBuffer.prototype, key: "growable", descriptor: { get: () => false } });
  }
  if (recipe.object === "inherited-stds") {
    entries.push({ target: Object.prototype, key: "stds", descriptor: { value: new Float64Array(recipe.evaluations * 60).fill(Number.NaN), writable: true } });
  }
  return pollute(entries);
}

export async function runColumns(recipe: ColumnsRecipe): Promise<CaseReport> {
  const failures: Failure[] = [];
  const values = columnValues(recipe);
  const reference = new HighPerformanceAreaAggregator(withMonteCarlo({ backend: "js" }, recipe));
  const snapshot = await outcomeOf(() => reference.aggregateColumns(buildSnapshotColumns(recipe, values) as never), describeColumnsResult);
  const outcomes = new Map<string, Outcome>();
  for (const { name, options } of BACKENDS) {
    const ctx = { failures, backend: name };
    const aggregator = new HighPerformanceAreaAggregator(withMonteCarlo(options, recipe));
    const built = buildHostileColumns(recipe, values);
    const restore = prototypeLies(recipe);
    let settled: Settled;
    let canary: string | undefined;
    try {
      settled = await settle(() => {
        const call = aggregator.aggregateColumns(built.columns as never, built.outputs as never);
        const check = interfere(recipe, built);
        return call.finally(() => (canary = check?.()));
      });
    } finally {
      restore();
    }
    const result = outcome(settled, describeColumnsResult);
    outcomes.set(name, result);
    judge(ctx, result, snapshot);
    const outside = settled.resolved && result.ok && result.comparable ? scoreOutsideInputs(settled.value as ColumnsResult, values.scores!) : undefined;
    if (outside !== undefined) fail(ctx, "invalid-result", outside);
    if (canary !== undefined) fail(ctx, "canary-overwritten", canary);
    const changed = changedColumn(recipe, built, values);
    if (changed !== undefined) fail(ctx, "mutation", changed);
  }
  if (recipe.during.kind === "none") agree(failures, outcomes);
  return { failures };
}

/** The first area score that is not between its six input scores (a weighted mean must be, to rounding). */
function scoreOutsideInputs(result: ColumnsResult, scores: Float64Array): string | undefined {
  for (let g = 0; g < result.score.length; g++) {
    const inputs = scores.subarray(g * 6, g * 6 + 6);
    const low = Math.min(...inputs);
    const high = Math.max(...inputs);
    const x = result.score[g]!;
    if (!(x >= low - 1e-9 * Math.max(1, low) && x <= high + 1e-9 * Math.max(1, high))) return `score[${g}] = ${bits(x)} outside its inputs [${low}, ${high}]`;
  }
  return undefined;
}

/** The first input column whose values differ from what the caller put there (columns we moved away ourselves excepted). */
function changedColumn(recipe: ColumnsRecipe, built: BuiltColumns, values: Partial<Record<ColumnName, Float64Array>>): string | undefined {
  for (const name of ["scores", "stds", "weights"] as const) {
    const during = recipe.during;
    if ((during.kind === "transfer" || during.kind === "resize") && during.what === name) continue;
    const view = built.views[name];
    const expected = values[name]!;
    if (view === undefined) continue;
    const now: ArrayLike<number> = view instanceof DataView ? new Float64Array(view.buffer) : (view as ArrayLike<number>);
    const length = view instanceof Float64Array || view instanceof Float32Array ? typedLength(view) : now.length;
    for (let i = 0; i < Math.min(length, expected.length); i++) {
      const x = view instanceof Float32Array ? Math.fround(expected[i]!) : expected[i]!;
      if (!Object.is(now[i], x)) return `${name}[${i}] was ${bits(x)}, is ${bits(now[i])} after the call`;
    }
  }
  return undefined;
}
