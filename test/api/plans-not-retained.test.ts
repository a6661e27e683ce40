/**
 * Once a call returns, the package keeps none of its plan alive — not even until V8's
 * next full collection. A single-plan call packs the plan into columns it reuses (so do the
 * CLI's checks), and those columns hold the entries that carry extra fields until the call ends.
 * When their map of extras was cleared rather than replaced, a map that had reached the old
 * generation linked each cleared table to the next, so every later plan with extras stayed
 * reachable through each young-generation collection and was promoted: ~50 KB a plan here, and
 * in the CLI 3 ms a scavenge spent copying dead plans.
 */
import { GCProfiler, setFlagsFromString, type HeapSpaceStatistics } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { HighPerformanceAreaAggregator, type DimensionScore } from "../../src/index.js";
import { makePlan } from "../support/plans.js";

setFlagsFromString("--expose-gc");
const fullGc = runInNewContext("gc") as () => void;

const PLANS = 500;

/** Plan `k`, every entry with an extra field of its own (as the pipeline's JSON has), so the columns hold all 60. */
function planWithExtras(k: number): DimensionScore[] {
  return makePlan().map((entry, i) => ({ ...entry, contributing_questions: Array.from({ length: 20 }, (_, q) => `Q${k}-${i}-${q}`) }));
}

const oldSpaceUsed = ({ heapSpaceStatistics }: { heapSpaceStatistics: HeapSpaceStatistics[] }) =>
  heapSpaceStatistics.find((space) => space.spaceName === "old_space")!.spaceUsedSize;

describe("plans are not kept alive after their call", () => {
  it(`${PLANS} plans with extras, one call each: young-generation collections promote almost nothing`, () => {
    const aggregator = new HighPerformanceAreaAggregator();
    // A full collection moves the reused columns (and what they hold) into the old generation,
    // as the first one of a long-running process does.
    fullGc();
    for (let k = 0; k < 50; k++) aggregator.aggregateSync(planWithExtras(k));
    fullGc();
    const profiler = new GCProfiler();
    profiler.start();
    let areaScores = 0;
    for (let k = 0; k < PLANS; k++) areaScores += aggregator.aggregateSync(planWithExtras(k)).areaScores.length;
    const { statistics } = profiler.stop();
    const scavenges = statistics.filter((gc) => gc.gcType === "Scavenge");
    const promoted = scavenges.reduce((total, gc) => total + oldSpaceUsed(gc.afterGC) - oldSpaceUsed(gc.beforeGC), 0);
    expect(areaScores).toBe(PLANS * 10);
    expect(scavenges.length).toBeGreaterThan(0);
    // Kept plans are promoted whole: 26–29 MB for these 500 with the map cleared. What else survives is small.
    expect(promoted).toBeLessThan(4 * 2 ** 20);
  });
});
