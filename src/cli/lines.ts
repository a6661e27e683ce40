/**
 * The longest line the CLI reads, in bytes without its line break. A plan is ~10 KB a line;
 * a longer line is refused (E_LINE_TOO_LONG) without being held: its bytes are dropped as they
 * arrive, up to its newline. The bound also keeps every line far below V8's longest string.
 */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** One physical line of the input, numbered from 1, without its line break. */
export type NumberedLine =
  | { readonly line: number; readonly text: string }
  /** A line over MAX_LINE_BYTES: skipped, never read into a string. */
  | { readonly line: number; readonly text: undefined };

const NEWLINE = 0x0a;

/**
 * The lines of a byte stream, as they arrive, decoded as UTF-8 one whole line at a time (so a
 * character split between reads is never garbled). Only the newline search of each new chunk is
 * done (never a rescan of a partial line), so a very long line costs linear time; "\r\n" counts
 * as one break, and a leading byte-order mark (editors on Windows like to write one) is dropped.
 * Pulling lines is what pulls chunks: a caller that awaits its own work between lines holds the
 * reading back, which is the input side's backpressure.
 */
export async function* numberedLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<NumberedLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  /** True while the current line is past MAX_LINE_BYTES: its bytes are dropped. */
  let overlong = false;
  let line = 0;
  const take = (part: Buffer) => {
    if (overlong) return;
    if (pendingBytes + part.length > MAX_LINE_BYTES) {
      overlong = true;
      pending = [];
      return;
    }
    pending.push(part);
    pendingBytes += part.length;
  };
  const finish = (): NumberedLine => {
    // One piece (a line within one read, the common case) is decoded where it lies, uncopied.
    const bytes = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    let text = overlong ? undefined : withoutCarriageReturn(bytes.toString("utf8"));
    if (line === 0 && text?.startsWith("\uFEFF")) text = text.slice(1);
    pending = [];
    pendingBytes = 0;
    overlong = false;
    return { line: ++line, text };
  };
  for await (const data of chunks) {
    const chunk = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let start = 0;
    let end = chunk.indexOf(NEWLINE);
    while (end !== -1) {
      take(chunk.subarray(start, end));
      yield finish();
      start = end + 1;
      end = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) take(chunk.subarray(start));
  }
  if (pendingBytes > 0 || overlong) yield finish();
}

function withoutCarriageReturn(text: string): string {
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}

export function isBlank(text: string): boolean {
  return text.trim() === "";
}
