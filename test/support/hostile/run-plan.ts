/**
 * A plan recipe on every backend: the hostile call under its prototype pollution, compared with
 * the first-read snapshot, the inputs' own properties before and after, and a plain call after
 * it that must not meet a poisoned weight cache.
 */
import { HighPerformanceAreaAggregator } from "../../../src/index.js";
import { buildHostilePlan, buildSnapshotPlan, canonicalEntry, materialize } from "./build-plan.js";
import { agree, BACKENDS, fail, judge, pollute, withMonteCarlo } from "./invariants.js";
import { bits, describePlanResult, firstDifference, outcome, outcomeOf, settle, type Outcome, type Settled } from "./outcome.js";
import type { PlanRecipe } from "./recipe.js";
import type { CaseReport, Failure } from "./report.js";

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

export async function runPlan(recipe: PlanRecipe): Promise<CaseReport> {
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
