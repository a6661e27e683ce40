/**
 * A JS-backend worker thread that dies while it runs a call costs that call alone: the call
 * rejects with AggregationError E_INTERNAL, the calls waiting behind it and the next ones run on
 * a new worker with the same results, and the host goes on. Nothing in the package's input kills
 * a worker, so the fault is put in from outside: a copy of the built package whose worker module
 * exits its thread on a job of a marked size. Runs in a child process on the JS backend.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ASYNC_MIN_EVALUATIONS } from "../../src/index.js";
import { scratchFiles } from "../support/cli.js";
import { runScript } from "../support/child.js";
import { exitingWorker, packageWithWorker } from "../support/worker-fault.js";

const scratch = scratchFiles();
/** The one call size whose job makes the worker exit: the smallest call that runs on a worker, plus one. */
const MARKED = ASYNC_MIN_EVALUATIONS + 1;

describe("a JS-backend worker that dies while running a call", () => {
  it("rejects that call with E_INTERNAL; the calls in line and later ones get their results on a new worker", () => {
    const dir = packageWithWorker(scratch.path("package"), "backend/js-worker.js", exitingWorker("./js-worker.real.js", `(task) => task.evaluations === ${MARKED}`));
    const r = runScript(
      `
      const { AggregationError, HighPerformanceAreaAggregator } = await import(${JSON.stringify(join(dir, "dist/index.js"))});
      const aggregator = new HighPerformanceAreaAggregator({ backend: "js" });
      const call = async (n) => {
        const scores = new Float64Array(n * 60).map((_, i) => (i % 31) / 10);
        const stds = new Float64Array(n * 60).map((_, i) => (i % 7) / 10);
        return Array.from((await aggregator.aggregateColumns({ scores, stds })).score.subarray(0, ${ASYNC_MIN_EVALUATIONS * 10}));
      };
      const reference = await call(${ASYNC_MIN_EVALUATIONS});
      const same = (a) => a.length === reference.length && a.every((x, i) => Object.is(x, reference[i]));
      const [marked, ...waiting] = await Promise.allSettled([call(${MARKED}), call(${ASYNC_MIN_EVALUATIONS}), call(${ASYNC_MIN_EVALUATIONS})]);
      console.log(JSON.stringify({
        marked: marked.status === "rejected" && marked.reason instanceof AggregationError ? [marked.reason.code, marked.reason.message] : marked.status,
        waiting: waiting.map((o) => o.status === "fulfilled" && same(o.value)),
        next: same(await call(${ASYNC_MIN_EVALUATIONS})),
      }));
      `,
      { FARFAN_AGGREGATOR_FORCE_JS: "1" },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      marked: ["E_INTERNAL", "the JS backend's worker thread failed: exit code 70"],
      waiting: [true, true],
      next: true,
    });
  });
});
