/**
 * The longest line the CLI reads, in bytes without its line break. A plan is ~10 KB a line;
 * a longer line is refused (E_LINE_TOO_LONG) without being held: its bytes are dropped as they
 * arrive, up to its newline. The bound also keeps every line far below V8's longest string.
 */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * One physical line of the input, numbered from 1: its bytes without the line break (nor a
 * leading byte-order mark), still undecoded, so a line bound for a worker thread is decoded
 * there; `bytes` is undefined for a line over MAX_LINE_BYTES, skipped unread.
 */
export interface NumberedLine {
  readonly line: number;
  readonly bytes: Uint8Array | undefined;
}

/** A line's text, decoded as UTF-8 (a character split between reads was joined before); undefined for a skipped line. */
export function lineText({ bytes }: NumberedLine): string | undefined {
  return bytes === undefined ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

const NEWLINE = 0x0a;

/**
 * The lines of a byte stream, as they arrive. Only the newline search of each new chunk is done
 * (never a rescan of a partial line), so a very long line costs linear time; "\r\n" counts as
 * one break, and a leading byte-order mark (editors on Windows like to write one) is dropped.
 * A line within one read is a view of it, uncopied. Pulling lines is what pulls chunks: a
 * caller that awaits its own work between lines holds the reading back, which is the input
 * side's backpressure.
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
    let bytes = overlong ? undefined : pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    if (bytes !== undefined) bytes = withoutMarks(bytes, line === 0);
    pending = [];
    pendingBytes = 0;
    overlong = false;
    return { line: ++line, bytes };
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

const CARRIAGE_RETURN = 0x0d;
const BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);

/** A line without the "\r" of a "\r\n" break, and the first line without a byte-order mark. */
function withoutMarks(bytes: Buffer, first: boolean): Buffer {
  const end = bytes.at(-1) === CARRIAGE_RETURN ? bytes.length - 1 : bytes.length;
  const start = first && bytes.subarray(0, 3).equals(BYTE_ORDER_MARK) ? 3 : 0;
  return start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
}

/**
 * True for text of nothing but JSON whitespace (space, tab, carriage return, line feed): a blank
 * line, skipped. Other spaces (NBSP, vertical tab, form feed…) are not whitespace to JSON: a
 * line of them is reported, not silently dropped.
 */
export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (!JSON_SPACE.has(text.charCodeAt(i))) return false;
  }
  return true;
}

/** JSON's whitespace (RFC 8259, section 2). */
const JSON_SPACE = new Set([0x09, 0x0a, 0x0d, 0x20]);

/** True for a line with nothing but JSON whitespace (`isBlank`), decided on its bytes. A skipped line is not blank. */
export function isBlankLine(line: NumberedLine): boolean {
  const { bytes } = line;
  if (bytes === undefined) return false;
  for (const byte of bytes) {
    if (!JSON_SPACE.has(byte)) return false;
  }
  return true;
}
