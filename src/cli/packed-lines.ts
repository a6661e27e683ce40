import type { NumberedLine } from "./lines.js";

/**
 * A chunk of NDJSON lines as a worker thread gets it: their bytes, undecoded, one after another
 * in one buffer that is moved to the worker rather than copied, with each line's number and end.
 */
export interface PackedLines {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly numbers: readonly number[];
  /** Where each line's bytes end in `bytes`; SKIPPED for a line over MAX_LINE_BYTES, read no further. */
  readonly ends: readonly number[];
}

const SKIPPED = -1;

export function packLines(lines: readonly NumberedLine[]): PackedLines {
  const size = lines.reduce((total, { bytes }) => total + (bytes?.length ?? 0), 0);
  // Never from Buffer's shared pool: the buffer is moved away (detached here) whole. Not zeroed:
  // every byte is written below.
  const bytes = Buffer.allocUnsafeSlow(size);
  const ends: number[] = [];
  let at = 0;
  for (const line of lines) {
    if (line.bytes === undefined) {
      ends.push(SKIPPED);
      continue;
    }
    bytes.set(line.bytes, at);
    at += line.bytes.length;
    ends.push(at);
  }
  return { bytes, numbers: lines.map(({ line }) => line), ends };
}

export function unpackLines({ bytes, numbers, ends }: PackedLines): NumberedLine[] {
  let start = 0;
  return numbers.map((line, i) => {
    const end = ends[i]!;
    if (end === SKIPPED) return { line, bytes: undefined };
    const view = bytes.subarray(start, end);
    start = end;
    return { line, bytes: view };
  });
}
