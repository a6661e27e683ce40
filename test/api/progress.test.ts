/**
 * `onProgress(done, total)` follows a long call, on either backend: evaluations done,
 * growing, at most every 100 ms, and (total, total) once at the end. Work is sized by counts,
 * and nothing waits for a wall-clock time to pass (../support/long-call.ts).
 */
import { describe, expect, it } from "vitest";
import { AbortError, aggregate, HighPerformanceAreaAggregator } from "../../src/index.js";
import { asValidationError, rejectionOf, shapes } from "../support/errors.js";
import { columns, longCallEvaluations, monteCarlo } from "../support/long-call.js";
import { makePlan } from "../support/plans.js";

describe("onProgress", () => {
  it("reports while a long call runs: a count done so far, of the call's total", async () => {
    const aggregator = monteCarlo(9);
    const n = longCallEvaluations(aggregator);
    const controller = new AbortController();
    const reports: [number, number][] = [];
    const call = aggregator.aggregateColumns(columns(n), undefined, {
      signal: controller.signal,
      onProgress: (done, total) => {
        reports.push([done, total]);
        controller.abort(); // the report is what this test waits for: no need to wait for the end
      },
    });
    expect(await rejectionOf(call)).toBeInstanceOf(AbortError);
    expect(reports).toHaveLength(1);
    const [[done, total]] = reports as [[number, number]];
    expect(total).toBe(n);
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(n);
  });

  it("reports growing counts, at most every 100 ms, then (total, total)", async () => {
    const aggregator = monteCarlo(9);
    const n = aggregator.backend === "js" ? 40 : 1500;
    const reports: [number, number][] = [];
    const start = performance.now();
    await aggregator.aggregateColumns(columns(n), undefined, { onProgress: (done, total) => reports.push([done, total]) });
    const duration = performance.now() - start;
    expect(reports.at(-1)).toEqual([n, n]);
    for (let i = 1; i < reports.length; i++) expect(reports[i]![0]).toBeGreaterThan(reports[i - 1]![0]);
    expect(reports.every(([done, total]) => total === n && done > 0 && done <= n)).toBe(true);
    // An upper bound only: timers never fire early, so a slow machine cannot break it.
    expect(reports.length).toBeLessThanOrEqual(Math.floor(duration / 100) + 2);
  });

  it("for a batch too, and once with (total, total) for a call too small to leave the thread", async () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const reports: [number, number][] = [];
    await aggregator.aggregateBatch([makePlan(), makePlan()], null, { onProgress: (done, total) => reports.push([done, total]) });
    expect(reports).toEqual([[2, 2]]);
  });

  it("for one plan too, from the method and from the aggregate() function: once, (1, 1)", async () => {
    for (const call of [
      (onProgress: (done: number, total: number) => void) => new HighPerformanceAreaAggregator().aggregate(makePlan(), null, { onProgress }),
      (onProgress: (done: number, total: number) => void) => aggregate(makePlan(), null, { onProgress }),
      (onProgress: (done: number, total: number) => void) => aggregate(makePlan(), null, { backend: "js", onProgress }),
    ]) {
      const reports: [number, number][] = [];
      await call((done, total) => reports.push([done, total]));
      expect(reports).toEqual([[1, 1]]);
    }
  });

  it("an error it throws rejects the call with that error", async () => {
    const mine = new Error("progress bar gone");
    const aggregator = monteCarlo(9);
    const thrown = await rejectionOf(
      aggregator.aggregateColumns(columns(aggregator.backend === "js" ? 10 : 300), undefined, {
        onProgress: () => {
          throw mine;
        },
      }),
    );
    expect(thrown).toBe(mine);
  });

  it("must be a function", async () => {
    const error = asValidationError(await rejectionOf(monteCarlo(9).aggregateColumns(columns(1), undefined, { onProgress: 1 } as never)));
    expect(shapes(error)).toEqual([{ code: "E_TYPE", path: "call.onProgress" }]);
  });
});
