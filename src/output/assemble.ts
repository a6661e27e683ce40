import { AREA_COUNT, AREA_ROWS, DIMENSION_COUNT, QUALITY_BY_CODE, SLOT_DIMENSION_IDS, SLOTS_PER_EVALUATION } from "../core/constants.js";
import { threw } from "../core/caller-data.js";
import { ValidationError } from "../core/validate.js";
import { copyEntry, ExtraFieldError } from "./copy.js";
import type { KernelOutput } from "../core/kernel-io.js";
import type { AggregationMethod, AreaScore, DimensionScore } from "../core/types.js";
import type { PackedColumns } from "../input/columns.js";
import type { PreparedWeights } from "../input/weights.js";

/**
 * Builds the ten `AreaScore` objects of evaluation `e` from the kernel's columns and the read
 * snapshot in `columns`: each `dimensionScores` entry carries the snapshot's four values, plus
 * copies of the entry's extras. Everything is fresh, so no output shares an object with the
 * input or with another output.
 * @throws ValidationError (E_TYPE at `${prefix}[i].field`) when reading an extra field throws.
 */
export function assembleAreaScores(
  columns: PackedColumns,
  e: number,
  out: KernelOutput,
  weights: PreparedWeights,
  aggregationMethod: AggregationMethod,
  prefix: string,
): AreaScore[] {
  const areaScores = new Array<AreaScore>(AREA_COUNT);
  for (let a = 0; a < AREA_COUNT; a++) {
    const { areaId, areaName, clusterId } = AREA_ROWS[a]!;
    const o = e * AREA_COUNT + a;
    const first = e * SLOTS_PER_EVALUATION + a * DIMENSION_COUNT;
    const dimensionScores = new Array<DimensionScore>(DIMENSION_COUNT);
    for (let d = 0; d < DIMENSION_COUNT; d++) dimensionScores[d] = dimensionScore(columns, e, first + d, areaId, d, prefix);
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

/** The entry at `slot` as read: the snapshot's fields (`scoreStd` only when the entry had one) and its extras. */
function dimensionScore(columns: PackedColumns, e: number, slot: number, areaId: string, d: number, prefix: string): DimensionScore {
  const dimensionId = SLOT_DIMENSION_IDS[d]!;
  const score = columns.scores[slot]!;
  const known: DimensionScore =
    columns.stdGiven[slot] === 1 ? { areaId, dimensionId, score, scoreStd: columns.stds[slot]! } : { areaId, dimensionId, score };
  try {
    return copyEntry(columns.entries[e]![slot - e * SLOTS_PER_EVALUATION]!, known);
  } catch (error) {
    if (!(error instanceof ExtraFieldError)) throw error;
    const path = `${prefix}[${columns.entryOf[slot]}]${error.key === "" ? "" : `.${error.key}`}`;
    throw new ValidationError([{ code: "E_TYPE", path, message: threw("copying it", error.thrown) }]);
  }
}
