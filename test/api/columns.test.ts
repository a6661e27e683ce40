/**
 * `aggregateColumns` (SPEC §7): the same bits as object input, outputs supplied by the caller
 * filled and reused, bad values reported with their evaluation, area and dimension, bad shapes
 * rejected before any kernel runs, and the caller's arrays never written.
 */
import { describe, expect, it } from "vitest";
import {
  AREA_IDS,
  DIMENSION_IDS,
  HighPerformanceAreaAggregator,
  QUALITY_LEVELS,
  type AreaScore,
  type ColumnOutputs,
  type DimensionScore,
} from "../../src/index.js";
import { makePlan } from "../support/plans.js";
import { expectSameNumber, rng } from "../support/float.js";
import { asValidationError, rejectionOf } from "../support/errors.js";

const aggregator = new HighPerformanceAreaAggregator();

function randomPlans(count: number, seed: number): DimensionScore[][] {
  const random = rng(seed);
  const edge = [0, 3, -0, 1.65, 2.1, 2.55];
  return Array.from({ length: count }, () =>
    makePlan(
      () => (random() < 0.1 ? edge[Math.floor(random() * edge.length)]! : random() * 3),
      () => (random() < 0.2 ? 0 : random()),
    ),
  );
}

/** Objects to columns, written independently of the package: slot e*60 + a*6 + d. */
function toColumns(plans: readonly DimensionScore[][]): { scores: Float64Array; stds: Float64Array } {
  const scores = new Float64Array(plans.length * 60);
  const stds = new Float64Array(plans.length * 60);
  plans.forEach((plan, e) => {
    for (const entry of plan) {
      const slot = e * 60 + AREA_IDS.indexOf(entry.areaId as never) * 6 + DIMENSION_IDS.indexOf(entry.dimensionId as never);
      scores[slot] = entry.score;
      stds[slot] = entry.scoreStd ?? 0;
    }
  });
  return { scores, stds };
}

function expectColumnsMatch(columns: ColumnOutputs, areaScores: readonly AreaScore[][]): void {
  areaScores.forEach((areas, e) =>
    areas.forEach((area, a) => {
      const o = e * 10 + a;
      const where = `evaluation ${e}, ${area.areaId}`;
      expectSameNumber(columns.score[o]!, area.score, `${where} score`);
      expectSameNumber(columns.std[o]!, area.scoreStd, `${where} std`);
      expectSameNumber(columns.ciLow[o]!, area.confidenceInterval95[0], `${where} ciLow`);
      expectSameNumber(columns.ciHigh[o]!, area.confidenceInterval95[1], `${where} ciHigh`);
      expect(QUALITY_LEVELS[columns.quality[o]!], `${where} quality`).toBe(area.qualityLevel);
    }),
  );
}

describe("columns give the bits of objects", () => {
  it("300 random plans, equal weights", async () => {
    const plans = randomPlans(300, 1);
    const columns = await aggregator.aggregateColumns(toColumns(plans));
    expectColumnsMatch(columns, (await aggregator.aggregateBatch(plans)).areaScores);
    expect(columns.metrics.evaluations).toBe(300);
  });

  it("shared weights and weights per evaluation", async () => {
    const plans = randomPlans(40, 2);
    const random = rng(3);
    const perEvaluation = new Float64Array(40 * 60).map(() => (random() < 0.2 ? 0 : random() * 4) + (random() < 0.5 ? 0.25 : 0));
    const table = (e: number) =>
      Object.fromEntries(AREA_IDS.map((id, a) => [id, Object.fromEntries(DIMENSION_IDS.map((d, i) => [d, perEvaluation[e * 60 + a * 6 + i]!]))]));
    for (let e = 0; e < 40; e++) for (let a = 0; a < 10; a++) perEvaluation[e * 60 + a * 6 + 5]! += 0.5; // no zero-sum area
    const shared = perEvaluation.slice(0, 60);

    const sharedColumns = await aggregator.aggregateColumns({ ...toColumns(plans), weights: shared });
    expectColumnsMatch(sharedColumns, (await aggregator.aggregateBatch(plans, table(0))).areaScores);

    const ownColumns = await aggregator.aggregateColumns({ ...toColumns(plans), weights: perEvaluation });
    const own = await aggregator.aggregateBatch(plans.map((dimensionScores, e) => ({ dimensionScores, weights: table(e) })));
    expectColumnsMatch(ownColumns, own.areaScores);
  });

  it("a batch large enough to run off the main thread", async () => {
    const plans = randomPlans(20_000, 4);
    const columns = await aggregator.aggregateColumns(toColumns(plans));
    const batch = await aggregator.aggregateBatch(plans);
    expectColumnsMatch(columns, batch.areaScores);
  });

  it("omitted stds mean σ = 0", async () => {
    const plans = randomPlans(10, 5);
    const { scores } = toColumns(plans);
    const omitted = await aggregator.aggregateColumns({ scores });
    const zeros = await aggregator.aggregateColumns({ scores, stds: new Float64Array(scores.length) });
    for (const key of ["score", "std", "ciLow", "ciHigh"] as const) {
      omitted[key].forEach((value, i) => expectSameNumber(value, zeros[key][i]!, `${key}[${i}]`));
    }
    expect([...omitted.quality]).toEqual([...zeros.quality]);
  });

  it("Monte-Carlo on columns equals Monte-Carlo on objects, firstEvaluation included", async () => {
    const mc = new HighPerformanceAreaAggregator({ uncertainty: { method: "monte-carlo", samples: 200, seed: 3 } });
    const plans = randomPlans(12, 6);
    const columns = await mc.aggregateColumns({ ...toColumns(plans), firstEvaluation: 1000 });
    expectColumnsMatch(columns, (await mc.aggregateBatch(plans, null, { firstEvaluation: 1000 })).areaScores);
  });

  it("no evaluations: empty outputs", async () => {
    const result = await aggregator.aggregateColumns({ scores: new Float64Array(0) });
    expect(result.score).toHaveLength(0);
    expect(result.quality).toHaveLength(0);
    expect(result.metrics.evaluations).toBe(0);
  });
});

describe("outputs supplied by the caller", () => {
  const allocate = (n: number): ColumnOutputs => ({
    score: new Float64Array(n * 10).fill(NaN),
    std: new Float64Array(n * 10).fill(NaN),
    ciLow: new Float64Array(n * 10).fill(NaN),
    ciHigh: new Float64Array(n * 10).fill(NaN),
    quality: new Uint8Array(n * 10).fill(255),
  });

  it("are filled in place, returned, and reused by the next call", async () => {
    const outputs = allocate(25);
    const first = randomPlans(25, 7);
    const second = randomPlans(25, 8);
    const result = await aggregator.aggregateColumns(toColumns(first), outputs);
    for (const key of ["score", "std", "ciLow", "ciHigh", "quality"] as const) expect(result[key]).toBe(outputs[key]);
    expectColumnsMatch(outputs, (await aggregator.aggregateBatch(first)).areaScores);
    await aggregator.aggregateColumns(toColumns(second), outputs);
    expectColumnsMatch(outputs, (await aggregator.aggregateBatch(second)).areaScores);
  });

  it("may be views into one larger buffer, as long as they do not overlap", async () => {
    const memory = new ArrayBuffer(4 * 8 * 30 + 30);
    const view = (i: number) => new Float64Array(memory, i * 8 * 30, 30);
    const outputs = { score: view(0), std: view(1), ciLow: view(2), ciHigh: view(3), quality: new Uint8Array(memory, 4 * 8 * 30, 30) };
    const plans = randomPlans(3, 9);
    await aggregator.aggregateColumns(toColumns(plans), outputs);
    expectColumnsMatch(outputs, (await aggregator.aggregateBatch(plans)).areaScores);
  });
});

describe("bad values are reported with evaluation, area and dimension", () => {
  it("a NaN score, an out-of-range score and a negative std, each with its path and place", async () => {
    const { scores, stds } = toColumns(randomPlans(30, 10));
    scores[3 * 60 + 6 * 6 + 1] = NaN; // evaluation 3, PA07, DIM02
    scores[17 * 60 + 0 * 6 + 5] = 3.5; // evaluation 17, PA01, DIM06
    stds[29 * 60 + 9 * 6 + 0] = -0.1; // evaluation 29, PA10, DIM01
    const error = asValidationError(await rejectionOf(aggregator.aggregateColumns({ scores, stds })));
    expect(error.code).toBe("E_NON_FINITE");
    expect(error.issues.map(({ code, path }) => [code, path])).toEqual([
      ["E_NON_FINITE", `scores[${3 * 60 + 37}]`],
      ["E_RANGE", `scores[${17 * 60 + 5}]`],
      ["E_RANGE", `stds[${29 * 60 + 54}]`],
    ]);
    expect(error.issues[0]!.message).toContain("evaluation 3, PA07 DIM02");
    expect(error.issues[1]!.message).toContain("evaluation 17, PA01 DIM06");
    expect(error.issues[2]!.message).toContain("evaluation 29, PA10 DIM01");
  });

  it("in a batch large enough to run off the main thread, an infinite std at the very end", async () => {
    const { scores, stds } = toColumns(randomPlans(20_000, 11));
    stds[stds.length - 1] = Infinity;
    const error = asValidationError(await rejectionOf(aggregator.aggregateColumns({ scores, stds })));
    expect(error.issues).toEqual([
      { code: "E_NON_FINITE", path: `stds[${stds.length - 1}]`, message: expect.stringContaining("evaluation 19999, PA10 DIM06") },
    ]);
  });

  it("without stds, a negative score is one issue (the scores are not reported twice)", async () => {
    const { scores } = toColumns(randomPlans(2, 12));
    scores[70] = -1;
    const error = asValidationError(await rejectionOf(aggregator.aggregateColumns({ scores })));
    expect(error.issues.map((i) => i.path)).toEqual(["scores[70]"]);
  });

  it("without stds, in a batch large enough to run off the main thread over ordinary arrays, still one issue", async () => {
    const { scores } = toColumns(randomPlans(20_000, 14));
    scores[scores.length - 7] = NaN;
    const error = asValidationError(await rejectionOf(aggregator.aggregateColumns({ scores })));
    expect(error.issues.map((i) => i.path)).toEqual([`scores[${scores.length - 7}]`]);
  });

  it("the caller's arrays are never written, even when rejected", async () => {
    const { scores, stds } = toColumns(randomPlans(5, 13));
    scores[100] = -0.5;
    const before = [scores.slice(), stds.slice()];
    await rejectionOf(aggregator.aggregateColumns({ scores, stds }));
    await aggregator.aggregateColumns({ scores: before[0]!.map((s) => Math.max(0, s)), stds });
    expect([...scores]).toEqual([...before[0]!]);
    expect([...stds]).toEqual([...before[1]!]);
  });
});

describe("bad shapes are rejected before any kernel runs", () => {
  const { scores, stds } = toColumns(randomPlans(2, 14));
  const cases: [string, unknown, unknown, string, string][] = [
    ["columns not an object", null, undefined, "E_TYPE", ""],
    ["scores as a plain array", { scores: [...scores] }, undefined, "E_TYPE", "scores"],
    ["scores as a Float32Array", { scores: new Float32Array(120) }, undefined, "E_TYPE", "scores"],
    ["scores not a multiple of 60", { scores: scores.subarray(0, 100) }, undefined, "E_COUNT", "scores"],
    ["stds of another length", { scores, stds: stds.subarray(0, 60) }, undefined, "E_COUNT", "stds"],
    ["an unknown key", { scores, std: stds }, undefined, "E_TYPE", "std"],
    ["weights of a wrong length", { scores, weights: new Float64Array(61) }, undefined, "E_COUNT", "weights"],
    ["a negative weight", { scores, weights: new Float64Array(60).fill(1).fill(-1, 7, 8) }, undefined, "E_WEIGHTS", "weights[7]"],
    ["a NaN weight", { scores, weights: new Float64Array(120).fill(1).fill(NaN, 100, 101) }, undefined, "E_WEIGHTS", "weights[100]"],
    ["an area whose weights sum to 0", { scores, weights: new Float64Array(60).fill(1).fill(0, 12, 18) }, undefined, "E_WEIGHTS", "weights[12]"],
    ["firstEvaluation negative", { scores, firstEvaluation: -1 }, undefined, "E_RANGE", "firstEvaluation"],
    ["firstEvaluation fractional", { scores, firstEvaluation: 1.5 }, undefined, "E_RANGE", "firstEvaluation"],
    ["outputs not an object", { scores }, 7, "E_TYPE", "outputs"],
    ["an output of the wrong length", { scores }, { score: new Float64Array(10), std: new Float64Array(20), ciLow: new Float64Array(20), ciHigh: new Float64Array(20), quality: new Uint8Array(20) }, "E_COUNT", "outputs.score"],
    ["quality as a Float64Array", { scores }, { score: new Float64Array(20), std: new Float64Array(20), ciLow: new Float64Array(20), ciHigh: new Float64Array(20), quality: new Float64Array(20) }, "E_TYPE", "outputs.quality"],
  ];

  it.each(cases)("%s → %s", async (_name, columns, outputs, code, path) => {
    const error = asValidationError(await rejectionOf(aggregator.aggregateColumns(columns as never, outputs as never)));
    expect(error.code).toBe(code);
    expect(error.issues[0]!.path).toBe(path);
  });

  it("outputs sharing memory with an input or with each other", async () => {
    const shared = new Float64Array(20);
    const outputs = { score: shared, std: new Float64Array(20), ciLow: shared, ciHigh: new Float64Array(20), quality: new Uint8Array(20) };
    const error = asValidationError(await rejectionOf(aggregator.aggregateColumns({ scores, stds }, outputs)));
    expect(error.issues.map((i) => [i.code, i.path])).toEqual([["E_TYPE", "outputs.ciLow"]]);
    expect(error.issues[0]!.message).toContain("outputs.score");
    const intoInput = { ...outputs, ciLow: new Float64Array(20), std: new Float64Array(stds.buffer, 0, 20) };
    const error2 = asValidationError(await rejectionOf(aggregator.aggregateColumns({ scores, stds }, intoInput)));
    expect(error2.issues[0]!.message).toContain("shares memory with stds");
  });

  it("a resizable buffer is read as it is when the call starts, like any other", async () => {
    // ES2024 resizable buffers: Node 20 has them, its type definitions do not.
    const Resizable = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer;
    const buffer = new Resizable(120 * 8, { maxByteLength: 240 * 8 });
    const resizable = new Float64Array(buffer);
    resizable.set(scores);
    const fromResizable = await aggregator.aggregateColumns({ scores: resizable, stds });
    const plain = await aggregator.aggregateColumns({ scores: scores.slice(), stds });
    expect([...fromResizable.score]).toEqual([...plain.score]);
  });
});
