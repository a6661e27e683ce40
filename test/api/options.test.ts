/**
 * SPEC §7 options: the Python's switches plus `backend` and `thresholds`; a bad option is an
 * OptionsError (code "E_OPTIONS"); the backend choice is inspectable.
 */
import { describe, expect, it } from "vitest";
import {
  aggregate,
  BackendUnavailableError,
  HighPerformanceAreaAggregator,
  MAX_WORKERS,
  nativeInfo,
  OptionsError,
  type AggregatorOptions,
} from "../../src/index.js";
import { availableParallelism } from "node:os";
import { makePlan } from "../support/plans.js";
import { rejectionOf, thrownBy } from "../support/errors.js";

const plan = makePlan();

function optionsErrorOf(options: unknown): OptionsError {
  const error = thrownBy(() => new HighPerformanceAreaAggregator(options as AggregatorOptions));
  expect(error).toBeInstanceOf(OptionsError);
  const e = error as OptionsError;
  expect(e.code).toBe("E_OPTIONS");
  expect(e.name).toBe("OptionsError");
  expect(e).toBeInstanceOf(Error);
  expect(e.message.length).toBeGreaterThan(0);
  return e;
}

describe("valid options are accepted (controls)", () => {
  it.each([
    ["no options", undefined],
    ["empty object", {}],
    ["every switch on", { enableParallel: true, enableVectorization: true, enableCaching: true, enableJit: true }],
    ["switches off (but native allowed)", { enableParallel: false, enableVectorization: false, enableCaching: false }],
    ["maxWorkers 1", { maxWorkers: 1 }],
    ["maxWorkers 64", { maxWorkers: 64 }],
    ["maxWorkers MAX_WORKERS (256)", { maxWorkers: MAX_WORKERS }],
    ["nBootstrapSamples 1000", { nBootstrapSamples: 1000 }],
    ["uncertainty analytic", { uncertainty: { method: "analytic" } }],
    ["uncertainty monte-carlo, defaults", { uncertainty: { method: "monte-carlo" } }],
    ["uncertainty monte-carlo, full", { uncertainty: { method: "monte-carlo", samples: 2, seed: Number.MAX_SAFE_INTEGER } }],
    ["nBootstrapSamples agreeing with uncertainty.samples", { nBootstrapSamples: 50, uncertainty: { method: "monte-carlo", samples: 50 } }],
    ["backend auto", { backend: "auto" }],
    ["thresholds, full", { thresholds: { EXCELENTE: 2.9, BUENO: 2, ACEPTABLE: 1 } }],
    ["thresholds, partial", { thresholds: { BUENO: 2.2 } }],
    ["thresholds, bounds", { thresholds: { EXCELENTE: 3, BUENO: 0, ACEPTABLE: 0 } }],
  ])("%s", (_name, options) => {
    const aggregator = new HighPerformanceAreaAggregator(options as AggregatorOptions);
    expect(["native", "js"]).toContain(aggregator.backend);
    expect(aggregator.aggregateSync(plan).areaScores).toHaveLength(10);
  });
});

describe("OptionsError for bad options", () => {
  it.each([
    ["an unknown key", { enableTurbo: true }],
    ["a misspelt key", { enableCache: true }],
    ["a snake_case key", { n_bootstrap_samples: 100 }],
  ])("%s", (_name, options) => {
    const error = optionsErrorOf(options);
    expect(error.message).toContain(Object.keys(options)[0]!);
  });

  it.each([
    ["a string", "fast"],
    ["a number", 1],
    ["null", null],
    ["an array", []],
  ])("options that are %s", (_name, options) => {
    optionsErrorOf(options);
  });

  it.each([
    ["enableParallel", "yes"],
    ["enableVectorization", 1],
    ["enableCaching", null],
    ["enableJit", "false"],
    ["maxWorkers", "4"],
    ["nBootstrapSamples", "1000"],
    ["backend", 1],
    ["thresholds", "high"],
    ["thresholds", null],
  ])("wrong type: %s = %j", (name, value) => {
    optionsErrorOf({ [name]: value });
  });

  it.each([
    ["maxWorkers", 0],
    ["maxWorkers", -1],
    ["maxWorkers", 1.5],
    ["maxWorkers", NaN],
    ["maxWorkers", Infinity],
    ["maxWorkers", MAX_WORKERS + 1],
    ["maxWorkers", 1e9],
    ["nBootstrapSamples", 0],
    ["nBootstrapSamples", 1],
    ["nBootstrapSamples", -100],
    ["nBootstrapSamples", 2.5],
    ["nBootstrapSamples", NaN],
    ["nBootstrapSamples", 1_000_001],
  ])("not an integer in range: %s = %s", (name, value) => {
    const error = optionsErrorOf({ [name]: value });
    expect(error.message).toContain(name);
  });

  it.each([
    ["EXCELENTE above 3", { EXCELENTE: 3.5 }],
    ["ACEPTABLE below 0", { ACEPTABLE: -0.1 }],
    ["NaN", { BUENO: NaN }],
    ["Infinity", { EXCELENTE: Infinity }],
    ["a string value", { BUENO: "2" }],
    ["not descending (EXCELENTE < BUENO)", { EXCELENTE: 2.0 }],
    ["not descending (ACEPTABLE > BUENO)", { ACEPTABLE: 2.2 }],
    ["not descending, full", { EXCELENTE: 1, BUENO: 2, ACEPTABLE: 3 }],
    ["an unknown level", { PERFECTO: 2.9 }],
    ["a lower-case level", { excelente: 2.9 }],
    ["INSUFICIENTE is not a threshold", { INSUFICIENTE: 0 }],
  ])("bad thresholds: %s", (_name, thresholds) => {
    optionsErrorOf({ thresholds });
  });

  it.each([
    ["not an object", "monte-carlo"],
    ["null", null],
    ["no method", {}],
    ["an unknown method", { method: "bootstrap" }],
    ["a misspelt method", { method: "monte_carlo" }],
    ["an unknown key", { method: "monte-carlo", sample: 100 }],
    ["samples 1", { method: "monte-carlo", samples: 1 }],
    ["samples 2.5", { method: "monte-carlo", samples: 2.5 }],
    ["samples above 1,000,000", { method: "monte-carlo", samples: 1_000_001 }],
    ["samples as a string", { method: "monte-carlo", samples: "1000" }],
    ["a negative seed", { method: "monte-carlo", seed: -1 }],
    ["a fractional seed", { method: "monte-carlo", seed: 0.5 }],
    ["an unsafe seed", { method: "monte-carlo", seed: 2 ** 53 }],
    ["samples with analytic", { method: "analytic", samples: 100 }],
  ])("bad uncertainty: %s", (_name, uncertainty) => {
    optionsErrorOf({ uncertainty });
  });

  it("nBootstrapSamples disagreeing with uncertainty.samples, or given with analytic", () => {
    expect(optionsErrorOf({ nBootstrapSamples: 10, uncertainty: { method: "monte-carlo", samples: 20 } }).message).toContain("disagree");
    optionsErrorOf({ nBootstrapSamples: 10, uncertainty: { method: "analytic" } });
  });

  it.each(["bogus", "NATIVE", "", "wasm"])("backend %j is rejected", (backend) => {
    const error = optionsErrorOf({ backend });
    expect(error).not.toBeInstanceOf(BackendUnavailableError);
  });

  it("aggregate() with bad options rejects (it does not throw synchronously)", async () => {
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = aggregate(plan, undefined, { backend: "bogus" } as unknown as AggregatorOptions);
    }).not.toThrow();
    const error = await rejectionOf(promise!);
    expect(error).toBeInstanceOf(OptionsError);
    expect((error as OptionsError).code).toBe("E_OPTIONS");
  });
});

describe("backend selection", () => {
  it("enableJit: false selects the js backend", () => {
    const aggregator = new HighPerformanceAreaAggregator({ enableJit: false });
    expect(aggregator.backend).toBe("js");
    expect(aggregator.aggregateSync(plan).metrics.backend).toBe("js");
  });

  it('backend: "js" selects the js backend', () => {
    const aggregator = new HighPerformanceAreaAggregator({ backend: "js" });
    expect(aggregator.backend).toBe("js");
    expect(aggregator.aggregateSync(plan).metrics).toMatchObject({ backend: "js", isa: "js" });
  });

  it('aggregate(plan, undefined, { backend: "js" }) works', async () => {
    const { areaScores, metrics } = await aggregate(plan, undefined, { backend: "js" });
    expect(areaScores).toHaveLength(10);
    expect(areaScores.map((a) => a.score)).toEqual(Array.from({ length: 10 }, () => 1.5));
    expect(metrics.backend).toBe("js");
  });

  it('backend: "auto" is native exactly when the addon loaded', () => {
    const aggregator = new HighPerformanceAreaAggregator({ backend: "auto" });
    expect(aggregator.backend).toBe(nativeInfo().loaded ? "native" : "js");
  });

  it('backend: "native" throws BackendUnavailableError in the forced-JS environment and runs natively in every other', () => {
    // The js project never loads the addon (FARFAN_AGGREGATOR_FORCE_JS=1); the native projects
    // require it (FARFAN_AGGREGATOR_BACKEND=native). The environment, not the outcome, decides
    // which outcome is right.
    if (process.env.FARFAN_AGGREGATOR_FORCE_JS === "1") {
      const error = thrownBy(() => new HighPerformanceAreaAggregator({ backend: "native" }));
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect((error as BackendUnavailableError).name).toBe("BackendUnavailableError");
      expect((error as BackendUnavailableError).code).toBe("E_NATIVE_UNAVAILABLE");
      expect(nativeInfo().loaded).toBe(false);
    } else {
      const aggregator = new HighPerformanceAreaAggregator({ backend: "native" });
      expect(aggregator.backend).toBe("native");
      const { metrics } = aggregator.aggregateSync(plan);
      expect(metrics.backend).toBe("native");
      expect(["avx512", "avx2", "scalar"]).toContain(metrics.isa);
    }
  });

  it("the js and the default backend agree bit for bit", () => {
    const plan2 = makePlan((a, d) => ((a * 13 + d * 7) % 31) / 10.5, (a, d) => (a + 2 * d) / 17);
    const js = new HighPerformanceAreaAggregator({ backend: "js" }).aggregateSync(plan2).areaScores;
    const auto = new HighPerformanceAreaAggregator().aggregateSync(plan2).areaScores;
    auto.forEach((area, a) => {
      expect(Object.is(area.score, js[a]!.score)).toBe(true);
      expect(Object.is(area.scoreStd, js[a]!.scoreStd)).toBe(true);
      expect(Object.is(area.confidenceInterval95[0], js[a]!.confidenceInterval95[0])).toBe(true);
      expect(Object.is(area.confidenceInterval95[1], js[a]!.confidenceInterval95[1])).toBe(true);
    });
  });
});

describe("maxWorkers", () => {
  it("is an integer in [1, MAX_WORKERS], checked at construction", () => {
    expect(MAX_WORKERS).toBe(256);
    expect(optionsErrorOf({ maxWorkers: 257 }).message).toContain("[1, 256]");
  });

  it("the threads a call uses are capped at os.availableParallelism(), however many are allowed", async () => {
    // Eight of the native kernel's minimum chunks (1024 evaluations): enough work for 8 threads.
    const n = 8 * 1024;
    const scores = new Float64Array(n * 60).fill(1.5);
    const { metrics } = await new HighPerformanceAreaAggregator({ maxWorkers: MAX_WORKERS }).aggregateColumns({ scores });
    expect(metrics.threads).toBeGreaterThanOrEqual(1);
    expect(metrics.threads).toBeLessThanOrEqual(availableParallelism());
    if (nativeInfo().loaded) expect(nativeInfo().threads).toBeLessThanOrEqual(availableParallelism());
  });
});
