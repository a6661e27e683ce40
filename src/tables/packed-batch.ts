import type { RowBatch } from "./rows.js";

/**
 * A batch of rows as a few ArrayBuffers and a plain description of it, to move between threads:
 * the buffers are transferred (no copy on the way), and their receiver hands them back once the
 * batch is read, to pack a later batch into (memory touched once, not a fresh batch's worth
 * each time).
 */
export interface PackedBatch {
  /** The first holds the arrays copied; the others were a reader's own, moved whole (`BufferOwner`). */
  readonly buffers: readonly ArrayBuffer[];
  /** The batch with each typed array replaced by where it lies in `buffers`. */
  readonly shape: unknown;
}

/** A reader whose batches lie in buffers of its own, which it can give up for a while (arrow-ffi's CopyBuffers). */
export interface BufferOwner {
  /** The buffers of the batch just read, given up. */
  handOver(): ArrayBuffer[];
}

/** Where a typed array lies: `kind`'s constructor over `length` elements of `buffers[buffer]` from byte `at`. */
interface ArrayPlace {
  readonly [PLACE]: ArrayKind;
  readonly buffer: number;
  readonly at: number;
  readonly length: number;
}

/** The key that marks an ArrayPlace: never a field name of a batch. */
const PLACE = "\u0000array";

const KINDS = { Uint8Array, Int8Array, Int32Array, Float64Array } as const;
type ArrayKind = keyof typeof KINDS;
type PackedArray = InstanceType<(typeof KINDS)[ArrayKind]>;

/**
 * The batch packed: arrays in the buffers `owner` hands over stay where they are (those buffers
 * move), the others are copied into one buffer (`spare` if it is large enough, else a new one),
 * each once however many columns share it (a CSV chunk's bytes serve every text column). Other
 * values (row numbers, `bad` maps of cells that are not numbers) are cloned with the message.
 */
export function packBatch(batch: RowBatch, spare: ArrayBuffer | undefined, owner?: BufferOwner): PackedBatch {
  const moved = owner?.handOver() ?? [];
  const places = new Map<PackedArray, ArrayPlace>();
  let bytes = 0;
  const shape = mapArrays(batch, (array) => {
    let place = places.get(array);
    if (place !== undefined) return place;
    const own = moved.indexOf(array.buffer as ArrayBuffer);
    if (own >= 0) place = { [PLACE]: kindOf(array), buffer: own + 1, at: array.byteOffset, length: array.length };
    else {
      place = { [PLACE]: kindOf(array), buffer: 0, at: bytes, length: array.length };
      // Each array starts 8-aligned, so that a Float64Array can be viewed where it lies.
      bytes += Math.ceil(array.byteLength / 8) * 8;
    }
    places.set(array, place);
    return place;
  });
  const copied = spare !== undefined && spare.byteLength >= bytes ? spare : new ArrayBuffer(Math.max(bytes, 8));
  const target = new Uint8Array(copied);
  for (const [array, place] of places) {
    if (place.buffer === 0) target.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), place.at);
  }
  return { buffers: [copied, ...moved], shape };
}

/** The batch a PackedBatch holds, its arrays views of the buffers. */
export function unpackBatch(packed: PackedBatch): RowBatch {
  return unpack(packed.shape, packed.buffers) as RowBatch;
}

/** `value` with every typed array in it replaced by what `place` makes of it (plain objects and arrays walked). */
function mapArrays(value: unknown, place: (array: PackedArray) => ArrayPlace): unknown {
  if (ArrayBuffer.isView(value)) return place(value as PackedArray);
  if (Array.isArray(value)) return value.map((item) => mapArrays(item, place));
  if (value === null || typeof value !== "object" || value instanceof Map) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapArrays(item, place)]));
}

function unpack(value: unknown, buffers: readonly ArrayBuffer[]): unknown {
  if (Array.isArray(value)) return value.map((item) => unpack(item, buffers));
  if (value === null || typeof value !== "object" || value instanceof Map) return value;
  if (PLACE in value) {
    const { [PLACE]: kind, buffer, at, length } = value as ArrayPlace;
    return new KINDS[kind](buffers[buffer]!, at, length);
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unpack(item, buffers)]));
}

function kindOf(array: ArrayBufferView): ArrayKind {
  for (const kind of Object.keys(KINDS) as ArrayKind[]) if (array instanceof KINDS[kind]) return kind;
  // Readers give text as bytes, positions as Int32Array, numbers as Float64Array and row ids as Int8Array; anything else is a reader's bug.
  throw new TypeError(`a row batch holds a ${array.constructor.name}, which packBatch does not move`);
}
