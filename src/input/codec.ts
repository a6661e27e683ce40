import { ownValue, prototypesSupply, threw } from "../core/caller-data.js";
import { types } from "node:util";
import type { AreaId, ClusterId, QualityLevel } from "../core/constants.js";
import { setField } from "../core/fields.js";
import type { AggregationMethod, AreaScore, DimensionScore } from "../core/types.js";
import { ValidationError } from "../core/errors.js";
import { isArrayUnlessRevoked, show } from "../core/validate.js";
import { describeJsonProblem, parsePythonJson } from "./python-json.js";

/**
 * The pipeline's own JSON (the Python dataclasses' `to_dict()`) is snake_case; the library's
 * objects are camelCase. These are the fields the codec renames. Every other field of a dimension
 * score is an extra and travels under its own name, in both directions.
 */
const RENAMED = [
  ["area_id", "areaId"],
  ["dimension_id", "dimensionId"],
  ["score", "score"],
  ["score_std", "scoreStd"],
] as const;

/**
 * Both spellings of every renamed field. Neither is ever an extra: a stray `areaId` in snake_case
 * input (or `area_id` on a camelCase object) would otherwise override or duplicate the real field.
 */
const RESERVED: ReadonlySet<string> = new Set(RENAMED.flat());

type Entry = Readonly<Record<string, unknown>>;

/** What the aggregator would accept as a dimension score object; anything else it reports as `E_TYPE`. */
function isEntry(value: unknown): value is Entry {
  return typeof value === "object" && value !== null && !isArrayUnlessRevoked(value);
}

/** Copies the entry's own enumerable fields, except the renamed ones, onto `target` (by reference), each read once. */
function addExtras(target: Record<string, unknown>, entry: Entry, skip?: string): void {
  for (const key of Object.keys(entry)) {
    if (!RESERVED.has(key) && key !== skip) setField(target, key, entry[key]);
  }
}

/** The snake_case fields the codec reads by name (`quality_level` in `areaScoreToDict`). */
const READ_BY_NAME = [...RENAMED.map(([json]) => json), "quality_level"];

/**
 * A reader of `object`'s own fields: plain reads while no prototype supplies the fields read by
 * name (`unpolluted`, decided once per call: an own check per field costs as much as the rest of
 * the conversion) and the object is a plain one; else `ownValue`.
 */
function ownReader(object: object, unpolluted: boolean): (key: string) => unknown {
  if (unpolluted && Object.getPrototypeOf(object) === Object.prototype) return (key) => (object as Entry)[key];
  return (key) => ownValue(object, key);
}

/**
 * Python `DimensionScore` dicts (`area_id`, `dimension_id`, `score`, `score_std`, extras such as
 * `quality_level`) to `DimensionScore` objects, extras kept as they are.
 *
 * `json` is the parsed list, or the JSON text itself as Python's `json.dump` writes it: its bare
 * `NaN`, `Infinity` and `-Infinity` tokens are read as those numbers, so the aggregator reports
 * each as `E_NON_FINITE` at its path (`[233].score`); text that does not parse throws one
 * `ValidationError` (`E_JSON`) whose message gives the line and column of the first mistake.
 * `score_std: null` (Python's `None`) counts as absent, so the std defaults to 0 (docs/contract.md §2).
 *
 * Nothing else is validated: a non-array, or an entry that is not an object, is returned
 * untouched so that the aggregator reports it with its own code and path; its issue paths name
 * the camelCase fields, which `jsonIssuePath` turns back into these. The input is only read, as
 * docs/contract.md §3 reads caller data: own elements and fields only, each read once (a missing element
 * comes out undefined); a read that throws (a getter, a revoked Proxy) is a `ValidationError`
 * (`E_TYPE`) at the entry it was reading. The objects it builds own their fields, whatever a
 * prototype defines.
 */
export function dimensionScoresFromJson(json: unknown): DimensionScore[] {
  const list = typeof json === "string" ? parsedText(json) : json;
  // Typed as what the aggregator takes, not as what was checked: it checks everything itself.
  if (!isArrayUnlessRevoked(list)) return list as DimensionScore[];
  const entries = list as readonly unknown[];
  const unpolluted = !prototypesSupply(READ_BY_NAME);
  let path = "";
  // A fresh, mutable array, so that a plain `DimensionScore[]` annotation accepts it.
  const out: unknown[] = [];
  try {
    const element = unpolluted && !types.isProxy(entries) ? (i: number) => entries[i] : (i: number) => ownValue(entries, i);
    const count = entries.length;
    for (let i = 0; i < count; i++) {
      path = `[${i}]`;
      const entry = element(i);
      out.push(isEntry(entry) ? dimensionScoreFromJson(entry, unpolluted) : entry);
    }
  } catch (error) {
    throw new ValidationError([{ code: "E_TYPE", path, message: threw("reading it", error) }]);
  }
  // A getter may have polluted a prototype halfway: the plain reads after it cannot be told from
  // own ones, and reading them again would break "read once".
  if (unpolluted && prototypesSupply(READ_BY_NAME)) {
    throw new ValidationError([{ code: "E_TYPE", path: "", message: `a prototype gained elements or fields (${READ_BY_NAME.join(", ")}) while the list was read` }]);
  }
  return out as DimensionScore[];
}

function parsedText(text: string): unknown {
  const parsed = parsePythonJson(text);
  if (parsed.ok) return parsed.value;
  throw new ValidationError([{ code: "E_JSON", path: "", message: describeJsonProblem(parsed.problem) }]);
}

function dimensionScoreFromJson(entry: Entry, unpolluted: boolean): Record<string, unknown> {
  const read = ownReader(entry, unpolluted);
  const std = read("score_std");
  const out: Record<string, unknown> = { areaId: read("area_id"), dimensionId: read("dimension_id"), score: read("score") };
  // Absent (or Python's None) stays absent, so the aggregator applies its own default (docs/contract.md §2).
  if (std !== undefined && std !== null) setField(out, "scoreStd", std);
  addExtras(out, entry);
  return out;
}

/**
 * A validation issue's path with camelCase field names turned back into the JSON's own
 * (`[17].scoreStd` → `[17].score_std`), so a message names the field the user actually wrote.
 * For input read with `dimensionScoresFromJson`:
 *
 * @example
 * try {
 *   await aggregate(dimensionScoresFromJson(text));
 * } catch (error) {
 *   if (!(error instanceof ValidationError)) throw error;
 *   for (const issue of error.issues) console.error(`${jsonIssuePath(issue.path)}: ${issue.message} (${issue.code})`);
 * }
 */
export function jsonIssuePath(path: string): string {
  if (typeof path !== "string") throw new ValidationError([{ code: "E_TYPE", path: "", message: `expected an issue path (a string), got ${show(path)}` }]);
  for (const [json, camel] of RENAMED) {
    if (path.endsWith(`].${camel}`)) return `${path.slice(0, -camel.length)}${json}`;
  }
  return path;
}

/** One entry of `AreaScoreDict.dimension_scores`: the Python four, `score_std`, then the extras. */
export interface DimensionScoreDict {
  dimension_id: string;
  area_id: string;
  score: number;
  score_std: number;
  /** The entry's own `quality_level` as it came, or null when it had none. */
  quality_level: unknown;
  [extra: string]: unknown;
}

/** The Python `AreaScore.to_dict()` shape, keys in its order. */
export interface AreaScoreDict {
  area_id: AreaId;
  area_name: string;
  score: number;
  quality_level: QualityLevel;
  dimension_scores: DimensionScoreDict[];
  validation_passed: true;
  validation_details: {
    hermeticity: true;
    weight_source: "equal" | "custom";
    weight_sum: number;
  };
  cluster_id: ClusterId;
  score_std: number;
  confidence_interval_95: [low: number, high: number];
  provenance_node_id: string;
  aggregation_method: AggregationMethod;
}

/**
 * An `AreaScore` as the Python's `to_dict()` writes it. Extras of the inputs are carried by
 * reference. Anything that cannot be read as an AreaScore (a getter that throws, a revoked Proxy,
 * not an object) is a ValidationError E_TYPE.
 */
export function areaScoreToDict(areaScore: AreaScore): AreaScoreDict {
  try {
    return toDict(areaScore);
  } catch (error) {
    throw new ValidationError([{ code: "E_TYPE", path: "", message: `expected an AreaScore: ${threw("reading it", error)}` }]);
  }
}

function toDict(areaScore: AreaScore): AreaScoreDict {
  const unpolluted = !prototypesSupply(READ_BY_NAME);
  const details = areaScore.validationDetails;
  const [low, high] = areaScore.confidenceInterval95;
  return {
    area_id: areaScore.areaId,
    area_name: areaScore.areaName,
    score: areaScore.score,
    quality_level: areaScore.qualityLevel,
    dimension_scores: areaScore.dimensionScores.map((dimensionScore) => dimensionScoreToDict(dimensionScore, unpolluted)),
    validation_passed: areaScore.validationPassed,
    validation_details: {
      hermeticity: details.hermeticity,
      weight_source: details.weightSource,
      weight_sum: details.weightSum,
    },
    cluster_id: areaScore.clusterId,
    score_std: areaScore.scoreStd,
    confidence_interval_95: [low, high],
    // The Python points into its provenance DAG here; we keep no such DAG, so this is its default "".
    provenance_node_id: "",
    aggregation_method: areaScore.aggregationMethod,
  };
}

function dimensionScoreToDict(dimensionScore: DimensionScore, unpolluted: boolean): DimensionScoreDict {
  const dict: DimensionScoreDict = {
    dimension_id: dimensionScore.dimensionId,
    area_id: dimensionScore.areaId,
    score: dimensionScore.score,
    // The aggregator read a missing std as 0 (docs/contract.md §2); the dict says what was used.
    score_std: dimensionScore.scoreStd ?? 0,
    quality_level: ownReader(dimensionScore, unpolluted)("quality_level") ?? null,
  };
  addExtras(dict, dimensionScore, "quality_level");
  return dict;
}
