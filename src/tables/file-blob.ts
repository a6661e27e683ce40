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
 * second copy and its garbage for every column chunk. `close` releases the file.
 */
export async function openFileBlob(path: string): Promise<{ readonly blob: BlobLike; close(): Promise<void> }> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    return { blob: slice(file, 0, size), close: () => file.close() };
  } catch (error) {
    await file.close();
    throw error;
  }
}

/** Bytes [start, end) of the file; a slice's bounds are clamped to it, as a Blob's. */
function slice(file: FileHandle, start: number, end: number): BlobLike {
  const size = end - start;
  const clamp = (at: number) => Math.min(Math.max(at < 0 ? size + at : at, 0), size);
  return {
    size,
    slice: (from, to) => slice(file, start + clamp(from), start + Math.max(clamp(from), clamp(to))),
    arrayBuffer: async () => {
      const bytes = new Uint8Array(size);
      for (let at = 0; at < size; ) {
        const { bytesRead } = await file.read(bytes, at, size - at, start + at);
        if (bytesRead === 0) throw new RangeError(`the file ended ${size - at} bytes short of a slice`);
        at += bytesRead;
      }
      return bytes.buffer;
    },
  };
}
