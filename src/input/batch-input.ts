import { MAX_BATCH_EVALUATIONS } from "../core/constants.js";
import { ownValue, threw } from "../core/caller-data.js";
import { show, type IssueCollector } from "../core/validate.js";

/** One batch item as read: its plan, the weights of its own (null or undefined: none), where its issues go. */
export interface BatchItem {
  readonly plan: unknown;
  readonly weights: unknown;
  /** `[e]` for a plan given as an array, `[e].dimensionScores` for `{ dimensionScores, weights }`. */
  readonly prefix: string;
}

/**
 * Reads `aggregateBatch`'s items once (docs/contract.md §3): the array's length once, each element once,
 * and from an `{ dimensionScores, weights }` item its own two fields once. A batch of more
 * than MAX_BATCH_EVALUATIONS is refused before anything is read or allocated for it; a bad
 * item (a hole, a number, a getter that throws) leaves `undefined` at its index and an issue;
 * reading stops when the issue list is full. Returns undefined when the batch itself is unusable.
 */
export function readBatch(evaluations: unknown, issues: IssueCollector): (BatchItem | undefined)[] | undefined {
  let n: number;
  try {
    if (!Array.isArray(evaluations)) {
      issues.add("E_COUNT", "", `expected an array of evaluations, got ${show(evaluations)}`);
      return undefined;
    }
    n = evaluations.length;
  } catch (error) {
    issues.add("E_COUNT", "", threw("reading the array", error));
    return undefined;
  }
  if (n > MAX_BATCH_EVALUATIONS) {
    issues.add(
      "E_COUNT",
      "",
      `${n} evaluations is more than one batch takes (${MAX_BATCH_EVALUATIONS.toLocaleString("en-US")}); split the study into batches keyed by firstEvaluation, or use aggregateColumns`,
    );
    return undefined;
  }
  // Pushed rather than preallocated: `new Array(n)` of a large n is a slow dictionary in V8.
  const items: (BatchItem | undefined)[] = [];
  for (let e = 0; e < n && !issues.truncated; e++) items.push(readItem(evaluations, e, issues));
  return items;
}

function readItem(evaluations: readonly unknown[], e: number, issues: IssueCollector): BatchItem | undefined {
  let field = "";
  try {
    const item = ownValue(evaluations, e);
    if (Array.isArray(item)) return { plan: item, weights: undefined, prefix: `[${e}]` };
    if (typeof item === "object" && item !== null) {
      field = ".dimensionScores";
      const plan = ownValue(item, "dimensionScores");
      field = ".weights";
      const weights = ownValue(item, "weights");
      return { plan, weights, prefix: `[${e}].dimensionScores` };
    }
    issues.add("E_TYPE", `[${e}]`, `expected an array of dimension scores or { dimensionScores, weights }, got ${show(item)}`);
  } catch (error) {
    issues.add("E_TYPE", `[${e}]${field}`, threw("reading it", error));
  }
  return undefined;
}
