import type { TextCodec } from "./text-codec.js";
import { isNull, type NullMask, type TextColumn } from "./rows.js";

/**
 * Plan keys, as the bytes a table holds them in (UTF-8 text, or an integer's 8 bytes), each
 * numbered by first appearance: that number is the plan's index in the study, which keys its
 * Monte-Carlo streams, so it is the same whatever the file format. Keys are hashed from their
 * bytes and kept in one byte arena: a row costs no string, and a key seen once costs its bytes
 * plus 12 (arena offsets and a hash slot), kept for the whole run so a key that comes back
 * after its plan was closed is recognised.
 */
export class KeyIndex {
  #arena = new Uint8Array(1 << 16);
  #used = 0;
  /** Key k's bytes are #arena[#starts[k], #starts[k + 1]). */
  #starts = new Int32Array(1 << 12);
  #count = 0;
  /** Open addressing: key + 1 per slot, 0 for empty; a power of two, at most half full. */
  #slots = new Int32Array(1 << 13);

  /** The index of the key `bytes[start, end)`, a new one (the next integer) if it was never seen. */
  indexOf(bytes: Uint8Array, start: number, end: number): number {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let at = hashBytes(bytes, start, end) & mask;
    for (let entry = slots[at]!; entry !== 0; entry = slots[at]!) {
      if (this.#equals(entry - 1, bytes, start, end)) return entry - 1;
      at = (at + 1) & mask;
    }
    // Only when making room rehashed the slots is the new key's place looked for again.
    if (this.#makeRoom(end - start)) at = this.#emptySlot(bytes, start, end);
    const key = this.#add(bytes, start, end);
    this.#slots[at] = key + 1;
    return key;
  }

  /**
   * Each of the first `rows` rows' key index into `plans` (-1 where the key is null), new keys
   * numbered in row order: by `codec.indexKeys` over this index's own arrays when the codec has
   * it (the table grown here whenever it stops for room), else here a row at a time.
   */
  indexAll(column: TextColumn, rows: number, plans: Int32Array, codec: TextCodec): void {
    const index = codec.indexKeys;
    if (index === undefined) {
      for (let r = 0; r < rows; r++) plans[r] = isNull(column.nulls, r) ? -1 : this.indexOf(column.bytes, column.starts[r]!, column.ends[r]!);
      return;
    }
    const starts = int32Cells(column.starts, rows, column.nulls);
    const ends = int32Cells(column.ends, rows, undefined);
    const state = Int32Array.of(0, this.#count, this.#used);
    for (;;) {
      index(column.bytes, starts, ends, plans.subarray(0, rows), { arena: this.#arena, keyStarts: this.#starts, slots: this.#slots }, state);
      this.#count = state[1]!;
      this.#used = state[2]!;
      const r = state[0]!;
      if (r === rows) return;
      // Stopped before a new key the table had no room for.
      this.#makeRoom(ends[r]! - starts[r]!);
    }
  }

  /** Key `key`'s bytes (a view of the arena: valid until the next new key). */
  bytesOf(key: number): Uint8Array {
    return this.#arena.subarray(this.#starts[key]!, this.#starts[key + 1]!);
  }

  /** Keys [from, to): their bytes (a view of the arena: valid until the next new key) and where each starts in them. */
  rangeOf(from: number, to: number): KeyRange {
    return { bytes: this.#arena, starts: this.#starts.subarray(from, to + 1) };
  }

  #equals(key: number, bytes: Uint8Array, start: number, end: number): boolean {
    const from = this.#starts[key]!;
    const length = this.#starts[key + 1]! - from;
    if (length !== end - start) return false;
    const arena = this.#arena;
    for (let i = 0; i < length; i++) if (arena[from + i] !== bytes[start + i]) return false;
    return true;
  }

  /** Adds the key (room made already); returns its index. */
  #add(bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    this.#arena.set(bytes.subarray(start, end), this.#used);
    this.#used += length;
    const key = this.#count++;
    this.#starts[key + 1] = this.#used;
    return key;
  }

  /** Room for one more key of `length` bytes: its bytes in the arena, its start, and slots left at most half full. True when the slots were rehashed. */
  #makeRoom(length: number): boolean {
    if (this.#used + length > this.#arena.length) this.#arena = grown(this.#arena, this.#used + length);
    if (this.#count + 2 > this.#starts.length) this.#starts = grown(this.#starts, this.#count + 2);
    if ((this.#count + 1) * 2 <= this.#slots.length) return false;
    this.#rehash();
    return true;
  }

  /** The first empty slot on the key's probe path. */
  #emptySlot(bytes: Uint8Array, start: number, end: number): number {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let at = hashBytes(bytes, start, end) & mask;
    while (slots[at] !== 0) at = (at + 1) & mask;
    return at;
  }

  #rehash(): void {
    this.#slots = new Int32Array(this.#slots.length * 2);
    for (let key = 0; key < this.#count; key++) this.#slots[this.#emptySlot(this.#arena, this.#starts[key]!, this.#starts[key + 1]!)] = key + 1;
  }
}

/** Consecutive keys: key i of the range is `bytes[starts[i], starts[i + 1])`. */
export interface KeyRange {
  readonly bytes: Uint8Array;
  readonly starts: Int32Array;
}

/**
 * FNV-1a over the bytes, then a final mix so that keys differing only at the end spread over the
 * low bits; native/key_index.cc's HashKey is the same function bit for bit (they share the table).
 */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

/** The first `rows` positions as an Int32Array (the reader's own when it is one), -1 where `nulls` has a null. */
function int32Cells(positions: ArrayLike<number>, rows: number, nulls: NullMask | undefined): Int32Array {
  if (positions instanceof Int32Array && positions.length === rows && nulls === undefined) return positions;
  const cells = new Int32Array(rows);
  for (let r = 0; r < rows; r++) cells[r] = isNull(nulls, r) ? -1 : positions[r]!;
  return cells;
}

/** A copy of `array` at least `needed` long (doubling). */
function grown<T extends Uint8Array | Int32Array>(array: T, needed: number): T {
  let length = array.length * 2;
  while (length < needed) length *= 2;
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array);
  return copy;
}
