import { ARROW_TYPE, type ArrowData, type ArrowField, type ArrowType } from "./arrow-batches.js";

/**
 * Arrow's C data interface (ArrowSchema, ArrowArray) as parquet-wasm leaves it in its wasm32
 * memory, read without apache-arrow and without an IPC copy: each buffer a column needs is copied
 * out once into the typed array arrowRows reads, so nothing points into the wasm memory, which
 * the next read may grow (detaching every view of it) or reuse.
 */

/** Byte offsets of the structs' fields on wasm32 (4-byte pointers, 8-byte-aligned int64s). */
const SCHEMA = { format: 0, name: 4, children: 24, childList: 32, dictionary: 36 } as const;
const ARRAY = { length: 0, nullCount: 8, offset: 16, children: 32, buffers: 40, childList: 44, dictionary: 48 } as const;

/** A typed array over copied bytes, and its element's width in bytes. */
interface Numbers {
  readonly width: number;
  readonly of: (bytes: Uint8Array) => ArrowData["values"];
}
type TypedArrayClass = { readonly BYTES_PER_ELEMENT: number; new (buffer: ArrayBuffer, start: number, length: number): ArrowData["values"] };
const numbers = (array: TypedArrayClass): Numbers => ({
  width: array.BYTES_PER_ELEMENT,
  of: (bytes) => new array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / array.BYTES_PER_ELEMENT),
});

/** The types a column of ours may have: the plan key's, text's and numbers'. */
const TEXT: Readonly<Record<string, FfiType>> = {
  u: { typeId: ARROW_TYPE.UTF8, offsets: numbers(Int32Array), toString: () => "Utf8" },
  U: { typeId: ARROW_TYPE.LARGE_UTF8, offsets: numbers(BigInt64Array), toString: () => "LargeUtf8" },
};
const NUMBER: Readonly<Record<string, FfiType>> = {
  g: { typeId: ARROW_TYPE.FLOAT, precision: 2, values: numbers(Float64Array), toString: () => "Float64" },
  f: { typeId: ARROW_TYPE.FLOAT, precision: 1, values: numbers(Float32Array), toString: () => "Float32" },
  c: { typeId: ARROW_TYPE.INT, bitWidth: 8, values: numbers(Int8Array), toString: () => "Int8" },
  C: { typeId: ARROW_TYPE.INT, bitWidth: 8, values: numbers(Uint8Array), toString: () => "Uint8" },
  s: { typeId: ARROW_TYPE.INT, bitWidth: 16, values: numbers(Int16Array), toString: () => "Int16" },
  S: { typeId: ARROW_TYPE.INT, bitWidth: 16, values: numbers(Uint16Array), toString: () => "Uint16" },
  i: { typeId: ARROW_TYPE.INT, bitWidth: 32, values: numbers(Int32Array), toString: () => "Int32" },
  I: { typeId: ARROW_TYPE.INT, bitWidth: 32, values: numbers(Uint32Array), toString: () => "Uint32" },
  l: { typeId: ARROW_TYPE.INT, bitWidth: 64, values: numbers(BigInt64Array), toString: () => "Int64" },
  L: { typeId: ARROW_TYPE.INT, bitWidth: 64, values: numbers(BigUint64Array), toString: () => "Uint64" },
};
/** Names for the messages of a few types no column of ours takes (any other is named by its format string). */
const OTHER_NAMES: Readonly<Record<string, string>> = { n: "Null", b: "Bool", e: "Float16", z: "Binary", Z: "LargeBinary" };

/** A field's type, with what reading its buffers needs. */
interface FfiType extends ArrowType {
  /** Text: its offsets' type. */
  readonly offsets?: Numbers;
  /** Numbers, or a dictionary's indices: their type. */
  readonly values?: Numbers;
  readonly dictionary?: FfiType;
}

const utf8 = new TextDecoder();

/**
 * Where a reader's copies go, one buffer per copy of a batch, reused batch after batch (a batch
 * is read before the next is pulled, as the CSV reader's): fresh buffers for every row group cost
 * more in page faults and garbage collection than the copies themselves. A batch's buffers may
 * instead leave with it (`handOver`, to another thread) and come back later (`giveBack`).
 */
export class CopyBuffers {
  #buffers: (ArrayBuffer | undefined)[] = [];
  #next = 0;

  /** A new batch: its copies reuse the last batch's buffers, in the same order. */
  rewind(): void {
    this.#next = 0;
  }

  take(length: number): Uint8Array {
    const at = this.#next++;
    const buffer = this.#buffers[at];
    if (buffer !== undefined && buffer.byteLength >= length) return new Uint8Array(buffer, 0, length);
    // Aligned for any typed array; a little room, so a slightly larger row group does not reallocate.
    const fresh = new ArrayBuffer(Math.ceil((length * 1.125) / 8) * 8);
    this.#buffers[at] = fresh;
    return new Uint8Array(fresh, 0, length);
  }

  /** The batch's buffers, in copy order, given up: the next batch takes new ones, or those given back. */
  handOver(): ArrayBuffer[] {
    const taken = this.#buffers.slice(0, this.#next).filter((buffer) => buffer !== undefined);
    this.#buffers = this.#buffers.map((buffer, at) => (at < this.#next ? undefined : buffer));
    return taken;
  }

  /** Buffers an earlier batch handed over, done with: they fill the empty places, in order (so sizes line up). */
  giveBack(buffers: readonly ArrayBuffer[]): void {
    let next = 0;
    for (let at = 0; at < this.#buffers.length && next < buffers.length; at++) if (this.#buffers[at] === undefined) this.#buffers[at] = buffers[next++];
    this.#buffers.push(...buffers.slice(next));
  }
}

/** The wasm memory as it is now (take a new one after any call into the module); copies go to `into`. */
class Memory {
  readonly #view: DataView;
  readonly #bytes: Uint8Array;
  readonly #into: CopyBuffers | undefined;

  constructor(buffer: ArrayBuffer, into?: CopyBuffers) {
    this.#view = new DataView(buffer);
    this.#bytes = new Uint8Array(buffer);
    this.#into = into;
  }

  pointer(at: number): number {
    return this.#view.getUint32(at, true);
  }

  /** An int64 field (a length or count: well below 2^53). */
  int(at: number): number {
    return Number(this.#view.getBigInt64(at, true));
  }

  text(at: number): string {
    const end = this.#bytes.indexOf(0, at);
    return utf8.decode(this.#bytes.subarray(at, end < 0 ? at : end));
  }

  /** `length` bytes at `at`, copied out (to an 8-byte-aligned start). */
  copy(at: number, length: number): Uint8Array {
    if (length === 0) return new Uint8Array(0);
    if (at === 0 || at + length > this.#bytes.length) throw new RangeError(`a buffer of ${length} bytes at ${at} is outside the wasm memory`);
    const copy = this.#into!.take(length);
    copy.set(this.#bytes.subarray(at, at + length));
    return copy;
  }
}

/** The columns of a struct schema (a record batch's or a file's). */
export function ffiFields(buffer: ArrayBuffer, schema: number): ArrowField[] {
  const memory = new Memory(buffer);
  return children(memory, schema, SCHEMA.children, SCHEMA.childList).map((field) => ({ name: memory.text(memory.pointer(field + SCHEMA.name)), type: typeOf(memory, field) }));
}

/** A record batch (a struct array) as one ArrowData per column of `fields`, its buffers copied `into`. */
export function ffiColumns(buffer: ArrayBuffer, fields: readonly ArrowField[], array: number, into: CopyBuffers): { readonly rows: number; readonly columns: ArrowData[] } {
  const memory = new Memory(buffer, into);
  const rows = memory.int(array + ARRAY.length);
  const offset = memory.int(array + ARRAY.offset);
  const columns = children(memory, array, ARRAY.children, ARRAY.childList);
  if (columns.length !== fields.length) throw new RangeError(`${columns.length} arrays for ${fields.length} fields`);
  return { rows, columns: columns.map((column, c) => dataOf(memory, fields[c]!.type as FfiType, column, offset, rows)) };
}

/** The pointers of a struct's children (`count` is the int64 n_children, `list` the children pointer). */
function children(memory: Memory, struct: number, count: number, list: number): number[] {
  const first = memory.pointer(struct + list);
  return Array.from({ length: memory.int(struct + count) }, (_, c) => memory.pointer(first + 4 * c));
}

function typeOf(memory: Memory, schema: number): FfiType {
  const format = memory.text(memory.pointer(schema + SCHEMA.format));
  const dictionary = memory.pointer(schema + SCHEMA.dictionary);
  const plain: FfiType = TEXT[format] ?? NUMBER[format] ?? { typeId: ARROW_TYPE.NONE, toString: () => OTHER_NAMES[format] ?? `Arrow type "${format}"` };
  if (dictionary === 0) return plain;
  const words = typeOf(memory, dictionary);
  // The indices are integers; a dictionary is text only when its words are (arrowLayout checks).
  return { typeId: ARROW_TYPE.DICTIONARY, dictionary: words, ...(plain.values && { values: plain.values }), toString: () => `Dictionary<${String(plain)}, ${String(words)}>` };
}

/** One column's ArrowData: rows [parentOffset + its own offset, … + rows) of its buffers. */
function dataOf(memory: Memory, type: FfiType, array: number, parentOffset: number, rows: number): ArrowData {
  const offset = parentOffset + memory.int(array + ARRAY.offset);
  const nullCount = memory.int(array + ARRAY.nullCount);
  const buffers = memory.pointer(array + ARRAY.buffers);
  const buffer = (b: number) => memory.pointer(buffers + 4 * b);
  const end = offset + rows;
  const nullBitmap = nullCount !== 0 && buffer(0) !== 0 ? memory.copy(buffer(0), Math.ceil(end / 8)) : undefined;
  // A null count of -1 (not computed) with a bitmap counts as some nulls: arrowRows then reads the bitmap.
  const base = { type, length: rows, offset, nullCount: nullBitmap === undefined ? 0 : Math.max(nullCount, 1), nullBitmap };
  if (type.offsets !== undefined) {
    const offsets = type.offsets.of(memory.copy(buffer(1), (end + 1) * type.offsets.width));
    const bytes = memory.copy(buffer(2), Number(offsets[end]!));
    return { ...base, values: bytes, valueOffsets: offsets };
  }
  if (type.values === undefined) throw new RangeError(`a column of ${String(type)} is not read here`);
  const values = type.values.of(memory.copy(buffer(1), end * type.values.width));
  if (type.typeId !== ARROW_TYPE.DICTIONARY) return { ...base, values };
  const words = memory.pointer(array + ARRAY.dictionary);
  const wordCount = memory.int(words + ARRAY.length);
  return { ...base, values, dictionary: { data: [dataOf(memory, type.dictionary!, words, 0, wordCount)] } };
}
