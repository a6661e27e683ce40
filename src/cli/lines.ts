/** One physical line of the input, numbered from 1, without its line break. */
export interface NumberedLine {
  readonly line: number;
  readonly text: string;
}

/**
 * The lines of a text stream, as they arrive. Only the newline search of each new chunk is done
 * (never a rescan of a partial line), so a very long line costs linear time; "\r\n" counts as
 * one break, as in the old whole-text split, and a leading byte-order mark (editors on Windows
 * like to write one) is dropped. Pulling lines is what pulls chunks: a caller that awaits its
 * own work between lines holds the reading back, which is the input side's backpressure.
 */
export async function* numberedLines(chunks: AsyncIterable<string>): AsyncGenerator<NumberedLine> {
  let pending: string[] = [];
  let line = 0;
  let first = true;
  for await (let chunk of chunks) {
    if (first && chunk !== "") {
      first = false;
      if (chunk.startsWith("\uFEFF")) chunk = chunk.slice(1);
    }
    let start = 0;
    let end = chunk.indexOf("\n");
    while (end !== -1) {
      pending.push(chunk.slice(start, end));
      yield { line: ++line, text: withoutCarriageReturn(pending.join("")) };
      pending = [];
      start = end + 1;
      end = chunk.indexOf("\n", start);
    }
    if (start < chunk.length) pending.push(chunk.slice(start));
  }
  if (pending.length > 0) yield { line: ++line, text: withoutCarriageReturn(pending.join("")) };
}

function withoutCarriageReturn(text: string): string {
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}

export function isBlank(text: string): boolean {
  return text.trim() === "";
}
