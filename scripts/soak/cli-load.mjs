// The CLI under load: `farfan-aggregate FILE --format ndjson --jobs 2` on an NDJSON file of the
// 64 plans with a bad line of each kind among them, on each backend in turn. Every bad line must
// be reported on stderr with its code, every good line's result written once, in input order,
// and equal to the reference; the exit status is 1 (some input was bad).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { columnsReference, PLANS, SHARED_WEIGHTS } from "./data.mjs";
import { runNode } from "./child.mjs";

const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
const BACKEND_ENV = { native: { FARFAN_AGGREGATOR_BACKEND: "native" }, js: { FARFAN_AGGREGATOR_FORCE_JS: "1" } };
/** A bad line after every this many good ones. */
const GOOD_RUN = 7;

/** A plan as the pipeline's JSON has it: snake_case entries, in the plan's shuffled order. */
function snake(plan) {
  return plan.entries.map(({ areaId, dimensionId, score, scoreStd, ...extras }) => ({
    area_id: areaId,
    dimension_id: dimensionId,
    score,
    ...(scoreStd === undefined ? {} : { score_std: scoreStd }),
    ...extras,
  }));
}

/** Bad lines, each with the code stderr must give it. */
function badLines(plan) {
  const entries = snake(plan);
  const changed = (i, change) => entries.map((entry, k) => (k === i ? { ...entry, ...change } : entry));
  const line = (dimensionScores, extra = {}) => JSON.stringify({ dimension_scores: dimensionScores, ...extra });
  return [
    ["{ not json", "E_JSON"],
    [JSON.stringify({ plan: entries }), "E_SHAPE"],
    [line(changed(5, { score: 3.25 })), "E_RANGE"],
    [line(entries).replace('"score":', '"score":NaN,"was":'), "E_NON_FINITE"],
    [line(changed(9, { area_id: "PA11" })), "E_UNKNOWN_ID"],
    [line(entries.slice(1)), "E_COUNT"],
    [line(changed(5, entries[4])), "E_HERMETICITY"],
    [line(entries, { weights: { PA02: { DIM01: -1, DIM02: 1, DIM03: 1, DIM04: 1, DIM05: 1, DIM06: 1 } } }), "E_WEIGHTS"],
    [line(changed(7, { score: "high" })), "E_TYPE"],
  ];
}

export class CliLoad {
  #verify;
  #folder = mkdtempSync(join(tmpdir(), "farfan-soak-"));
  #file = join(this.#folder, "plans.ndjson");
  /** Line number → plan index, for the good lines. */
  #good = new Map();
  /** Line number → expected code, for the bad lines. */
  #bad = new Map();
  #runs = 0;

  constructor(verify) {
    this.#verify = verify;
    const lines = [];
    const bad = badLines(PLANS[3]);
    PLANS.forEach((plan, p) => {
      lines.push(JSON.stringify({ dimension_scores: snake(plan), weights: plan.ownWeights ?? SHARED_WEIGHTS }));
      this.#good.set(lines.length, p);
      if (p % GOOD_RUN === GOOD_RUN - 1 && bad.length > 0) {
        const [text, code] = bad.shift();
        lines.push(text);
        this.#bad.set(lines.length, code);
      }
    });
    writeFileSync(this.#file, `${lines.join("\n")}\n`);
  }

  /** One CLI run, on the backends in turn. */
  async round() {
    const backend = this.#runs++ % 2 === 0 ? "native" : "js";
    const run = await runNode([CLI, this.#file, "--format", "ndjson", "--jobs", "2"], BACKEND_ENV[backend]);
    this.#verify.count("CLI runs (--jobs 2)", backend);
    this.#verify.exited(`CLI on ${backend}`, run.signal);
    this.#verify.holds(`CLI on ${backend}: exit status`, run.status === 1 ? undefined : `${run.status}; stderr: ${run.stderr.slice(0, 300)}`);
    this.#checkStderr(backend, run.stderr);
    this.#checkStdout(backend, run.stdout);
  }

  /** Every bad line reported with its code, and nothing else. */
  #checkStderr(backend, stderr) {
    const reports = new Map();
    let current;
    for (const text of stderr.split("\n")) {
      const label = /^line (\d+): /.exec(text);
      if (label !== null) reports.set((current = Number(label[1])), text);
      else if (current !== undefined && text.startsWith("  ")) reports.set(current, `${reports.get(current)}\n${text}`);
    }
    for (const [line, code] of this.#bad) {
      const report = reports.get(line);
      this.#verify.holds(`CLI on ${backend}: bad line ${line}`, report?.includes(`(${code})`) ? undefined : `expected ${code}, got ${report ?? "no report"}`);
    }
    const extra = [...reports.keys()].filter((line) => !this.#bad.has(line));
    this.#verify.holds(`CLI on ${backend}: reported lines`, extra.length === 0 ? undefined : `good lines reported as bad: ${extra.join(", ")}`);
  }

  /** Every good line's result, once, in input order, equal to the reference. */
  #checkStdout(backend, stdout) {
    const results = stdout.trimEnd().split("\n").filter(Boolean).map((text) => JSON.parse(text));
    const lines = results.map((result) => result.line);
    const expected = [...this.#good.keys()];
    this.#verify.holds(`CLI on ${backend}: result lines`, lines.join() === expected.join() ? undefined : `lines ${lines.join(",")}`);
    const reference = columnsReference("own weights");
    for (const result of results) {
      const p = this.#good.get(result.line);
      if (p === undefined) continue;
      const areas = result.area_scores.map((area) => ({
        areaId: area.area_id,
        score: area.score,
        scoreStd: area.score_std,
        confidenceInterval95: area.confidence_interval_95,
        qualityLevel: area.quality_level,
        aggregationMethod: area.aggregation_method,
      }));
      this.#verify.areaScores(`CLI on ${backend}, line ${result.line}`, backend, [areas], reference, { from: p });
    }
  }

  /** Removes the input file. */
  close() {
    rmSync(this.#folder, { recursive: true, force: true });
  }
}
