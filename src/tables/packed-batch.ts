import type { RowBatch } from "./rows.js";

/**
 * A batch of rows as one ArrayBuffer and a plain description of it, to move between threads:
 * the buffer is transferred (no copy on the way), and its sender may hand it back once read, to
 * pack a later batch into (memory touched once, not a fresh batch's worth each time).
 */
export interface PackedBatch {
  readonly buffer: ArrayBuffer;
  /** The batch with each typed array replaced by where it lies in `buffer`. */
  readonly shape: unknown;
}

/** Where a typed array lies in the buffer: `kind`'s constructor over `length` elements from `at`. */
interface ArrayPlace {
  readonly [PLACE]: ArrayKind;
  readonly at: number;
  readonly length: number;
}

/** The key that marks an ArrayPlace: never a field name of a batch. */
const PLACE = "\u0000array";

const KINDS = { Uint8Array, Int32Array, Float64Array } as const;
type ArrayKind = keyof typeof KINDS;
type PackedArray = InstanceType<(typeof KINDS)[ArrayKind]>;

/**
 * Copies the batch's arrays into one buffer (`spare` if it is large enough, else a new one), each
 * array once however many columns share it (a CSV chunk's bytes serve every text column). Its
 * other values (row numbers, `bad` maps of cells that are not numbers) are cloned with the message.
 */
export function packBatch(batch: RowBatch, spare: ArrayBuffer | undefined): PackedBatch {
  const places = new Map<PackedArray, ArrayPlace>();
  let bytes = 0;
  const shape = mapArrays(batch, (array) => {
    let place = places.get(array);
    if (place === undefined) {
      place = { [PLACE]: kindOf(array), at: bytes, length: array.length };
      places.set(array, place);
      // Each array starts 8-aligned, so that a Float64Array can be viewed where it lies.
      bytes += Math.ceil(array.byteLength / 8) * 8;
    }
    return place;
  });
  const buffer = spare !== undefined && spare.byteLength >= bytes ? spare : new ArrayBuffer(Math.max(bytes, 8));
  const target = new Uint8Array(buffer);
  for (const [array, place] of places) target.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), place.at);
  return { buffer, shape };
}

/** The batch a PackedBatch holds, its arrays views of the buffer. */
export function unpackBatch(packed: PackedBatch): RowBatch {
  return unpack(packed.shape, packed.buffer) as RowBatch;
}

/** `value` with every typed array in it replaced by what `place` makes of it (plain objects and arrays walked). */
function mapArrays(value: unknown, place: (array: PackedArray) => ArrayPlace): unknown {
  if (ArrayBuffer.isView(value)) return place(value as PackedArray);
  if (Array.isArray(value)) return value.map((item) => mapArrays(item, place));
  if (value === null || typeof value !== "object" || value instanceof Map) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapArrays(item, place)]));
}

function unpack(value: unknown, buffer: ArrayBuffer): unknown {
  if (Array.isArray(value)) return value.map((item) => unpack(item, buffer));
  if (value === null || typeof value !== "object" || value instanceof Map) return value;
  if (PLACE in value) {
    const { [PLACE]: kind, at, length } = value as ArrayPlace;
    return new KINDS[kind](buffer, at, length);
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unpack(item, buffer)]));
}

function kindOf(array: ArrayBufferView): ArrayKind {
  for (const kind of Object.keys(KINDS) as ArrayKind[]) if (array instanceof KINDS[kind]) return kind;
  // Readers give text as bytes, positions as Int32Array and numbers as Float64Array; anything else is a reader's bug.
  throw new TypeError(`a row batch holds a ${array.constructor.name}, which packBatch does not move`);
}
