import { areaScoreToDict, jsonIssuePath } from "../input/codec.js";
import type { AreaScore } from "../core/types.js";
import { MAX_ISSUES } from "../core/constants.js";
import type { Problem } from "./problems.js";

export const OUTPUT_FORMATS = Object.freeze(["table", "json", "ndjson"] as const);
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * Turns results into output text, one evaluation at a time, so the CLI can write as it goes.
 * `line` is the NDJSON line an evaluation came from, undefined for a single JSON document.
 */
export interface Renderer {
  record(line: number | undefined, areaScores: readonly AreaScore[]): string;
  /** Whatever closes the output (the `]` of a JSON array); "" for most formats. */
  end(): string;
}

export function createRenderer(format: OutputFormat, ndjsonInput: boolean): Renderer {
  switch (format) {
    case "table":
      return tableRenderer();
    case "json":
      return ndjsonInput ? jsonArrayRenderer() : singleJsonRenderer();
    case "ndjson":
      return { record: (line, areaScores) => `${JSON.stringify(lineResult(line, areaScores))}\n`, end: () => "" };
  }
}

/** NDJSON and the JSON array of NDJSON results carry one of these per evaluation. */
function lineResult(line: number | undefined, areaScores: readonly AreaScore[]) {
  return { ...(line === undefined ? {} : { line }), area_scores: areaScores.map(areaScoreToDict) };
}

function singleJsonRenderer(): Renderer {
  return { record: (_line, areaScores) => `${JSON.stringify(areaScores.map(areaScoreToDict), null, 2)}\n`, end: () => "" };
}

/** A JSON array written element by element, one compact element per line. */
function jsonArrayRenderer(): Renderer {
  let started = false;
  return {
    record(line, areaScores) {
      // Serialised first: a record that cannot be written leaves the array as it was.
      const element = JSON.stringify(lineResult(line, areaScores));
      const opening = started ? ",\n" : "[\n";
      started = true;
      return opening + element;
    },
    end: () => (started ? "\n]\n" : "[]\n"),
  };
}

const TABLE_HEADERS = ["Area", "Name", "Score", "95% interval", "Quality", "Cluster"];

function tableRenderer(): Renderer {
  let started = false;
  return {
    record(line, areaScores) {
      const separator = started ? "\n" : "";
      started = true;
      const heading = line === undefined ? "" : `line ${line}\n`;
      return separator + heading + table(TABLE_HEADERS, areaScores.map(tableRow));
    },
    end: () => "",
  };
}

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
  if (!("issues" in problem)) return `${label}: ${problem.message} (${problem.code})\n`;
  const { issues, truncated } = problem;
  const count = issues.length === 1 ? "1 issue" : `${issues.length}${truncated ? "+" : ""} issues`;
  const lines = issues.map((issue) => `  ${jsonIssuePath(issue.path) || "input"}: ${issue.message} (${issue.code})\n`);
  const cap = truncated ? `  … more not listed (the list stops at ${MAX_ISSUES})\n` : "";
  return `${label}: rejected, ${count}:\n${lines.join("")}${cap}`;
}

/** How stderr names an evaluation: by its NDJSON line, or as the single input. */
export function recordLabel(line: number | undefined): string {
  return line === undefined ? "input" : `line ${line}`;
}
