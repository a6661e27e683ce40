// The memory floor of a native figure, measured in the bench's own run: bench/read-probe.cc,
// compiled with the machine's compiler (tuned for this CPU: it is a probe, not shipped), reads
// the inputs once and writes the outputs once on the given threads. Benches print it beside
// their native rows with the ratio to it.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const FLOOR_TASK = "floor: C++ read of the inputs + write of the outputs, once (read-probe.cc, best of many)";
export const FRESH_FLOOR_TASK = "floor: the same, outputs in new memory each time (read-probe.cc --fresh, best of many)";

let exe;

/**
 * Best seconds to read the inputs and write the outputs of n evaluations once on `threads`
 * threads, as a Map n → seconds; empty (with a warning) without a C++ compiler. With `fresh`,
 * the outputs are new memory each time (mapped, advised as the addon advises, written, unmapped).
 */
export function memoryFloor(sizes, threads, { fresh = false } = {}) {
  try {
    if (exe === undefined) {
      exe = join(mkdtempSync(join(tmpdir(), "farfan-probe-")), "read-probe");
      execFileSync("c++", ["-O3", "-march=native", "-pthread", "-o", exe, fileURLToPath(new URL("read-probe.cc", import.meta.url))]);
    }
    const lines = execFileSync(exe, [...(fresh ? ["--fresh"] : []), String(threads), ...sizes.map(String)], { encoding: "utf8" }).trim().split("\n");
    return new Map(lines.map((line) => line.split(" ").map(Number)).map(([n, , us]) => [n, us / 1e6]));
  } catch (error) {
    console.warn(`floor probe unavailable: ${error.message}`);
    return new Map();
  }
}

/** "× floor" cell: the task's time over the floor's, or "–" when the probe did not run. */
export function timesFloor(seconds, floorSeconds) {
  return floorSeconds === undefined ? "–" : (seconds / floorSeconds).toFixed(2);
}
