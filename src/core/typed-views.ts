import { types } from "node:util";
import { newSharedBuffer } from "./shared-memory.js";

/**
 * Typed-array shapes as the engine knows them (docs/contract.md §3: "a typed array's length, offset and
 * buffer are what the engine says"). The accessors are the intrinsic getters, captured when
 * this module loads: an own `length` property on an array, or a getter redefined later on a
 * prototype, changes nothing here. `node:util` `types` predicates read the engine's internal
 * tags, so they cannot be spoofed either.
 */

type Getter<T, R> = (self: T) => R;

/** `fn` called with `this` = its first argument, immune to a later patch of Function.prototype.call. */
const uncurryThis = Function.prototype.bind.bind(Function.prototype.call) as <T, A extends unknown[], R>(
  fn: (this: T, ...args: A) => R,
) => (self: T, ...args: A) => R;

const TypedArrayPrototype = Object.getPrototypeOf(Float64Array.prototype) as object;

function intrinsicGetter<T, R>(prototype: object, key: string): Getter<T, R> {
  return uncurryThis(Object.getOwnPropertyDescriptor(prototype, key)!.get as (this: T) => R);
}

const lengthOf: Getter<ArrayBufferView, number> = intrinsicGetter(TypedArrayPrototype, "length");
const byteOffsetOf: Getter<ArrayBufferView, number> = intrinsicGetter(TypedArrayPrototype, "byteOffset");
const byteLengthOf: Getter<ArrayBufferView, number> = intrinsicGetter(TypedArrayPrototype, "byteLength");
const bufferOf: Getter<ArrayBufferView, ArrayBufferLike> = intrinsicGetter(TypedArrayPrototype, "buffer");
const bufferByteLengthOf: Getter<ArrayBuffer, number> = intrinsicGetter(ArrayBuffer.prototype, "byteLength");
const tagOf = uncurryThis(Object.getOwnPropertyDescriptor(TypedArrayPrototype, Symbol.toStringTag)!.get as (this: unknown) => string | undefined);
const setFrom = uncurryThis(Float64Array.prototype.set as (this: Float64Array | Uint8Array, source: ArrayLike<number>, offset?: number) => void);
const fillWith = uncurryThis(Float64Array.prototype.fill as (this: Float64Array, value: number) => Float64Array);
const { isFloat64Array, isUint8Array, isSharedArrayBuffer } = types;
const Float64ArrayCtor = Float64Array;
const Uint8ArrayCtor = Uint8Array;

export { isFloat64Array, isUint8Array };

/** "Float32Array" for a typed array (its engine tag), undefined for anything else. */
export function typedArrayName(value: unknown): string | undefined {
  return tagOf(value);
}

/** The length the engine gives (0 for a detached or out-of-bounds view). */
export function viewLength(view: Float64Array | Uint8Array): number {
  return lengthOf(view);
}

/**
 * A fresh fixed-length view of what `view` shows now: the kernels get this, never the caller's
 * object, so nothing the caller attached to that object is read again and a growing buffer
 * cannot change the length between the checks and the kernel.
 */
export function fixedView<T extends Float64Array | Uint8Array>(view: T): T {
  const Ctor = isUint8Array(view) ? Uint8ArrayCtor : Float64ArrayCtor;
  return new Ctor(bufferOf(view) as ArrayBuffer, byteOffsetOf(view), lengthOf(view)) as T;
}

/**
 * Whether the view's buffer has been detached (transferred): its memory is gone. Only a detached
 * or empty ArrayBuffer has no bytes, and only a detached one refuses even an empty view.
 */
export function isDetached(view: ArrayBufferView): boolean {
  const buffer = bufferOf(view);
  if (isSharedArrayBuffer(buffer) || bufferByteLengthOf(buffer as ArrayBuffer) !== 0) return false;
  try {
    new Uint8ArrayCtor(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

/** Whether the view's memory is a SharedArrayBuffer (which no transfer detaches, no resize shrinks). */
export function isShared(view: ArrayBufferView): boolean {
  return isSharedArrayBuffer(bufferOf(view));
}

/** Views that share bytes of one buffer object (distinct SharedArrayBuffer objects over one memory are not seen here). */
export function overlap(a: ArrayBufferView, b: ArrayBufferView): boolean {
  const aLength = byteLengthOf(a), bLength = byteLengthOf(b);
  if (bufferOf(a) !== bufferOf(b) || aLength === 0 || bLength === 0) return false;
  const aOffset = byteOffsetOf(a), bOffset = byteOffsetOf(b);
  return aOffset < bOffset + bLength && bOffset < aOffset + aLength;
}

/** A Float64Array over a new SharedArrayBuffer: memory native may use in place in an async call. */
export function sharedFloat64(length: number): Float64Array {
  return new Float64ArrayCtor(newSharedBuffer(length * Float64ArrayCtor.BYTES_PER_ELEMENT));
}

/** A Uint8Array over a new SharedArrayBuffer. */
export function sharedUint8(length: number): Uint8Array {
  return new Uint8ArrayCtor(newSharedBuffer(length));
}

/** `source` read once into fresh SharedArrayBuffer memory of the package's own. */
export function privateCopy(source: Float64Array): Float64Array {
  const copy = sharedFloat64(lengthOf(source));
  setFrom(copy, source);
  return copy;
}

/** `target.set(source)` through the intrinsic. */
export function copyInto(target: Float64Array | Uint8Array, source: Float64Array | Uint8Array): void {
  setFrom(target, source);
}

/** `target.fill(value)` through the intrinsic. */
export function fillFloat64(target: Float64Array, value: number): void {
  fillWith(target, value);
}
