/**
 * The progress bar: drawn on stderr, with plans/s, only when stderr is a terminal. A terminal is
 * made with util-linux `script`, which runs the command on a pseudo-terminal and copies what it
 * draws; stdout goes to a file, so the results are what they are without a terminal.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CLI, ndjsonResults, randomSnakePlans, runCli, scratchFiles } from "./support/cli.js";

const scratch = scratchFiles();
const lines = randomSnakePlans(600, 3).map((p) => JSON.stringify(p));
lines[99] = "{ not json";
const input = scratch.write("progress.ndjson", `${lines.join("\n")}\n`);
const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** Runs `command` on a terminal; what was drawn there, cursor movements turned into line breaks. */
function terminalOf(command: string): { status: number | null; terminal: string } {
  const { status, stdout } = spawnSync("script", ["-qfec", command, "/dev/null"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return { status, terminal: stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "\n") };
}

const cliCommand = (args: readonly string[]) => [process.execPath, CLI, ...args].map(quote).join(" ");

/** What the CLI draws on a terminal (its stderr there), with stdout going to a file. */
function onTerminal(args: readonly string[], stdinFile = "/dev/null"): { status: number | null; terminal: string; stdout: string } {
  const output = scratch.path("progress.out");
  const { status, terminal } = terminalOf(`${cliCommand(args)} < ${quote(stdinFile)} > ${quote(output)}`);
  return { status, terminal, stdout: readFileSync(output, "utf8") };
}

describe("progress on stderr", () => {
  it("on a terminal: a bar with the plans done and plans/s, reports above it, results unchanged", () => {
    const { status, terminal, stdout } = onTerminal([input, "--format", "ndjson"]);
    expect(status).toBe(1);
    // Every line counts, the bad one too.
    expect(terminal).toMatch(/100% \| 600 plans \| \d+ plans\/s/);
    expect(terminal).toMatch(/line 100: not valid JSON/);
    expect(stdout).toBe(runCli([input, "--format", "ndjson"]).stdout);
  });

  it("on a terminal, from stdin (no known size): the plans done and plans/s", () => {
    const { terminal, stdout } = onTerminal(["-", "--format", "ndjson"], input);
    expect(terminal).toMatch(/^600 plans \| \d+ plans\/s \| \d+s$/m);
    expect(ndjsonResults(stdout)).toHaveLength(599);
  });

  it("not when the results go to the same terminal", () => {
    const { terminal } = terminalOf(`${cliCommand([input, "--format", "ndjson"])} < /dev/null`);
    expect(terminal).toContain('"area_scores"');
    expect(terminal).toMatch(/line 100: not valid JSON/);
    expect(terminal).not.toMatch(/plans\/s/);
  });

  it("never when stderr is not a terminal: stderr holds only the reports", () => {
    const { stderr } = runCli([input]);
    expect(stderr).toMatch(/^line 100: not valid JSON: [^\n]*\n$/);
  });
});
