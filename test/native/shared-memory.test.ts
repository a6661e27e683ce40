/**
 * Large SharedArrayBuffers the package allocates count for V8's collections while
 * the addon is loaded (src/core/shared-memory.ts). V8 does not count a SharedArrayBuffer's
 * memory by itself, so a loop of large calls without `outputs` kept every call's dead outputs
 * until some other allocation brought a collection: 330 MB a call at n = 10⁶. Judged by what V8
 * collected, in a fresh process, never by time.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runScript } from "../support/child.js";

const entry = JSON.stringify(join(ROOT, "dist", "index.js"));
const N = 200_000; // outputs of 66 MB a call (4 × 16 MB + 2 MB), past V8's 64 MB allowance
const CALLS = 16;

describe("default outputs of large calls are collected as the calls go", () => {
  it(`${CALLS} calls of n = ${N} without outputs: V8 collects the outputs of all but the last few`, () => {
    // Counted by a FinalizationRegistry, not by RSS: how soon freed memory leaves the process
    // depends on the allocator (ASan's quarantine, under test:sanitize, keeps 256 MB of it).
    const r = runScript(
      `
      const { allocateSharedColumns, HighPerformanceAreaAggregator } = await import(${entry});
      const { scores, stds } = allocateSharedColumns(${N});
      scores.fill(1.5);
      stds.fill(0.2);
      const aggregator = new HighPerformanceAreaAggregator({ backend: "native" });
      let collected = 0;
      const registry = new FinalizationRegistry(() => collected++);
      let checksum = 0;
      for (let call = 0; call < ${CALLS}; call++) {
        const result = await aggregator.aggregateColumns({ scores, stds });
        checksum += result.score[call];
        registry.register(result.score.buffer, call);
      }
      // Finalization callbacks run as tasks of their own: give them a few turns.
      for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
      console.log(JSON.stringify({ collected, checksum }));
    `,
      { FARFAN_AGGREGATOR_BACKEND: "native" },
    );
    expect(r.status, r.stderr).toBe(0);
    const { collected, checksum } = JSON.parse(r.stdout) as { collected: number; checksum: number };
    expect(checksum).toBe(1.5 * CALLS);
    // Uncounted, nothing brought a collection: 0 of them were collected.
    expect(collected).toBeGreaterThanOrEqual(CALLS - 4);
  });
});
