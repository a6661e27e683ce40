/**
 * Runs one recipe on every backend (in the child process) and checks the invariants of issue 9:
 * every error is one of the package's coded classes, the caller's inputs are unchanged, an
 * accepted call answers what its first-read snapshot answers (so no getter, Proxy, pollution or
 * lie changed it) with finite values in range, the weight cache is not poisoned, no memory
 * outside the call is written, and the backends agree bit for bit (or on the error code).
 */
import { createHash } from "node:crypto";
import {
  AggregationError,
  BackendUnavailableError,
  HighPerformanceAreaAggregator,
  OptionsError,
  ValidationError,
  type AggregatorOptions,
  type AreaScore,
  type ColumnsResult,
} from "../../../src/index.js";
import { buildHostileColumns, buildSnapshotColumns, columnValues, type BuiltColumns } from "./build-columns.js";
import { buildHostilePlan, buildSnapshotPlan, canonicalEntry, HostileTrapError, materialize } from "./build-plan.js";
import type { ColumnName, ColumnsRecipe, PlanRecipe, Recipe } from "./recipe.js";

export type FailureKind =
  | "crash"
  | "hang"
  | "uncoded-error"
  | "disagreement"
  | "mutation"
  | "snapshot-mismatch"
  | "invalid-result"
  | "cache-poisoned"
  | "canary-overwritten"
  | "unhandled-rejection"
  /** The harness itself failed on this recipe: a bug to fix in test/support/hostile, not in the package. */
  | "harness-error";

export interface Failure {
  readonly kind: FailureKind;
  readonly backend: string;
  readonly detail: string;
}

export interface CaseReport {
  readonly failures: readonly Failure[];
}

/** The backends every case runs on: the TypeScript kernel, the best native kernel and the scalar one. */
export const BACKENDS: readonly { readonly name: string; readonly options: AggregatorOptions }[] = [
  { name: "js", options: { backend: "js" } },
  { name: "native", options: { backend: "native" } },
  { name: "native-scalar", options: { backend: "native", enableVectorization: false } },
];

/** What a call did, in a form that compares exactly: bits of every number, or the error's code. */
type Outcome =
  /** `comparable` is false when the caller took the result away itself (it transferred the outputs it passed). */
  | { readonly ok: true; readonly key: string; readonly invalid: readonly string[]; readonly comparable: boolean }
  | { readonly ok: false; readonly key: string; readonly coded: boolean };

const CODED = [ValidationError, OptionsError, BackendUnavailableError, AggregationError];

function errorOutcome(error: unknown): Outcome {
  const coded = CODED.some((type) => error instanceof type) && typeof (error as { code?: unknown }).code === "string";
  if (coded) return { ok: false, key: `error ${(error as { code: string }).code}`, coded };
  const what = error instanceof HostileTrapError ? "the caller's own exception passed through: " : "";
  const name = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { ok: false, key: `uncoded ${what}${name.slice(0, 200)}`, coded };
}

/** What a call resolved to or threw, kept raw until the prototypes are clean again. */
type Settled = { readonly resolved: true; readonly value: unknown } | { readonly resolved: false; readonly error: unknown };

async function settle(call: () => unknown): Promise<Settled> {
  try {
    return { resolved: true, value: await call() };
  } catch (error) {
    return { resolved: false, error };
  }
}

function outcome(settled: Settled, describe: (result: unknown) => Outcome): Outcome {
  return settled.resolved ? describe(settled.value) : errorOutcome(settled.error);
}

async function outcomeOf(call: () => unknown, describe: (result: unknown) => Outcome): Promise<Outcome> {
  return outcome(await settle(call), describe);
}

/** A number's exact identity: −0 and NaN included. */
function bits(x: unknown): string {
  return typeof x !== "number" ? `<${typeof x}>` : Object.is(x, -0) ? "-0" : String(x);
}

function describeAreas(areas: readonly AreaScore[], invalid: string[], where: string): string {
  return areas
    .map((area, a) => {
      const [low, high] = area.confidenceInterval95;
      const at = `${where}[${a}]`;
      const numbers = [area.score, area.scoreStd, low, high, area.validationDetails.weightSum];
      if (!numbers.every(Number.isFinite)) invalid.push(`${at}: non-finite ${numbers.map(bits).join(" ")}`);
      // Monte-Carlo intervals are sample quantiles: they need not hold the point score.
      const around = area.aggregationMethod === "monte_carlo" || (low <= area.score && area.score <= high);
      if (!(area.score >= 0 && area.score <= 3 && low >= 0 && high <= 3 && low <= high && around)) invalid.push(`${at}: out of range ${numbers.map(bits).join(" ")}`);
      const copies = area.dimensionScores.map((d) => {
        if (typeof d.score !== "number" || !(d.score >= 0 && d.score <= 3)) invalid.push(`${at}: copied score ${bits(d.score)}`);
        if (d.scoreStd !== undefined && !(typeof d.scoreStd === "number" && d.scoreStd >= 0 && d.scoreStd <= 1e50)) invalid.push(`${at}: copied std ${bits(d.scoreStd)}`);
        if (d.areaId !== area.areaId) invalid.push(`${at}: copied entry of ${String(d.areaId)} in ${area.areaId}`);
        return `${String(d.areaId)}/${String(d.dimensionId)}=${bits(d.score)}±${bits(d.scoreStd)}`;
      });
      // A weighted mean lies between its inputs (to rounding): tiny or huge weights must not move it.
      const inputs = area.dimensionScores.map((d) => d.score).filter((x): x is number => typeof x === "number");
      const slack = 1e-9 * Math.max(1, ...inputs);
      if (inputs.length === 6 && !(area.score >= Math.min(...inputs) - slack && area.score <= Math.max(...inputs) + slack)) {
        invalid.push(`${at}: score ${bits(area.score)} outside its inputs [${Math.min(...inputs)}, ${Math.max(...inputs)}]`);
      }
      return `${area.areaId} ${numbers.map(bits).join(" ")} ${area.qualityLevel} ${area.validationDetails.weightSource} ${area.aggregationMethod} [${copies.join(",")}]`;
    })
    .join("\n");
}

function describePlanResult(result: unknown): Outcome {
  const invalid: string[] = [];
  const { areaScores } = result as { areaScores: AreaScore[] | AreaScore[][] };
  const nested = (areaScores.length > 0 && Array.isArray(areaScores[0]) ? areaScores : [areaScores]) as AreaScore[][];
  const key = nested.map((areas, e) => describeAreas(areas, invalid, `[${e}]`)).join("\n---\n");
  return { ok: true, key, invalid, comparable: true };
}

function detached(view: ArrayBufferView): boolean {
  try {
    new Uint8Array(view.buffer);
    return false;
  } catch {
    return true;
  }
}

function describeColumnsResult(result: unknown): Outcome {
  const r = result as ColumnsResult;
  if ([r.score, r.std, r.ciLow, r.ciHigh, r.quality].some(detached)) return { ok: true, key: "outputs transferred by the caller", invalid: [], comparable: false };
  const invalid: string[] = [];
  const hash = createHash("sha256");
  for (const name of ["score", "std", "ciLow", "ciHigh"] as const) {
    const column = r[name];
    hash.update(new Uint8Array(column.buffer, column.byteOffset, column.byteLength));
    const bad = column.findIndex((x) => !Number.isFinite(x) || (name !== "std" && !(x >= 0 && x <= 3)));
    if (bad >= 0) invalid.push(`${name}[${bad}] = ${bits(column[bad])}`);
  }
  hash.update(r.quality);
  if (r.quality.some((q) => q > 3)) invalid.push("quality above 3");
  return { ok: true, key: `columns ${r.score.length} ${hash.digest("hex")}`, invalid, comparable: true };
}

/** Sets `pollution` on the built-in prototypes and returns the function that restores them. */
function pollute(entries: readonly { target: object; key: PropertyKey; descriptor: PropertyDescriptor }[]): () => void {
  const saved = entries.map(({ target, key }) => ({ target, key, before: Object.getOwnPropertyDescriptor(target, key) }));
  for (const { target, key, descriptor } of entries) Object.defineProperty(target, key, { configurable: true, ...descriptor });
  return () => {
    for (const { target, key, before } of saved.reverse()) {
      if (before === undefined) delete (target as Record<PropertyKey, unknown>)[key];
      else Object.defineProperty(target, key, before);
    }
  };
}

/** Own property descriptors of every owned object, to compare before and after a call. */
function ownState(objects: readonly object[]): string[] {
  return objects.map((o) => {
    const descriptors = Object.getOwnPropertyDescriptors(o);
    const keys = Reflect.ownKeys(descriptors).map((key) => {
      const d = descriptors[key as string]!;
      const how = "value" in d ? `=${typeof d.value === "number" ? bits(d.value) : typeof d.value === "object" || typeof d.value === "function" ? "ref" : String(d.value)}` : "get/set";
      return `${String(key)}${how}${d.writable ? "w" : ""}${d.enumerable ? "e" : ""}${d.configurable ? "c" : ""}`;
    });
    return `${Object.isExtensible(o)}:${keys.join(",")}`;
  });
}

/** The objects in `owned` by identity, so a call that swapped an entry's object is a mutation too. */
function references(owned: readonly object[]): unknown[][] {
  return owned.map((o) => Reflect.ownKeys(o).map((key) => Object.getOwnPropertyDescriptor(o, key)?.value));
}

interface CaseContext {
  readonly failures: Failure[];
  readonly backend: string;
}

function fail(ctx: CaseContext, kind: FailureKind, detail: string): void {
  ctx.failures.push({ kind, backend: ctx.backend, detail });
}

function withMonteCarlo(options: AggregatorOptions, recipe: Recipe): AggregatorOptions {
  const mc = recipe.monteCarlo;
  return mc === null ? options : { ...options, uncertainty: { method: "monte-carlo", samples: mc.samples, seed: mc.seed } };
}

/** Checks shared by both kinds of case, for one backend's outcome. */
function judge(ctx: CaseContext, outcome: Outcome, snapshot: Outcome | undefined): void {
  if (!outcome.ok && !outcome.coded) fail(ctx, "uncoded-error", outcome.key);
  if (outcome.ok && outcome.invalid.length > 0) fail(ctx, "invalid-result", outcome.invalid.slice(0, 3).join("; "));
  if (outcome.ok && outcome.comparable && snapshot !== undefined && snapshot.key !== outcome.key) {
    fail(ctx, "snapshot-mismatch", `accepted, but its first-read snapshot gives ${snapshot.ok ? "a different result" : snapshot.key}: ${firstDifference(outcome.key, snapshot.key)}`);
  }
}

/** Where two outcome keys first differ, with a little context, for the failure report. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const from = Math.max(0, a.lastIndexOf("\n", i) + 1, i - 60);
  return `at ${JSON.stringify(a.slice(from, i + 100))} vs ${JSON.stringify(b.slice(from, i + 100))}`;
}

function agree(failures: Failure[], outcomes: ReadonlyMap<string, Outcome>): void {
  const [first, ...rest] = [...outcomes];
  for (const [name, outcome] of rest) {
    if (outcome.key !== first![1].key) {
      failures.push({ kind: "disagreement", backend: name, detail: `${first![0]} and ${name} differ: ${firstDifference(first![1].key, outcome.key)}` });
    }
  }
}

async function runPlan(recipe: PlanRecipe): Promise<CaseReport> {
  const failures: Failure[] = [];
  const snapshotInput = buildSnapshotPlan(recipe);
  const reference = () => new HighPerformanceAreaAggregator(withMonteCarlo({ backend: "js", enableCaching: false }, recipe));
  const snapshot = snapshotInput && (await outcomeOf(() => callPlan(recipe, reference(), snapshotInput.plan, snapshotInput.weights), describePlanResult));
  const outcomes = new Map<string, Outcome>();
  for (const { name, options } of BACKENDS) {
    const ctx = { failures, backend: name };
    const aggregator = new HighPerformanceAreaAggregator(withMonteCarlo(options, recipe));
    const built = buildHostilePlan(recipe);
    const before = ownState(built.owned);
    const refs = references(built.owned);
    const restore = pollute(
      recipe.pollution.map(({ on, key, value }) => ({
        target: on === "Object" ? Object.prototype : Array.prototype,
        key,
        descriptor: { value: materialize(value), writable: true, enumerable: false },
      })),
    );
    let settled: Settled;
    try {
      settled = await settle(() => callPlan(recipe, aggregator, built.plan, built.weights));
    } finally {
      restore();
    }
    const result = outcome(settled, describePlanResult);
    outcomes.set(name, result);
    judge(ctx, result, snapshot);
    const after = ownState(built.owned);
    const refsAfter = references(built.owned);
    const changed = before.findIndex((state, i) => state !== after[i] || refs[i]!.some((ref, k) => !Object.is(ref, refsAfter[i]![k])));
    if (changed >= 0) fail(ctx, "mutation", `input object ${changed} changed: ${before[changed]!.slice(0, 120)} -> ${after[changed]!.slice(0, 120)}`);
    // A weights object that answered differently on a later read must not have poisoned the cache.
    if (snapshotInput !== undefined && recipe.weights.kind === "table") {
      const plain = recipe.scores.map((score, i) => canonicalEntry(i, score, recipe.stds[i]!));
      const cached = await outcomeOf(() => aggregator.aggregateSync(plain, snapshotInput.weights as never), describePlanResult);
      const fresh = await outcomeOf(() => reference().aggregateSync(plain, snapshotInput.weights as never), describePlanResult);
      if (cached.key !== fresh.key) fail(ctx, "cache-poisoned", `a later plain call with the first-read weights: ${firstDifference(cached.key, fresh.key)}`);
    }
  }
  agree(failures, outcomes);
  return { failures };
}

function callPlan(recipe: PlanRecipe, aggregator: HighPerformanceAreaAggregator, plan: unknown, weights: unknown): unknown {
  const p = plan as never;
  const w = weights as never;
  switch (recipe.call) {
    case "sync":
      return aggregator.aggregateSync(p, w);
    case "async":
      return aggregator.aggregate(p, w);
    case "batch":
    case "batch-own-weights": {
      const evaluations: unknown[] = [recipe.call === "batch" ? plan : weights === undefined ? { dimensionScores: plan } : { dimensionScores: plan, weights }];
      if (recipe.batchLength !== null) evaluations.length = recipe.batchLength;
      return recipe.call === "batch" ? aggregator.aggregateBatch(evaluations as never, w) : aggregator.aggregateBatch(evaluations as never);
    }
  }
}

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

async function runColumns(recipe: ColumnsRecipe): Promise<CaseReport> {
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

export function runCase(recipe: Recipe): Promise<CaseReport> {
  return recipe.kind === "plan" ? runPlan(recipe) : runColumns(recipe);
}
