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

  get size(): number {
    return this.#count;
  }

  /** The index of the key `bytes[start, end)`, a new one (the next integer) if it was never seen. */
  indexOf(bytes: Uint8Array, start: number, end: number): number {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let at = hashBytes(bytes, start, end) & mask;
    for (let entry = slots[at]!; entry !== 0; entry = slots[at]!) {
      if (this.#equals(entry - 1, bytes, start, end)) return entry - 1;
      at = (at + 1) & mask;
    }
    const key = this.#add(bytes, start, end);
    slots[at] = key + 1;
    if (this.#count * 2 > slots.length) this.#rehash();
    return key;
  }

  /** Key `key`'s bytes (a view of the arena: valid until the next new key). */
  bytesOf(key: number): Uint8Array {
    return this.#arena.subarray(this.#starts[key]!, this.#starts[key + 1]!);
  }

  #equals(key: number, bytes: Uint8Array, start: number, end: number): boolean {
    const from = this.#starts[key]!;
    const length = this.#starts[key + 1]! - from;
    if (length !== end - start) return false;
    const arena = this.#arena;
    for (let i = 0; i < length; i++) if (arena[from + i] !== bytes[start + i]) return false;
    return true;
  }

  #add(bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (this.#used + length > this.#arena.length) this.#arena = grown(this.#arena, this.#used + length);
    this.#arena.set(bytes.subarray(start, end), this.#used);
    this.#used += length;
    const key = this.#count++;
    if (key + 2 > this.#starts.length) this.#starts = grown(this.#starts, key + 2);
    this.#starts[key + 1] = this.#used;
    return key;
  }

  #rehash(): void {
    const slots = new Int32Array(this.#slots.length * 2);
    const mask = slots.length - 1;
    for (let key = 0; key < this.#count; key++) {
      let at = hashBytes(this.#arena, this.#starts[key]!, this.#starts[key + 1]!) & mask;
      while (slots[at] !== 0) at = (at + 1) & mask;
      slots[at] = key + 1;
    }
    this.#slots = slots;
  }
}

/** FNV-1a over the bytes, then a final mix so that keys differing only at the end spread over the low bits. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

/** A copy of `array` at least `needed` long (doubling). */
function grown<T extends Uint8Array | Int32Array>(array: T, needed: number): T {
  let length = array.length * 2;
  while (length < needed) length *= 2;
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array);
  return copy;
}
