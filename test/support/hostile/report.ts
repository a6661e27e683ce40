/** What one case found: the failures of the trust boundary's invariants, on which backend, in plain words. */
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
