/**
 * A chunk's output buffer is filled again (for a later chunk) only once stdout is done with its
 * bytes: a stream that holds what it was given and consumes it later (a slow pipe) still gets
 * every chunk's own bytes, the same as a stream that consumes each write at once.
 */
import { Writable } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { ChunkHandler, type ChunkSettings } from "../../src/cli/chunk.js";
import { createLayout } from "../../src/cli/format.js";
import { numberedLines } from "../../src/cli/lines.js";
import { Output } from "../../src/cli/output.js";
import { inThisThread, StreamRun } from "../../src/cli/stream.js";
import { HighPerformanceAreaAggregator } from "../../src/index.js";
import { CLI_TIMEOUTS, randomSnakePlans } from "../support/cli.js";

vi.setConfig(CLI_TIMEOUTS);

const SETTINGS: ChunkSettings = {
  monteCarlo: undefined,
  sharedWeights: undefined,
  format: "ndjson",
  ndjsonInput: true,
  failFast: false,
  summary: false,
  json: { idColumn: "plan_id", inputs: true },
};
const input = Buffer.from(`${randomSnakePlans(24, 5).map((plan) => JSON.stringify({ dimension_scores: plan })).join("\n")}\n`);

/**
 * A stream that copies the bytes of each write when it calls back: at once (`delayMs` undefined),
 * or `delayMs` later, holding them until then, as a slow pipe does.
 */
function consumer(delayMs: number | undefined): { stream: Writable; bytes(): Buffer } {
  const taken: Buffer[] = [];
  const consume = (chunk: Buffer, callback: () => void) => {
    taken.push(Buffer.from(chunk));
    callback();
  };
  const stream = new Writable({
    // Every write is taken at once (no waiting for 'drain'), so the run goes on while earlier bytes are still held.
    highWaterMark: 1 << 30,
    write(chunk: Buffer, _encoding, callback) {
      if (delayMs === undefined) consume(chunk, callback);
      else setTimeout(() => consume(chunk, callback), delayMs);
    },
  });
  return { stream, bytes: () => Buffer.concat(taken) };
}

async function runTo(delayMs: number | undefined): Promise<Buffer> {
  const { stream, bytes } = consumer(delayMs);
  const handler = new ChunkHandler(SETTINGS, new HighPerformanceAreaAggregator());
  const sinks = { output: new Output(stream), layout: createLayout("ndjson", true), progress: { advance() {}, log() {}, stop() {} }, summary: undefined };
  const run = new StreamRun({ chunkSize: 2, failFast: false }, sinks);
  await run.lines(
    numberedLines(
      (async function* () {
        yield input;
      })(),
    ),
    inThisThread(handler),
  );
  await new Promise<void>((resolve) => stream.end(resolve));
  expect(run.failed).toBe(false);
  return bytes();
}

describe("output buffers filled again", () => {
  it("only once stdout is done with their bytes", async () => {
    const atOnce = await runTo(undefined);
    expect(atOnce.toString("utf8").split("\n").filter(Boolean)).toHaveLength(24);
    expect(await runTo(5)).toEqual(atOnce);
  });
});
