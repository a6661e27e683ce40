/**
 * The JS backend's worker threads cannot take the host down: a worker that fails or exits
 * while idle (between jobs, when nothing waits on it) is retired, and the next large call starts
 * a new one and gets the same results. Runs in a child process, so that a crash fails this test
 * rather than the runner; the child reaches the idle worker through the pool's test hook.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ASYNC_MIN_EVALUATIONS } from "../../src/index.js";
import { ROOT, runScript } from "../support/child.js";

const dist = (file: string) => JSON.stringify(join(ROOT, "dist", file));

const script = `
  const { HighPerformanceAreaAggregator } = await import(${dist("index.js")});
  const { idleWorkers } = await import(${dist("backend/js-worker-pool.js")});
  const n = ${ASYNC_MIN_EVALUATIONS};
  const scores = new Float64Array(n * 60).map((_, i) => (i % 31) / 10);
  const stds = new Float64Array(n * 60).map((_, i) => (i % 7) / 10);
  const aggregator = new HighPerformanceAreaAggregator({ backend: "js" });
  const scoresOf = async () => Array.from((await aggregator.aggregateColumns({ scores, stds })).score);
  const reference = await scoresOf();
  const same = (a) => a.length === reference.length && a.every((x, i) => Object.is(x, reference[i]));
  const report = { idleAfterCall: idleWorkers().length, afterError: false, afterExit: false };

  // An error event on an idle worker, emitted from a callback as Node emits it for an uncaught
  // exception in the thread: unheard, it is an uncaught exception of the host.
  const failing = idleWorkers()[0];
  await new Promise((resolve) => setImmediate(() => { failing.emit("error", new Error("failure while idle")); resolve(); }));
  report.retiredOnError = !idleWorkers().includes(failing);
  report.afterError = same(await scoresOf());

  // An idle worker whose thread ends.
  const exiting = idleWorkers()[0];
  await exiting.terminate();
  await new Promise((resolve) => setImmediate(resolve));
  report.retiredOnExit = !idleWorkers().includes(exiting);
  report.afterExit = same(await scoresOf());
  console.log(JSON.stringify(report));
`;

describe("an idle JS-backend worker that fails", () => {
  it("is retired without harm to the host, and the next call runs on a new worker", () => {
    const r = runScript(script, { FARFAN_AGGREGATOR_FORCE_JS: "1" });
    expect(r.stderr).not.toContain("failure while idle");
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ idleAfterCall: 1, retiredOnError: true, afterError: true, retiredOnExit: true, afterExit: true });
  });
});
