/** The backends every case runs on, and the checks both kinds of case make on their outcomes. */
import type { AggregatorOptions } from "../../../src/index.js";
import { firstDifference, type Outcome } from "./outcome.js";
import type { Recipe } from "./recipe.js";
import type { Failure, FailureKind } from "./report.js";

/** The backends every case runs on: the TypeScript kernel, the best native kernel and the scalar one. */
export const BACKENDS: readonly { readonly name: string; readonly options: AggregatorOptions }[] = [
  { name: "js", options: { backend: "js" } },
  { name: "native", options: { backend: "native" } },
  { name: "native-scalar", options: { backend: "native", enableVectorization: false } },
];

/** Sets `pollution` on the built-in prototypes and returns the function that restores them. */
export function pollute(entries: readonly { target: object; key: PropertyKey; descriptor: PropertyDescriptor }[]): () => void {
  const saved = entries.map(({ target, key }) => ({ target, key, before: Object.getOwnPropertyDescriptor(target, key) }));
  for (const { target, key, descriptor } of entries) Object.defineProperty(target, key, { configurable: true, ...descriptor });
  return () => {
    for (const { target, key, before } of saved.reverse()) {
      if (before === undefined) delete (target as Record<PropertyKey, unknown>)[key];
      else Object.defineProperty(target, key, before);
    }
  };
}

export interface CaseContext {
  readonly failures: Failure[];
  readonly backend: string;
}

export function fail(ctx: CaseContext, kind: FailureKind, detail: string): void {
  ctx.failures.push({ kind, backend: ctx.backend, detail });
}

export function withMonteCarlo(options: AggregatorOptions, recipe: Recipe): AggregatorOptions {
  const mc = recipe.monteCarlo;
  return mc === null ? options : { ...options, uncertainty: { method: "monte-carlo", samples: mc.samples, seed: mc.seed } };
}

/** Checks shared by both kinds of case, for one backend's outcome. */
export function judge(ctx: CaseContext, outcome: Outcome, snapshot: Outcome | undefined): void {
  if (!outcome.ok && !outcome.coded) fail(ctx, "uncoded-error", outcome.key);
  if (outcome.ok && outcome.invalid.length > 0) fail(ctx, "invalid-result", outcome.invalid.slice(0, 3).join("; "));
  if (outcome.ok && outcome.comparable && snapshot !== undefined && snapshot.key !== outcome.key) {
    fail(ctx, "snapshot-mismatch", `accepted, but its first-read snapshot gives ${snapshot.ok ? "a different result" : snapshot.key}: ${firstDifference(outcome.key, snapshot.key)}`);
  }
}

export function agree(failures: Failure[], outcomes: ReadonlyMap<string, Outcome>): void {
  const [first, ...rest] = [...outcomes];
  for (const [name, outcome] of rest) {
    if (outcome.key !== first![1].key) {
      failures.push({ kind: "disagreement", backend: name, detail: `${first![0]} and ${name} differ: ${firstDifference(first![1].key, outcome.key)}` });
    }
  }
}
