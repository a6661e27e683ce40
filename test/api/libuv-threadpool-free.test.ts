/**
 * Long async calls leave libuv's threadpool to the rest of the process: a readFile and a
 * crypto.pbkdf2 started while more long calls than UV_THREADPOOL_SIZE are running settle before
 * any of those calls does. Checked by order, not time: the calls are long enough that a blocked
 * threadpool would make the file and hash work wait for one of them to finish.
 */
import { pbkdf2 } from "node:crypto";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { HighPerformanceAreaAggregator } from "../../src/index.js";

const THREADPOOL_SIZE = Number(process.env.UV_THREADPOOL_SIZE ?? 4);

/** Plans whose Monte-Carlo intervals take seconds of kernel time. */
function longCallColumns(n: number) {
  const scores = new Float64Array(n * 60).map((_, i) => (i % 11) * 0.25);
  const stds = new Float64Array(n * 60).fill(0.3);
  return { scores, stds };
}

describe("async calls and libuv's threadpool", () => {
  it("a readFile and a pbkdf2 started during more long calls than the threadpool has threads settle before any of them", async () => {
    const aggregator = new HighPerformanceAreaAggregator({ uncertainty: { method: "monte-carlo", samples: 50_000 } });
    const controller = new AbortController();
    const order: string[] = [];
    const calls = Array.from({ length: THREADPOOL_SIZE + 1 }, (_, i) =>
      aggregator.aggregateColumns(longCallColumns(200), undefined, { signal: controller.signal }).then(
        () => order.push(`call ${i}`),
        (error: Error) => order.push(`call ${i} ${error.name}`),
      ),
    );
    const file = readFile(new URL(import.meta.url)).then(() => order.push("readFile"));
    const hash = new Promise<void>((resolve, reject) =>
      pbkdf2("secret", "salt", 1, 32, "sha256", (error) => (error ? reject(error) : resolve())),
    ).then(() => order.push("pbkdf2"));
    await Promise.all([file, hash]);
    controller.abort();
    await Promise.all(calls);
    expect(order.slice(0, 2).sort()).toEqual(["pbkdf2", "readFile"]);
  });
});
