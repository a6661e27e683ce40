/**
 * A large async call never blocks the event loop, on either backend. The JS backend
 * runs it on a worker thread (src/backend/js-worker*.ts), with results bit-identical to the
 * same evaluations run in-thread (small calls stay on the calling thread). The work is sized by
 * counts, and no wall-clock time is compared (../support/long-call.ts).
 * Worker threads run the built dist/ (`npm run build` first: `npm test` does it).
 */
import { describe, expect, it } from "vitest";
import { AbortError, ASYNC_MIN_MONTE_CARLO_DRAWS } from "../../src/index.js";
import { rejectionOf } from "../support/errors.js";
import { expectIdenticalBits } from "../support/float.js";
import { columns, longCallEvaluations, monteCarlo, SAMPLES } from "../support/long-call.js";

describe("a long Monte-Carlo aggregateColumns leaves the event loop free", () => {
  it("the event loop turns many times while the call runs", async () => {
    const aggregator = monteCarlo(11);
    // Seconds of work, ended by an abort at the first progress report (100 ms in): a call that
    // held the thread would settle before a single turn, whatever the machine's speed.
    const controller = new AbortController();
    let settled = false;
    const call = aggregator.aggregateColumns(columns(longCallEvaluations(aggregator)), undefined, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    const outcome = rejectionOf(call).finally(() => (settled = true));
    let turns = 0;
    while (!settled) {
      await new Promise((resolve) => setImmediate(resolve));
      turns++;
    }
    expect(await outcome).toBeInstanceOf(AbortError);
    // A free loop turns thousands of times in 100 ms (a turn takes microseconds).
    expect(turns).toBeGreaterThan(10);
  });

  it("gives the same bits as the same evaluations in small calls (which run on the calling thread)", async () => {
    const aggregator = monteCarlo(11);
    const plansPerCall = Math.floor((ASYNC_MIN_MONTE_CARLO_DRAWS - 1) / SAMPLES); // below the async threshold
    const n = 24;
    const { scores, stds } = columns(n);
    const whole = await aggregator.aggregateColumns({ scores, stds });
    for (let e = 0; e < n; e += plansPerCall) {
      const to = Math.min(n, e + plansPerCall);
      const part = await aggregator.aggregateColumns({ scores: scores.slice(e * 60, to * 60), stds: stds.slice(e * 60, to * 60), firstEvaluation: e });
      for (const key of ["score", "std", "ciLow", "ciHigh", "quality"] as const) {
        expectIdenticalBits(Array.from(part[key]), Array.from(whole[key].subarray(e * 10, to * 10)), `${key}[${e}..${to})`);
      }
    }
  });
});
