/**
 * A large call without `outputs` resolves with outputs of the package's own. On the
 * native backend they are memory the engine hands over, which goes back to it once V8 has
 * collected the arrays (when no JavaScript can see it any more) and then serves a later call's
 * outputs, so they are not faulted in afresh for every call. Whatever later calls reuse, a
 * result the caller still holds never changes, and every result is that of the same call into
 * SharedArrayBuffer outputs, which the kernel writes in place.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { allocateSharedColumns, ASYNC_MIN_EVALUATIONS, HighPerformanceAreaAggregator, type ColumnOutputs, type ColumnsResult } from "../src/index.js";
import { rng } from "./support/float.js";

setFlagsFromString("--expose-gc");
const fullGc = runInNewContext("gc") as () => void;

const KEYS = ["score", "std", "ciLow", "ciHigh", "quality"] as const;
const N = ASYNC_MIN_EVALUATIONS + 1000; // large enough to run off the JS thread
const CALLS = 12;

const aggregator = new HighPerformanceAreaAggregator();

function columns(seed: number): { scores: Float64Array; stds: Float64Array } {
  const random = rng(seed);
  return { scores: new Float64Array(N * 60).map(() => random() * 3), stds: new Float64Array(N * 60).map(() => random() * 0.5) };
}

/** A view of the bytes of each of a result's arrays. */
function bytesOf(result: ColumnOutputs): Buffer[] {
  return KEYS.map((key) => Buffer.from(result[key].buffer, result[key].byteOffset, result[key].byteLength));
}

describe("default outputs of large calls", () => {
  it("are the results of the in-place call, and a result still held never changes while later calls reuse collected ones", async () => {
    const { outputs } = allocateSharedColumns(N);
    const held: { call: number; result: ColumnsResult; bytes: Buffer[] }[] = [];
    for (let call = 0; call < CALLS; call++) {
      const input = columns(call + 1);
      const result = await aggregator.aggregateColumns(input);
      expect(result.score).toHaveLength(N * 10);
      await aggregator.aggregateColumns(input, outputs);
      const inPlace = bytesOf(outputs);
      const bytes = bytesOf(result).map((view) => Buffer.from(view)); // copies: what the result must still hold later
      KEYS.forEach((key, k) => expect(bytes[k]!.equals(inPlace[k]!), `call ${call}: ${key}`).toBe(true));
      // Every third result is kept; the others are dropped, collected, and their memory is
      // free for the calls that follow (its return runs as a task of its own: one turn).
      if (call % 3 === 0) held.push({ call, result, bytes });
      fullGc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (const { call, result, bytes } of held) {
      const now = bytesOf(result);
      KEYS.forEach((key, k) => expect(now[k]!.equals(bytes[k]!), `held result of call ${call}: ${key}`).toBe(true));
    }
  });
});
