// cmake-js and node-gyp build the addon from the same list (native/sources.json). Here the
// cmake-js build is made in a temporary directory and compared with the node-gyp build that
// `npm install` made: the same exported functions, the same `info()`, the same bits.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/child.js";
import { NATIVE_FUNCTIONS, STATS_LENGTH, type NativeIsa } from "../../src/backend/native-addon.js";
import { aggregateArgs } from "../../src/backend/native-abi.js";

const require = createRequire(import.meta.url);
const GYP_BUILD = join(ROOT, "build", "Release", "farfan_aggregator.node");

describe("cmake-js and node-gyp builds", () => {
  let out: string;
  let cmakeBuild: string;

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), "farfan-cmake-"));
    // Through npx, as `npm run build:native` does, so cmake-js finds Node's headers offline.
    const result = spawnSync("npx", ["--no-install", "cmake-js", "compile", "--out", out], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 300_000,
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    cmakeBuild = join(out, "Release", "farfan_aggregator.node");
  }, 300_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("both exist and export the same functions with the same info", () => {
    expect(existsSync(GYP_BUILD)).toBe(true);
    expect(existsSync(cmakeBuild)).toBe(true);
    const gyp = require(GYP_BUILD);
    const cmake = require(cmakeBuild);
    const functions = (addon: Record<string, unknown>) =>
      Object.keys(addon)
        .filter((key) => typeof addon[key] === "function")
        .sort();
    expect(functions(cmake)).toEqual(functions(gyp));
    expect(functions(gyp)).toEqual([...NATIVE_FUNCTIONS].sort());
    const { poolThreads: _a, keptBytes: _c, ...gypInfo } = gyp.info();
    const { poolThreads: _b, keptBytes: _d, ...cmakeInfo } = cmake.info();
    expect(cmakeInfo).toEqual(gypInfo);
  });

  it("compute the same bits", () => {
    const gyp = require(GYP_BUILD);
    const cmake = require(cmakeBuild);
    const n = 1000;
    const scores = Float64Array.from({ length: n * 60 }, (_, i) => ((i * 7919) % 3001) / 1000);
    const stds = Float64Array.from({ length: n * 60 }, (_, i) => ((i * 104729) % 401) / 1000);
    const weights = Float64Array.from({ length: 60 }, (_, i) => 1 + (i % 6) * 0.25);
    const thresholds = Float64Array.of(2.55, 2.1, 1.65);
    const run = (addon: { aggregate: (...args: unknown[]) => unknown }, isa: NativeIsa) => {
      const [score, std, ciLow, ciHigh] = [0, 1, 2, 3].map(() => new Float64Array(n * 10)) as [Float64Array, Float64Array, Float64Array, Float64Array];
      const quality = new Uint8Array(n * 10);
      const stats = new Float64Array(STATS_LENGTH);
      addon.aggregate(...aggregateArgs({ scores, stds, weights, evaluations: n, thresholds, score, std, ciLow, ciHigh, quality, stats, isa, threads: 2, check: false }));
      return [score, std, ciLow, ciHigh, quality].map((column) => Array.from(column));
    };
    for (const isa of gyp.info().supportedIsas as NativeIsa[]) expect(run(cmake, isa)).toEqual(run(gyp, isa));
  });
});
