import { types } from "node:util";
import { show, type IssueCollector } from "./validate.js";

/**
 * Reading the caller's objects (docs/contract.md §3, "What counts as the caller's data"): own properties
 * only, each read once by the caller of these helpers, and a read that throws named in a coded
 * issue rather than escaping as the caller's raw exception.
 */

// Captured at load: a later patch of Reflect changes nothing here.
const ownKeysOf = Reflect.ownKeys;
const ownDescriptor = Reflect.getOwnPropertyDescriptor;
const call = Reflect.apply;

/**
 * An own property's value, read once; undefined when `key` is not own (inherited, a hole, or
 * deleted by an earlier getter), so a polluted prototype supplies nothing. A Proxy is asked once,
 * for the property's descriptor: its value is the read (a getter in it runs once), so a trap
 * cannot say one thing to the own-check and another to the read.
 */
export function ownValue(target: object, key: PropertyKey): unknown {
  if (types.isProxy(target)) return descriptorValue(target, Reflect.getOwnPropertyDescriptor(target, key));
  return Object.hasOwn(target, key) ? (target as Record<PropertyKey, unknown>)[key] : undefined;
}

/**
 * Whether a plain read of an array element, or of a field named in `fields` of an object whose
 * prototype is Object.prototype, could return an inherited value: Array.prototype or
 * Object.prototype has an enumerable property (elements and fields set by assignment, the usual
 * pollution; for…in over Array.prototype sees both), or Object.prototype has one of `fields`.
 * While it is false such reads are own reads, and the per-field own check can be skipped.
 */
export function prototypesSupply(fields: readonly string[]): boolean {
  for (const _ in Array.prototype) return true;
  const shared = Object.prototype;
  for (const field of fields) if (field in shared) return true;
  return false;
}

/** A property's value from its descriptor: the data value, or its getter run once. */
export function descriptorValue(target: object, descriptor: PropertyDescriptor | undefined): unknown {
  if (descriptor === undefined) return undefined;
  return "value" in descriptor ? descriptor.value : descriptor.get === undefined ? undefined : call(descriptor.get, target, []);
}

/**
 * The message of an issue for a read that threw (a getter or Proxy trap): `what` was being done,
 * and what was thrown. The issue's path says what was being read.
 */
export function threw(what: string, error: unknown): string {
  return `${what} threw ${describeThrown(error)}`;
}

/** What was thrown, without running more of the caller's code than a name and a message. */
function describeThrown(error: unknown): string {
  try {
    if (error instanceof Error) return `${String(error.name)}: ${String(error.message)}`;
    return typeof error === "object" && error !== null ? "an object" : show(error);
  } catch {
    return "a value that cannot be described";
  }
}

/** What `readOwnFields` read. */
export interface OwnFields<K extends string> {
  /** Each known key's own value, read once; undefined when the key is not own. */
  readonly values: Record<K, unknown>;
  /** The object's other own enumerable string keys, in its order. */
  readonly unknown: readonly string[];
}

/**
 * The own properties `keys` of a caller's options-like object (an option bag, columns, call
 * options), each read once, and its other own enumerable keys. Inherited properties are not data
 * (docs/contract.md §3); each own property's descriptor is asked for once, so a getter runs once and a Proxy
 * answers one trap per key. Throws what the object throws (a getter, a trap, a revoked Proxy):
 * the caller turns that into its own coded error.
 */
export function readOwnFields<K extends string>(object: object, keys: readonly K[]): OwnFields<K> {
  const values = Object.create(null) as Record<K, unknown>;
  const unknown: string[] = [];
  for (const key of ownKeysOf(object)) {
    if (typeof key !== "string") continue;
    const descriptor = ownDescriptor(object, key);
    if (descriptor === undefined) continue;
    if ((keys as readonly string[]).includes(key)) {
      values[key as K] = descriptorValue(object, descriptor);
    } else if (descriptor.enumerable === true) {
      unknown.push(key);
    }
  }
  return { values, unknown };
}

/**
 * `readOwnFields` of a caller's object, with an E_TYPE issue for every other own enumerable key;
 * undefined, after an E_TYPE issue at `path`, when reading throws (a getter, a Proxy trap, a
 * revoked Proxy).
 */
export function readKnownFields<K extends string>(object: object, keys: readonly K[], path: string, issues: IssueCollector): Record<K, unknown> | undefined {
  let fields: OwnFields<K>;
  try {
    fields = readOwnFields(object, keys);
  } catch (error) {
    issues.add("E_TYPE", path, threw("reading it", error));
    return undefined;
  }
  for (const key of fields.unknown) issues.add("E_TYPE", path ? `${path}.${key}` : key, `unknown key ${show(key)}; expected ${keys.join(", ")}`);
  return fields.values;
}
