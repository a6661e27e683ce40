/**
 * Options are caller data (SPEC §3): own properties only, each read once, nested `thresholds`
 * and `uncertainty` too, and the per-call options. A polluted Object.prototype supplies no
 * option, to `new HighPerformanceAreaAggregator()`, to `aggregate()`'s shared aggregator or to
 * any nested object; a getter runs once and its first answer is the option.
 */
import { afterEach, describe, expect, it } from "vitest";
import { aggregate, HighPerformanceAreaAggregator, OptionsError, type AggregateResult, type AggregatorOptions } from "../../src/index.js";
import { thrownBy } from "../support/errors.js";
import { makePlan } from "../support/plans.js";
import { PROJECT_BACKEND } from "../support/project.js";

const plan = makePlan((a, d) => ((a * 6 + d) % 13) / 4, () => 0.3);
/** The backend the project's aggregators must keep, and the other one, which pollution names. */
const OTHER_BACKEND = PROJECT_BACKEND === "native" ? "js" : "native";

/** What an inherited option would change: every AreaScore field, and which kernel ran. */
function summary({ areaScores, metrics }: AggregateResult) {
  return {
    areas: areaScores.map(({ score, scoreStd, confidenceInterval95, qualityLevel, aggregationMethod }) => [score, scoreStd, confidenceInterval95, qualityLevel, aggregationMethod]),
    backend: metrics.backend,
    threads: metrics.threads,
  };
}

const POLLUTION: Record<string, unknown> = {
  thresholds: { EXCELENTE: 0, BUENO: 0, ACEPTABLE: 0 },
  uncertainty: { method: "monte-carlo", samples: 10, seed: 3 },
  nBootstrapSamples: 50,
  backend: OTHER_BACKEND,
  maxWorkers: 1,
  enableJit: false,
  // What a nested options object would inherit.
  EXCELENTE: 0,
  BUENO: 0,
  ACEPTABLE: 0,
  method: "monte-carlo",
  samples: 10,
};

let restore: (() => void) | undefined;

/** Sets every POLLUTION key on Object.prototype (restored after each test). */
function pollute(): void {
  const keys = Object.keys(POLLUTION);
  for (const key of keys) Object.defineProperty(Object.prototype, key, { value: POLLUTION[key], configurable: true, writable: true });
  restore = () => {
    for (const key of keys) delete (Object.prototype as Record<string, unknown>)[key];
  };
}

afterEach(() => {
  restore?.();
  restore = undefined;
});

describe("an inherited name is not an option", () => {
  it("the shared aggregate(), new HighPerformanceAreaAggregator() and one with {} ignore a polluted Object.prototype", async () => {
    const expected = summary(new HighPerformanceAreaAggregator().aggregateSync(plan));
    pollute();
    // The shared aggregator is built by this first call, under the pollution.
    const shared = summary(await aggregate(plan));
    const constructed = new HighPerformanceAreaAggregator();
    const fromEmpty = new HighPerformanceAreaAggregator({});
    const results = [shared, summary(constructed.aggregateSync(plan)), summary(fromEmpty.aggregateSync(plan)), summary(await aggregate(plan))];
    restore!();
    for (const result of results) expect(result).toEqual(expected);
    expect(constructed.backend).toBe(PROJECT_BACKEND);
  });

  it("nested thresholds and uncertainty objects take only their own keys", () => {
    const expected = summary(new HighPerformanceAreaAggregator({ thresholds: { BUENO: 2.2 }, uncertainty: { method: "analytic" } }).aggregateSync(plan));
    const mcExpected = summary(new HighPerformanceAreaAggregator({ uncertainty: { method: "monte-carlo", seed: 5 } }).aggregateSync(plan));
    pollute();
    const nested = summary(new HighPerformanceAreaAggregator({ thresholds: { BUENO: 2.2 }, uncertainty: { method: "analytic" } }).aggregateSync(plan));
    // samples inherited from the prototype (10) would change the interval; the default is 1000.
    const mc = summary(new HighPerformanceAreaAggregator({ uncertainty: { method: "monte-carlo", seed: 5 } }).aggregateSync(plan));
    // An uncertainty object whose method is only inherited is not Monte-Carlo: it has no method.
    const noMethod = thrownBy(() => new HighPerformanceAreaAggregator({ uncertainty: {} } as AggregatorOptions));
    restore!();
    expect(nested).toEqual(expected);
    expect(mc).toEqual(mcExpected);
    expect(noMethod).toBeInstanceOf(OptionsError);
  });

  it("per-call options: an inherited signal or onProgress is not one", async () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const expected = summary(aggregator.aggregateSync(plan));
    Object.defineProperty(Object.prototype, "signal", { value: AbortSignal.abort(), configurable: true, writable: true });
    restore = () => delete (Object.prototype as Record<string, unknown>)["signal"];
    const result = summary(await aggregator.aggregate(plan, null, {}));
    restore();
    expect(result).toEqual(expected);
  });
});

describe("an option is read once", () => {
  it("getters on the options and on nested objects run once; their first answers are the options", () => {
    const reads: Record<string, number> = {};
    const answering = <T>(name: string, first: T, later: unknown) => ({
      get(): T | unknown {
        reads[name] = (reads[name] ?? 0) + 1;
        return reads[name] === 1 ? first : later;
      },
      enumerable: true,
    });
    const thresholds = Object.defineProperty({}, "BUENO", answering("BUENO", 2.2, "not a number"));
    const uncertainty = Object.defineProperties({}, { method: answering("method", "monte-carlo", "bogus"), samples: answering("samples", 20, -1) });
    const options = Object.defineProperties({}, {
      backend: answering("backend", PROJECT_BACKEND, "gpu"),
      thresholds: answering("thresholds", thresholds, null),
      uncertainty: answering("uncertainty", uncertainty, 7),
      maxWorkers: answering("maxWorkers", 1, 0),
    }) as AggregatorOptions;
    const aggregator = new HighPerformanceAreaAggregator(options);
    const plain = new HighPerformanceAreaAggregator({ backend: PROJECT_BACKEND, thresholds: { BUENO: 2.2 }, uncertainty: { method: "monte-carlo", samples: 20 }, maxWorkers: 1 });
    expect(summary(aggregator.aggregateSync(plan))).toEqual(summary(plain.aggregateSync(plan)));
    expect(reads).toEqual({ backend: 1, thresholds: 1, uncertainty: 1, maxWorkers: 1, BUENO: 1, method: 1, samples: 1 });
  });

  it("options a read of which throws, or a revoked Proxy, are an OptionsError", () => {
    const throwing = Object.defineProperty({}, "backend", { get: () => { throw new Error("no"); }, enumerable: true });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    for (const options of [throwing, revoked.proxy, { thresholds: revoked.proxy }, { uncertainty: revoked.proxy }]) {
      expect(thrownBy(() => new HighPerformanceAreaAggregator(options as AggregatorOptions))).toBeInstanceOf(OptionsError);
    }
  });
});
