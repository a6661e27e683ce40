// The README's code as a new user runs it: a project made by `npm init -y` (npm 11 makes it
// CommonJS), the packed tarball installed into it (that is the Install block, `npm install
// farfan-area-aggregator`, with the tarball for the registry); the Quick start pasted into the
// file the README names, run with node, its output as the README says; every later `js` block,
// in order, as one ES module program (a later block may use what an earlier one defined, as a
// reader would); and every command of the `sh` blocks of Quick start and CLI, and of the
// examples' README, each in a shell in that project. The Contributing block is for a checkout
// of this repository: .ci/run runs exactly it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/child.js";
import { npmInstall, packCheckout, run, succeeded, userEnv } from "../support/packed.js";

const README = readFileSync(join(ROOT, "README.md"), "utf8");
const EXAMPLES_README = readFileSync(join(ROOT, "examples", "README.md"), "utf8");

/** The README section under `heading` (all of it when undefined). */
function section(heading?: string, text = README): string {
  if (heading === undefined) return text;
  const start = text.indexOf(`\n## ${heading}\n`);
  const end = text.indexOf("\n## ", start + 1);
  return text.slice(start, end === -1 ? undefined : end);
}

/** The fenced blocks of `language` in `text`. */
function blocks(language: string, text: string): string[] {
  return [...text.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);
}

/** Each command line of the `sh` blocks of `text`, without its comment. */
function commands(text: string): string[] {
  return blocks("sh", text)
    .flatMap((block) => block.split("\n"))
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "");
}

const QUICK_START = section("Quick start");
/** The js blocks after the Quick start's: ES modules, as the API section says. */
const MODULE_BLOCKS = blocks("js", README).slice(1);

describe("the README, run as written in a project that installed the packed tarball", () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "farfan-readme-"));
    succeeded(await run("npm", ["init", "-y"], dir, userEnv()), "npm init -y");
    const { tarball } = await packCheckout(dir);
    succeeded(await npmInstall(dir, [tarball], userEnv()), "npm install of the tarball");
  }, 600_000);
  // The project holds its own node_modules (with the optional Parquet and Arrow libraries): removing it on a busy machine may outlast the default 10 s.
  afterAll(() => rmSync(dir, { recursive: true, force: true }), 120_000);

  it("has js blocks and commands to run (the extraction finds them)", () => {
    expect(blocks("js", QUICK_START)).toHaveLength(1);
    expect(MODULE_BLOCKS.length).toBeGreaterThanOrEqual(2);
    expect(commands(QUICK_START).length).toBeGreaterThanOrEqual(1);
    expect(commands(section("CLI")).length).toBeGreaterThanOrEqual(4);
    expect(commands(EXAMPLES_README).length).toBeGreaterThanOrEqual(3);
  });

  it("is the project a new user most likely has: npm init -y makes it CommonJS", () => {
    const { type } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { type?: string };
    expect(type ?? "commonjs").toBe("commonjs");
  });

  it("the Quick start, pasted into the file it names, prints what it says it prints", async () => {
    const file = QUICK_START.match(/Save this as `([^`]+)`/)![1]!;
    expect(file).toMatch(/\.js$/);
    writeFileSync(join(dir, file), blocks("js", QUICK_START)[0]!);
    const result = await run(process.execPath, [file], dir, userEnv());
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(11);
    // The first and last area as the README quotes them, then the metrics line: one plan runs
    // the TS kernel under "auto", and backendReason says why.
    for (const id of ["PA01", "PA10"]) expect(lines).toContain(QUICK_START.match(new RegExp("`(" + id + " [^`]+)`"))![1]);
    expect(lines[10]).toMatch(/^1 plan in [\d.]+ ms \(js kernel: small-call\)$/);
  });

  it("every later js block runs, in order, as one ES module program", async () => {
    writeFileSync(join(dir, "readme.mjs"), MODULE_BLOCKS.join("\n"));
    const result = await run(process.execPath, ["readme.mjs"], dir, userEnv());
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    // The columns example reports its progress once, at the end.
    expect(result.stdout).toMatch(/^1000 of 1000 plans$/m);
  });

  it.each([...commands(QUICK_START), ...commands(section("CLI")), ...commands(EXAMPLES_README)])("`%s` exits 0", async (command) => {
    const result = await run("bash", ["-c", command], dir, userEnv());
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
  });
});
