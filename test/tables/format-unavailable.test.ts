/**
 * A table format whose optional library did not load (installed with --omit=optional, say) is
 * one coded error naming the package to install, E_FORMAT_UNAVAILABLE, exit status 1, and no
 * stack trace; the output is closed as a valid (empty) table.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { CLI, CLI_TIMEOUTS, scratchFiles } from "../support/cli.js";
import { longArrow, longRows, parquetOf, study } from "../support/tables.js";

vi.setConfig(CLI_TIMEOUTS);

const WITHOUT_PARQUET = fileURLToPath(new URL("../support/without-parquet-wasm.mjs", import.meta.url));
const scratch = scratchFiles();
const s = study(5, 3);
const input = scratch.path("plans.parquet");
writeFileSync(input, parquetOf(longArrow(s, longRows(5, 2, 4))));

describe("a table format whose library is missing", () => {
  it("reading Parquet on one thread: E_FORMAT_UNAVAILABLE naming parquet-wasm, a CSV header written, exit 1", () => {
    const output = scratch.path("areas.csv");
    // The hook runs on the main thread only, so the file is read there (--jobs 1).
    const { status, stdout, stderr } = spawnSync(process.execPath, ["--import", WITHOUT_PARQUET, CLI, input, "-o", output, "--jobs", "1"], { encoding: "utf8" });
    expect(stdout).toBe("");
    expect(status).toBe(1);
    expect(stderr.trimEnd().split("\n")).toEqual([
      `${input}: this table format needs the optional dependency parquet-wasm, which did not load; install it with: npm install parquet-wasm (E_FORMAT_UNAVAILABLE); the results of the 0 plans before it were written`,
    ]);
    expect(readFileSync(output, "utf8").split("\n")[0]).toMatch(/^plan_id,area_id,/);
  });
});
