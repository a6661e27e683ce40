/**
 * Sets an own, enumerable field on an object being built. Assignment is the fast path; only
 * "__proto__", the one key whose assignment would call Object.prototype's setter instead, is
 * defined, so it stays an ordinary field. (Defining every key instead turns arrays into slow
 * dictionary arrays: a third of the CLI's time on plans with nested extras.)
 */
export function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Whether `key` is one of a dimension score's four known fields (any other is an extra, copied as it is). */
export function isKnownField(key: string): boolean {
  return key === "areaId" || key === "dimensionId" || key === "score" || key === "scoreStd";
}
