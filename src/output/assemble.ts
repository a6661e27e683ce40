import { AREA_COUNT, AREA_ROWS, DIMENSION_COUNT, QUALITY_BY_CODE, SLOTS_PER_EVALUATION } from "../core/constants.js";
import { threw } from "../core/caller-data.js";
import { ValidationError } from "../core/errors.js";
import { copyExtras, ExtraFieldError } from "./copy.js";
import type { KernelOutput } from "../core/kernel-io.js";
import type { AggregationMethod, AreaScore } from "../core/types.js";
import type { PackedColumns } from "../input/pack-plans.js";
import type { PreparedWeights } from "../input/weights.js";

/**
 * Builds the ten `AreaScore` objects of evaluation `e` from the kernel's columns and the read
 * snapshot in `columns`: each `dimensionScores` entry is the copy made when the entry was read,
 * completed here with copies of its extras. Everything is fresh, so no output shares an object
 * with the input or with another output — except, with `shareExtras` (a batch of the package's
 * own, isOwnedBatch), the extras' values, which are then set as they are.
 * @throws ValidationError (E_TYPE at `${prefix}[i].field`) when reading an extra field throws.
 */
export function assembleAreaScores(
  columns: PackedColumns,
  e: number,
  out: KernelOutput,
  weights: PreparedWeights,
  aggregationMethod: AggregationMethod,
  prefix: string,
  shareExtras = false,
): AreaScore[] {
  const copies = columns.copies[e]!;
  if (columns.extras.size > 0) addExtras(columns, e, prefix, !shareExtras);
  const areaScores = new Array<AreaScore>(AREA_COUNT);
  for (let a = 0; a < AREA_COUNT; a++) {
    const { areaId, areaName, clusterId } = AREA_ROWS[a]!;
    const o = e * AREA_COUNT + a;
    const f = a * DIMENSION_COUNT;
    areaScores[a] = {
      areaId,
      areaName,
      clusterId,
      score: out.score[o]!,
      scoreStd: out.std[o]!,
      confidenceInterval95: [out.ciLow[o]!, out.ciHigh[o]!],
      qualityLevel: QUALITY_BY_CODE[out.quality[o]!]!,
      dimensionScores: [copies[f]!, copies[f + 1]!, copies[f + 2]!, copies[f + 3]!, copies[f + 4]!, copies[f + 5]!],
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

/** Copies the extras of evaluation `e`'s entries that have some into their copies, in slot order. */
function addExtras(columns: PackedColumns, e: number, prefix: string, deep: boolean): void {
  const base = e * SLOTS_PER_EVALUATION;
  for (let slot = base; slot < base + SLOTS_PER_EVALUATION; slot++) {
    const entry = columns.extras.get(slot);
    if (entry === undefined) continue;
    try {
      copyExtras(entry, columns.copies[e]![slot - base]!, deep);
    } catch (error) {
      if (!(error instanceof ExtraFieldError)) throw error;
      const path = `${prefix}[${columns.entryOf[slot]}]${error.key === "" ? "" : `.${error.key}`}`;
      throw new ValidationError([{ code: "E_TYPE", path, message: threw("copying it", error.thrown) }]);
    }
  }
}
