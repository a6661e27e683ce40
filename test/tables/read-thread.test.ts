/**
 * With --jobs 2 or more, the CLI reads a table file on a thread of its own, one batch ahead of
 * the thread that gathers, aggregates and writes. What it writes and reports is the same, byte
 * for byte, as reading on one thread (--jobs 1): every format, many batches (CSV chunks, Parquet
 * row groups, Arrow record batches), bad plans, --fail-fast, and a file that breaks off midway.
 */
import * as arrow from "apache-arrow";
import { writeFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { CLI_TIMEOUTS, runCli, scratchFiles } from "../support/cli.js";
import { longArrow, longCsv, longRows, parquetOf, study, wideArrow, wideCsv } from "../support/tables.js";

vi.setConfig(CLI_TIMEOUTS);

const scratch = scratchFiles();
const plans = 300;
const s = study(plans, 47);
// Plan 11 has a score out of range and plan 200 a std below zero: each is one problem, the others are written.
s.scores[11 * 60 + 7] = 7;
s.stds[200 * 60 + 33] = -1;
const rows = longRows(plans, 16, 48);
const long = longArrow(s, rows, 1000);

function file(name: string, bytes: Uint8Array | string): string {
  writeFileSync(scratch.path(name), bytes);
  return scratch.path(name);
}

// In the long CSV plan 11's bad score is text: the cell as it was crosses the threads too.
const longCsvText = longCsv(s, rows).replace(",7,", ",seven,");

const files = {
  "long CSV": file("long.csv", longCsvText),
  "wide CSV": file("wide.csv", wideCsv(s)),
  "long Parquet": file("long.parquet", parquetOf(long, 1500)),
  "wide Parquet": file("wide.parquet", parquetOf(wideArrow(s), 64)),
  "Arrow file": file("long.arrow", arrow.tableToIPC(long, "file")),
  "Arrow stream": file("long.arrows", arrow.tableToIPC(long, "stream")),
};

/** The CLI on one thread and with a reader thread: the same status, stdout and stderr. */
function sameOnBothPaths(args: string[]) {
  const one = runCli([...args, "--jobs", "1"]);
  const two = runCli([...args, "--jobs", "2"]);
  expect(two.stderr).toBe(one.stderr);
  expect(two.status).toBe(one.status);
  expect(two.stdout === one.stdout, "stdout differs").toBe(true);
  return two;
}

/** The plans stderr says were rejected. */
const rejected = (stderr: string) => stderr.split("\n").filter((line) => line.includes(": rejected,"));

describe("a table file read on its own thread", () => {
  for (const [name, path] of Object.entries(files)) {
    it(`${name}: the same results and problems as on one thread`, () => {
      const { status, stdout, stderr } = sameOnBothPaths([path, "--format", "csv"]);
      expect(status).toBe(1);
      expect(rejected(stderr)).toHaveLength(2);
      expect(stderr).toContain('"plan-11"');
      expect(stderr).toContain('"plan-200"');
      // A header, then 10 areas of each good plan.
      expect(stdout.trimEnd().split("\n")).toHaveLength(1 + (plans - 2) * 10);
    });
  }

  it("--fail-fast: stops at the first bad plan, as on one thread", () => {
    const { status, stderr } = sameOnBothPaths([files["long Parquet"], "--format", "csv", "--fail-fast"]);
    expect(status).toBe(1);
    expect(rejected(stderr)).toHaveLength(1);
  });

  it("a file cut short: the plans before the break are written, then one coded error", () => {
    const bytes = arrow.tableToIPC(long, "stream");
    const cut = file("cut.arrows", bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const { status, stdout, stderr } = sameOnBothPaths([cut, "--format", "ndjson"]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/\(E_TABLE\); the results of the \d+ plans before it were written/);
    expect(stdout.trim().split("\n").length).toBeGreaterThan(100);
  });

  it("a CSV whose last record opens a quote it never closes: the same as on one thread", () => {
    const cut = file("open-quote.csv", `${longCsvText}"plan-x,PA01,DIM01,1,0\n`);
    const { status, stderr } = sameOnBothPaths([cut, "--format", "ndjson"]);
    expect(status).toBe(1);
    expect(stderr).toContain("the file ends inside a quoted field (E_TABLE)");
  });
});
