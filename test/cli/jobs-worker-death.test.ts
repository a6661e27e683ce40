/**
 * A worker thread that dies never hangs `--jobs N` nor costs another line: its chunk is handled
 * again one line at a time, the line that kills a worker on its own is reported (E_WORKER), every
 * other line is written as `--jobs 1` writes it (Monte-Carlo draws included), and the exit status
 * is 1. Nothing in the package's input kills a worker on purpose, so the fault is put in from
 * outside: a copy of the built package whose worker module exits its thread when a chunk holds
 * a marked line (as an out-of-memory or a crash would end it), and otherwise runs the real one. Main thread, pool and chunk handling are the package's own.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { CLI_TIMEOUTS, randomSnakePlans, runCli, scratchFiles } from "../support/cli.js";
import { exitingWorker, packageWithWorker } from "../support/worker-fault.js";

vi.setConfig(CLI_TIMEOUTS);

const scratch = scratchFiles();
const MARK = "STOP-THIS-WORKER";

const cliOf = (dir: string) => join(dir, "dist/cli/main.js");

function runCopy(cli: string, args: readonly string[]) {
  const { status, stdout, stderr } = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { status, stdout, stderr };
}

const plans = randomSnakePlans(20, 31);
/** Line 6 is a good plan that carries the mark (other top-level keys are ignored). */
const MARKED_LINE = 6;
const lines = plans.map((plan, p) => JSON.stringify({ dimension_scores: plan, ...(p === MARKED_LINE - 1 ? { note: MARK } : {}) }));
const input = scratch.write("marked.ndjson", `${lines.join("\n")}\n`);
const args = [input, "--format", "ndjson", "--uncertainty", "monte-carlo", "--samples", "32", "--seed", "3", "--chunk-size", "4", "--jobs", "2"];

describe("a worker thread that dies", () => {
  it("costs only the line that kills it alone, reported with E_WORKER; the rest is written as --jobs 1 writes it", () => {
    const wrapper = exitingWorker("./worker.real.js", `(task) => Buffer.from(task.lines.bytes).includes(${JSON.stringify(MARK)})`);
    const cli = cliOf(packageWithWorker(scratch.path("exits"), "cli/worker.js", wrapper));
    const { status, stdout, stderr } = runCopy(cli, args);
    expect(stderr).toBe(`line ${MARKED_LINE}: its worker thread stopped while handling it, also with the line alone (E_WORKER)\n`);
    expect(status).toBe(1);
    const expected = runCli([...args.slice(0, -1), "1"]).stdout.split(/(?<=\n)/).filter((_, i) => i !== MARKED_LINE - 1);
    expect(stdout.split(/(?<=\n)/)).toEqual(expected);
  });

  it("that cannot even load its module: every line is reported, nothing hangs", () => {
    const cli = cliOf(packageWithWorker(scratch.path("broken"), "cli/worker.js", `throw new Error("this worker module does not load");\n`));
    const { status, stdout, stderr } = runCopy(cli, args);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toEqual(lines.map((_, i) => `line ${i + 1}: its worker thread stopped while handling it, also with the line alone (E_WORKER)`));
    expect(status).toBe(1);
  });
});
