/**
 * How many written output buffers the CLI keeps for later chunks: enough that one of them fits the
 * next chunk's outputs when sizes differ a little from chunk to chunk.
 */
export const KEPT_BUFFERS = 2;

/** Room a new buffer gets over what it was asked for, so later requests of about the same size fit in it. */
const HEADROOM = 1.25;

export interface SpareBufferSettings {
  /** How many buffers handed back are kept (the largest). */
  readonly keep?: number;
  /** A new buffer's size over the size asked for (1: exactly that size). */
  readonly headroom?: number;
}

/**
 * Buffers whose bytes have been written, handed back to be filled again: a run that takes a new
 * buffer for each chunk touches fresh pages for almost every chunk (the allocator returns freed
 * memory), and first touches cost far more than rewriting touched memory. A buffer comes back
 * only once whatever read its bytes is done with them. Used by the CLI's chunk outputs (which
 * travel between threads) and by the table writers' output chunks.
 */
export class SpareBuffers {
  /** Largest first; at most #keep. */
  #kept: ArrayBuffer[] = [];
  readonly #keep: number;
  readonly #headroom: number;

  constructor({ keep = KEPT_BUFFERS, headroom = HEADROOM }: SpareBufferSettings = {}) {
    this.#keep = keep;
    this.#headroom = headroom;
  }

  /** Keeps the largest of the buffers handed back. */
  give(buffers: Iterable<ArrayBuffer>): void {
    this.#kept = [...this.#kept, ...buffers].sort((a, b) => b.byteLength - a.byteLength).slice(0, this.#keep);
  }

  /** A buffer of at least `size` bytes: the smallest spare that fits, else a new one with headroom. */
  take(size: number): ArrayBuffer {
    for (let i = this.#kept.length - 1; i >= 0; i--) {
      if (this.#kept[i]!.byteLength >= size) return this.#kept.splice(i, 1)[0]!;
    }
    // Never from Buffer's shared pool: the whole buffer may move to another thread.
    return Buffer.allocUnsafeSlow(Math.ceil(size * this.#headroom)).buffer as ArrayBuffer;
  }
}
