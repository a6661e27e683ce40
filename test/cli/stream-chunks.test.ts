/**
 * A stream of many chunks: 10,000 plans, generated here, through the default chunk size, give
 * line for line what aggregating each plan alone gives.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { DEFAULT_CHUNK_SIZE } from "../../src/cli/args.js";
import { dimensionScoresFromJson } from "../../src/input/codec.js";
import { HighPerformanceAreaAggregator } from "../../src/index.js";
import { asDicts, CLI_TIMEOUTS, randomSnakePlans, runCliToFile, scratchFiles } from "../support/cli.js";

vi.setConfig(CLI_TIMEOUTS);

const scratch = scratchFiles();
const COUNT = 10_000;

describe("a stream longer than one chunk", () => {
  it(`aggregates ${COUNT} plans (${Math.ceil(COUNT / DEFAULT_CHUNK_SIZE)} chunks) exactly as one plan at a time`, () => {
    expect(COUNT).toBeGreaterThan(4 * DEFAULT_CHUNK_SIZE);
    const plans = randomSnakePlans(COUNT, 2024);
    const input = scratch.write("many.ndjson", `${plans.map((p) => JSON.stringify(p)).join("\n")}\n`);
    const output = scratch.path("many.out.ndjson");
    const { status, stderr } = runCliToFile([input, "--format", "ndjson"], output);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const written = readFileSync(output, "utf8").trimEnd().split("\n");
    expect(written).toHaveLength(COUNT);
    // One plan per call; JSON text compares every number's shortest round-trip form, so equal
    // strings mean equal bits.
    const alone = new HighPerformanceAreaAggregator();
    plans.forEach((plan, p) => {
      const expected = JSON.stringify({ line: p + 1, area_scores: asDicts(alone.aggregateSync(dimensionScoresFromJson(plan)).areaScores) });
      if (written[p] !== expected) expect(written[p], `line ${p + 1}`).toBe(expected);
    });
  });
});
