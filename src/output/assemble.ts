import { AREA_COUNT, AREA_ROWS, DIMENSION_COUNT, QUALITY_BY_CODE, SLOTS_PER_EVALUATION } from "../core/constants.js";
import { copyEntry } from "./copy.js";
import type { KernelOutput } from "../core/kernel-io.js";
import type { AggregationMethod, AreaScore, DimensionScore } from "../core/types.js";
import type { PreparedWeights } from "../input/weights.js";

/**
 * Builds the ten `AreaScore` objects of evaluation `e` from the kernel's columns. Everything is
 * fresh: the input entries are copied, so no output shares an object with the input or with
 * another output.
 */
export function assembleAreaScores(
  entries: readonly DimensionScore[],
  entryOf: Int32Array,
  e: number,
  out: KernelOutput,
  weights: PreparedWeights,
  aggregationMethod: AggregationMethod,
): AreaScore[] {
  const areaScores = new Array<AreaScore>(AREA_COUNT);
  for (let a = 0; a < AREA_COUNT; a++) {
    const { areaId, areaName, clusterId } = AREA_ROWS[a]!;
    const o = e * AREA_COUNT + a;
    const slot = e * SLOTS_PER_EVALUATION + a * DIMENSION_COUNT;
    const dimensionScores = [
      copyEntry(entries[entryOf[slot]!]!),
      copyEntry(entries[entryOf[slot + 1]!]!),
      copyEntry(entries[entryOf[slot + 2]!]!),
      copyEntry(entries[entryOf[slot + 3]!]!),
      copyEntry(entries[entryOf[slot + 4]!]!),
      copyEntry(entries[entryOf[slot + 5]!]!),
    ];
    areaScores[a] = {
      areaId,
      areaName,
      clusterId,
      score: out.score[o]!,
      scoreStd: out.std[o]!,
      confidenceInterval95: [out.ciLow[o]!, out.ciHigh[o]!],
      qualityLevel: QUALITY_BY_CODE[out.quality[o]!]!,
      dimensionScores,
      aggregationMethod,
      validationPassed: true,
      validationDetails: {
        hermeticity: true,
        weightSource: weights.custom[a] ? "custom" : "equal",
        weightSum: weights.sums[a]!,
      },
    };
  }
  return areaScores;
}
