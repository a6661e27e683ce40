import { AREA_COUNT, AREA_ROWS, DIMENSION_IDS, QUALITY_BY_CODE, SLOTS_PER_EVALUATION } from "../core/constants.js";
import type { AreaScoreDict } from "../input/codec.js";
import type { PreparedWeights } from "../input/weights.js";
import type { ResultBlock, ResultSettings } from "./results.js";
import type { ByteSink, TableWriter } from "./writer.js";

/** JSON outputs of table input: ndjson (a line per plan), or json (an array of those). */
export type JsonFlavour = "ndjson" | "json";

const decoder = new TextDecoder();

/**
 * Results of table input in the CLI's JSON shapes: per plan `{ "<id column>": key, "area_scores":
 * [...] }`, each area in the Python `AreaScore.to_dict()` shape; `dimension_scores` (the area's
 * six inputs) only when the settings ask for inputs.
 */
export function jsonWriter(sink: ByteSink, settings: ResultSettings, weights: PreparedWeights, flavour: JsonFlavour): TableWriter {
  let plans = 0;
  const put = (text: string) => sink.write(Buffer.from(text));
  return {
    async write(block: ResultBlock) {
      let text = "";
      for (let p = 0; p < block.plans; p++) {
        const line = JSON.stringify({ [settings.idColumn]: planKey(block, p), area_scores: areaDicts(block, p, settings, weights) });
        text += flavour === "ndjson" ? `${line}\n` : `${plans > 0 ? ",\n" : "[\n"}${line}`;
        plans++;
      }
      if (text !== "") await put(text);
    },
    async end() {
      if (flavour === "json") await put(plans > 0 ? "\n]\n" : "[]\n");
    },
  };
}

/** Plan p's key as text. */
export function planKey(block: ResultBlock, p: number): string {
  return decoder.decode(block.keys.bytes.subarray(block.keys.offsets[p]!, block.keys.offsets[p + 1]!));
}

/** Plan p's ten areas in the `AreaScore.to_dict()` shape (`dimension_scores` only with inputs). */
export function areaDicts(block: ResultBlock, p: number, settings: ResultSettings, weights: PreparedWeights): Partial<AreaScoreDict>[] {
  return Array.from({ length: AREA_COUNT }, (_, a) => areaDict(block, p, a, settings, weights));
}

function areaDict(block: ResultBlock, p: number, a: number, settings: ResultSettings, weights: PreparedWeights): Partial<AreaScoreDict> {
  const r = p * AREA_COUNT + a;
  const { areaId, areaName, clusterId } = AREA_ROWS[a]!;
  const inputs = block.inputs;
  return {
    area_id: areaId,
    area_name: areaName,
    score: block.score[r]!,
    quality_level: QUALITY_BY_CODE[block.quality[r]!]!,
    ...(inputs === undefined
      ? {}
      : {
          dimension_scores: DIMENSION_IDS.map((dimensionId, d) => {
            const at = p * SLOTS_PER_EVALUATION + a * 6 + d;
            return { dimension_id: dimensionId, area_id: areaId, score: inputs.scores[at]!, score_std: inputs.stds[at]!, quality_level: null };
          }),
        }),
    validation_passed: true,
    validation_details: { hermeticity: true, weight_source: weights.custom[a] ? "custom" : "equal", weight_sum: weights.sums[a]! },
    cluster_id: clusterId,
    score_std: block.std[r]!,
    confidence_interval_95: [block.ciLow[r]!, block.ciHigh[r]!],
    provenance_node_id: "",
    aggregation_method: settings.method,
  };
}
