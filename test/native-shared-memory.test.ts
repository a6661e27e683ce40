/**
 * Issue 12: large SharedArrayBuffers the package allocates count for V8's collections while
 * the addon is loaded (src/core/shared-memory.ts). V8 does not count a SharedArrayBuffer's
 * memory by itself, so a loop of large calls without `outputs` kept every call's dead outputs
 * until some other allocation brought a collection: 330 MB a call at n = 10⁶. Judged by memory,
 * in a fresh process, never by time.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runScript } from "./support/child.js";

const entry = JSON.stringify(join(ROOT, "dist", "index.js"));
const N = 200_000; // outputs of 66 MB a call (4 × 16 MB + 2 MB), past V8's 64 MB allowance
const CALLS = 16;

describe("default outputs of large calls are collected as the calls go", () => {
  it(`${CALLS} calls of n = ${N} without outputs: the process grows by a few calls' outputs, not by all of them`, () => {
    const r = runScript(
      `
      const { allocateSharedColumns, HighPerformanceAreaAggregator } = await import(${entry});
      const { scores, stds } = allocateSharedColumns(${N});
      scores.fill(1.5);
      stds.fill(0.2);
      const aggregator = new HighPerformanceAreaAggregator({ backend: "native" });
      const rss = [];
      let checksum = 0;
      for (let call = 0; call < ${CALLS}; call++) {
        const result = await aggregator.aggregateColumns({ scores, stds });
        checksum += result.score[call];
        rss.push(process.memoryUsage.rss());
      }
      console.log(JSON.stringify({ rss, checksum }));
    `,
      { FARFAN_AGGREGATOR_BACKEND: "native" },
    );
    expect(r.status, r.stderr).toBe(0);
    const { rss, checksum } = JSON.parse(r.stdout) as { rss: number[]; checksum: number };
    expect(checksum).toBe(1.5 * CALLS);
    const outputsBytes = N * 10 * (4 * 8 + 1);
    // Kept until the end, the outputs would add (CALLS - 2) × 66 MB after the second call.
    expect(rss.at(-1)! - rss[1]!).toBeLessThan(4 * outputsBytes);
  });
});
