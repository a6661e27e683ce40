/**
 * Every buffer the package allocates for a call is checked before it is allocated: past what one
 * ArrayBuffer holds (lowered here through a test-only hook, so no test needs gigabytes) the call
 * is refused with ValidationError E_COUNT naming the limit, never a raw RangeError, and a call
 * that needs no such buffer still runs.
 */
import { afterEach, describe, expect, it } from "vitest";
import { allocateSharedColumns, HighPerformanceAreaAggregator, ValidationError } from "../../src/index.js";
import { setMaxBufferBytesForTesting } from "../../src/core/buffers.js";
import { makePlan } from "../support/plans.js";

const LIMIT = 100_000;
const N = 2000; // outputs of N × 10 doubles: 160,000 bytes each, past LIMIT

function columns(n: number) {
  return { scores: new Float64Array(n * 60).fill(1.5), stds: new Float64Array(n * 60).fill(0.2) };
}

async function refusal(call: () => unknown): Promise<ValidationError> {
  setMaxBufferBytesForTesting(LIMIT);
  try {
    await call();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error("the call was not refused");
}

afterEach(() => setMaxBufferBytesForTesting());

describe("buffers past the limit of one ArrayBuffer", () => {
  const aggregator = new HighPerformanceAreaAggregator();

  it("default outputs of aggregateColumns: E_COUNT naming the limit", async () => {
    const error = await refusal(() => aggregator.aggregateColumns(columns(N)));
    expect(error.code).toBe("E_COUNT");
    expect(error.message).toContain(String(LIMIT));
  });

  it("allocateSharedColumns: E_COUNT naming the limit", async () => {
    const error = await refusal(() => allocateSharedColumns(N));
    expect([error.code, error.message.includes(String(LIMIT))]).toEqual(["E_COUNT", true]);
  });

  it("the columns of a batch: E_COUNT", async () => {
    const plan = makePlan();
    const error = await refusal(() => aggregator.aggregateBatch(Array.from({ length: 300 }, () => plan)));
    expect(error.code).toBe("E_COUNT");
  });

  it("a call into the caller's outputs needs none of them and runs", async () => {
    const outputs = { score: new Float64Array(N * 10), std: new Float64Array(N * 10), ciLow: new Float64Array(N * 10), ciHigh: new Float64Array(N * 10), quality: new Uint8Array(N * 10) };
    setMaxBufferBytesForTesting(LIMIT);
    const result = await aggregator.aggregateColumns(columns(N), outputs);
    expect(result.score).toBe(outputs.score);
    expect(result.score[N * 10 - 1]).toBe(1.5);
  });
});
