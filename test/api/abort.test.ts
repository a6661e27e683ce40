/**
 * Every async method takes per-call options last, with `signal`. An abort rejects
 * at once with an AbortError shaped as Node's (name "AbortError", code "ABORT_ERR", the
 * signal's reason as cause) and stops the work, on either backend; a signal already aborted
 * rejects before any work; unknown call keys are a ValidationError. No wall-clock time is
 * compared: a long call is aborted at its first progress report (../support/long-call.ts).
 */
import { describe, expect, it } from "vitest";
import { AbortError, aggregate, HighPerformanceAreaAggregator, ValidationError } from "../../src/index.js";
import { asValidationError, rejectionOf, shapes } from "../support/errors.js";
import { columns, cpuSince, longCallEvaluations, monteCarlo } from "../support/long-call.js";
import { makePlan } from "../support/plans.js";

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

describe("the aggregate() function", () => {
  const reason = new Error("the user left");

  it("takes signal in its options, alone or beside aggregator options, as the methods take it last", async () => {
    const plan = makePlan();
    expectAbortError(await rejectionOf(aggregate(plan, null, { signal: AbortSignal.abort(reason) })), reason);
    expectAbortError(await rejectionOf(aggregate(plan, null, { backend: "js", signal: AbortSignal.abort(reason) })), reason);
    const { areaScores } = await aggregate(plan, null, { signal: new AbortController().signal });
    expect(areaScores).toHaveLength(10);
  });

  it("checks them as the methods do: a signal that is not an AbortSignal is a ValidationError", async () => {
    const notSignal = asValidationError(await rejectionOf(aggregate(makePlan(), null, { signal: "stop" } as never)));
    expect(shapes(notSignal)).toEqual([{ code: "E_TYPE", path: "call.signal" }]);
  });

  it("reads no inherited signal: a polluted prototype supplies no option", async () => {
    const options = Object.create({ signal: AbortSignal.abort(reason) }) as object;
    const { areaScores } = await aggregate(makePlan(), null, options);
    expect(areaScores).toHaveLength(10);
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
  it("rejects with AbortError before the call finishes, and the work stops", async () => {
    const aggregator = monteCarlo();
    const n = longCallEvaluations(aggregator);
    const controller = new AbortController();
    // Aborted at the first progress report: a call of seconds is still a small part done.
    const reports: number[] = [];
    const call = aggregator.aggregateColumns(columns(n), undefined, {
      signal: controller.signal,
      onProgress: (done) => {
        reports.push(done);
        controller.abort();
      },
    });
    const reason = await rejectionOf(call);
    expectAbortError(reason, controller.signal.reason);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toBeLessThan(n);
    // The work stopped: over the next 400 ms the process (every thread) spends a fraction of
    // what a call still drawing would (400 ms of CPU per thread). A busy machine can only
    // lower what a running call gets, so this never fails for want of speed.
    const cpu = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(cpuSince(cpu)).toBeLessThan(100_000);
  });
});
