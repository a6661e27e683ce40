/**
 * CLI manners: --version, a short --help whose examples run as written in a project that
 * installed the package, and our own coded message for every usage error (never the raw text of
 * an argument parser, never a stack trace).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { CLI, CLI_TIMEOUTS, PLAN_FILE, runCli, scratchFiles } from "../support/cli.js";

vi.setConfig(CLI_TIMEOUTS);

const scratch = scratchFiles();
const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
const help = runCli(["--help"]).stdout;

describe("--version and --help", () => {
  it("--version and -V print the package's version", () => {
    for (const flag of ["--version", "-V"]) expect(runCli([flag])).toEqual({ status: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("--help is at most 25 lines, none wider than 100 columns, and speaks of no internals", () => {
    const lines = help.trimEnd().split("\n");
    expect(lines.length).toBeLessThanOrEqual(25);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(help).not.toMatch(/MiB|histogram|bins?\b/i);
    for (const flag of ["--weights", "--format", "--uncertainty", "--samples", "--seed", "--summary", "--fail-fast", "--chunk-size", "--version", "--help"]) {
      expect(help).toContain(flag);
    }
  });

  it("its three examples run as written in a project that installed the package", () => {
    // The project: the shipped plan where npm puts it, and `npx farfan-aggregate` as the bin it installs.
    const project = scratch.path("project");
    const examples = `${project}/node_modules/farfan-area-aggregator/examples`;
    mkdirSync(examples, { recursive: true });
    copyFileSync(PLAN_FILE, `${examples}/plan.json`);
    const setup = help.match(/^ {2}(cp \S+ \.)$/m)![1]!;
    const commands = help.split("\n").filter((line) => line.startsWith("  npx farfan-aggregate "));
    expect(commands).toHaveLength(3);
    for (const command of [setup, ...commands]) {
      const script = command.trim().replace("npx farfan-aggregate", `"${process.execPath}" "${CLI}"`);
      const { status, stdout, stderr } = spawnSync("bash", ["-c", script], { cwd: project, encoding: "utf8" });
      expect({ command, status }).toEqual({ command, status: 0 });
      expect(stderr.startsWith("Summary") || stderr === "", command).toBe(true);
      if (!command.includes(">") && !command.startsWith("cp ")) expect(stdout, command).toMatch(/PA10/);
    }
    expect(JSON.parse(readFileSync(`${project}/areas.json`, "utf8"))).toHaveLength(10);
  });
});

describe("usage errors: our own message and code, exit status 2", () => {
  const cases: [string, string[], string][] = [
    ["a negative --seed written apart", ["--uncertainty", "monte-carlo", "--seed", "-1"], '--seed must be a whole number, got "-1"'],
    ["an option after --", ["--", "--version"], "cannot read --version: no such file"],
    ["an unknown option", ["--verbose"], 'unknown option "--verbose"'],
    ["an unknown short option", ["-x"], 'unknown option "-x"'],
    ["an unknown option with a value", ["--color=always"], 'unknown option "--color"'],
    ["an option without its value", ["--format"], "--format needs a value"],
    ["an option followed by another", ["--weights", "--summary"], "--weights needs a value"],
    ["a value for a switch", ["--summary=yes"], "--summary takes no value"],
    ["a quote in an unknown option", ['--"x'], 'unknown option "--\\"x"'],
  ];

  it.each(cases)("%s", (_name, args, message) => {
    const { status, stdout, stderr } = runCli(args);
    const [first, ...rest] = stderr.trimEnd().split("\n");
    expect(first).toMatch(/^farfan-aggregate: .* \(E_(USAGE|FILE)\)$/);
    expect(first).toContain(message);
    expect(rest).toEqual(["Usage: farfan-aggregate [FILE|-] [options]", "Run 'farfan-aggregate --help' for details."]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
  });
});
