/**
 * Column recipes into live `aggregateColumns` arguments: typed arrays in odd memory, with own
 * properties that lie about their shape, outputs that alias, and the snapshot (plain copies of
 * the values at the start of the call, no outputs) SPEC §3 and §7 say must give the same answer.
 */
import { rng } from "../float.js";
import type { ColumnName, ColumnsRecipe, Lie, Memory } from "./recipe.js";

/** The values of each given column at the start of the call. */
export function columnValues(recipe: ColumnsRecipe): Partial<Record<ColumnName, Float64Array>> {
  const n = recipe.evaluations;
  // n*60 base values travel as one seed.
  const next = rng(recipe.seed);
  const fill = (length: number, value: () => number, overrides: ColumnsRecipe["scoreSlots"]) => {
    const column = new Float64Array(length).map(value);
    if (length > 0) for (const { slot, value: x } of overrides) column[slot % length] = x;
    return column;
  };
  const values: Partial<Record<ColumnName, Float64Array>> = { scores: fill(n * 60, () => next() * 3, recipe.scoreSlots) };
  if (recipe.stds) values.stds = fill(n * 60, () => next(), recipe.stdSlots);
  if (recipe.weights !== "absent") {
    const length = recipe.weights === "shared" ? 60 : n * 60;
    values.weights = fill(length, () => 1 + Math.floor(next() * 4), recipe.weightSlots);
  }
  return values;
}

/** A column in `memory`, holding `values`; `buffer` is its ArrayBuffer when it has one. */
function inMemory(values: Float64Array, memory: Memory): unknown {
  const bytes = values.length * 8;
  switch (memory) {
    case "plain":
      return values.slice();
    case "shared":
      return copyInto(new Float64Array(new SharedArrayBuffer(bytes)), values);
    case "offset":
      return copyInto(new Float64Array(new ArrayBuffer(bytes + 24), 16, values.length), values);
    case "resizable":
      return copyInto(new Float64Array(new ArrayBuffer(bytes, { maxByteLength: bytes + 64 })), values);
    case "growable":
      return copyInto(new Float64Array(new SharedArrayBuffer(bytes, { maxByteLength: bytes + 64 })), values);
    case "float32":
      return Float32Array.from(values);
    case "array":
      return Array.from(values);
    case "dataview":
      return new DataView(values.slice().buffer);
  }
}

function copyInto(target: Float64Array, values: Float64Array): Float64Array {
  target.set(values);
  return target;
}

const LIES: Readonly<Record<Exclude<Lie, "buffer-says-not-resizable">, (view: Float64Array) => unknown>> = {
  "own-length": (view) => (view.length === 1 ? 60 : 1),
  "own-byteLength": () => 8,
  "own-byteOffset": () => 8,
  "own-buffer": () => new ArrayBuffer(8),
};

function tell(view: Float64Array, lie: Lie): void {
  if (lie === "buffer-says-not-resizable") Object.defineProperty(view.buffer, "resizable", { value: false, configurable: true });
  else Object.defineProperty(view, lie.slice(4), { value: LIES[lie](view), configurable: true, enumerable: false });
}

export interface BuiltColumns {
  readonly columns: Record<string, unknown>;
  readonly outputs: unknown;
  /** Each given column as built, before any lie: its view, to compare with `values` after the call. */
  readonly views: Partial<Record<ColumnName, unknown>>;
  /** The score output's view, when outputs are given as typed arrays. */
  readonly scoreOutput: Float64Array | undefined;
}

/** The hostile form of `recipe` (`values` from columnValues). */
export function buildHostileColumns(recipe: ColumnsRecipe, values: Partial<Record<ColumnName, Float64Array>>): BuiltColumns {
  const views: Partial<Record<ColumnName, unknown>> = {};
  for (const name of ["scores", "stds", "weights"] as const) {
    const column = values[name];
    if (column !== undefined) views[name] = inMemory(column, recipe.memory[name]);
  }
  const columns: Record<string, unknown> = { ...views };
  const { outputs, scoreOutput } = outputsFor(recipe, views.scores);
  for (const { column, lie } of recipe.lies) {
    const view = views[column];
    if (view instanceof Float64Array) tell(view, lie);
  }
  if (recipe.object === "getter") {
    let reads = 0;
    const real = views.scores;
    const later = new Float64Array(recipe.evaluations * 60).fill(Number.NaN);
    Object.defineProperty(columns, "scores", { get: () => (reads++ === 0 ? real : later), enumerable: true, configurable: true });
  }
  return { columns, outputs, views, scoreOutput };
}

function outputsFor(recipe: ColumnsRecipe, scores: unknown): { outputs: unknown; scoreOutput: Float64Array | undefined } {
  const length = recipe.evaluations * 10;
  const shared = recipe.outputs === "shared";
  const f64 = (count: number) => new Float64Array(shared ? new SharedArrayBuffer(count * 8) : new ArrayBuffer(count * 8));
  const quality = new Uint8Array(shared ? new SharedArrayBuffer(length) : new ArrayBuffer(length));
  const fresh = { score: f64(length), std: f64(length), ciLow: f64(length), ciHigh: f64(length), quality };
  switch (recipe.outputs) {
    case "none":
      return { outputs: undefined, scoreOutput: undefined };
    case "fresh":
    case "shared":
      return { outputs: fresh, scoreOutput: fresh.score };
    case "alias-scores": {
      const score = scores instanceof Float64Array ? new Float64Array(scores.buffer, scores.byteOffset, length) : fresh.score;
      return { outputs: { ...fresh, score }, scoreOutput: score };
    }
    case "alias-each-other":
      return { outputs: { ...fresh, std: fresh.score }, scoreOutput: fresh.score };
    case "short":
      return { outputs: { ...fresh, ciHigh: f64(length === 0 ? 1 : length - 1) }, scoreOutput: fresh.score };
    case "getter": {
      // Two arrays, not one per read: a call that reads on every element must not allocate forever.
      const outputs = { ...fresh };
      const later = f64(length);
      let reads = 0;
      Object.defineProperty(outputs, "score", { get: () => (reads++ === 0 ? fresh.score : later), enumerable: true, configurable: true });
      return { outputs, scoreOutput: undefined };
    }
  }
}

/** The plain snapshot: each column a plain copy of its values (odd types kept: they are the caller's choice, not a trick). */
export function buildSnapshotColumns(recipe: ColumnsRecipe, values: Partial<Record<ColumnName, Float64Array>>): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const name of ["scores", "stds", "weights"] as const) {
    const column = values[name];
    const memory = recipe.memory[name];
    if (column !== undefined) columns[name] = inMemory(column, memory === "float32" || memory === "array" || memory === "dataview" ? memory : "plain");
  }
  return columns;
}
