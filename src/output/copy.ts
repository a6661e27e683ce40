import { isKnownField, setField } from "../core/fields.js";
import type { DimensionScore } from "../core/types.js";

/**
 * A read of the caller's entry that threw while its extras were copied (a getter or Proxy trap);
 * `key` is the extra field being copied, "" when listing the entry's keys threw.
 */
export class ExtraFieldError extends Error {
  constructor(
    readonly key: string,
    readonly thrown: unknown,
  ) {
    super(`copying extra field "${key}" threw`);
  }
}

/**
 * Completes the output copy of one input entry (docs/contract.md §5: no output shares mutable state with
 * the input): `copy` already holds the four known fields as the validated snapshot has them,
 * and they are not read again. Every own enumerable extra of `entry` is read once and copied
 * into it, nested extras such as `contributing_questions` included — or, with `deep` false (an
 * entry of the package's own, isOwnedBatch), set as it is.
 * @throws ExtraFieldError when a getter or Proxy trap of the entry throws.
 */
export function copyExtras(entry: object, copy: DimensionScore, deep = true): void {
  let keys: string[];
  try {
    keys = Object.keys(entry);
  } catch (error) {
    throw new ExtraFieldError("", error);
  }
  const copies = new Map<object, unknown>();
  for (const key of keys) {
    if (isKnownField(key)) continue;
    try {
      if (!Object.hasOwn(entry, key)) continue;
      const value = (entry as Record<string, unknown>)[key];
      setField(copy as Record<string, unknown>, key, deep ? copyValue(value, copies) : value);
    } catch (error) {
      throw new ExtraFieldError(key, error);
    }
  }
}

/**
 * Arrays and plain objects copied with an explicit stack, so nesting of any depth neither
 * overflows the JS stack nor loses a field; other objects through structuredClone. Own
 * enumerable keys only, each value read once. `copies` maps each object already copied to its
 * copy, so cycles and shared parts keep their shape.
 */
function copyValue(value: unknown, copies: Map<object, unknown>): unknown {
  if (typeof value !== "object" || value === null) return value;
  const known = copies.get(value);
  if (known !== undefined) return known;
  const pending: Container[] = [];
  const root = shell(value, copies, pending);
  for (let job = pending.pop(); job !== undefined; job = pending.pop()) {
    for (const [key, item] of Object.entries(job.source)) {
      const copied = typeof item !== "object" || item === null ? item : (copies.get(item) ?? shell(item, copies, pending));
      setField(job.target, key, copied);
    }
  }
  return root;
}

/** A container whose fields are still to be copied. */
interface Container {
  readonly source: object;
  readonly target: Record<string, unknown>;
}

/** A fresh, empty array or plain object for `value` (queued to be filled), or a structuredClone of anything else. */
function shell(value: object, copies: Map<object, unknown>, pending: Container[]): unknown {
  const proto: unknown = Object.getPrototypeOf(value);
  let copy: unknown;
  if (Array.isArray(value) || proto === Object.prototype || proto === null) {
    const target = Array.isArray(value) ? [] : proto === null ? Object.create(null) : {};
    pending.push({ source: value, target: target as Record<string, unknown> });
    copy = target;
  } else {
    try {
      copy = structuredClone(value);
    } catch {
      // Not cloneable (it holds a function, say): that is the caller's object rather than data,
      // so the reference travels instead of the field being lost.
      copy = value;
    }
  }
  copies.set(value, copy);
  return copy;
}
