import { isAbortSignal } from "../core/abort-signal.js";
import { readKnownFields } from "../core/caller-data.js";
import { isArrayUnlessRevoked, show, type IssueCollector } from "../core/validate.js";

/**
 * The per-call options every async method takes as its last argument (CallOptions,
 * BatchCallOptions), read once, own properties only (docs/contract.md §3), and checked.
 */

export interface ResolvedCall {
  readonly firstEvaluation: number;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((done: number, total: number) => void) | undefined;
}

type CallKey = "firstEvaluation" | "signal" | "onProgress";
const CALL_KEYS: readonly CallKey[] = ["signal", "onProgress"];
const BATCH_CALL_KEYS: readonly CallKey[] = ["firstEvaluation", "signal", "onProgress"];

/** Which method the options are for: a batch's also place it in a study (`firstEvaluation`). */
export type CallKind = "single" | "batch";

/**
 * `call` of an async method: undefined, or an object of the keys it takes (`firstEvaluation`
 * for a batch of `n` evaluations) and nothing else, each read once. Undefined after adding issues.
 */
export function resolveCall(call: unknown, n: number, kind: CallKind, issues: IssueCollector): ResolvedCall | undefined {
  if (call === undefined) return { firstEvaluation: 0, signal: undefined, onProgress: undefined };
  const keys = kind === "batch" ? BATCH_CALL_KEYS : CALL_KEYS;
  if (typeof call !== "object" || call === null || isArrayUnlessRevoked(call)) {
    issues.add("E_TYPE", "call", `expected { ${keys.map((k) => `${k}?`).join(", ")} }, got ${show(call)}`);
    return undefined;
  }
  const given = readKnownFields(call, keys, "call", issues);
  if (given === undefined) return undefined;
  const firstEvaluation = firstEvaluationOf(given.firstEvaluation, n, "call.firstEvaluation", issues);
  const { signal, onProgress } = given;
  if (signal !== undefined && !isAbortSignal(signal)) issues.add("E_TYPE", "call.signal", `expected an AbortSignal, got ${show(signal)}`);
  if (onProgress !== undefined && typeof onProgress !== "function") issues.add("E_TYPE", "call.onProgress", `expected a function, got ${show(onProgress)}`);
  if (firstEvaluation === undefined || !issues.empty) return undefined;
  return { firstEvaluation, signal: signal as AbortSignal | undefined, onProgress: onProgress as ResolvedCall["onProgress"] };
}

/**
 * A batch's study-wide first index: a safe integer ≥ 0 leaving room for `n` evaluations
 * (the Monte-Carlo streams are keyed by it). Undefined after adding an issue.
 */
export function firstEvaluationOf(value: unknown, n: number, path: string, issues: IssueCollector): number | undefined {
  if (value === undefined) return 0;
  if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) + n > Number.MAX_SAFE_INTEGER) {
    issues.add("E_RANGE", path, `expected an integer in [0, 2^53 - 1 - ${n}], got ${show(value)}`);
    return undefined;
  }
  return value as number;
}
