/**
 * SPEC §3's weight bounds hold in the CLI too: `--weights` outside [MIN_WEIGHT, MAX_WEIGHT]
 * (and not 0) is refused with E_WEIGHTS and a non-zero exit, where 5e-324 and 1e300 once went
 * through and wrote `"score_std": null` with exit 0.
 */
import { describe, expect, it } from "vitest";
import { MAX_WEIGHT, MIN_WEIGHT } from "../../src/index.js";
import { PLAN_FILE, runCli, scratchFiles } from "../support/cli.js";
import { nextDown, nextUp } from "../support/float.js";
import { six } from "../support/plans.js";

const scratch = scratchFiles();

describe("--weights outside SPEC §3's bounds", () => {
  it.each([
    ["1e300", 1e300],
    ["5e-324", 5e-324],
    ["just above MAX_WEIGHT", nextUp(MAX_WEIGHT)],
    ["just below MIN_WEIGHT", nextDown(MIN_WEIGHT)],
  ])("six weights of %s: exit 1, E_WEIGHTS for each, nothing written", (name, w) => {
    const weightsFile = scratch.write(`weights-${name.replace(/\W+/g, "-")}.json`, JSON.stringify({ PA01: six(w) }));
    const { status, stdout, stderr } = runCli(["--weights", weightsFile, PLAN_FILE]);
    expect(status).toBe(1);
    expect(stdout).toBe("");
    for (let d = 1; d <= 6; d++) expect(stderr).toMatch(new RegExp(`weights\\.PA01\\.DIM0${d}: .*\\(E_WEIGHTS\\)`));
  });

  it("weights at the bounds are accepted and every number written is finite (controls)", () => {
    const weightsFile = scratch.write("weights-bounds.json", JSON.stringify({ PA01: { ...six(MIN_WEIGHT), DIM06: MAX_WEIGHT } }));
    const { status, stdout } = runCli(["--weights", weightsFile, PLAN_FILE, "--format", "json"]);
    expect(status).toBe(0);
    const areas = JSON.parse(stdout) as { score: unknown; score_std: unknown; confidence_interval_95: unknown[] }[];
    expect(areas).toHaveLength(10);
    for (const area of areas) {
      for (const x of [area.score, area.score_std, ...area.confidence_interval_95]) expect(Number.isFinite(x)).toBe(true);
    }
  });
});
