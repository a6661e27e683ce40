import { setField } from "../core/fields.js";
import type { DimensionScore } from "../core/types.js";

/**
 * Copies of the caller's entries, so that no output shares mutable state with the input or
 * with another output (SPEC §3) — nested extras such as `contributing_questions` included.
 * This runs 60 times per plan: an entry holding only the four known fields is rebuilt as a
 * literal (cheaper than a spread); anything else takes the general path.
 */
export function copyEntry(entry: DimensionScore): DimensionScore {
  for (const key in entry) {
    if (key !== "areaId" && key !== "dimensionId" && key !== "score" && key !== "scoreStd") return copyWithExtras(entry);
  }
  return knownFields(entry);
}

/** The four known fields as read; `scoreStd` only when the entry has one. */
function knownFields(entry: DimensionScore): DimensionScore {
  const { areaId, dimensionId, score, scoreStd } = entry;
  return scoreStd === undefined ? { areaId, dimensionId, score } : { areaId, dimensionId, score, scoreStd };
}

/** The known fields as read, then every own enumerable extra, object values copied deeply. */
function copyWithExtras(entry: DimensionScore): DimensionScore {
  const copy = knownFields(entry) as Record<string, unknown>;
  const copies = new Map<object, unknown>();
  for (const [key, value] of Object.entries(entry)) {
    if (!Object.hasOwn(copy, key)) setField(copy, key, copyValue(value, copies));
  }
  return copy as DimensionScore;
}

/**
 * Arrays and plain objects copied recursively, other objects through structuredClone.
 * `copies` maps each object already copied to its copy, so cycles and shared parts keep their
 * shape instead of recursing forever.
 */
function copyValue(value: unknown, copies: Map<object, unknown>): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (copies.has(value)) return copies.get(value);
  const proto: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value) || proto === Object.prototype || proto === null) {
    const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : proto === null ? Object.create(null) : {};
    copies.set(value, copy);
    for (const [key, item] of Object.entries(value)) setField(copy as Record<string, unknown>, key, copyValue(item, copies));
    return copy;
  }
  let copy: unknown;
  try {
    copy = structuredClone(value);
  } catch {
    // Not cloneable (it holds a function, say): that is the caller's object rather than data,
    // so the reference travels instead of the field being lost.
    copy = value;
  }
  copies.set(value, copy);
  return copy;
}
