/**
 * Issue 11: every async method takes per-call options last, with `signal`. An abort rejects
 * at once with an AbortError shaped as Node's (name "AbortError", code "ABORT_ERR", the
 * signal's reason as cause) and stops the work, on either backend; a signal already aborted
 * rejects before any work; unknown call keys are a ValidationError. Work is sized by counts,
 * and the abort's promptness judged against the same call's own measured full duration.
 */
import { describe, expect, it } from "vitest";
import { AbortError, HighPerformanceAreaAggregator, ValidationError } from "../src/index.js";
import { asValidationError, rejectionOf, shapes } from "./support/errors.js";
import { rng } from "./support/float.js";
import { makePlan } from "./support/plans.js";

function monteCarlo(): HighPerformanceAreaAggregator {
  return new HighPerformanceAreaAggregator({ uncertainty: { method: "monte-carlo", samples: 1000, seed: 5 } });
}

function columns(n: number) {
  const random = rng(n);
  return { scores: new Float64Array(n * 60).map(() => random() * 3), stds: new Float64Array(n * 60).map(() => random() * 0.5) };
}

function expectAbortError(error: unknown, reason: unknown): void {
  expect(error).toBeInstanceOf(AbortError);
  const { name, code, cause } = error as AbortError;
  expect({ name, code }).toEqual({ name: "AbortError", code: "ABORT_ERR" });
  expect(cause).toBe(reason);
}

describe("a signal already aborted", () => {
  const reason = new Error("the user left");
  const signal = AbortSignal.abort(reason);

  it("rejects every async method before any work", async () => {
    const aggregator = monteCarlo();
    const plan = makePlan();
    expectAbortError(await rejectionOf(aggregator.aggregate(plan, null, { signal })), reason);
    expectAbortError(await rejectionOf(aggregator.aggregateBatch([plan, plan], null, { signal, firstEvaluation: 3 })), reason);
    const outputs = { score: new Float64Array(10).fill(-1), std: new Float64Array(10), ciLow: new Float64Array(10), ciHigh: new Float64Array(10), quality: new Uint8Array(10) };
    expectAbortError(await rejectionOf(aggregator.aggregateColumns(columns(1), outputs, { signal })), reason);
    expect(outputs.score.every((x) => x === -1)).toBe(true);
  });
});

describe("call options are checked", () => {
  it("unknown keys and a signal that is not an AbortSignal are ValidationErrors naming them", async () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const bad = asValidationError(await rejectionOf(aggregator.aggregateColumns(columns(1), undefined, { firstEvaluation: 1 } as never)));
    expect(shapes(bad)).toEqual([{ code: "E_TYPE", path: "call.firstEvaluation" }]);
    const notSignal = asValidationError(await rejectionOf(aggregator.aggregate(makePlan(), null, { signal: "stop" } as never)));
    expect(shapes(notSignal)).toEqual([{ code: "E_TYPE", path: "call.signal" }]);
    const batch = await rejectionOf(aggregator.aggregateBatch([makePlan()], null, { firstEvaluation: 0, onAbort: 1 } as never));
    expect(error(batch)).toEqual([{ code: "E_TYPE", path: "call.onAbort" }]);
  });
});

function error(value: unknown) {
  expect(value).toBeInstanceOf(ValidationError);
  return shapes(value as ValidationError);
}

describe("aborting a long call", () => {
  it("rejects with AbortError well before the call would have finished", async () => {
    const aggregator = monteCarlo();
    // Native runs a draw ~30× faster: size each backend's call to a few hundred milliseconds.
    const { scores, stds } = columns(aggregator.backend === "js" ? 40 : 1500);
    // The first large call starts the JS backend's worker thread: not part of what is measured.
    await aggregator.aggregateColumns({ scores: scores.subarray(0, 600), stds: stds.subarray(0, 600) });
    const fullStart = performance.now();
    const fullCpu = process.cpuUsage();
    await aggregator.aggregateColumns({ scores, stds });
    const full = performance.now() - fullStart;
    const cpuOfFull = cpuSince(fullCpu);

    const controller = new AbortController();
    const cpu = process.cpuUsage();
    const start = performance.now();
    const call = aggregator.aggregateColumns({ scores, stds }, undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(), full / 10);
    const reason = await rejectionOf(call);
    const elapsed = performance.now() - start;
    expectAbortError(reason, controller.signal.reason);
    // Aborted a tenth of the way in: even a slow abort comes in well before the end.
    expect(elapsed).toBeLessThan(full * 0.7);
    // The work stopped: over a little more than the time the whole call took, the process
    // (every thread) spent far less CPU than the whole call did (unstopped, as much: 0.7–1×).
    await new Promise((resolve) => setTimeout(resolve, full * 1.2 - elapsed));
    expect(cpuSince(cpu)).toBeLessThan(cpuOfFull * 0.5);
  });
});

/** CPU microseconds the process (all its threads) spent since `from`. */
function cpuSince(from: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(from);
  return user + system;
}
