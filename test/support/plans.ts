import { AREA_IDS, DIMENSION_IDS, type DimensionScore } from "../../src/index.js";

/** A plan of 60 dimension scores in canonical order; `score(a, d)` and `std(a, d)` fill it. */
export function makePlan(
  score: (a: number, d: number) => number = () => 1.5,
  std: (a: number, d: number) => number = () => 0.1,
): DimensionScore[] {
  const plan: DimensionScore[] = [];
  AREA_IDS.forEach((areaId, a) =>
    DIMENSION_IDS.forEach((dimensionId, d) => plan.push({ areaId, dimensionId, score: score(a, d), scoreStd: std(a, d) })),
  );
  return plan;
}

/** The same plan with entry `i` replaced by `entry`. */
export function withEntry(plan: readonly DimensionScore[], i: number, entry: unknown): DimensionScore[] {
  const copy = plan.slice();
  copy[i] = entry as DimensionScore;
  return copy;
}

/** Six dimension weights, all `w`: one area's weights. */
export function six(w = 1): Record<"DIM01" | "DIM02" | "DIM03" | "DIM04" | "DIM05" | "DIM06", number> {
  return { DIM01: w, DIM02: w, DIM03: w, DIM04: w, DIM05: w, DIM06: w };
}
