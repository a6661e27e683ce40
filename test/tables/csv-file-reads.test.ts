/**
 * A CSV file is read into two reused buffers, one read ahead of the reader: the results are the
 * same bytes as the same CSV on stdin (a stream's fresh chunks), however the file's size falls
 * against the reads. Several MB, so the reads go round the two buffers many times.
 */
import { describe, expect, it, vi } from "vitest";
import { CLI_TIMEOUTS, runCli, scratchFiles } from "../support/cli.js";
import { longCsv, longRows, study } from "../support/tables.js";

vi.setConfig(CLI_TIMEOUTS);

const scratch = scratchFiles();
const PLANS = 1500;
const text = longCsv(study(PLANS, 61), longRows(PLANS, 30, 62));

/** The text's records up to ~2 MiB, then one row whose key pads the file to exactly 2 MiB (its plan is incomplete: one problem). */
function twoReads(): string {
  const bytes = Buffer.from(text);
  const head = bytes.subarray(0, bytes.lastIndexOf(10, 2 ** 21 - 100) + 1).toString();
  const tail = ",PA01,DIM01,1,0\n";
  const csv = `${head}${"k".repeat(2 ** 21 - Buffer.byteLength(head) - tail.length)}${tail}`;
  expect(Buffer.byteLength(csv)).toBe(2 ** 21);
  return csv;
}

describe("CSV read from a file", () => {
  it("is several of the reader's 1 MiB reads long", () => {
    expect(Buffer.byteLength(text)).toBeGreaterThan(4 * 2 ** 20);
  });

  // The whole text; cut mid-record (the file ends inside a plan); exactly two reads long (the third read finds nothing).
  it.each([["whole", text], ["cut mid-record", text.slice(0, 3 * 2 ** 20 + 17)], ["two reads exactly", twoReads()]])(
    "%s: the same output as from stdin",
    (name, csv) => {
      const file = scratch.write(`${name.replace(/ /g, "-")}.csv`, csv);
      const fromFile = runCli([file, "--format", "csv"]);
      const fromStdin = runCli(["--from", "csv", "--format", "csv"], csv);
      expect(fromFile.stderr).toBe(fromStdin.stderr);
      expect(fromFile.status).toBe(fromStdin.status);
      expect(fromFile.stdout.length).toBeGreaterThan(0);
      expect(fromFile.stdout === fromStdin.stdout).toBe(true);
    },
  );
});
