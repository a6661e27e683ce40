/**
 * SharedArrayBuffers the package allocates (default outputs, private copies, allocateSharedColumns)
 * reported to V8 as memory JS objects keep alive. V8 counts an ordinary ArrayBuffer's memory and
 * collects sooner as it grows, but not a SharedArrayBuffer's: a loop of large calls without
 * `outputs` piled up 330 MB of dead outputs per call at n = 10⁶ (3.5 GB after 8 calls) and, on
 * a VM, paid the first touch of never-used memory for each. With the addon loaded, each buffer
 * of at least MIN_COUNTED_BYTES is added to V8's count when allocated (napi_adjust_external_memory)
 * and taken off when the buffer object is collected.
 */

/** Adds `bytes` (negative: takes them off) to V8's count of external memory. */
export type ExternalMemoryCounter = (bytes: number) => void;

/** Smaller buffers change nothing V8 would notice, and are not worth a registry entry each. */
export const MIN_COUNTED_BYTES = 1 << 20;

import { allocateBuffer } from "./buffers.js";

const SharedArrayBufferCtor = SharedArrayBuffer;
let counter: ExternalMemoryCounter | undefined;

const uncount = new FinalizationRegistry<number>((bytes) => {
  try {
    counter?.(-bytes);
  } catch {
    // A hint only: a failed adjustment must not become an uncaught error in a finalizer.
  }
});

/** Installs the counter (the native backend does, when its addon loads). */
export function countSharedMemoryWith(next: ExternalMemoryCounter): void {
  counter = next;
}

/** A new SharedArrayBuffer of `bytes`, counted as V8's external memory while it lives (see above). */
export function newSharedBuffer(bytes: number): SharedArrayBuffer {
  const buffer = allocateBuffer(bytes, (size) => new SharedArrayBufferCtor(size));
  if (counter !== undefined && bytes >= MIN_COUNTED_BYTES) {
    counter(bytes);
    uncount.register(buffer, bytes);
  }
  return buffer;
}
