/**
 * SPEC §3 magnitude bounds: a weight is 0 or within [MIN_WEIGHT, MAX_WEIGHT] (else E_WEIGHTS),
 * a std at most MAX_STD (else E_RANGE). Inside them every product and sum of SPEC §4 is finite,
 * so an accepted input never yields Infinity, NaN or null in a result.
 */
import { describe, expect, it } from "vitest";
import {
  areaScoreToDict,
  HighPerformanceAreaAggregator,
  MAX_STD,
  MAX_WEIGHT,
  MIN_WEIGHT,
  type AreaScore,
  type Weights,
} from "../../src/index.js";
import { makePlan, six } from "../support/plans.js";
import { computedNumbers, expectMatchesReference, nextDown, nextUp, referencePlan } from "../support/float.js";
import { asValidationError, shapes, thrownBy } from "../support/errors.js";

/** Every number of the result finite and in range, and none of them null in its JSON form (the CLI's). */
function expectFiniteResult(areaScores: readonly AreaScore[], where: string): void {
  for (const [path, x] of computedNumbers(areaScores)) expect(Number.isFinite(x), `${where}: ${path} = ${x}`).toBe(true);
  for (const area of areaScores) {
    const [low, high] = area.confidenceInterval95;
    expect(area.score >= 0 && area.score <= 3, `${where}: ${area.areaId}.score`).toBe(true);
    expect(0 <= low && low <= area.score && area.score <= high && high <= 3, `${where}: ${area.areaId} interval`).toBe(true);
    const { score, score_std, confidence_interval_95 } = JSON.parse(JSON.stringify(areaScoreToDict(area))) as Record<string, unknown>;
    expect([score, score_std, confidence_interval_95], `${where}: ${area.areaId} as JSON`).toEqual([area.score, area.scoreStd, [low, high]]);
  }
}

const SCORES = [0, 5e-324, 1e-258, 1.7, 3];
const STDS = [0, 5e-324, 1, MAX_STD];
const WEIGHTS: readonly number[] = [0, MIN_WEIGHT, 1, MAX_WEIGHT];

describe("accepted input at the bounds never yields Infinity, NaN or null", () => {
  // Every area takes a different corner: its six weights, scores and stds walk the tables above.
  const corners = Array.from({ length: 40 }, (_, k) => k);
  const plans = corners.map((k) =>
    makePlan(
      (a, d) => SCORES[(k + a + d) % SCORES.length]!,
      (a, d) => STDS[(k * 3 + a + 2 * d) % STDS.length]!,
    ),
  );
  const weightsOf = (k: number): Weights => {
    const table: Record<string, Record<string, number>> = {};
    ["PA01", "PA02", "PA03", "PA04", "PA05", "PA06", "PA07", "PA08", "PA09", "PA10"].forEach((areaId, a) => {
      const row = ["DIM01", "DIM02", "DIM03", "DIM04", "DIM05", "DIM06"].map((_, d) => WEIGHTS[(k + a * 5 + d * 7) % WEIGHTS.length]!);
      if (!row.some((w) => w > 0)) row[a % 6] = MAX_WEIGHT;
      table[areaId] = Object.fromEntries(row.map((w, d) => [`DIM0${d + 1}`, w]));
    });
    return table as Weights;
  };

  it("analytic intervals, one plan at a time and as one batch, equal to the SPEC §4 reference", async () => {
    const aggregator = new HighPerformanceAreaAggregator();
    for (const k of corners) {
      const { areaScores } = aggregator.aggregateSync(plans[k]!, weightsOf(k));
      expectFiniteResult(areaScores, `corner ${k}`);
      expectMatchesReference(areaScores, referencePlan(plans[k]!, weightsOf(k)));
    }
    const batch = await aggregator.aggregateBatch(corners.map((k) => ({ dimensionScores: plans[k]!, weights: weightsOf(k) })));
    batch.areaScores.forEach((areaScores, k) => expectFiniteResult(areaScores, `batch [${k}]`));
  });

  it("Monte-Carlo intervals", async () => {
    const aggregator = new HighPerformanceAreaAggregator({ uncertainty: { method: "monte-carlo", samples: 64, seed: 3 } });
    const batch = await aggregator.aggregateBatch(corners.map((k) => ({ dimensionScores: plans[k]!, weights: weightsOf(k) })));
    batch.areaScores.forEach((areaScores, k) => expectFiniteResult(areaScores, `monte-carlo [${k}]`));
  });

  it("six scores of 1.7 keep their mean at both weight bounds (5e-324 weights once turned it into 2)", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const plan = makePlan(() => 1.7, () => MAX_STD);
    for (const w of [MIN_WEIGHT, MAX_WEIGHT]) {
      const { areaScores } = aggregator.aggregateSync(plan, { PA01: six(w) });
      expect(Math.abs(areaScores[0]!.score - 1.7), `weights ${w}`).toBeLessThan(1e-15);
      expect(Number.isFinite(areaScores[0]!.scoreStd), `weights ${w}`).toBe(true);
      expectFiniteResult(areaScores, `weights ${w}`);
    }
  });
});

describe("outside the bounds is refused", () => {
  const plan = makePlan();
  const aggregator = new HighPerformanceAreaAggregator();

  it.each([
    ["six weights of 1e300 (their std was Infinity)", six(1e300)],
    ["six weights of 5e-324 (six scores of 1.7 came out 2)", six(5e-324)],
    ["one weight just above MAX_WEIGHT", { ...six(), DIM04: nextUp(MAX_WEIGHT) }],
    ["one weight just below MIN_WEIGHT", { ...six(), DIM04: nextDown(MIN_WEIGHT) }],
  ])("%s: E_WEIGHTS at each bad weight", (_name, area) => {
    const error = asValidationError(thrownBy(() => aggregator.aggregateSync(plan, { PA02: area })));
    const bad = Object.entries(area).filter(([, w]) => w !== 1);
    expect(shapes(error)).toEqual(bad.map(([d]) => ({ code: "E_WEIGHTS", path: `weights.PA02.${d}` })));
  });

  it("the same bounds for column weights, per evaluation and shared", async () => {
    const scores = new Float64Array(120).fill(1.5);
    const weights = new Float64Array(120).fill(1);
    weights[7] = 1e300;
    weights[66] = 5e-324;
    const error = asValidationError(await aggregator.aggregateColumns({ scores, weights }).catch((e: unknown) => e));
    expect(shapes(error)).toEqual([
      { code: "E_WEIGHTS", path: "weights[7]" },
      { code: "E_WEIGHTS", path: "weights[66]" },
    ]);
  });

  it("a std just above MAX_STD: E_RANGE", () => {
    const entry = { ...plan[9]!, scoreStd: nextUp(MAX_STD) };
    const error = asValidationError(thrownBy(() => aggregator.aggregateSync(plan.map((e, i) => (i === 9 ? entry : e)))));
    expect(shapes(error)).toEqual([{ code: "E_RANGE", path: "[9].scoreStd" }]);
  });
});
