/**
 * How many written output buffers are kept for later chunks: enough that one of them fits the
 * next chunk's outputs when sizes differ a little from chunk to chunk.
 */
export const KEPT_BUFFERS = 2;

/** Room a new buffer gets over what its chunk needs, so later chunks of about the same size fit in it. */
const HEADROOM = 1.25;

/**
 * Output buffers whose bytes have been written, handed back to be filled again. A worker thread
 * that allocated a new buffer for each chunk's outputs got fresh pages for almost every chunk
 * (the buffers are freed on the main thread, and the allocator returns the memory): `--jobs 2`
 * on 10⁵ plans took 135,000–298,000 page faults, against 69,000–72,000 with buffers handed back
 * (`--jobs 1`: 32,000–81,000). A buffer comes back only once its bytes are written (StreamRun.write).
 */
export class SpareBuffers {
  /** Largest first; at most KEPT_BUFFERS. */
  #kept: ArrayBuffer[] = [];

  /** Keeps the largest of the buffers handed back. */
  give(buffers: Iterable<ArrayBuffer>): void {
    this.#kept = [...this.#kept, ...buffers].sort((a, b) => b.byteLength - a.byteLength).slice(0, KEPT_BUFFERS);
  }

  /** A buffer of at least `size` bytes: the smallest spare that fits, else a new one with headroom. */
  take(size: number): ArrayBuffer {
    for (let i = this.#kept.length - 1; i >= 0; i--) {
      if (this.#kept[i]!.byteLength >= size) return this.#kept.splice(i, 1)[0]!;
    }
    // Never from Buffer's shared pool: the whole buffer may move to another thread.
    return Buffer.allocUnsafeSlow(Math.ceil(size * HEADROOM)).buffer as ArrayBuffer;
  }
}
