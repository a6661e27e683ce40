// The environment flags that pick a backend and a native kernel, as a user sets them: each case
// in a fresh process. (The js and native test projects rely on the first two.)
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runScript } from "./support/child.js";

const entry = JSON.stringify(join(ROOT, "dist", "index.js"));

/** Aggregates one plan and a batch of 100 with default options; reports what ran. */
const script = `
  const warnings = [];
  process.on("warning", (w) => warnings.push(w.code));
  const { HighPerformanceAreaAggregator, nativeInfo, AREA_IDS, DIMENSION_IDS } = await import(${entry});
  const plan = AREA_IDS.flatMap((areaId) => DIMENSION_IDS.map((dimensionId) => ({ areaId, dimensionId, score: 1, scoreStd: 0 })));
  const aggregator = new HighPerformanceAreaAggregator();
  const one = aggregator.aggregateSync(plan).metrics;
  const batch = (await aggregator.aggregateBatch(Array.from({ length: 100 }, () => plan))).metrics;
  const scalar = (await new HighPerformanceAreaAggregator({ enableVectorization: false }).aggregateBatch(Array.from({ length: 100 }, () => plan))).metrics;
  await new Promise((resolve) => setImmediate(resolve));
  console.log(JSON.stringify({ backend: aggregator.backend, one, batch, scalar, info: nativeInfo(), warnings }));
`;

function run(env: Record<string, string>) {
  const result = runScript(script, env);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

describe("environment flags", () => {
  it("by default, one plan runs the TS kernel and a batch the best native kernel", () => {
    const out = run({});
    expect(out.backend).toBe("native");
    expect(out.one).toMatchObject({ backend: "js", isa: "js" });
    expect(out.batch).toMatchObject({ backend: "native", isa: out.info.supportedIsas[0] });
    expect(out.scalar).toMatchObject({ backend: "native", isa: "scalar" });
    expect(out.warnings).toEqual([]);
  });

  it("FARFAN_AGGREGATOR_BACKEND=native runs even one plan natively", () => {
    const out = run({ FARFAN_AGGREGATOR_BACKEND: "native" });
    expect(out.one.backend).toBe("native");
    expect(out.batch.backend).toBe("native");
  });

  it("FARFAN_AGGREGATOR_BACKEND=js and FARFAN_AGGREGATOR_FORCE_JS=1 run everything on the TS kernel", () => {
    for (const env of [{ FARFAN_AGGREGATOR_BACKEND: "js" }, { FARFAN_AGGREGATOR_FORCE_JS: "1" }]) {
      const out = run(env);
      expect(out.backend).toBe("js");
      expect(out.batch).toMatchObject({ backend: "js", isa: "js", threads: 1, parallelEfficiency: 1 });
    }
  });

  it("FARFAN_AGGREGATOR_BACKEND with a bad value is an options error naming the variable", () => {
    const result = runScript(script, { FARFAN_AGGREGATOR_BACKEND: "gpu" });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("FARFAN_AGGREGATOR_BACKEND");
    expect(result.stderr).toContain("E_OPTIONS");
  });

  it("FARFAN_AGGREGATOR_ISA forces each kernel this CPU has", () => {
    const supported: string[] = run({}).info.supportedIsas;
    expect(supported.at(-1)).toBe("scalar");
    for (const isa of supported) {
      const out = run({ FARFAN_AGGREGATOR_ISA: isa });
      expect(out.info.isa).toBe(isa);
      expect(out.batch.isa).toBe(isa);
      expect(out.warnings).toEqual([]);
    }
  });

  it("FARFAN_AGGREGATOR_ISA naming a kernel the CPU lacks warns once and uses the best", () => {
    const out = run({ FARFAN_AGGREGATOR_ISA: "neon" });
    expect(out.warnings).toEqual(["FARFAN_ISA_UNSUPPORTED"]);
    expect(out.batch.isa).toBe(out.info.supportedIsas[0]);
  });

  it("parallel efficiency is measured: within (0, 1] and threads within the pool", () => {
    const { batch, info } = run({});
    expect(batch.parallelEfficiency).toBeGreaterThan(0);
    expect(batch.parallelEfficiency).toBeLessThanOrEqual(1);
    expect(batch.threads).toBeGreaterThanOrEqual(1);
    expect(batch.threads).toBeLessThanOrEqual(Math.max(1, info.threads));
  });
});
