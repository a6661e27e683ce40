/**
 * Batches the package built itself from data it parsed itself (the CLI's evaluations, from its
 * own JSON.parse): no caller holds their entries, so the results may take the entries' extras as
 * they are instead of deep copies (docs/contract.md §5 asks that outputs share nothing with the *caller's*
 * input). The CLI serialises each result and drops it; deep-copying the extras a plan carries
 * (`contributing_questions`, say) was a fifth of its time. Not exported from the package: a
 * caller's batch can never be in here.
 */
const owned = new WeakSet<object>();

/** Marks `batch`, built by the package from its own parse, as nobody else's; returns it. */
export function ownedBatch<T extends object>(batch: T): T {
  owned.add(batch);
  return batch;
}

/** Whether `batch` was marked by `ownedBatch`. */
export function isOwnedBatch(batch: unknown): boolean {
  return typeof batch === "object" && batch !== null && owned.has(batch);
}
