import { SpareBuffers } from "../core/spare-buffers.js";
import type { ByteSink } from "./writer.js";

/** Bytes a chunk holds before it goes to the sink: one write per chunk, not one per row or block. */
export const DEFAULT_CHUNK_BYTES = 1 << 20;

/** How many chunks the sink has given back are kept for filling again. */
const KEPT_CHUNKS = 2;

/**
 * Output built in place, a chunk at a time: the writer fills `bytes` from `at`, asks for `room`
 * before each piece, and the full chunk goes to the sink in one write. A chunk the sink is done
 * with is filled again, so a long run touches a few chunks' pages, not fresh memory per block
 * (and builds no string of a whole block, whose garbage cost more than its formatting).
 */
export class ByteChunks {
  bytes: Uint8Array;
  at = 0;
  readonly #sink: ByteSink;
  readonly #chunkBytes: number;
  readonly #spares = new SpareBuffers({ keep: KEPT_CHUNKS, headroom: 1 });

  constructor(sink: ByteSink, chunkBytes = DEFAULT_CHUNK_BYTES) {
    this.#sink = sink;
    this.#chunkBytes = chunkBytes;
    this.bytes = this.#take(0);
  }

  /** Makes room for `size` more bytes, handing what the chunk holds to the sink first if it lacks it. */
  async room(size: number): Promise<void> {
    if (this.at + size <= this.bytes.length) return;
    await this.flush();
    if (size > this.bytes.length) this.bytes = this.#take(size);
  }

  /** Hands the bytes so far to the sink; the writer goes on in a chunk the sink is not holding. */
  async flush(): Promise<void> {
    if (this.at === 0) return;
    const full = this.bytes;
    const data = full.subarray(0, this.at);
    this.bytes = this.#take(0);
    this.at = 0;
    await this.#sink.write(data, () => this.#spares.give([full.buffer as ArrayBuffer]));
  }

  #take(size: number): Uint8Array {
    return new Uint8Array(this.#spares.take(Math.max(size, this.#chunkBytes)));
  }
}

/** Writes `text`, known to be ASCII (a number's text), at `at`; returns the end. */
export function putAscii(bytes: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
  return at + text.length;
}

/** Copies `from` to `at`; returns the end. A loop: most pieces are a few dozen bytes, below what `set` pays to start. */
export function putBytes(bytes: Uint8Array, at: number, from: Uint8Array): number {
  for (let i = 0; i < from.length; i++) bytes[at + i] = from[i]!;
  return at + from.length;
}
