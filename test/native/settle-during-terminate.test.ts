// A native async call that finishes while its worker's JS thread is blocked, and the worker is
// then terminated: the call's completion reaches the addon's settle step during the
// environment's teardown, when every N-API call fails and returns an empty value. The settle
// step must use none of those values (using one is a fatal error of the process). Each settle
// branch once: results handed over (engine outputs), copied into the caller's outputs, and a
// rejection carrying bad-value records. In a child process, so a crash fails this test.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runScript } from "../support/child.js";

const entry = JSON.stringify(join(ROOT, "dist", "index.js"));

const script = `
  import { Worker } from "node:worker_threads";
  const workerCode = \`
    import { parentPort, workerData } from "node:worker_threads";
    const { HighPerformanceAreaAggregator, ASYNC_MIN_EVALUATIONS } = await import(workerData.entry);
    const n = ASYNC_MIN_EVALUATIONS;
    const scores = new Float64Array(n * 60).fill(1.5), stds = new Float64Array(n * 60).fill(0.1);
    if (workerData.settle === "rejected") scores[n * 30] = NaN;
    const outputs = workerData.settle === "copied"
      ? { score: new Float64Array(n * 10), std: new Float64Array(n * 10), ciLow: new Float64Array(n * 10), ciHigh: new Float64Array(n * 10), quality: new Uint8Array(n * 10) }
      : undefined;
    const aggregator = new HighPerformanceAreaAggregator({ backend: "native" });
    const call = () => aggregator.aggregateColumns({ scores, stds }, outputs);
    // The same call awaited first: what it does is what the blocked one will settle with.
    const first = await call().then((r) => ({ backend: r.metrics.backend }), (e) => ({ code: e.code }));
    call().catch(() => {});
    parentPort.postMessage(first);
    // Blocked until terminated: the call finishes meanwhile, and its settle waits for this thread.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  \`;
  const ended = [];
  for (const settle of ["handed", "copied", "rejected"]) {
    const worker = new Worker(workerCode, { eval: true, workerData: { entry: ${entry}, settle } });
    const first = await new Promise((resolve, reject) => { worker.once("message", resolve); worker.once("error", reject); });
    // Long enough for the call (milliseconds) to finish on the package's call thread first; were
    // it still running, the test would pass without having reached the settle step.
    await new Promise((resolve) => setTimeout(resolve, 300));
    ended.push({ settle, first, exitCode: await worker.terminate() });
  }
  console.log(JSON.stringify(ended));
`;

describe("a call settling while its worker is terminated", () => {
  it("leaves the process alive, whichever way the call settles", () => {
    const result = runScript(script);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { settle: "handed", first: { backend: "native" }, exitCode: 1 },
      { settle: "copied", first: { backend: "native" }, exitCode: 1 },
      { settle: "rejected", first: { code: "E_NON_FINITE" }, exitCode: 1 },
    ]);
  }, 60_000);
});
