import { open, type FileHandle } from "node:fs/promises";

/** The part of a Blob that parquet-wasm's `ParquetFile.fromFile` uses: its size, slices, their bytes. */
export interface BlobLike {
  readonly size: number;
  slice(start: number, end: number): BlobLike;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * A file as parquet-wasm reads it, each slice read from the file straight into one buffer of its
 * size: Node's file-backed Blob (`openAsBlob`) reads a slice in chunks and concatenates them, a
 * second copy and its garbage for every column chunk. The buffers are reused (SliceBuffers).
 * `close` releases the file.
 */
export async function openFileBlob(path: string): Promise<{ readonly blob: BlobLike; close(): Promise<void> }> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    return { blob: slice(file, new SliceBuffers(), 0, size), close: () => file.close() };
  } catch (error) {
    await file.close();
    throw error;
  }
}

/** Bytes [start, end) of the file; a slice's bounds are clamped to it, as a Blob's. */
function slice(file: FileHandle, buffers: SliceBuffers, start: number, end: number): BlobLike {
  const size = end - start;
  const clamp = (at: number) => Math.min(Math.max(at < 0 ? size + at : at, 0), size);
  return {
    size,
    slice: (from, to) => slice(file, buffers, start + clamp(from), start + Math.max(clamp(from), clamp(to))),
    arrayBuffer: async () => {
      const buffer = buffers.take(size);
      const bytes = new Uint8Array(buffer);
      for (let at = 0; at < size; ) {
        const { bytesRead } = await file.read(bytes, at, size - at, start + at);
        if (bytesRead === 0) throw new RangeError(`the file ended ${size - at} bytes short of a slice`);
        at += bytesRead;
      }
      buffers.giveBack(buffer);
      return buffer;
    },
  };
}

/** The least a reused slice buffer may grow to without being replaced (address space, not memory). */
const SLICE_RESERVE = 64 * 1024 * 1024;

/**
 * Slice buffers, reused: a fresh buffer's every page faults on first touch, most of the time a
 * slice took to read, while a reused one's pages are there. parquet-wasm copies a slice's bytes
 * into its own memory as soon as the slice's promise resolves (in the microtasks that follow), so
 * a buffer goes back once a macrotask has passed. Each buffer is resizable, to hand out exactly a
 * slice's size, and moves to a new ArrayBuffer object when it is taken again: the object handed
 * out before is detached, so anything still holding it would read no bytes (an error), never the
 * next slice's. A slice takes the free buffer nearest its size, since shrinking a buffer gives its
 * end pages back and growing it faults them in again (a long file's slices alternate between two
 * sizes). As many buffers exist as slices were ever read at once (one when the columns read lie
 * side by side in the file, a few when others lie between them), and one waiting out its
 * macrotask; they go when the file does.
 */
class SliceBuffers {
  readonly #free: ArrayBuffer[] = [];

  take(size: number): ArrayBuffer {
    const nearest = this.#nearest(size);
    if (nearest < 0) return new ArrayBuffer(size, { maxByteLength: Math.max(size, SLICE_RESERVE) });
    const [spare] = this.#free.splice(nearest, 1);
    const buffer = structuredClone(spare!, { transfer: [spare!] });
    buffer.resize(size);
    return buffer;
  }

  giveBack(buffer: ArrayBuffer): void {
    setImmediate(() => this.#free.push(buffer));
  }

  /** The free buffer whose size is nearest `size` among those that can hold it, or -1. */
  #nearest(size: number): number {
    let nearest = -1;
    for (let i = 0; i < this.#free.length; i++) {
      const buffer = this.#free[i]!;
      if (buffer.maxByteLength < size) continue;
      if (nearest < 0 || Math.abs(buffer.byteLength - size) < Math.abs(this.#free[nearest]!.byteLength - size)) nearest = i;
    }
    return nearest;
  }
}
