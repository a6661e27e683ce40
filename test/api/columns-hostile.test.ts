/**
 * `aggregateColumns` under a hostile or careless caller. Typed-array
 * shapes are what the engine says, the `columns`/`outputs` objects are read once (own
 * properties only), memory shared between outputs and inputs never changes a result, a slot
 * flipped by another thread is either reported or used as it was read — never both — and every
 * error is one of the package's coded classes. Runs on every backend.
 */
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { allocateSharedColumns, HighPerformanceAreaAggregator, ValidationError, type ColumnOutputs } from "../../src/index.js";
import { asValidationError, rejectionOf } from "../support/errors.js";
import { rng } from "../support/float.js";

const aggregator = new HighPerformanceAreaAggregator();

function columnsOf(n: number, seed: number): { scores: Float64Array; stds: Float64Array } {
  const random = rng(seed);
  return {
    scores: new Float64Array(n * 60).map(() => random() * 3),
    stds: new Float64Array(n * 60).map(() => random() * 0.5),
  };
}

const KEYS = ["score", "std", "ciLow", "ciHigh", "quality"] as const;

function plainOutputs(n: number): ColumnOutputs {
  return { score: new Float64Array(n * 10), std: new Float64Array(n * 10), ciLow: new Float64Array(n * 10), ciHigh: new Float64Array(n * 10), quality: new Uint8Array(n * 10) };
}

function expectSameResults(actual: ColumnOutputs, expected: ColumnOutputs): void {
  for (const key of KEYS) expect([...actual[key]], key).toEqual([...expected[key]]);
}

// Async native calls start at 16,384 evaluations; every backend takes this size.
const LARGE = 20_000;

describe("typed-array shapes are the engine's", () => {
  it("an own `length` property on an input or an output changes nothing", async () => {
    const { scores, stds } = columnsOf(3, 1);
    const expected = await aggregator.aggregateColumns({ scores: scores.slice(), stds: stds.slice() });
    Object.defineProperty(scores, "length", { value: 60 });
    Object.defineProperty(stds, "byteLength", { value: 8 });
    const outputs = plainOutputs(3);
    Object.defineProperty(outputs.score, "length", { value: 1 });
    const result = await aggregator.aggregateColumns({ scores, stds }, outputs);
    expect(result.score).toBe(outputs.score);
    expectSameResults(result, expected);
  });

  it("a resizable buffer that says it is not, shrunk to nothing while the call runs: no crash, the values it had", async () => {
    const Resizable = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer & { resize(n: number): void };
    const { scores, stds } = columnsOf(LARGE, 2);
    const expected = await aggregator.aggregateColumns({ scores, stds });
    const buffer = new Resizable(scores.byteLength, { maxByteLength: scores.byteLength });
    new Float64Array(buffer).set(scores);
    Object.defineProperty(buffer, "resizable", { value: false });
    const original = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "resizable")!;
    Object.defineProperty(ArrayBuffer.prototype, "resizable", { get: () => false, configurable: true });
    try {
      const pending = aggregator.aggregateColumns({ scores: new Float64Array(buffer), stds });
      buffer.resize(0);
      expectSameResults(await pending, expected);
    } finally {
      Object.defineProperty(ArrayBuffer.prototype, "resizable", original);
    }
  });
});

describe("the columns and outputs objects are read once, own properties only", () => {
  it("an output getter runs once, and its array is the one filled and returned", async () => {
    const { scores, stds } = columnsOf(2, 3);
    const expected = await aggregator.aggregateColumns({ scores, stds });
    const outputs = plainOutputs(2);
    let reads = 0;
    const given = { ...outputs } as Record<string, unknown>;
    Object.defineProperty(given, "score", {
      enumerable: true,
      get: () => (++reads === 1 ? outputs.score : new Float64Array(1)),
    });
    const result = await aggregator.aggregateColumns({ scores, stds }, given as unknown as ColumnOutputs);
    expect(reads).toBe(1);
    expect(result.score).toBe(outputs.score);
    expectSameResults(result, expected);
  });

  it("inherited columns are not data: stds on the prototype are ignored", async () => {
    const { scores, stds } = columnsOf(2, 4);
    const columns = Object.create({ stds: stds.map(() => Number.NaN) }) as { scores: Float64Array };
    columns.scores = scores;
    const withoutStds = await aggregator.aggregateColumns({ scores });
    expectSameResults(await aggregator.aggregateColumns(columns), withoutStds);
  });
});

describe("outputs sharing memory with inputs through another SharedArrayBuffer object", () => {
  it("native refuses them as E_TYPE at the output's path; the JS backend's results are the inputs' results", async () => {
    const n = 4;
    const { scores, stds } = columnsOf(n, 5);
    const expected = await aggregator.aggregateColumns({ scores, stds });
    const memory = new SharedArrayBuffer(scores.byteLength);
    const sharedScores = new Float64Array(memory);
    sharedScores.set(scores);
    // The same memory through a second SharedArrayBuffer object: nothing in JavaScript can tell.
    const alias = structuredClone(memory);
    const outputs = { ...plainOutputs(n), ciLow: new Float64Array(alias, 8 * 60, n * 10) };
    const call = aggregator.aggregateColumns({ scores: sharedScores, stds }, outputs);
    if (aggregator.backend === "native") {
      const error = asValidationError(await rejectionOf(call));
      expect(error.issues).toEqual([{ code: "E_TYPE", path: "outputs.ciLow", message: expect.stringContaining("outputs.ciLow shares memory with scores") }]);
    } else {
      const result = await call;
      for (const key of ["score", "std", "ciHigh", "quality"] as const) expect([...result[key]], key).toEqual([...expected[key]]);
      expect([...result.ciLow]).toEqual([...expected.ciLow]);
    }
  });
});

describe("a slot another thread flips between 1.5 and NaN while calls run (SPEC §3: one read)", () => {
  it("every call either rejects naming that slot or resolves with the results of 1.5", async () => {
    const n = 64;
    const slot = 37 * 60 + 6 * 6 + 1; // evaluation 37, PA07 DIM02
    const { scores: plain, stds } = columnsOf(n, 6);
    plain[slot] = 1.5;
    const expected = await aggregator.aggregateColumns({ scores: plain, stds });
    const { scores } = allocateSharedColumns(n);
    scores.set(plain);
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const flipper = new Worker(
      `const { workerData: { buffer, stop, slot } } = require("node:worker_threads");
       const view = new Float64Array(buffer);
       for (let i = 0; i % 1024 !== 0 || Atomics.load(stop, 0) === 0; i++) view[slot] = i % 2 ? Number.NaN : 1.5;`,
      { eval: true, workerData: { buffer: scores.buffer, stop, slot } },
    );
    try {
      for (let call = 0; call < 400; call++) {
        try {
          const result = await aggregator.aggregateColumns({ scores, stds });
          expectSameResults(result, expected);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).issues).toEqual([
            { code: "E_NON_FINITE", path: `scores[${slot}]`, message: expect.stringContaining("evaluation 37, PA07 DIM02") },
          ]);
        }
      }
    } finally {
      Atomics.store(stop, 0, 1);
      await flipper.terminate();
    }
  });
});

describe("SPEC §3 bounds on column stds", () => {
  it("a std above MAX_STD is E_RANGE at its path; MAX_STD itself is accepted", async () => {
    const { scores, stds } = columnsOf(2, 7);
    stds[70] = 1e50;
    await aggregator.aggregateColumns({ scores, stds });
    stds[71] = 1.0000000000000002e50;
    const error = asValidationError(await rejectionOf(aggregator.aggregateColumns({ scores, stds })));
    expect(error.issues.map(({ code, path }) => [code, path])).toEqual([["E_RANGE", "stds[71]"]]);
  });
});

describe("allocateSharedColumns", () => {
  it("gives SharedArrayBuffer columns and outputs that a call fills in place", async () => {
    const { scores, stds, outputs } = allocateSharedColumns(LARGE);
    const source = columnsOf(LARGE, 8);
    scores.set(source.scores);
    stds.set(source.stds);
    const result = await aggregator.aggregateColumns({ scores, stds }, outputs);
    for (const key of KEYS) {
      expect(result[key]).toBe(outputs[key]);
      expect(result[key].buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    expectSameResults(result, await aggregator.aggregateColumns(source));
  });

  it("refuses a count that is not an integer ≥ 0, or too large to allocate, with E_COUNT", () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 60]) {
      let error: unknown;
      try {
        allocateSharedColumns(bad);
      } catch (e) {
        error = e;
      }
      expect(asValidationError(error).issues[0]).toMatchObject({ code: "E_COUNT", path: "evaluations" });
    }
  });
});
