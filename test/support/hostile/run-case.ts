/**
 * Runs one recipe on every backend (in the child process) and checks the trust boundary's invariants:
 * every error is one of the package's coded classes, the caller's inputs are unchanged, an
 * accepted call answers what its first-read snapshot answers (so no getter, Proxy, pollution or
 * lie changed it) with finite values in range, the weight cache is not poisoned, no memory
 * outside the call is written, and the backends agree bit for bit (or on the error code).
 */
import type { Recipe } from "./recipe.js";
import type { CaseReport } from "./report.js";
import { runColumns } from "./run-columns.js";
import { runPlan } from "./run-plan.js";

export function runCase(recipe: Recipe): Promise<CaseReport> {
  return recipe.kind === "plan" ? runPlan(recipe) : runColumns(recipe);
}
