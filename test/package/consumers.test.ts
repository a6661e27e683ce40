// The quick start as users run it: the packed tarball installed (once per kind) into an ES module
// project, a CommonJS one (`require`), and two TypeScript ones (`nodenext`, `bundler`) that tsc
// compiles against the package's own .d.ts (with typos in ids, which must not compile); then
// each program runs on the oldest Node of every range package.json `engines` claims, on the
// newest Node, and on the Node running the tests.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aggregate, AREA_IDS, DIMENSION_IDS, type DimensionScore } from "../../src/index.js";
import { ROOT } from "../support/child.js";
import { nodeBinary } from "../support/node-binaries.js";
import { npmInstall, packCheckout, run, succeeded, userEnv, type Run } from "../support/packed.js";

const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string } };
/** The floor of each range `engines` claims ("^20.19.0 || >=22.12.0" → 20.19.0 and 22.12.0). */
const FLOORS = manifest.engines.node.match(/\d+\.\d+\.\d+/g) ?? [];
/** The newest Node release when this test was written (November 2026). */
const NEWEST = "26.12.1";

// The quick start: a 60-entry plan built from the id lists, aggregated, its ten scores printed.
const PLAN = "AREA_IDS.flatMap((areaId, a) => DIMENSION_IDS.map((dimensionId, d) => ({ areaId, dimensionId, score: ((a * 6 + d) % 13) / 4, scoreStd: 0.05 * (d + 1) })))";
const PRINT = [
  "for (const area of areaScores) console.log(`${area.areaId} ${area.score} ${area.qualityLevel}`);",
  "console.log(`native addon loaded: ${nativeInfo().loaded}`);",
].join("\n");
const ESM_QUICK_START = `import { aggregate, AREA_IDS, DIMENSION_IDS, nativeInfo } from "farfan-area-aggregator";

const plan = ${PLAN};
const { areaScores } = await aggregate(plan);
${PRINT}
`;
const CJS_QUICK_START = `const { aggregate, AREA_IDS, DIMENSION_IDS, nativeInfo } = require("farfan-area-aggregator");

const plan = ${PLAN};
aggregate(plan).then(({ areaScores }) => {
${PRINT}
});
`;
/** Annotations users write with the package's types: plain, mutable arrays (TS4104 if we returned readonly ones). */
const TS_ANNOTATIONS = `import { aggregate, dimensionScoresFromJson, type AggregateResult, type AreaScore, type DimensionScore } from "farfan-area-aggregator";

export const fromJson: DimensionScore[] = dimensionScoresFromJson("[]");

export async function areaScoresOf(plan: DimensionScore[]): Promise<AreaScore[]> {
  const result: AggregateResult = await aggregate(plan);
  return result.areaScores;
}
`;

/**
 * Typos the package's types catch: each line after an @ts-expect-error must fail to compile, or
 * tsc reports the directive as unused, a diagnostic the test below fails on.
 */
const TS_TYPOS = `import type { DimensionScore, Weights } from "farfan-area-aggregator";

// @ts-expect-error "PA1" is not an AreaId
export const area: DimensionScore = { areaId: "PA1", dimensionId: "DIM01", score: 1 };
// @ts-expect-error "DIM7" is not a DimensionId
export const dimension: DimensionScore = { areaId: "PA01", dimensionId: "DIM7", score: 1 };
// @ts-expect-error "PA11" names no area
export const weights: Weights = { PA11: { DIM01: 1, DIM02: 1, DIM03: 1, DIM04: 1, DIM05: 1, DIM06: 1 } };
`;

function tsProject(module: string, moduleResolution: string): Record<string, string> {
  const compilerOptions = { target: "ES2022", module, moduleResolution, strict: true, skipLibCheck: false, types: ["node"], rootDir: ".", outDir: "out" };
  return {
    "tsconfig.json": JSON.stringify({ compilerOptions, include: ["*.ts"] }),
    "quick-start.ts": ESM_QUICK_START,
    "annotations.ts": TS_ANNOTATIONS,
    "typos.ts": TS_TYPOS,
  };
}

interface Kind {
  readonly name: string;
  readonly type: "module" | "commonjs";
  readonly files: Record<string, string>;
  /** The program node runs (tsc's output for TypeScript). */
  readonly main: string;
  readonly typescript: boolean;
}

const TYPES_NODE = `@types/node@${(createRequire(import.meta.url)("@types/node/package.json") as { version: string }).version}`;
const KINDS: readonly Kind[] = [
  { name: "ESM", type: "module", files: { "quick-start.js": ESM_QUICK_START }, main: "quick-start.js", typescript: false },
  { name: "CommonJS", type: "commonjs", files: { "quick-start.js": CJS_QUICK_START }, main: "quick-start.js", typescript: false },
  { name: "TypeScript nodenext", type: "module", files: tsProject("nodenext", "nodenext"), main: "out/quick-start.js", typescript: true },
  { name: "TypeScript bundler", type: "module", files: tsProject("esnext", "bundler"), main: "out/quick-start.js", typescript: true },
];

/**
 * Node 22.12.0 itself warns when code outside node_modules require()s an ES module (22.13.0
 * dropped the warning); the package has no say in it.
 */
const REQUIRE_ESM_WARNING =
  /^\(node:\d+\) ExperimentalWarning: CommonJS module \S+ is loading ES Module \S+ using require\(\)\.\nSupport for loading ES Module in require\(\) is an experimental feature and might change at any time\n\(Use `node --trace-warnings \.\.\.` to show where the warning was created\)\n$/;
const WARNS_ON_REQUIRE_ESM = new Set(["22.12.0"]);

/** Node versions under test; the running one last (a set, should it be one of the others). */
const VERSIONS = [...new Set([...FLOORS, NEWEST, process.versions.node])];

interface Installed {
  readonly dir: string;
  readonly install: Run;
  /** tsc's run, for TypeScript projects. */
  readonly compile: Run | undefined;
}

describe("the quick start in projects that install the packed tarball", () => {
  let work: string;
  let expected: string[];
  const binaries = new Map<string, string>([[process.versions.node, process.execPath]]);
  const projects = new Map<string, Installed>();

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "farfan-consumers-"));
    const { tarball } = await packCheckout(work);
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

    const setUp = async (kind: Kind) => {
      const dir = join(work, kind.name.replaceAll(" ", "-").toLowerCase());
      mkdirSync(dir);
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "quick-start", version: "1.0.0", private: true, type: kind.type }));
      for (const [file, text] of Object.entries(kind.files)) writeFileSync(join(dir, file), text);
      const install = succeeded(await npmInstall(dir, [tarball, ...(kind.typescript ? [TYPES_NODE] : [])], userEnv()), `npm install in ${dir}`);
      const compile = kind.typescript ? await run(process.execPath, [tsc, "-p", dir], dir, userEnv()) : undefined;
      projects.set(kind.name, { dir, install, compile });
    };
    // The other Node versions download while the projects install, two at a time (two cores).
    const fetched = (async () => {
      for (const version of VERSIONS) if (!binaries.has(version)) binaries.set(version, await nodeBinary(version));
    })();
    for (let i = 0; i < KINDS.length; i += 2) await Promise.all(KINDS.slice(i, i + 2).map(setUp));
    await fetched;

    // What the source gives for the same plan (built from the same expression).
    const plan = new Function("AREA_IDS", "DIMENSION_IDS", `return ${PLAN};`)(AREA_IDS, DIMENSION_IDS) as DimensionScore[];
    const { areaScores } = await aggregate(plan);
    expected = [...areaScores.map((area) => `${area.areaId} ${area.score} ${area.qualityLevel}`), "native addon loaded: true"];
  }, 900_000);
  // Each project holds its own node_modules (with the optional Parquet and Arrow libraries): removing them on a busy machine outlasts the default 10 s.
  afterAll(() => rmSync(work, { recursive: true, force: true }), 120_000);

  describe.each(KINDS)("$name", (kind) => {
    it("installs the prebuild without compiling anything", () => {
      const { dir, install } = projects.get(kind.name)!;
      expect(existsSync(join(dir, "node_modules", "farfan-area-aggregator", "build")), `${install.stdout}\n${install.stderr}`).toBe(false);
    });

    it.each(VERSIONS)("prints the ten scores on Node %s", async (version) => {
      const result = await run(binaries.get(version)!, [kind.main], projects.get(kind.name)!.dir, userEnv());
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout.trimEnd().split("\n")).toEqual(expected);
      if (kind.type === "commonjs" && WARNS_ON_REQUIRE_ESM.has(version)) expect(result.stderr).toMatch(REQUIRE_ESM_WARNING);
      else expect(result.stderr).toBe("");
    });
  });

  it.each(KINDS.filter((kind) => kind.typescript))("$name: tsc compiles the quick start against the package's .d.ts without a diagnostic, and rejects typos in ids", (kind) => {
    const { compile } = projects.get(kind.name)!;
    expect(compile?.stdout).toBe("");
    expect(compile?.status, compile?.stderr).toBe(0);
  });
});
