/**
 * Issue 11: `onProgress(done, total)` follows a long call, on either backend: evaluations done,
 * growing, at most every 100 ms, and (total, total) once at the end. Work is sized by counts;
 * the rate is judged against the call's own measured duration.
 */
import { describe, expect, it } from "vitest";
import { HighPerformanceAreaAggregator } from "../src/index.js";
import { asValidationError, rejectionOf, shapes } from "./support/errors.js";
import { rng } from "./support/float.js";
import { makePlan } from "./support/plans.js";

function monteCarlo(): HighPerformanceAreaAggregator {
  return new HighPerformanceAreaAggregator({ uncertainty: { method: "monte-carlo", samples: 1000, seed: 9 } });
}

function columns(n: number) {
  const random = rng(n);
  return { scores: new Float64Array(n * 60).map(() => random() * 3), stds: new Float64Array(n * 60).map(() => random() * 0.5) };
}

describe("onProgress", () => {
  it("reports growing counts at a bounded rate during a long call, then (total, total)", async () => {
    const aggregator = monteCarlo();
    // A few hundred milliseconds of work on each backend (native is ~30× faster per draw).
    const n = aggregator.backend === "js" ? 40 : 1500;
    const reports: [number, number][] = [];
    const start = performance.now();
    await aggregator.aggregateColumns(columns(n), undefined, { onProgress: (done, total) => reports.push([done, total]) });
    const duration = performance.now() - start;
    expect(reports.at(-1)).toEqual([n, n]);
    for (let i = 1; i < reports.length; i++) expect(reports[i]![0]).toBeGreaterThan(reports[i - 1]![0]);
    expect(reports.every(([done, total]) => total === n && done > 0 && done <= n)).toBe(true);
    // At most one report per 100 ms, plus the last.
    expect(reports.length).toBeLessThanOrEqual(Math.floor(duration / 100) + 2);
    // A call of many intervals reports while it runs (the event loop is free to).
    if (duration > 500) expect(reports.length).toBeGreaterThan(1);
  });

  it("for a batch too, and once with (total, total) for a call too small to leave the thread", async () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const reports: [number, number][] = [];
    await aggregator.aggregateBatch([makePlan(), makePlan()], null, { onProgress: (done, total) => reports.push([done, total]) });
    expect(reports).toEqual([[2, 2]]);
  });

  it("an error it throws rejects the call with that error", async () => {
    const mine = new Error("progress bar gone");
    const aggregator = monteCarlo();
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
    const error = asValidationError(await rejectionOf(monteCarlo().aggregateColumns(columns(1), undefined, { onProgress: 1 } as never)));
    expect(shapes(error)).toEqual([{ code: "E_TYPE", path: "call.onProgress" }]);
  });
});
