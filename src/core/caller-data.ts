import { types } from "node:util";
import { show } from "./validate.js";

/**
 * Reading the caller's objects (docs/contract.md §3, "What counts as the caller's data"): own properties
 * only, each read once by the caller of these helpers, and a read that throws named in a coded
 * issue rather than escaping as the caller's raw exception.
 */

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

/** A property's value from its descriptor: the data value, or its getter run once. */
export function descriptorValue(target: object, descriptor: PropertyDescriptor | undefined): unknown {
  if (descriptor === undefined) return undefined;
  return "value" in descriptor ? descriptor.value : descriptor.get === undefined ? undefined : Reflect.apply(descriptor.get, target, []);
}

/**
 * The message of an issue for a read that threw (a getter or Proxy trap): `what` was being done,
 * and what was thrown. The path says what was being read.
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
