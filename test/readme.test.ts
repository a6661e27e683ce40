// The README's code as a new user runs it: the packed tarball installed into a fresh ES module
// project (that is the Install block, `npm install farfan-area-aggregator`, with the tarball
// for the registry), then every `js` block of the README, in order, as one program (a later
// block may use what an earlier one defined, as a reader would), and every command of the `sh`
// blocks of Quick start and CLI, each in a shell in that project. The Contributing block is for
// a checkout of this repository: .ci/run runs exactly it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./support/child.js";
import { npmInstall, packCheckout, run, succeeded, userEnv } from "./support/packed.js";

const README = readFileSync(join(ROOT, "README.md"), "utf8");

/** The fenced blocks of `language` in the README section under `heading` (all sections when undefined). */
function blocks(language: string, heading?: string): string[] {
  const text = heading === undefined ? README : README.slice(README.indexOf(`\n## ${heading}\n`), README.indexOf("\n## ", README.indexOf(`\n## ${heading}\n`) + 1));
  return [...text.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);
}

/** Each command line of the `sh` blocks under `heading`, without its comment. */
function commands(heading: string): string[] {
  return blocks("sh", heading)
    .flatMap((block) => block.split("\n"))
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "");
}

describe("the README, run as written in a project that installed the packed tarball", () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "farfan-readme-"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "readme", version: "1.0.0", private: true, type: "module" }));
    const { tarball } = await packCheckout(dir);
    succeeded(await npmInstall(dir, [tarball], userEnv()), "npm install of the tarball");
  }, 600_000);
  // The project holds its own node_modules (with the optional Parquet and Arrow libraries): removing it on a busy machine may outlast the default 10 s.
  afterAll(() => rmSync(dir, { recursive: true, force: true }), 120_000);

  it("has js blocks and commands to run (the extraction finds them)", () => {
    expect(blocks("js").length).toBeGreaterThanOrEqual(2);
    expect(commands("Quick start").length).toBeGreaterThanOrEqual(1);
    expect(commands("CLI").length).toBeGreaterThanOrEqual(4);
  });

  it("every js block runs, in order, as one program", async () => {
    writeFileSync(join(dir, "readme.js"), blocks("js").join("\n"));
    const result = await run(process.execPath, ["readme.js"], dir, userEnv());
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    // The quick start prints ten areas and its metrics line (one plan runs the TS kernel under
    // "auto": below AUTO_NATIVE_MIN_EVALUATIONS crossing into native costs more than it saves).
    expect(result.stdout).toMatch(/^PA01 \d\.\d{3} \[/m);
    expect(result.stdout).toMatch(/^PA10 /m);
    expect(result.stdout).toMatch(/^1 plan in [\d.]+ ms \(js kernel\)$/m);
    // The columns example reports its progress once, at the end.
    expect(result.stdout).toMatch(/^1000 of 1000 plans$/m);
  });

  it.each([...commands("Quick start"), ...commands("CLI")])("`%s` exits 0", async (command) => {
    const result = await run("bash", ["-c", command], dir, userEnv());
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
  });
});
