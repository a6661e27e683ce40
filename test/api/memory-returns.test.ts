/**
 * Memory that returns: after a burst of 500 concurrent large calls (SharedArrayBuffer inputs,
 * default outputs), completed or aborted, and a full collection, `arrayBuffers` and RSS are back
 * within what the package keeps for reuse (README, Safety) of where they started. On the JS
 * backend, kept memory is the transfer buffers (src/backend/transfer-memory.ts), at most
 * KEPT_TRANSFER_BYTES and dropped RELEASE_AFTER_MS after the last job: then `arrayBuffers` is back
 * where it started. The native engine reports what it keeps (`nativeInfo().keptBytes`): RSS may
 * exceed the start by that and by SLACK (the heap's own noise), no more.
 * In a child process on the project's backend; memory is counted, never time.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KEPT_TRANSFER_BYTES, RELEASE_AFTER_MS } from "../../src/backend/transfer-memory.js";
import { ASYNC_MIN_EVALUATIONS } from "../../src/index.js";
import { projectEnv, ROOT, runScript } from "../support/child.js";

const entry = JSON.stringify(join(ROOT, "dist", "index.js"));
const N = ASYNC_MIN_EVALUATIONS; // the smallest call that runs off the JS thread
const CALLS = 500;
/** RSS the process may gain besides what the package reports it keeps: the JS heap's and malloc's own noise. */
const SLACK = 64 * 2 ** 20;
/** One call's default outputs (four Float64Array and one Uint8Array of n × 10): what may be in flight when memory is read. */
const OUTPUT_BYTES = N * 10 * 33;
const TIMEOUT = 300_000;

const script = `
  const { allocateSharedColumns, HighPerformanceAreaAggregator, nativeInfo } = await import(${entry});
  const aggregator = new HighPerformanceAreaAggregator();
  const { scores, stds } = allocateSharedColumns(${N});
  for (let i = 0; i < scores.length; i++) {
    scores[i] = ((i * 7) % 31) / 10;
    stds[i] = (i % 5) / 10;
  }
  async function settled() {
    for (let turn = 0; turn < 4; turn++) {
      globalThis.gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { arrayBuffers, rss } = process.memoryUsage();
    return { arrayBuffers, rss, kept: nativeInfo().keptBytes };
  }
  const reference = Array.from((await aggregator.aggregateColumns({ scores, stds })).score);
  const start = await settled();
  let same = 0;
  await Promise.all(Array.from({ length: ${CALLS} }, () => aggregator.aggregateColumns({ scores, stds }).then((result) => {
    if (result.score.every((x, i) => Object.is(x, reference[i]))) same++;
  })));
  const completed = await settled();
  const controller = new AbortController();
  const calls = Array.from({ length: ${CALLS} }, () => aggregator.aggregateColumns({ scores, stds }, undefined, { signal: controller.signal }));
  controller.abort();
  const aborted = (await Promise.allSettled(calls)).filter((o) => o.status === "rejected" && o.reason.name === "AbortError").length;
  const afterAborts = await settled();
  // Past the release of kept memory (its timer was set when the last job handed its memory back).
  await new Promise((resolve) => setTimeout(resolve, ${RELEASE_AFTER_MS} + 100));
  const released = await settled();
  console.log(JSON.stringify({ backend: aggregator.backend, same, aborted, start, completed, afterAborts, released }));
`;

interface Usage {
  readonly arrayBuffers: number;
  readonly rss: number;
  /** What the native engine keeps (0 on the JS backend). */
  readonly kept: number;
}

describe(`after ${CALLS} concurrent calls and a full collection, memory is back within the kept-memory cap`, () => {
  it("completed, then aborted", () => {
    const r = runScript(script, projectEnv(), ROOT, { flags: ["--expose-gc"], timeout: TIMEOUT });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { backend: string; same: number; aborted: number; start: Usage; completed: Usage; afterAborts: Usage; released: Usage };
    expect(report.same).toBe(CALLS);
    expect(report.aborted).toBe(CALLS);
    const growth = (at: Usage) => ({ arrayBuffers: at.arrayBuffers - report.start.arrayBuffers, rss: at.rss - report.start.rss });
    for (const [when, usage] of [["completed", report.completed], ["aborted", report.afterAborts]] as const) {
      const { arrayBuffers, rss } = growth(usage);
      // The JS backend keeps transfer buffers (counted in arrayBuffers), the native engine blocks it reports.
      const cap = report.backend === "js" ? KEPT_TRANSFER_BYTES : usage.kept + SLACK;
      expect(arrayBuffers, `${when}: arrayBuffers grew ${arrayBuffers} bytes`).toBeLessThanOrEqual(KEPT_TRANSFER_BYTES);
      expect(rss, `${when}: RSS grew ${rss} bytes (cap ${cap})`).toBeLessThanOrEqual(cap);
    }
    if (report.backend === "js") expect(growth(report.released).arrayBuffers).toBeLessThan(OUTPUT_BYTES);
  }, TIMEOUT);
});
