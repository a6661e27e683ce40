// The package as users install it: `npm pack`, then `npm install <tarball>` into temporary
// projects, the way a user's project gets it (from the local npm cache, prefer-offline). Four
// installs: plain; without compilers, make or Python on PATH; without a prebuild and without
// compilers; with --ignore-scripts. Each is then asked which addon it loaded.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/child.js";
import { npmInstall, packCheckout, run, succeeded, userEnv, type Run } from "../support/packed.js";

function findOnPath(command: string): string {
  const dir = (process.env.PATH ?? "").split(delimiter).find((d) => d !== "" && existsSync(join(d, command)));
  if (dir === undefined) throw new Error(`${command} is not on PATH`);
  return realpathSync(join(dir, command));
}

/** A PATH holding only node, npm, npx and sh (npm runs scripts with it): no compiler, no make, no Python. */
function bareBin(dir: string): string {
  mkdirSync(dir);
  symlinkSync(process.execPath, join(dir, "node"));
  symlinkSync(findOnPath("sh"), join(dir, "sh"));
  for (const tool of ["npm", "npx"]) symlinkSync(findOnPath(tool), join(dir, tool));
  return dir;
}

const LINE = "the JS fallback will be used";

/** Which addon file the installed package loads, its backend, and its warnings. */
const PROBE = `
  const loaded = [];
  const dlopen = process.dlopen;
  process.dlopen = (module, file, ...rest) => { loaded.push(file); return dlopen.call(process, module, file, ...rest); };
  const warnings = [];
  process.on("warning", (w) => warnings.push({ code: w.code, message: w.message }));
  const { HighPerformanceAreaAggregator, nativeInfo, AREA_IDS, DIMENSION_IDS } = await import("farfan-area-aggregator");
  const plan = AREA_IDS.flatMap((areaId) => DIMENSION_IDS.map((dimensionId) => ({ areaId, dimensionId, score: 2, scoreStd: 0.1 })));
  const batch = await new HighPerformanceAreaAggregator().aggregateBatch(Array.from({ length: 100 }, () => plan));
  await new Promise((resolve) => setImmediate(resolve));
  const info = nativeInfo();
  console.log(JSON.stringify({ backend: batch.metrics.backend, score: batch.areaScores[99][0].score, loaded, warnings, info: { loaded: info.loaded, isa: info.isa } }));
`;

interface Probe {
  readonly backend: string;
  readonly score: number;
  readonly loaded: string[];
  readonly warnings: { code: string; message: string }[];
  readonly info: { loaded: boolean; isa: string | undefined };
}

interface Project {
  readonly dir: string;
  readonly install: Run;
  readonly probe: Probe;
}

const PACKAGE = ["node_modules", "farfan-area-aggregator"];
const PREBUILD = join("prebuilds", `${process.platform}-${process.arch}`);

describe("installing the packed tarball", () => {
  let work: string;
  let tarball: string;
  let packedFiles: readonly { path: string }[];
  let packedSize: number;
  const projects: Record<"plain" | "noCompiler" | "noPrebuild" | "ignoreScripts", Project> = {} as never;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "farfan-install-"));
    const packed = await packCheckout(work);
    tarball = packed.tarball;
    packedFiles = packed.files;
    packedSize = packed.size;

    // The same tarball without its prebuilds: a platform the package has no binary for.
    const unpacked = join(work, "unpacked");
    mkdirSync(unpacked);
    const untar = await run("tar", ["-xzf", tarball, "-C", unpacked], work, userEnv());
    expect(untar.status, untar.stderr).toBe(0);
    rmSync(join(unpacked, "package", "prebuilds"), { recursive: true });
    const noPrebuilds = join(work, "no-prebuilds.tgz");
    const retar = await run("tar", ["-czf", noPrebuilds, "-C", unpacked, "package"], work, userEnv());
    expect(retar.status, retar.stderr).toBe(0);

    const bare = bareBin(join(work, "bin"));
    const install = async (name: keyof typeof projects, source: string, path: string | undefined, extra: string[] = []) => {
      const dir = join(work, name);
      mkdirSync(dir);
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `probe-${name.toLowerCase()}`, version: "1.0.0", private: true, type: "module" }));
      const env = userEnv(path);
      const result = await npmInstall(dir, [source], env, extra);
      expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
      const probe = await run(process.execPath, ["--input-type=module", "-e", PROBE], dir, env);
      expect(probe.status, probe.stderr).toBe(0);
      projects[name] = { dir, install: result, probe: JSON.parse(probe.stdout) };
    };
    // Two at a time (two cores): a plain and a bare-PATH install, then the other two.
    await Promise.all([install("plain", tarball, undefined), install("noCompiler", tarball, bare)]);
    await Promise.all([install("noPrebuild", noPrebuilds, bare), install("ignoreScripts", tarball, undefined, ["--ignore-scripts"])]);
  }, 600_000);
  // Each project holds its own node_modules (with the optional Parquet and Arrow libraries): removing them on a busy machine outlasts the default 10 s.
  afterAll(() => rmSync(work, { recursive: true, force: true }), 120_000);

  it("packs under 2 MB with every prebuild, the install script, and the sources to compile elsewhere", () => {
    expect(packedSize).toBeLessThan(2_000_000);
    const paths = packedFiles.map((file) => file.path);
    const { targets } = JSON.parse(readFileSync(join(ROOT, "scripts", "prebuilds.json"), "utf8")) as { targets: { dir: string; file: string }[] };
    expect(paths.filter((path) => path.startsWith("prebuilds/")).sort()).toEqual(targets.map((target) => `prebuilds/${target.dir}/${target.file}`).sort());
    for (const path of ["scripts/install.cjs", "binding.gyp", "CMakeLists.txt", "native/sources.json", "dist/index.js", "dist/cli/main.js", "examples/plan.json"]) {
      expect(paths).toContain(path);
    }
    const { sources } = JSON.parse(readFileSync(join(ROOT, "native", "sources.json"), "utf8")) as { sources: string[] };
    for (const source of sources) expect(paths).toContain(source);
    expect(paths.filter((path) => path.startsWith("test/") || path.startsWith("bench/") || path.startsWith("build/"))).toEqual([]);
  });

  it("(a) plain install: the prebuild loads, nothing is compiled, no build/", () => {
    const { dir, install, probe } = projects.plain;
    expect(existsSync(join(dir, ...PACKAGE, "build"))).toBe(false);
    expect(`${install.stdout}${install.stderr}`).not.toContain(LINE);
    expect(probe.backend).toBe("native");
    expect(probe.info.loaded).toBe(true);
    expect(probe.loaded).toEqual([expect.stringContaining(join(...PACKAGE, PREBUILD))]);
    expect(probe.warnings).toEqual([]);
    expect(probe.score).toBe(2);
  });

  it("(a) plain install: tables in and out with no other step (Parquet, CSV, Arrow, stdin with --from)", async () => {
    const { dir } = projects.plain;
    const example = (name: string) => join(dir, ...PACKAGE, "examples", name);
    const npx = (args: string[], input?: string) =>
      run("/bin/sh", ["-c", `npx farfan-aggregate ${args.map((a) => `'${a}'`).join(" ")}${input === undefined ? "" : ` < '${input}'`}`], dir, userEnv());
    succeeded(await npx([example("plans-170.parquet"), "-o", "areas.parquet"]), "plans.parquet -o areas.parquet");
    succeeded(await npx([example("plans-170.csv"), "-o", "areas.csv"]), "plans.csv -o areas.csv");
    succeeded(await npx([example("plans-170.arrow"), "-o", "areas.arrow"]), "plans.arrow -o areas.arrow");
    const fromStdin = succeeded(await npx(["--from", "parquet", "--format", "csv"], example("plans-170-wide.parquet")), "--from parquet");
    const csv = readFileSync(join(dir, "areas.csv"), "utf8");
    expect(csv.trim().split("\n")).toHaveLength(1 + 170 * 10);
    expect(fromStdin.stdout).toBe(csv);
    for (const file of ["areas.parquet", "areas.arrow"]) expect(readFileSync(join(dir, file)).length).toBeGreaterThan(1000);
  });

  it("(b) no compiler, make or Python on PATH: the prebuild loads", async () => {
    const { dir, install, probe } = projects.noCompiler;
    // The PATH really lacks them.
    const which = await run("/bin/sh", ["-c", "command -v c++ g++ gcc cc clang make python3 python"], dir, userEnv(join(work, "bin")));
    expect(which.stdout).toBe("");
    expect(existsSync(join(dir, ...PACKAGE, "build"))).toBe(false);
    expect(`${install.stdout}${install.stderr}`).not.toContain(LINE);
    expect(probe.backend).toBe("native");
    expect(probe.loaded).toEqual([expect.stringContaining(join(...PACKAGE, PREBUILD))]);
    expect(probe.warnings).toEqual([]);
  });

  it("(c) no prebuild and no compiler: the install succeeds with one line, then the js backend with one warning", () => {
    const { dir, install, probe } = projects.noPrebuild;
    expect(existsSync(join(dir, ...PACKAGE, "prebuilds"))).toBe(false);
    const lines = `${install.stdout}\n${install.stderr}`.split("\n").filter((line) => line.includes("farfan-area-aggregator:"));
    expect(lines).toEqual([expect.stringContaining(LINE)]);
    expect(existsSync(join(dir, ...PACKAGE, "build", "Release"))).toBe(false);
    expect(probe.backend).toBe("js");
    expect(probe.info.loaded).toBe(false);
    expect(probe.loaded).toEqual([]);
    expect(probe.warnings).toHaveLength(1);
    expect(probe.warnings[0]).toMatchObject({ code: "FARFAN_NATIVE_FALLBACK" });
    expect(probe.score).toBe(2);
  });

  it("(d) --ignore-scripts: nothing ran at install, and the prebuild is still found at run time", () => {
    const { dir, install, probe } = projects.ignoreScripts;
    expect(existsSync(join(dir, ...PACKAGE, "build"))).toBe(false);
    expect(`${install.stdout}${install.stderr}`).not.toContain("farfan-area-aggregator:");
    expect(probe.backend).toBe("native");
    expect(probe.loaded).toEqual([expect.stringContaining(join(...PACKAGE, PREBUILD))]);
    expect(probe.warnings).toEqual([]);
  });

  it("npx farfan-aggregate in the installed project prints the example table", async () => {
    const { dir } = projects.plain;
    const installed = await run("npx", ["--no-install", "farfan-aggregate", join(...PACKAGE, "examples", "plan.json"), "--format", "table"], dir, userEnv());
    const checkout = await run(process.execPath, [join(ROOT, "dist", "cli", "main.js"), join(ROOT, "examples", "plan.json"), "--format", "table"], ROOT, userEnv());
    expect(installed.status, installed.stderr).toBe(0);
    expect(checkout.status, checkout.stderr).toBe(0);
    expect(installed.stdout).toMatch(/^Area\s+Name\s+Score/);
    expect(installed.stdout.trim().split("\n")).toHaveLength(11);
    expect(installed.stdout).toBe(checkout.stdout);
  });
});
