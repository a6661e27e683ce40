/**
 * SPEC §7 PerformanceMetrics: measured, never estimated; exactly the documented fields; a copy
 * published on the METRICS_CHANNEL diagnostics channel.
 */
import diagnostics_channel from "node:diagnostics_channel";
import { describe, expect, it } from "vitest";
import { aggregate, AUTO_NATIVE_MIN_EVALUATIONS, HighPerformanceAreaAggregator, METRICS_CHANNEL, type PerformanceMetrics } from "../../src/index.js";
import { makePlan } from "../support/plans.js";
import { PROJECT_BACKEND } from "../support/project.js";

const plan = makePlan((a, d) => (a + d) / 6, () => 0.1);

const FIELDS: Record<keyof PerformanceMetrics, "number" | "string"> = {
  totalTimeMs: "number",
  validationTimeMs: "number",
  aggregationTimeMs: "number",
  evaluations: "number",
  areasProcessed: "number",
  dimensionsProcessed: "number",
  backend: "string",
  backendReason: "string",
  isa: "string",
  threads: "number",
  parallelEfficiency: "number",
  cacheHits: "number",
  cacheMisses: "number",
  cacheHitRate: "number",
  cacheSize: "number",
  cacheMaxSize: "number",
};

function checkShape(m: PerformanceMetrics): void {
  expect(Object.keys(m).sort()).toEqual(Object.keys(FIELDS).sort());
  for (const [field, type] of Object.entries(FIELDS)) {
    const value = (m as unknown as Record<string, unknown>)[field];
    expect(typeof value, field).toBe(type);
    if (type === "number") expect(Number.isFinite(value), `${field} finite`).toBe(true);
  }
  expect(["native", "js"]).toContain(m.backend);
  expect(["avx512", "avx2", "scalar", "js"]).toContain(m.isa);
  // backend and isa agree: the js backend reports isa "js", the native one a machine ISA.
  expect(m.isa === "js").toBe(m.backend === "js");
  expect(Number.isInteger(m.threads) && m.threads >= 1).toBe(true);
  for (const field of ["evaluations", "areasProcessed", "dimensionsProcessed", "cacheHits", "cacheMisses", "cacheSize", "cacheMaxSize"] as const) {
    expect(Number.isInteger(m[field]) && m[field] >= 0, field).toBe(true);
  }
  expect(m.cacheHitRate >= 0 && m.cacheHitRate <= 1).toBe(true);
}

function checkTimes(m: PerformanceMetrics): void {
  expect(m.totalTimeMs).toBeGreaterThanOrEqual(0);
  expect(m.validationTimeMs).toBeGreaterThanOrEqual(0);
  expect(m.aggregationTimeMs).toBeGreaterThanOrEqual(0);
  expect(m.totalTimeMs).toBeGreaterThanOrEqual(m.validationTimeMs);
  expect(m.totalTimeMs).toBeGreaterThanOrEqual(m.aggregationTimeMs);
  expect(m.parallelEfficiency).toBeGreaterThan(0);
  expect(m.parallelEfficiency).toBeLessThanOrEqual(1);
}

describe("PerformanceMetrics of one plan", () => {
  it("has every documented field with the right type, and nothing else", async () => {
    const { metrics } = await aggregate(plan);
    checkShape(metrics);
    checkTimes(metrics);
  });

  it("has no fabricated fields", () => {
    const { metrics } = new HighPerformanceAreaAggregator().aggregateSync(plan);
    for (const field of ["vectorizationSpeedup", "memorySavedMb", "jitSpeedup", "speedup", "parallelSpeedup", "memoryUsageMb"]) {
      expect(metrics).not.toHaveProperty(field);
    }
  });

  it("counts 1 evaluation, 10 areas, 60 dimensions", () => {
    const { metrics } = new HighPerformanceAreaAggregator().aggregateSync(plan);
    expect(metrics).toMatchObject({ evaluations: 1, areasProcessed: 10, dimensionsProcessed: 60 });
  });

  it("times are consistent on many calls (total ≥ validation, total ≥ aggregation, all ≥ 0)", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    for (let k = 0; k < 200; k++) checkTimes(aggregator.aggregateSync(plan).metrics);
  });

  it("on the js backend: backend \"js\", isa \"js\", one thread, efficiency in (0, 1]", () => {
    const aggregator = new HighPerformanceAreaAggregator({ backend: "js" });
    expect(aggregator.backend).toBe("js");
    const { metrics } = aggregator.aggregateSync(plan);
    checkShape(metrics);
    expect(metrics).toMatchObject({ backend: "js", isa: "js", threads: 1 });
    checkTimes(metrics);
  });

  it("reports the kernel that ran: under auto, one plan on the TS kernel, a large enough batch on the aggregator's backend", async () => {
    const aggregator = new HighPerformanceAreaAggregator({ backend: "auto" });
    expect(aggregator.aggregateSync(plan).metrics).toMatchObject({ backend: "js", isa: "js", threads: 1 });
    const batch = await aggregator.aggregateBatch(Array.from({ length: AUTO_NATIVE_MIN_EVALUATIONS }, () => plan));
    expect(batch.metrics.backend).toBe(aggregator.backend);
  });

  it("says why its backend ran: under auto, one plan on the TS kernel as a small call; a backend option as requested", async () => {
    const auto = new HighPerformanceAreaAggregator({ backend: "auto" });
    const batch = await auto.aggregateBatch(Array.from({ length: AUTO_NATIVE_MIN_EVALUATIONS }, () => plan));
    if (PROJECT_BACKEND === "native") {
      expect(auto.aggregateSync(plan).metrics).toMatchObject({ backend: "js", backendReason: "small-call" });
      expect(batch.metrics).toMatchObject({ backend: "native", backendReason: "auto" });
    } else {
      // The js project sets FARFAN_AGGREGATOR_FORCE_JS: no engine, and the metrics say so.
      expect(auto.aggregateSync(plan).metrics).toMatchObject({ backend: "js", backendReason: "force-js" });
      expect(batch.metrics).toMatchObject({ backend: "js", backendReason: "force-js" });
    }
    const { metrics } = await aggregate(plan, null, { backend: "js" });
    expect(metrics).toMatchObject({ backend: "js", backendReason: "requested" });
  });

  it("each call gets its own metrics object", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const a = aggregator.aggregateSync(plan).metrics;
    const b = aggregator.aggregateSync(plan).metrics;
    expect(a).not.toBe(b);
    a.evaluations = 99;
    expect(b.evaluations).toBe(1);
  });
});

describe("PerformanceMetrics of a batch", () => {
  it.each([0, 1, 7])("counts n = %i evaluations, 10n areas, 60n dimensions", async (n) => {
    const { metrics, areaScores } = await new HighPerformanceAreaAggregator().aggregateBatch(Array.from({ length: n }, () => plan));
    expect(areaScores).toHaveLength(n);
    expect(metrics).toMatchObject({ evaluations: n, areasProcessed: 10 * n, dimensionsProcessed: 60 * n });
    checkShape(metrics);
    checkTimes(metrics);
  });

  it("a large batch takes measurable time (the times are measured, not constants)", async () => {
    const n = 3000;
    const plans = Array.from({ length: n }, (_, e) => makePlan((a, d) => ((e + a + d) % 30) / 10, () => 0.1));
    const { metrics } = await new HighPerformanceAreaAggregator().aggregateBatch(plans);
    expect(metrics.evaluations).toBe(n);
    expect(metrics.totalTimeMs).toBeGreaterThan(0);
    expect(metrics.validationTimeMs + metrics.aggregationTimeMs).toBeGreaterThan(0);
    checkTimes(metrics);
  });
});

describe("the diagnostics channel", () => {
  function capture<T>(run: () => T): { result: T; received: unknown[] } {
    const received: unknown[] = [];
    const listener = (message: unknown): void => {
      received.push(message);
    };
    diagnostics_channel.subscribe(METRICS_CHANNEL, listener);
    try {
      return { result: run(), received };
    } finally {
      diagnostics_channel.unsubscribe(METRICS_CHANNEL, listener);
    }
  }

  it("METRICS_CHANNEL is a non-empty string", () => {
    expect(typeof METRICS_CHANNEL).toBe("string");
    expect(METRICS_CHANNEL.length).toBeGreaterThan(0);
  });

  it("a subscriber receives a copy equal to the returned metrics", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const { result, received } = capture(() => aggregator.aggregateSync(plan));
    expect(received).toHaveLength(1);
    expect(received[0]).toEqual(result.metrics);
    expect(received[0]).not.toBe(result.metrics);
  });

  it("mutating the received copy does not change the returned metrics", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const { result, received } = capture(() => aggregator.aggregateSync(plan));
    const snapshot = structuredClone(result.metrics);
    const copy = received[0] as Record<string, unknown>;
    for (const key of Object.keys(copy)) copy[key] = "tampered";
    copy.extra = 1;
    expect(result.metrics).toStrictEqual(snapshot);
  });

  it("a subscriber that mutates during publish cannot change what the caller receives", () => {
    const aggregator = new HighPerformanceAreaAggregator();
    const listener = (message: unknown): void => {
      (message as Record<string, unknown>).evaluations = -1;
      (message as Record<string, unknown>).backend = "tampered";
    };
    diagnostics_channel.subscribe(METRICS_CHANNEL, listener);
    try {
      const { metrics } = aggregator.aggregateSync(plan);
      expect(metrics.evaluations).toBe(1);
      expect(metrics.backend).toBe(PROJECT_BACKEND);
    } finally {
      diagnostics_channel.unsubscribe(METRICS_CHANNEL, listener);
    }
  });

  it("async aggregate() and aggregateBatch publish too, one message per call", async () => {
    const received: unknown[] = [];
    const listener = (message: unknown): void => {
      received.push(message);
    };
    diagnostics_channel.subscribe(METRICS_CHANNEL, listener);
    try {
      const single = await aggregate(plan);
      const batch = await new HighPerformanceAreaAggregator().aggregateBatch([plan, plan]);
      expect(received).toHaveLength(2);
      expect(received[0]).toEqual(single.metrics);
      expect(received[1]).toEqual(batch.metrics);
    } finally {
      diagnostics_channel.unsubscribe(METRICS_CHANNEL, listener);
    }
  });
});
