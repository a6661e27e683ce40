/**
 * The progress bar: drawn on stderr, with plans/s, only when stderr is a terminal. A terminal is
 * made with util-linux `script`, which runs the command on a pseudo-terminal and copies what it
 * draws; stdout goes to a file, so the results are what they are without a terminal. Nothing here
 * depends on speed: only the final state is checked (every run ends by drawing it), rates and
 * durations are matched by form, not value, and the timeout is far above a busy machine's time.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { CLI, CLI_TIMEOUTS, ndjsonResults, randomSnakePlans, runCli, scratchFiles } from "../support/cli.js";

vi.setConfig(CLI_TIMEOUTS);

const scratch = scratchFiles();
const PLANS = 150;
const lines = randomSnakePlans(PLANS, 3).map((p) => JSON.stringify(p));
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
    expect(terminal).toMatch(new RegExp(`100% \\| ${PLANS} plans \\| \\d+ plans/s`));
    expect(terminal).toMatch(/line 100: not valid JSON/);
    expect(stdout).toBe(runCli([input, "--format", "ndjson"]).stdout);
  });

  it("on a terminal, from stdin (no known size): the plans done and plans/s", () => {
    const { terminal, stdout } = onTerminal(["-", "--format", "ndjson"], input);
    // The duration reads "3s", "01m05s" or "01h02m" as the run takes: any of them will do.
    expect(terminal).toMatch(new RegExp(`^${PLANS} plans \\| \\d+ plans/s \\| \\w+$`, "m"));
    expect(ndjsonResults(stdout)).toHaveLength(PLANS - 1);
  });

  it("not when the results go to the same terminal", () => {
    const { terminal } = terminalOf(`${cliCommand([input, "--format", "ndjson"])} < /dev/null`);
    expect(terminal).toContain('"area_scores"');
    expect(terminal).toMatch(/line 100: not valid JSON/);
    expect(terminal).not.toMatch(/plans\/s/);
  });

  it("never when stderr is not a terminal: stderr holds only the reports", () => {
    const { stderr } = runCli([input]);
    expect(stderr).toMatch(/^line 100: not valid JSON[^\n]*\(E_JSON\)\n$/);
  });
});
