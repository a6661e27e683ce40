// The package inside a user's bundle, as esbuild makes one: a consumer that aggregates a call
// large enough for the JS backend's worker threads, bundled with the package (ES module and
// esbuild's default CommonJS output) and with the package marked external, then run by Node.
// Bundled, the package is away from its native engine and its worker script: it must say so in
// one warning that names the fix, and still compute right.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, type Format } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/child.js";
import { run, succeeded, userEnv } from "../support/packed.js";

/** A consumer as users write it; `scores` all 2, so every area scores 2. */
const CONSUMER = `
import { HighPerformanceAreaAggregator, ASYNC_MIN_EVALUATIONS, nativeInfo } from "farfan-area-aggregator";
const warnings = [];
process.on("warning", (w) => warnings.push({ code: w.code, message: w.message }));
const n = ASYNC_MIN_EVALUATIONS;
new HighPerformanceAreaAggregator().aggregateColumns({ scores: new Float64Array(n * 60).fill(2) }).then((result) => {
  setImmediate(() => {
    const { backend, backendReason } = result.metrics;
    console.log(JSON.stringify({ backend, backendReason, allTwo: result.score.every((x) => x === 2), n: result.score.length / 10, warnings, loaded: nativeInfo().loaded }));
  });
});
`;

interface Outcome {
  readonly backend: string;
  readonly backendReason: string;
  readonly allTwo: boolean;
  readonly n: number;
  readonly warnings: { code: string; message: string }[];
  readonly loaded: boolean;
}

describe("the package in an esbuild bundle", () => {
  let dir: string;

  beforeAll(() => {
    // A project whose node_modules holds the package (this checkout, as npm test built it).
    dir = mkdtempSync(join(tmpdir(), "farfan-bundle-"));
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(ROOT, join(dir, "node_modules", "farfan-area-aggregator"), "dir");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "bundled-app", version: "1.0.0", private: true }));
    writeFileSync(join(dir, "app.mjs"), CONSUMER);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function bundleAndRun(format: Format, external: string[]): Promise<Outcome> {
    const outfile = join(dir, "out", `${format}-${external.length}.${format === "esm" ? "mjs" : "cjs"}`);
    await build({ entryPoints: [join(dir, "app.mjs")], bundle: true, platform: "node", format, external, outfile, logLevel: "silent" });
    const result = succeeded(await run(process.execPath, [outfile], dir, userEnv()), `node ${outfile}`);
    return JSON.parse(result.stdout) as Outcome;
  }

  it.each(["esm", "cjs"] as const)("bundled whole (%s): one FARFAN_BUNDLED warning naming the fix, and right results on the calling thread", async (format) => {
    const out = await bundleAndRun(format, []);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]!.code).toBe("FARFAN_BUNDLED");
    expect(out.warnings[0]!.message).toContain("--external:farfan-area-aggregator");
    expect(out).toMatchObject({ backend: "js", backendReason: "engine-unavailable", allTwo: true, loaded: false });
    expect(out.n).toBeGreaterThanOrEqual(16_384);
  });

  it("marked external: the engine loads, no warning", async () => {
    const out = await bundleAndRun("esm", ["farfan-area-aggregator"]);
    expect(out).toMatchObject({ backend: "native", backendReason: "auto", allTwo: true, loaded: true, warnings: [] });
  });
});
