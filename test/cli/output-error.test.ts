/**
 * Output that cannot be written is the CLI's own coded error, not a crash: with stdout on
 * /dev/full (every write fails with ENOSPC) the run stops with one line on stderr,
 * `farfan-aggregate: cannot write output: no space left on device (E_OUTPUT)`, and exit status 3
 * — not 1, which says some input was bad — for one JSON plan and for NDJSON on worker threads.
 */
import { existsSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { CLI_TIMEOUTS, PLAN_FILE, PLANS_170_FILE, runCli, runCliToFile } from "../support/cli.js";

vi.setConfig(CLI_TIMEOUTS);

const FULL = "/dev/full";
const LINE = "farfan-aggregate: cannot write output: no space left on device (E_OUTPUT)\n";

describe.runIf(existsSync(FULL))("stdout on a full device", () => {
  it.each([
    ["one JSON plan", [PLAN_FILE]],
    ["one JSON plan, --summary", [PLAN_FILE, "--summary"]],
    ["NDJSON, --jobs 2", [PLANS_170_FILE, "--jobs", "2"]],
  ])("%s: one coded line on stderr, exit status 3", (_name, args) => {
    const { status, stderr } = runCliToFile(args, FULL);
    expect(stderr).toBe(LINE);
    expect(status).toBe(3);
  });

  it("--help documents exit status 3 and E_OUTPUT", () => {
    expect(runCli(["--help"]).stdout).toMatch(/3 the output could not be written \(E_OUTPUT\)/);
  });
});
