import { areaScoreToDict, jsonIssuePath, type AreaScoreDict } from "../input/codec.js";
import type { AreaScore } from "../core/types.js";
import { MAX_ISSUES } from "../core/constants.js";
import { escapeInvisible } from "../core/text.js";
import type { Problem } from "./problems.js";

export const OUTPUT_FORMATS = Object.freeze(["table", "json", "ndjson"] as const);
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * One evaluation's output text, on its own: the same whatever came before it, so a worker
 * thread can render it. `line` is the NDJSON line it came from, undefined for a single JSON
 * document; `key` its plan key (the --id field of its line), undefined when it has none.
 */
export type RecordRenderer = (line: number | undefined, key: unknown, areaScores: readonly AreaScore[]) => string;

/** What JSON outputs carry besides the results: the plan key's name, and whether each area echoes its inputs. */
export interface JsonShape {
  readonly idColumn: string;
  readonly inputs: boolean;
}

/** Puts record texts in place, in output order: the separators between them and what closes the output. */
export interface Layout {
  /** What goes before the next record: an opening or a separator, or "". */
  before(): string;
  /** Whatever closes the output (the `]` of a JSON array); "" for most formats. */
  end(): string;
}

export function recordRenderer(format: OutputFormat, ndjsonInput: boolean, shape: JsonShape): RecordRenderer {
  switch (format) {
    case "table":
      return (line, _key, areaScores) => (line === undefined ? "" : `line ${line}\n`) + table(TABLE_HEADERS, areaScores.map(tableRow));
    case "json":
      // An NDJSON input's results are the elements of a JSON array, one compact element a line.
      return ndjsonInput
        ? (line, key, areaScores) => JSON.stringify(lineResult(line, key, areaScores, shape))
        : (_line, _key, areaScores) => `${JSON.stringify(areaScores.map((area) => areaDict(area, shape.inputs)), null, 2)}\n`;
    case "ndjson":
      return (line, key, areaScores) => `${JSON.stringify(lineResult(line, key, areaScores, shape))}\n`;
  }
}

/** An area's `to_dict()` shape, without `dimension_scores` when the inputs are left out. */
function areaDict(area: AreaScore, inputs: boolean): Partial<AreaScoreDict> {
  const dict: Partial<AreaScoreDict> = areaScoreToDict(area);
  if (!inputs) delete dict.dimension_scores;
  return dict;
}

export function createLayout(format: OutputFormat, ndjsonInput: boolean): Layout {
  if (format === "table") return separated("", "\n", "");
  if (format === "json" && ndjsonInput) return separated("[\n", ",\n", "\n]\n", "[]\n");
  return { before: () => "", end: () => "" };
}

/** Records after `opening`, `separator` between them, then `closing` (or `empty` when there were none). */
function separated(opening: string, separator: string, closing: string, empty = closing): Layout {
  let started = false;
  return {
    before() {
      const text = started ? separator : opening;
      started = true;
      return text;
    },
    end: () => (started ? closing : empty),
  };
}

/** NDJSON and the JSON array of NDJSON results carry one of these per evaluation: its line, its plan key if it has one, its areas. */
function lineResult(line: number | undefined, key: unknown, areaScores: readonly AreaScore[], shape: JsonShape) {
  return {
    ...(line === undefined ? {} : { line }),
    ...(key === undefined ? {} : { [shape.idColumn]: key }),
    area_scores: areaScores.map((area) => areaDict(area, shape.inputs)),
  };
}

const TABLE_HEADERS = ["Area", "Name", "Score", "95% interval", "Quality", "Cluster"];

function tableRow(area: AreaScore): string[] {
  const [low, high] = area.confidenceInterval95;
  return [area.areaId, area.areaName, area.score.toFixed(3), `[${low.toFixed(3)}, ${high.toFixed(3)}]`, area.qualityLevel, area.clusterId];
}

/** Left-aligned columns separated by two spaces; every cell is one line. */
export function table(headers: readonly string[], rows: readonly string[][]): string {
  const widths = headers.map((header, c) => Math.max(header.length, ...rows.map((row) => row[c]!.length)));
  return [headers, ...rows].map((cells) => `${cells.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd()}\n`).join("");
}

/**
 * What went wrong with one evaluation (or with the --weights file), for stderr: the label and the
 * CLI's own message and code, or every issue of a `ValidationError` on a line of its own, with
 * the field names of the JSON.
 */
export function formatProblem(label: string, problem: Problem): string {
  if (!("issues" in problem)) return `${label}: ${escapeInvisible(problem.message)} (${problem.code})\n`;
  const { issues, truncated } = problem;
  const count = issues.length === 1 ? "1 issue" : `${issues.length}${truncated ? "+" : ""} issues`;
  const lines = issues.map((issue) => `  ${escapeInvisible(jsonIssuePath(issue.path)) || "input"}: ${escapeInvisible(issue.message)} (${issue.code})\n`);
  const cap = truncated ? `  … more not listed (the list stops at ${MAX_ISSUES})\n` : "";
  return `${label}: rejected, ${count}:\n${lines.join("")}${cap}`;
}

/** How stderr names an evaluation: by its NDJSON line, or as the single input. */
export function recordLabel(line: number | undefined): string {
  return line === undefined ? "input" : `line ${line}`;
}
