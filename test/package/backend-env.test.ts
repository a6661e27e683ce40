// The environment variables of docs/environment.md, as a user sets them: each case in a fresh
// process. (The js and native test projects rely on the first two.)
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ADDON_ENV, BACKEND_ENV, FORCE_JS_ENV, ISA_ENV } from "../../src/index.js";
import { ROOT, runScript } from "../support/child.js";

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

  it("FARFAN_AGGREGATOR_FORCE_JS takes the usual words for on, in any case, without a warning", () => {
    for (const value of ["true", "TRUE", "Yes", "on", " 1 "]) {
      const out = run({ FARFAN_AGGREGATOR_FORCE_JS: value });
      expect(out.backend, value).toBe("js");
      expect(out.batch.backendReason, value).toBe("force-js");
      expect(out.info.loaded, value).toBe(false);
      expect(out.warnings, value).toEqual([]);
    }
  });

  it("FARFAN_AGGREGATOR_FORCE_JS set to a word for off, or empty, changes nothing", () => {
    for (const value of ["0", "false", "No", "OFF", ""]) {
      const out = run({ FARFAN_AGGREGATOR_FORCE_JS: value });
      expect(out.backend, value).toBe("native");
      expect(out.warnings, value).toEqual([]);
    }
  });

  it("FARFAN_AGGREGATOR_FORCE_JS set to anything else changes nothing, with one warning naming the value", () => {
    const result = runScript(script, { FARFAN_AGGREGATOR_FORCE_JS: "y" });
    const out = JSON.parse(result.stdout);
    expect(out.backend).toBe("native");
    expect(out.warnings).toEqual(["FARFAN_ENV_VALUE"]);
    expect(result.stderr).toContain('FARFAN_AGGREGATOR_FORCE_JS="y" is not understood');
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

/** The addon files a default aggregator's process loads, and its warnings. */
const loads = `
  const loaded = [];
  const dlopen = process.dlopen;
  process.dlopen = (module, file, ...rest) => { loaded.push(file); return dlopen.call(process, module, file, ...rest); };
  const warnings = [];
  process.on("warning", (w) => warnings.push(w.code));
  const { nativeInfo } = await import(${entry});
  const info = nativeInfo();
  await new Promise((resolve) => setImmediate(resolve));
  console.log(JSON.stringify({ loaded, warnings, info }));
`;

function loaded(env: Record<string, string>): { loaded: string[]; warnings: string[]; info: { loaded: boolean; loadError?: string } } {
  const result = runScript(loads, { PREBUILDS_ONLY: "", FARFAN_AREA_AGGREGATOR_PREBUILD: "", ...env });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

describe("the variables that choose the addon file", () => {
  const work = mkdtempSync(join(tmpdir(), "farfan-addon-env-"));
  const prebuild = join(ROOT, "prebuilds", "linux-x64", "farfan-area-aggregator.glibc.node");
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("are exported under the names docs/environment.md gives", () => {
    expect({ FORCE_JS_ENV, BACKEND_ENV, ISA_ENV, ADDON_ENV }).toEqual({
      FORCE_JS_ENV: "FARFAN_AGGREGATOR_FORCE_JS",
      BACKEND_ENV: "FARFAN_AGGREGATOR_BACKEND",
      ISA_ENV: "FARFAN_AGGREGATOR_ISA",
      ADDON_ENV: "FARFAN_AGGREGATOR_ADDON",
    });
  });

  it.runIf(process.platform === "linux" && process.arch === "x64")("FARFAN_AGGREGATOR_ADDON=FILE loads that file", () => {
    const file = join(work, "engine.node");
    copyFileSync(prebuild, file);
    const out = loaded({ FARFAN_AGGREGATOR_ADDON: file });
    expect(out.loaded).toEqual([file]);
    expect(out.info.loaded).toBe(true);
  });

  it("PREBUILDS_ONLY=1 loads from prebuilds/, never build/", () => {
    const out = loaded({ PREBUILDS_ONLY: "1" });
    expect(out.loaded).toEqual([expect.stringContaining(join(ROOT, "prebuilds"))]);
  });

  it.runIf(process.platform === "linux" && process.arch === "x64")(
    "FARFAN_AREA_AGGREGATOR_PREBUILD=DIR loads from DIR/prebuilds/<platform>-<arch>/, not from DIR itself",
    () => {
      const dir = join(work, "engine-folder");
      mkdirSync(join(dir, "prebuilds", "linux-x64"), { recursive: true });
      const file = join(dir, "prebuilds", "linux-x64", "farfan-area-aggregator.glibc.node");
      copyFileSync(prebuild, file);
      expect(loaded({ FARFAN_AREA_AGGREGATOR_PREBUILD: dir }).loaded).toEqual([file]);
      // The folder of the .node file itself is not what it wants: nothing loads.
      const wrong = loaded({ FARFAN_AREA_AGGREGATOR_PREBUILD: join(dir, "prebuilds", "linux-x64") });
      expect(wrong.loaded).toEqual([]);
      expect(wrong.info.loadError).toContain("No native build was found");
    },
  );

  it("LIBC=musl makes node-gyp-build pick the musl prebuild", () => {
    const result = runScript(
      `import { createRequire } from "node:module"; console.log(createRequire(${entry})("node-gyp-build").resolve(${JSON.stringify(ROOT)}));`,
      { LIBC: "musl", PREBUILDS_ONLY: "1", FARFAN_AREA_AGGREGATOR_PREBUILD: "" },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(/farfan-area-aggregator\.musl\.node$/);
  });
});
