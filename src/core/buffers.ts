import { ValidationError } from "./errors.js";

/**
 * The size check every buffer the package allocates for a call passes first: a call whose
 * buffers one ArrayBuffer cannot hold is refused with E_COUNT naming the limit, and memory the
 * system refuses is E_COUNT too — never a raw RangeError from deep inside a call.
 */

/** V8's bound on one ArrayBuffer on 64-bit platforms. */
const MAX_BUFFER_BYTES = Number.MAX_SAFE_INTEGER;
let limit = MAX_BUFFER_BYTES;

/** Test-only: lowers (or, with no argument, restores) the bound, so tests reach it without gigabytes. */
export function setMaxBufferBytesForTesting(bytes: number = MAX_BUFFER_BYTES): void {
  limit = bytes;
}

function tooLarge(message: string): ValidationError {
  return new ValidationError([{ code: "E_COUNT", path: "", message: `${message}; split the call into smaller ones` }]);
}

/** `make(bytes)` once `bytes` is known to fit one ArrayBuffer; a refusal of the memory is coded. */
export function allocateBuffer<T>(bytes: number, make: (bytes: number) => T): T {
  if (!(bytes <= limit)) throw tooLarge(`a buffer of ${bytes} bytes is needed; one ArrayBuffer holds at most ${limit}`);
  try {
    return make(bytes);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw tooLarge(`a buffer of ${bytes} bytes could not be allocated (${error.message})`);
  }
}

/** A zeroed Float64Array of `length` over a new ArrayBuffer, through the check above. */
export function newFloat64Array(length: number): Float64Array {
  return new Float64Array(allocateBuffer(length * Float64Array.BYTES_PER_ELEMENT, (bytes) => new ArrayBuffer(bytes)));
}

/** A zeroed Uint8Array of `length` over a new ArrayBuffer, through the check above. */
export function newUint8Array(length: number): Uint8Array {
  return new Uint8Array(allocateBuffer(length, (bytes) => new ArrayBuffer(bytes)));
}
