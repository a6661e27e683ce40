/**
 * SPEC §3: inherited properties are not data — of the caller's arrays, and of our own. With
 * `Array.prototype[0]` polluted, the first plan of a process (rejected early, before it had a
 * slot table) once read the pollution as its slot table and called a method on it: a raw
 * TypeError instead of the ValidationError, and the polluting object written into (found by
 * `npm run fuzz`, sample seed 20287130, index 1). This file is its own process, so the call
 * below is the first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HighPerformanceAreaAggregator } from "../../src/index.js";
import { asValidationError, thrownBy } from "../support/errors.js";
import { makePlan, withEntry } from "../support/plans.js";

const plan = makePlan((a, d) => (a === 0 && d === 0 ? 3 : 1.5), () => 0.1);
const decoy: Record<string, unknown> = { areaId: "PA01", dimensionId: "DIM01", score: 1 };
const before = JSON.stringify(decoy);

describe("a polluted Array.prototype[0]", () => {
  beforeAll(() => Object.defineProperty(Array.prototype, 0, { value: decoy, configurable: true, writable: true, enumerable: false }));
  afterAll(() => delete (Array.prototype as unknown as Record<number, unknown>)[0]);

  it("a plan rejected first still gets its ValidationError, and the pollution is neither used nor written", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const bad = withEntry(plan, 56, { ...plan[56]!, areaId: "pa01" });
    const error = asValidationError(thrownBy(() => aggregator.aggregateSync(bad)));
    expect(error.code).toBe("E_UNKNOWN_ID");
    expect(aggregator.aggregateSync(plan).areaScores[0]!.score).toBe(1.75);
    expect(JSON.stringify(decoy)).toBe(before);
    expect(Object.keys(decoy)).toEqual(["areaId", "dimensionId", "score"]);
  });
});
