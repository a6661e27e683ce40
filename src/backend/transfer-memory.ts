import { allocateBuffer } from "../core/buffers.js";

/**
 * The ordinary ArrayBuffers that carry the JS backend's jobs to its worker threads and back
 * (js-worker-job.ts), kept on the calling thread between jobs: a buffer a later job writes has
 * been faulted in already, where new memory costs a page fault per 4 KiB on its first write —
 * on a VM most of a large call's time, spent on the JS thread for the copies of its inputs.
 *
 * Bounded twice: at most KEPT_TRANSFER_BYTES are kept (the buffers kept longest go first), and
 * none once no job has handed any back for RELEASE_AFTER_MS. A buffer the caller receives (the
 * outputs of a call without `outputs`) is never kept.
 */

/** The most memory kept for later jobs, in bytes. */
export const KEPT_TRANSFER_BYTES = 256 * 2 ** 20;
/** Kept memory is dropped once no job has handed any back for this long. */
export const RELEASE_AFTER_MS = 1000;
/** Smaller buffers are new each time: allocating them costs less than keeping track of them. */
const MIN_KEPT_BYTES = 64 * 1024;

/** Kept buffers, oldest first. */
let kept: ArrayBuffer[] = [];
let keptBytes = 0;
let releaseTimer: NodeJS.Timeout | undefined;

/**
 * A buffer of at least `bytes` (at most twice that, so a small job does not take a large
 * buffer): a kept one when one fits, else new memory.
 */
export function takeTransferBuffer(bytes: number): ArrayBuffer {
  let best = -1;
  if (bytes >= MIN_KEPT_BYTES) {
    for (let i = 0; i < kept.length; i++) {
      const size = kept[i]!.byteLength;
      if (size >= bytes && size <= 2 * bytes && (best === -1 || size < kept[best]!.byteLength)) best = i;
    }
  }
  if (best === -1) return allocateBuffer(bytes, (size) => new ArrayBuffer(size));
  const [buffer] = kept.splice(best, 1);
  keptBytes -= buffer!.byteLength;
  return buffer!;
}

/** Buffers a job handed back, kept for later jobs within the bounds above. */
export function keepTransferBuffers(buffers: readonly ArrayBuffer[]): void {
  for (const buffer of buffers) {
    const size = buffer.byteLength;
    if (size < MIN_KEPT_BYTES || size > KEPT_TRANSFER_BYTES) continue;
    while (keptBytes + size > KEPT_TRANSFER_BYTES) keptBytes -= kept.shift()!.byteLength;
    kept.push(buffer);
    keptBytes += size;
  }
  releaseTimer ??= setTimeout(release, RELEASE_AFTER_MS).unref();
  releaseTimer.refresh();
}

/** Bytes kept now (for tests). */
export function keptTransferBytes(): number {
  return keptBytes;
}

function release(): void {
  kept = [];
  keptBytes = 0;
}
