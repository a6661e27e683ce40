/**
 * The JS backend's worker threads keep none of a call's memory once it settles. A worker
 * allocates almost nothing per job, so it may never collect: SharedArrayBuffers posted to it
 * (copies of the inputs, outputs, a caller's shared columns) stayed alive there after every
 * call, ~21 MB a call at these sizes. And a call aborted before a worker takes it allocates
 * nothing more and is never posted. Counted in `process.memoryUsage().arrayBuffers` after full
 * collections, in a child process (--expose-gc) on the JS backend; never timed.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ASYNC_MIN_EVALUATIONS } from "../../src/index.js";
import { ROOT, runScript } from "../support/child.js";

const entry = JSON.stringify(join(ROOT, "dist", "index.js"));
const N = ASYNC_MIN_EVALUATIONS; // the smallest call that runs on a worker
/** What one call's inputs and default outputs take: 60 doubles in twice and 10 × 33 bytes out per evaluation. */
const CALL_BYTES = N * (2 * 60 * 8 + 10 * 33);
/** The child's bound, far above its seconds: a busy CI machine may run it many times slower. */
const TIMEOUT = 240_000;

function runWithGc(script: string): Record<string, number> {
  const r = runScript(script, { FARFAN_AGGREGATOR_FORCE_JS: "1" }, ROOT, { flags: ["--expose-gc"], timeout: TIMEOUT });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, number>;
}

const prelude = `
  const { allocateSharedColumns, HighPerformanceAreaAggregator } = await import(${entry});
  const n = ${N};
  const aggregator = new HighPerformanceAreaAggregator({ backend: "js" });
  /** arrayBuffers once everything dropped is collected (finalizers run as tasks of their own). */
  async function settled() {
    for (let turn = 0; turn < 4; turn++) {
      globalThis.gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    return process.memoryUsage().arrayBuffers;
  }
  function plainColumns(seed) {
    const scores = new Float64Array(n * 60).map((_, i) => ((i * 7 + seed) % 31) / 10);
    return { scores, stds: scores.map((s) => s / 10) };
  }
  function sharedColumns(seed) {
    const { scores, stds } = allocateSharedColumns(n);
    const plain = plainColumns(seed);
    scores.set(plain.scores);
    stds.set(plain.stds);
    return { scores, stds };
  }
`;

describe("the JS backend's workers keep nothing of a call once it settles", () => {
  it("calls one after another, results dropped: memory stays where the first call left it", () => {
    const report = runWithGc(`${prelude}
      const growth = {};
      for (const [kind, columnsOf] of [["plain", plainColumns], ["shared", sharedColumns]]) {
        let checksum = 0;
        checksum += (await aggregator.aggregateColumns(columnsOf(0))).score[0];
        const after1 = await settled();
        for (let call = 1; call < 8; call++) {
          checksum += (await aggregator.aggregateColumns(columnsOf(call))).score[call];
          await settled();
        }
        growth[kind] = (await settled()) - after1;
        if (!Number.isFinite(checksum)) throw new Error("no results");
      }
      console.log(JSON.stringify(growth));
    `);
    // Before, each of the 7 later calls left its ~21 MB in the worker.
    expect(report.plain).toBeLessThan(CALL_BYTES);
    expect(report.shared).toBeLessThan(CALL_BYTES);
  }, TIMEOUT);

  it("200 calls aborted together: none of those waiting for the worker allocates or is posted", () => {
    const report = runWithGc(`${prelude}
      const columns = sharedColumns(1);
      await aggregator.aggregateColumns(columns); // the worker started, its first job's memory kept
      const before = await settled();
      const controller = new AbortController();
      const calls = Array.from({ length: 200 }, () => aggregator.aggregateColumns(columns, undefined, { signal: controller.signal }));
      controller.abort();
      const outcomes = await Promise.allSettled(calls);
      const aborted = outcomes.filter((o) => o.status === "rejected" && o.reason.name === "AbortError").length;
      console.log(JSON.stringify({ aborted, growth: (await settled()) - before }));
    `);
    expect(report.aborted).toBe(200);
    // Before, every one allocated its outputs (5.4 MB) and was posted to the worker, which kept them: ~1 GB.
    expect(report.growth).toBeLessThan(CALL_BYTES);
  }, TIMEOUT);
});
