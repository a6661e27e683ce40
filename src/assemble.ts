import { AREA_COUNT, AREA_IDS, AREA_NAMES, CLUSTER_OF_AREA, DIMENSION_COUNT, QUALITY_LEVELS, SLOTS_PER_EVALUATION } from "./constants.js";
import type { KernelOutput } from "./kernel.js";
import type { AreaScore, DimensionScore } from "./types.js";
import type { PreparedWeights } from "./weights.js";

/**
 * Builds the ten `AreaScore` objects of evaluation `e` from the kernel's columns. Everything is
 * fresh: the input entries are shallow-copied, so no output shares an object with the input or
 * with another output.
 */
export function assembleAreaScores(
  entries: readonly DimensionScore[],
  entryOf: Int32Array,
  e: number,
  out: KernelOutput,
  weights: PreparedWeights,
): AreaScore[] {
  const areaScores = new Array<AreaScore>(AREA_COUNT);
  for (let a = 0; a < AREA_COUNT; a++) {
    const areaId = AREA_IDS[a]!;
    const o = e * AREA_COUNT + a;
    const slot = e * SLOTS_PER_EVALUATION + a * DIMENSION_COUNT;
    const dimensionScores = new Array<DimensionScore>(DIMENSION_COUNT);
    for (let d = 0; d < DIMENSION_COUNT; d++) dimensionScores[d] = { ...entries[entryOf[slot + d]!]! };
    areaScores[a] = {
      areaId,
      areaName: AREA_NAMES[areaId],
      clusterId: CLUSTER_OF_AREA[areaId],
      score: out.score[o]!,
      scoreStd: out.std[o]!,
      confidenceInterval95: [out.ciLow[o]!, out.ciHigh[o]!],
      qualityLevel: QUALITY_LEVELS[out.quality[o]!]!,
      dimensionScores,
      aggregationMethod: "weighted_average",
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
