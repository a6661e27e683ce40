/**
 * Parquet's RLE / bit-packing hybrid, the encoding of dictionary indices: a run is a varint
 * header, then one value (repeated run) or groups of eight values packed least-significant bit first.
 */

/** The bits an index up to `max` takes; at least 1, as some readers mishandle width 0. */
export function bitWidthOf(max: number): number {
  return Math.max(1, 32 - Math.clz32(max));
}

function varintBytes(n: number): number {
  let bytes = 1;
  for (; n >= 0x80; n = Math.floor(n / 0x80)) bytes++;
  return bytes;
}

function putVarint(out: Uint8Array, at: number, n: number): number {
  for (; n >= 0x80; n = Math.floor(n / 0x80)) out[at++] = (n % 0x80) | 0x80;
  out[at++] = n;
  return at;
}

/** Indices 0, 1 … count-1, each repeated `runLength` times: one repeated run each. */
export function repeatedRuns(count: number, runLength: number, width: number): Uint8Array {
  const valueBytes = (width + 7) >> 3;
  const header = runLength * 2;
  const out = new Uint8Array(count * (varintBytes(header) + valueBytes));
  let at = 0;
  for (let v = 0; v < count; v++) {
    at = putVarint(out, at, header);
    for (let b = 0; b < valueBytes; b++) out[at++] = (v >>> (8 * b)) & 0xff;
  }
  return out;
}

/** `codes` (each below 2^width, width ≤ 8) as one bit-packed run, the last group padded with zeros. */
export function bitPacked(codes: Uint8Array, width: number): Uint8Array {
  const groups = Math.ceil(codes.length / 8);
  const out = new Uint8Array(varintBytes(groups * 2 + 1) + groups * width);
  let at = putVarint(out, 0, groups * 2 + 1);
  let bits = 0;
  let held = 0;
  for (let i = 0; i < codes.length; i++) {
    bits |= codes[i]! << held;
    held += width;
    while (held >= 8) {
      out[at++] = bits & 0xff;
      bits >>>= 8;
      held -= 8;
    }
  }
  if (held > 0) out[at] = bits;
  return out;
}
