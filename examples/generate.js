// Writes the synthetic example inputs of farfan-aggregate into the folder given as its argument
// (by default the folder of this script):
//   plan.json          one plan: a JSON list of 60 snake_case dimension scores
//   plans-170.ndjson   170 plans, one {"municipality", "dimension_scores"} per line
//                      (170 = the number of PDET municipalities)
//
// Nothing here is real data. Scores are drawn from a small model of how plans differ: each plan
// has an overall level, each of its areas an offset, each dimension a typical bias (diagnoses
// tend to be stronger than theories of change), plus noise, clamped to [0, 3]. A seeded
// generator (mulberry32) makes every run write byte-identical files.
//
// Run with `node generate.js [FOLDER]`, or `npm run examples` in a checkout (plain Node, no
// dependencies). The repository's CLI benchmark imports the generator to write a million such
// lines.

import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const AREA_IDS = ["PA01", "PA02", "PA03", "PA04", "PA05", "PA06", "PA07", "PA08", "PA09", "PA10"];
const DIMENSION_IDS = ["DIM01", "DIM02", "DIM03", "DIM04", "DIM05", "DIM06"];
// Typical strength of each dimension relative to the plan's level: DIM01 (diagnosis and
// baselines) is usually the best written, DIM06 (explicit theory of change) the weakest.
const DIMENSION_BIAS = [0.3, 0.15, 0.05, -0.1, -0.2, -0.3];
// The canonical questionnaire asks 5 questions per (area, dimension): Q001…Q300, area-major.
const QUESTIONS_PER_CELL = 5;
const PLAN_COUNT = 170;
const PLAN_SEED = 20240601;
const PLANS_SEED = 20240602;

/** mulberry32: a tiny, well-known 32-bit PRNG; uniform floats in [0, 1). */
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws from the normal distribution (Box–Muller); 1 - u keeps the log's argument above 0. */
function normal(random, mean, sd) {
  const u = 1 - random();
  const v = random();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const clamp = (x, low, high) => Math.min(high, Math.max(low, x));
const round3 = (x) => Math.round(x * 1000) / 1000;

/** The pipeline's thresholds in score units (score ≥ 2.55 EXCELENTE, ≥ 2.1 BUENO, ≥ 1.65 ACEPTABLE). */
function qualityLevel(score) {
  if (score >= 2.55) return "EXCELENTE";
  if (score >= 2.1) return "BUENO";
  if (score >= 1.65) return "ACEPTABLE";
  return "INSUFICIENTE";
}

function questionIds(a, d) {
  const first = (a * DIMENSION_IDS.length + d) * QUESTIONS_PER_CELL + 1;
  return Array.from({ length: QUESTIONS_PER_CELL }, (_, k) => `Q${String(first + k).padStart(3, "0")}`);
}

/** One plan's 60 dimension scores, in the snake_case form of the Python DimensionScore. */
function syntheticPlan(random) {
  const level = normal(random, 1.9, 0.4);
  return AREA_IDS.flatMap((area_id, a) => {
    const areaOffset = normal(random, 0, 0.35);
    return DIMENSION_IDS.map((dimension_id, d) => {
      const score = round3(clamp(level + areaOffset + DIMENSION_BIAS[d] + normal(random, 0, 0.25), 0, 3));
      return {
        area_id,
        dimension_id,
        score,
        score_std: round3(0.05 + 0.35 * random()),
        quality_level: qualityLevel(score),
        contributing_questions: questionIds(a, d),
      };
    });
  });
}

/** The NDJSON line of the i-th plan (from 0) of a study drawn from `random`. */
export function planLine(random, i) {
  return JSON.stringify({ municipality: `SYN-PDET-${String(i + 1).padStart(3, "0")}`, dimension_scores: syntheticPlan(random) });
}

/** The seeded stream of the 170-plan example: a longer study drawn from it begins with those plans. */
export const studyRandom = () => mulberry32(PLANS_SEED);

// Writes the files only when run, not when imported.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const folder = process.argv[2];
  if (folder !== undefined) mkdirSync(folder, { recursive: true });
  const here = (name) => (folder === undefined ? new URL(name, import.meta.url) : resolve(folder, name));
  writeFileSync(here("plan.json"), `${JSON.stringify(syntheticPlan(mulberry32(PLAN_SEED)), null, 2)}\n`);
  const random = studyRandom();
  const lines = Array.from({ length: PLAN_COUNT }, (_, i) => planLine(random, i));
  writeFileSync(here("plans-170.ndjson"), `${lines.join("\n")}\n`);
}
