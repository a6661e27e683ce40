import { allocateColumns, packEvaluation, releaseColumns } from "../input/pack-plans.js";
import type { DimensionScore } from "../core/types.js";
import { ValidationError } from "../core/errors.js";
import { IssueCollector } from "../core/validate.js";
import { prepareWeights } from "../input/weights.js";

/** Scratch columns for checking one plan at a time; what is written there is never read. */
const scratch = allocateColumns(1);

/**
 * What is wrong with one evaluation, checked as `aggregateSync` checks it (same issues, same
 * paths), without aggregating it: a batch rejects as a whole, so the CLI finds its bad lines
 * first and aggregates the rest. `weights` are the evaluation's own; the shared --weights file
 * has been checked once already.
 */
export function evaluationProblem(dimensionScores: readonly DimensionScore[], weights: unknown): ValidationError | undefined {
  return problemOf((issues) => {
    packEvaluation(dimensionScores, scratch, 0, issues);
    releaseColumns(scratch);
    if (weights !== undefined) prepareWeights(weights, issues);
  });
}

/** The bad-weights issues of the --weights file, checked once rather than reported for every evaluation. */
export function weightsProblem(weights: unknown): ValidationError | undefined {
  return problemOf((issues) => prepareWeights(weights, issues));
}

function problemOf(check: (issues: IssueCollector) => void): ValidationError | undefined {
  const issues = new IssueCollector();
  check(issues);
  return issues.empty ? undefined : new ValidationError(issues.issues, issues.truncated);
}
