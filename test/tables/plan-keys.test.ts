/**
 * Plan keys are numbered by first appearance across a table's batches, whatever the key index
 * holds: Monte-Carlo streams are keyed by that number, so a table's results equal the JSON
 * path's plan for plan only if every plan got its number. Long keys (non-ASCII among them) past
 * the index's first arena and slot sizes, keys interleaved across batch boundaries, a null key
 * and a key back after its plan closed (reported, numbering unchanged) are all covered.
 */
import { describe, expect, it } from "vitest";
import * as arrow from "apache-arrow";
import { HighPerformanceAreaAggregator, ValidationError, type AreaScore } from "../../src/index.js";
import { aggregateTable } from "../../src/tables/index.js";
import { jsonPlans, longArrow, longRows, study, wideArrow, type Study } from "../support/tables.js";

const MONTE_CARLO = { uncertainty: { method: "monte-carlo" as const, samples: 16, seed: 9 } };

/** A study whose keys are long enough to outgrow the key arena's first 64 KiB (~30 bytes each). */
function longKeyed(n: number, seed: number): Study {
  const s = study(n, seed);
  return { ...s, keys: s.keys.map((key) => `${key}-ñandú-${"k".repeat(16)}`) };
}

async function expectedScores(s: Study): Promise<AreaScore[][]> {
  return (await new HighPerformanceAreaAggregator(MONTE_CARLO).aggregateBatch(jsonPlans(s))).areaScores;
}

function tableScores(columns: Record<string, string[] | Float64Array>): { keys: string[]; scores: number[]; stds: number[] } {
  const keys = (columns["plan_id"] as string[]).filter((_, r) => r % 10 === 0);
  return { keys, scores: Array.from(columns["score"]!, Number), stds: Array.from(columns["score_std"]!, Number) };
}

function flat(s: Study, areaScores: AreaScore[][]): { keys: string[]; scores: number[]; stds: number[] } {
  return { keys: s.keys, scores: areaScores.flatMap((areas) => areas.map((a) => a.score)), stds: areaScores.flatMap((areas) => areas.map((a) => a.scoreStd)) };
}

describe("plan keys", () => {
  it("more keys than the index's first slots and arena hold (wide) get the JSON path's plan numbers", async () => {
    const s = longKeyed(5000, 31);
    const result = await aggregateTable(wideArrow(s), { aggregator: new HighPerformanceAreaAggregator(MONTE_CARLO) });
    expect(result.plans).toBe(5000);
    expect(tableScores(result.columns)).toStrictEqual(flat(s, await expectedScores(s)));
  });

  it("keys interleaved across batch boundaries (long), looked up again after the slots grew, are numbered as they first appear", async () => {
    const s = longKeyed(4500, 32);
    // Windows of 25 plans: none starts where the index grows (at a power of two keys), so rows of
    // keys placed before each growth come after it (the native and TypeScript hashes must agree).
    const rows = longRows(4500, 25, 33);
    const result = await aggregateTable(longArrow(s, rows, 6173), { aggregator: new HighPerformanceAreaAggregator(MONTE_CARLO) });
    expect(result.plans).toBe(4500);
    expect(tableScores(result.columns)).toStrictEqual(flat(s, await expectedScores(s)));
  });

  it("a null key opens no plan and a key back after its plan closed is reported against that plan", async () => {
    const s = longKeyed(40, 34);
    const rows = longRows(40, 4, 35);
    const keys = [...rows.map((r) => s.keys[r.e]!), null, s.keys[2]!, s.keys[39]!];
    const late = rows.length + 2;
    const table = new arrow.Table({
      plan_id: arrow.vectorFromArray(keys, new arrow.Utf8()),
      area_id: arrow.vectorFromArray([...rows.map((r) => `PA${String(Math.floor(r.slot / 6) + 1).padStart(2, "0")}`), "PA01", "PA01", "PA01"], new arrow.Utf8()),
      dimension_id: arrow.vectorFromArray([...rows.map((r) => `DIM0${(r.slot % 6) + 1}`), "DIM01", "DIM01", "DIM01"], new arrow.Utf8()),
      score: arrow.makeVector(Float64Array.from([...rows.map((r) => s.scores[r.e * 60 + r.slot]!), 1, 1, 1])),
    });
    const error: unknown = await aggregateTable(table).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).issues.map((issue) => issue.path).sort();
    expect(paths).toEqual([`["${s.keys[2]}"].row ${late}`, `["${s.keys[39]}"].row ${late + 1}`, `row ${rows.length + 1}`].sort());
  });
});
