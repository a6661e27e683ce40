// The JS fallback as users meet it, in child processes: the environment flag, and an install
// whose addon is missing. Runs the built package (dist/), as an installed copy would.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runScript } from "../support/child.js";

/** A script that records every native module Node loads, then reports on a default aggregator. */
function probe(entry: string): string {
  return `
    const loaded = [];
    const dlopen = process.dlopen;
    process.dlopen = (module, file, ...rest) => { loaded.push(file); return dlopen.call(process, module, file, ...rest); };
    const warnings = [];
    process.on("warning", (w) => warnings.push({ code: w.code, message: w.message }));
    const { HighPerformanceAreaAggregator, nativeInfo, AREA_IDS, DIMENSION_IDS } = await import(${JSON.stringify(entry)});
    const plan = AREA_IDS.flatMap((areaId) => DIMENSION_IDS.map((dimensionId) => ({ areaId, dimensionId, score: 2, scoreStd: 0.1 })));
    const first = new HighPerformanceAreaAggregator();
    const second = new HighPerformanceAreaAggregator();
    const batch = await second.aggregateBatch(Array.from({ length: 100 }, () => plan));
    let nativeError;
    try { new HighPerformanceAreaAggregator({ backend: "native" }); } catch (error) { nativeError = { name: error.name, code: error.code, message: error.message, cause: error.cause?.message }; }
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    console.log(JSON.stringify({
      backend: first.backend,
      batchBackend: batch.metrics.backend,
      batchReason: batch.metrics.backendReason,
      score: first.aggregateSync(plan).areaScores[0].score,
      info: nativeInfo(),
      loaded: loaded.filter((file) => file.endsWith(".node")),
      warnings,
      nativeError,
    }));
  `;
}

function report(result: { status: number | null; stdout: string; stderr: string }) {
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

const builtEntry = join(ROOT, "dist", "index.js");

describe("FARFAN_AGGREGATOR_FORCE_JS=1", () => {
  it("gives the js backend without loading the addon or warning", () => {
    const out = report(runScript(probe(builtEntry), { FARFAN_AGGREGATOR_FORCE_JS: "1" }));
    expect(out.backend).toBe("js");
    expect(out.batchBackend).toBe("js");
    expect(out.score).toBe(2);
    expect(out.loaded).toEqual([]);
    expect(out.warnings).toEqual([]);
    expect(out.info).toMatchObject({ loaded: false });
    expect(out.info.loadError).toContain("FARFAN_AGGREGATOR_FORCE_JS");
    expect(out.nativeError).toMatchObject({ name: "BackendUnavailableError", code: "E_NATIVE_UNAVAILABLE" });
  });
});

describe("an installed copy whose addon is missing", () => {
  let dir: string;

  beforeAll(() => {
    // The package as installed, minus build/ and prebuilds/: what a user gets when no prebuild
    // matches and nothing could be compiled.
    dir = mkdtempSync(join(tmpdir(), "farfan-fallback-"));
    cpSync(join(ROOT, "dist"), join(dir, "dist"), { recursive: true });
    cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("falls back to the js backend with exactly one warning", () => {
    const out = report(runScript(probe(join(dir, "dist", "index.js")), {}, dir));
    expect(out.backend).toBe("js");
    expect(out.batchBackend).toBe("js");
    expect(out.score).toBe(2);
    expect(out.loaded).toEqual([]);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0].code).toBe("FARFAN_NATIVE_FALLBACK");
    expect(out.warnings[0].message).toContain("using the JS backend");
    expect(out.info.loaded).toBe(false);
    expect(out.nativeError).toMatchObject({ code: "E_NATIVE_UNAVAILABLE" });
    expect(out.nativeError.message).toBe("native backend not available: the addon did not load");
    // node-gyp-build's message spans lines and ends with a newline: the warning and loadError
    // give it on one line, and the error's cause keeps it as it was.
    expect(out.info.loadError).toMatch(/^No native build was found for .*; loaded from: \S+$/);
    expect(out.warnings[0].message).toBe(`native addon not loaded (${out.info.loadError}); using the JS backend`);
    expect(out.nativeError.cause).toContain("\n    loaded from: ");
    expect(out.batchReason).toBe("engine-unavailable");
  });
});

describe("the installed package with its addon", () => {
  it("loads the addon once and runs native without warnings", () => {
    const out = report(runScript(probe(builtEntry)));
    expect(out.backend).toBe("native");
    expect(out.batchBackend).toBe("native");
    expect(out.score).toBe(2);
    expect(out.loaded).toHaveLength(1);
    expect(out.warnings).toEqual([]);
    expect(out.info.loaded).toBe(true);
    expect(out.info.loadError).toBeUndefined();
  });
});
