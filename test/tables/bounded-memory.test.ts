/**
 * A table larger than the reader's chunks and the engine's blocks is streamed: the CSV comes in
 * several batches, plans leave in blocks as they complete, and the plans held open at once never
 * exceed the interleaving (or the cap, past which the oldest is reported as E_OPEN_PLANS and the
 * count stays at the cap). Counts, not time.
 */
import { describe, expect, it, vi } from "vitest";
import { HighPerformanceAreaAggregator } from "../../src/index.js";
import { EQUAL_WEIGHTS } from "../../src/input/weights.js";
import { csvBatches } from "../../src/tables/csv-reader.js";
import type { PlanProblem } from "../../src/tables/gather.js";
import type { RowBatch } from "../../src/tables/rows.js";
import { runTable } from "../../src/tables/run.js";
import { CLI_TIMEOUTS, runCli } from "../support/cli.js";
import { longCsv, longRows, study } from "../support/tables.js";

vi.setConfig(CLI_TIMEOUTS);

const PLANS = 2500;
const WINDOW = 50;
const s = study(PLANS, 41);
/** ~8.5 MB of CSV: more than two of the reader's 4 MiB batches. */
const text = longCsv(s, longRows(PLANS, WINDOW, 42));

/** The CSV in 64 KiB chunks, as a file stream gives it. */
async function* chunks(): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += 65536) yield bytes.subarray(at, at + 65536);
}

async function run(maxOpenPlans: number) {
  let batches = 0;
  const counted = async function* (): AsyncGenerator<RowBatch> {
    for await (const batch of csvBatches(chunks(), { idColumn: "plan_id" })) {
      batches++;
      yield batch;
    }
  };
  const blocks: number[] = [];
  const problems: PlanProblem[] = [];
  const result = await runTable(
    counted(),
    new HighPerformanceAreaAggregator(),
    { sorted: false, maxOpenPlans, blockPlans: 64, weights: EQUAL_WEIGHTS, inputs: false },
    { writer: { write: async (block) => void blocks.push(block.plans), end: async () => {} }, problem: (p) => void problems.push(p) },
  );
  return { batches, blocks, problems, result };
}

describe("bounded memory", () => {
  it("streams a table larger than the chunks: plans open at once stay within the interleaving", async () => {
    const { batches, blocks, problems, result } = await run(1000);
    expect(batches).toBeGreaterThan(2);
    expect(problems).toEqual([]);
    expect(result.plans).toBe(PLANS);
    expect(blocks.length).toBe(Math.ceil(PLANS / 64));
    expect(Math.max(...blocks)).toBe(64);
    // Plans of one window are open together; none lingers past its window.
    expect(result.peakOpen).toBeLessThanOrEqual(WINDOW);
    expect(result.peakOpen).toBeGreaterThan(WINDOW / 2);
  });

  it("a cap below the interleaving: the count stays at the cap, the oldest are reported E_OPEN_PLANS", async () => {
    const { problems, result } = await run(20);
    expect(result.peakOpen).toBe(20);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.error.issues[0]!.code === "E_OPEN_PLANS")).toBe(true);
    // Every key is one plan, written or reported: an evicted plan's later rows open nothing new.
    expect(result.plans).toBe(PLANS);
  });

  it("CLI: --max-open-plans caps them and names the flag's remedy", () => {
    const { status, stderr } = runCli(["--from", "csv", "--max-open-plans", "10", "--format", "ndjson"], text);
    expect(status).toBe(1);
    expect(stderr).toContain("E_OPEN_PLANS");
    expect(stderr).toContain("when 10 plans were open at once; sort the input by plan key, or raise the cap");
  });
});
