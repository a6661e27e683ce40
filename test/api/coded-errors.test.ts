/**
 * Every error the API throws is one of ours, with a code, for inputs that used to escape as raw
 * engine errors: an array whose buffer was detached before the call (E_BUFFER_DETACHED), a
 * revoked Proxy where columns, outputs, call options or codec input go (E_TYPE), and an object
 * that only inherits from AbortSignal given as `signal` (E_TYPE).
 */
import { describe, expect, it } from "vitest";
import {
  AggregationError,
  aggregate,
  areaScoreToDict,
  dimensionScoresFromJson,
  HighPerformanceAreaAggregator,
  ValidationError,
  type AreaScore,
  type CallOptions,
  type ColumnInput,
  type ColumnOutputs,
} from "../../src/index.js";
import { asValidationError, rejectionOf, shapes, thrownBy } from "../support/errors.js";
import { columns } from "../support/long-call.js";
import { makePlan } from "../support/plans.js";

const N = 3;
const aggregator = new HighPerformanceAreaAggregator();

function detach(view: ArrayBufferView): void {
  structuredClone(view.buffer, { transfer: [view.buffer as ArrayBuffer] });
}

function outputs(n: number): ColumnOutputs {
  return { score: new Float64Array(n * 10), std: new Float64Array(n * 10), ciLow: new Float64Array(n * 10), ciHigh: new Float64Array(n * 10), quality: new Uint8Array(n * 10) };
}

function revoked(target: object = {}): object {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
}

function expectDetached(error: unknown, path: string): void {
  expect(error).toBeInstanceOf(AggregationError);
  expect((error as AggregationError).code).toBe("E_BUFFER_DETACHED");
  expect((error as AggregationError).message).toContain(path);
}

describe("an array detached before the call", () => {
  it.each(["scores", "stds", "weights"] as const)("%s: AggregationError E_BUFFER_DETACHED naming it", async (key) => {
    const input = { ...columns(N), weights: new Float64Array(60).fill(1) };
    detach(input[key]);
    expectDetached(await rejectionOf(aggregator.aggregateColumns(input)), key);
  });

  it("an output, for n > 0 and for n = 0: AggregationError E_BUFFER_DETACHED naming it", async () => {
    for (const n of [N, 0]) {
      const out = outputs(n);
      detach(out.ciHigh);
      expectDetached(await rejectionOf(aggregator.aggregateColumns(columns(n), out)), "outputs.ciHigh");
    }
  });
});

describe("a revoked Proxy", () => {
  it("as columns, outputs or call options: ValidationError E_TYPE at it", async () => {
    const asColumns = asValidationError(await rejectionOf(aggregator.aggregateColumns(revoked() as ColumnInput)));
    expect(shapes(asColumns)).toEqual([{ code: "E_TYPE", path: "" }]);
    const asOutputs = asValidationError(await rejectionOf(aggregator.aggregateColumns(columns(N), revoked() as ColumnOutputs)));
    expect(shapes(asOutputs)).toEqual([{ code: "E_TYPE", path: "outputs" }]);
    const asCall = asValidationError(await rejectionOf(aggregator.aggregateColumns(columns(N), undefined, revoked() as CallOptions)));
    expect(shapes(asCall)).toEqual([{ code: "E_TYPE", path: "call" }]);
  });

  it("as codec input: a revoked list is left for the aggregator to report; a revoked entry or AreaScore is E_TYPE", async () => {
    const list = dimensionScoresFromJson(revoked([]));
    expect(await rejectionOf(aggregate(list))).toBeInstanceOf(ValidationError);
    const entries = makePlan().map(({ areaId, dimensionId, score }) => ({ area_id: areaId, dimension_id: dimensionId, score }));
    entries[4] = revoked() as (typeof entries)[number];
    const entry = asValidationError(thrownBy(() => dimensionScoresFromJson(entries)));
    expect(shapes(entry)).toEqual([{ code: "E_TYPE", path: "[4]" }]);
    expect(asValidationError(thrownBy(() => areaScoreToDict(revoked() as AreaScore))).code).toBe("E_TYPE");
  });
});

describe("a signal that only inherits from AbortSignal", () => {
  it("is not an AbortSignal: ValidationError E_TYPE at call.signal, on every async method", async () => {
    const fake = Object.create(AbortSignal.prototype) as AbortSignal;
    const calls = [
      aggregator.aggregate(makePlan(), null, { signal: fake }),
      aggregator.aggregateBatch([makePlan()], null, { signal: fake }),
      aggregator.aggregateColumns(columns(N), undefined, { signal: fake }),
    ];
    for (const call of calls) expect(shapes(asValidationError(await rejectionOf(call)))).toEqual([{ code: "E_TYPE", path: "call.signal" }]);
  });
});
