/**
 * A line longer than the CLI's line limit (MAX_LINE_BYTES, 64 MiB) is refused with E_LINE_TOO_LONG
 * without ever being held whole: it is skipped up to its newline, and the lines before and after
 * it are still written. The input is streamed into stdin, so neither side holds it.
 */
import { describe, expect, it, vi } from "vitest";
import { MAX_LINE_BYTES } from "../../src/cli/lines.js";
import { CLI_TIMEOUTS, libraryDicts, ndjsonResults, randomSnakePlans, runCliStreaming } from "../support/cli.js";

vi.setConfig(CLI_TIMEOUTS);

const MIB = 1024 * 1024;
const [first, last] = randomSnakePlans(2, 8).map((plan) => JSON.stringify(plan));

/** `bytes` of one line's text, in 1 MiB pieces of a JSON-ish filler with no newline. */
function* filler(bytes: number): Generator<Uint8Array> {
  const piece = Buffer.alloc(MIB, "x");
  for (let left = bytes; left > 0; left -= MIB) yield left >= MIB ? piece : piece.subarray(0, left);
}

function* input(longLineBytes: number): Generator<string | Uint8Array> {
  yield `${first}\n`;
  yield* filler(longLineBytes);
  yield `\n${last}\n`;
}

describe("a line over the size limit", () => {
  it("a 600 MiB line is refused with its number and E_LINE_TOO_LONG; the lines around it are written", async () => {
    const { status, stdout, stderr } = await runCliStreaming(["--format", "ndjson"], input(600 * MIB));
    expect(stderr).toMatch(/^line 2: .*\(E_LINE_TOO_LONG\)\n$/);
    expect(status).toBe(1);
    const results = ndjsonResults(stdout);
    expect(results.map((r) => r.line)).toEqual([1, 3]);
    expect(results[0]!.area_scores).toStrictEqual(await libraryDicts(JSON.parse(first!)));
    expect(results[1]!.area_scores).toStrictEqual(await libraryDicts(JSON.parse(last!)));
  });

  it("the limit is exact: a line of MAX_LINE_BYTES is read (and parsed), one byte more is refused", async () => {
    expect(MAX_LINE_BYTES).toBe(64 * MIB);
    const atLimit = await runCliStreaming([], input(MAX_LINE_BYTES));
    expect(atLimit.stderr).toMatch(/^line 2: not valid JSON.*\(E_JSON\)\n$/);
    const over = await runCliStreaming([], input(MAX_LINE_BYTES + 1));
    expect(over.stderr).toMatch(/^line 2: .*\(E_LINE_TOO_LONG\)\n$/);
    expect(ndjsonResults(over.stdout).map((r) => r.line)).toEqual([1, 3]);
  });
});
