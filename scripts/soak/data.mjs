// The soak's inputs and their reference results. Every call the soak makes takes its input from a
// fixed, seeded set — 64 plans and columns tiled from them — so the reference for each input is
// computed once, by the TypeScript kernel itself (dist/kernels: SPEC §4 and §6 as the JS
// backend runs them), and every result of the run is compared with it.
import { AREA_IDS, ASYNC_MIN_EVALUATIONS, DEFAULT_THRESHOLDS, DIMENSION_IDS } from "../../dist/index.js";
import { allocateOutput } from "../../dist/core/kernel-io.js";
import { mulberry32 } from "../../examples/generate.js";
import { aggregateColumnsJs } from "../../dist/kernels/kernel.js";
import { monteCarloColumnsJs } from "../../dist/kernels/montecarlo.js";

export const PLAN_COUNT = 64;
/** Evaluations of a large columns call: enough for either backend to run it off the JS thread. */
export const LARGE = ASYNC_MIN_EVALUATIONS + 3616;
/** Monte-Carlo settings of the soak's Monte-Carlo aggregators. */
export const MONTE_CARLO = Object.freeze({ method: "monte-carlo", samples: 128, seed: 11 });
/** Evaluations of a Monte-Carlo columns call: 64 × 128 draws per area, enough to run off the JS thread. */
export const MONTE_CARLO_EVALUATIONS = 64;
/** Study-wide indices a Monte-Carlo batch or columns call starts at. */
export const FIRST_EVALUATIONS = Object.freeze([0, 5000]);

const THRESHOLDS = [DEFAULT_THRESHOLDS.EXCELENTE, DEFAULT_THRESHOLDS.BUENO, DEFAULT_THRESHOLDS.ACEPTABLE];
/** Scores that sit on the bounds and on the quality thresholds. */
const EDGES = [0, 3, 1.5, THRESHOLDS[0], THRESHOLDS[1], THRESHOLDS[2]];

const random = mulberry32(19);
const pick = (list) => list[Math.floor(random() * list.length)];
const decimal = (max, places) => Math.round(random() * max * 10 ** places) / 10 ** places;

/** Raw weights for three areas (one dimension weighted 0 now and then). */
function someWeights() {
  const weights = {};
  for (let k = 0; k < 3; k++) {
    const area = pick(AREA_IDS);
    weights[area] = Object.fromEntries(DIMENSION_IDS.map((d, i) => [d, i === 2 && random() < 0.3 ? 0 : 0.25 + decimal(3, 2)]));
  }
  return weights;
}

/** The 60 raw weights a weights object means (1 for an area it leaves out), in column order. */
function weightVector(weights) {
  const vector = new Float64Array(60).fill(1);
  for (const [area, dims] of Object.entries(weights)) {
    DIMENSION_IDS.forEach((d, i) => (vector[AREA_IDS.indexOf(area) * 6 + i] = dims[d]));
  }
  return vector;
}

/** Weights of the calls that pass weights; plans with weights of their own keep theirs. */
export const SHARED_WEIGHTS = someWeights();

/**
 * One plan: its 60 values in column order, its entries as objects in a shuffled order (an
 * entry with σ = 0 leaves `scoreStd` out now and then; some carry an extra field), and weights
 * of its own for one plan in four.
 */
function makePlan(p) {
  const scores = new Float64Array(60);
  const stds = new Float64Array(60);
  for (let i = 0; i < 60; i++) {
    scores[i] = random() < 0.2 ? pick(EDGES) : decimal(3, 3);
    stds[i] = random() < 0.2 ? 0 : decimal(0.5, 3);
  }
  const entries = [];
  AREA_IDS.forEach((areaId, a) =>
    DIMENSION_IDS.forEach((dimensionId, d) => {
      const i = a * 6 + d;
      const entry = { areaId, dimensionId, score: scores[i] };
      if (stds[i] !== 0 || random() < 0.5) entry.scoreStd = stds[i];
      if (random() < 0.1) entry.note = `plan ${p}, ${areaId} ${dimensionId}`;
      entries.push(entry);
    }),
  );
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [entries[i], entries[j]] = [entries[j], entries[i]];
  }
  const ownWeights = p % 4 === 1 ? someWeights() : undefined;
  // What a call that passes SHARED_WEIGHTS computes with: its own weights win.
  const weights = weightVector(ownWeights ?? SHARED_WEIGHTS);
  return { index: p, entries, ownWeights, scores, stds, weights };
}

export const PLANS = Array.from({ length: PLAN_COUNT }, (_, p) => makePlan(p));
export const SHARED_WEIGHT_VECTOR = weightVector(SHARED_WEIGHTS);
const EQUAL_WEIGHTS = new Float64Array(60).fill(1);

/** A plan as an aggregateBatch item: its own weights travel with it. */
export function batchItem(plan) {
  return plan.ownWeights === undefined ? plan.entries : { dimensionScores: plan.entries, weights: plan.ownWeights };
}

/** Float64Array(n*60) of plan e % 64's values for evaluation e, over a plain or a shared buffer. */
function tile(n, field, shared) {
  const bytes = n * 60 * Float64Array.BYTES_PER_ELEMENT;
  const column = new Float64Array(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  for (let e = 0; e < n; e++) column.set(PLANS[e % PLAN_COUNT][field], e * 60);
  return column;
}

/**
 * The large columns, evaluation e holding plan e % 64, in three variants the calls choose from:
 * "shared weights" (SHARED_WEIGHTS for every evaluation), "own weights" (each plan's, else the
 * shared ones: the weights an aggregateBatch of the plans with SHARED_WEIGHTS uses) and "no stds"
 * (no stds, no weights). Each over plain and over SharedArrayBuffer memory; smaller calls take a
 * prefix (a subarray: an offset into the memory).
 */
export const COLUMNS = {
  plain: { scores: tile(LARGE, "scores", false), stds: tile(LARGE, "stds", false), weights: tile(LARGE, "weights", false) },
  shared: { scores: tile(LARGE, "scores", true), stds: tile(LARGE, "stds", true), weights: tile(LARGE, "weights", true) },
};
export const VARIANTS = Object.freeze(["shared weights", "own weights", "no stds"]);

/** The columns call input of `variant` over the first `n` evaluations of `memory` ("plain" or "shared"). */
export function columnInput(variant, memory, n) {
  const { scores, stds, weights } = COLUMNS[memory];
  const prefix = (column) => column.subarray(0, n * 60);
  if (variant === "no stds") return { scores: prefix(scores) };
  return { scores: prefix(scores), stds: prefix(stds), weights: variant === "own weights" ? prefix(weights) : SHARED_WEIGHT_VECTOR };
}

const references = new Map();

/**
 * The TypeScript kernel's outputs for `input` (a KernelInput's columns), and with `monteCarlo`
 * ({ samples, seed, firstEvaluation }) its §6 pass: computed once per `key`, which must name the
 * input exactly.
 */
function reference(key, input, monteCarlo) {
  let out = references.get(key);
  if (out !== undefined) return out;
  const evaluations = input.scores.length / 60;
  const kernelInput = { scores: input.scores, stds: input.stds ?? new Float64Array(input.scores.length), weights: input.weights ?? EQUAL_WEIGHTS, evaluations };
  out = allocateOutput(evaluations);
  aggregateColumnsJs(kernelInput, THRESHOLDS, out);
  if (monteCarlo !== undefined && input.stds !== undefined) monteCarloColumnsJs(kernelInput, monteCarlo, out);
  references.set(key, out);
  return out;
}

/**
 * The reference of a columns call on `variant` (whose first `n` evaluations are a prefix of the
 * large ones'); with `monteCarlo` ({ firstEvaluation, samples = MONTE_CARLO.samples,
 * evaluations = MONTE_CARLO_EVALUATIONS }), of a Monte-Carlo call on its first `evaluations`.
 */
export function columnsReference(variant, monteCarlo) {
  if (monteCarlo === undefined) return reference(variant, columnInput(variant, "plain", LARGE));
  const { evaluations = MONTE_CARLO_EVALUATIONS, ...params } = monteCarlo;
  const settings = { ...MONTE_CARLO, ...params };
  const key = `${variant}, ${settings.samples} samples from ${settings.firstEvaluation}, n=${evaluations}`;
  return reference(key, columnInput(variant, "plain", evaluations), settings);
}

/**
 * The reference of one plan aggregated alone, as `{ out, at }` (its evaluation in `out`): with
 * its weights (its own, else SHARED_WEIGHTS) or, `equal`, with none; with Monte-Carlo, as
 * evaluation 0 of its study. (A batch of the plans with SHARED_WEIGHTS is the "own weights"
 * columns: its reference is `columnsReference("own weights", …)`.)
 */
export function planReference(plan, monteCarlo, equal) {
  const weights = equal ? EQUAL_WEIGHTS : plan.weights;
  if (monteCarlo) {
    const out = reference(`plan ${plan.index}${equal ? " equal" : ""} mc`, { scores: plan.scores, stds: plan.stds, weights }, { ...MONTE_CARLO, firstEvaluation: 0 });
    return { out, at: 0 };
  }
  if (!equal) return { out: columnsReference("own weights"), at: plan.index };
  const { scores, stds } = columnInput("own weights", "plain", PLAN_COUNT);
  return { out: reference("plans equal", { scores, stds, weights: EQUAL_WEIGHTS }), at: plan.index };
}

/**
 * Computes every reference the soak's calls compare with, so that their memory is part of the
 * start of the run rather than growth during it.
 */
export function computeReferences(monteCarloPlans) {
  for (const variant of VARIANTS) columnsReference(variant);
  for (const variant of ["shared weights", "own weights"]) for (const firstEvaluation of FIRST_EVALUATIONS) columnsReference(variant, { firstEvaluation });
  for (const plan of PLANS) planReference(plan, false, true);
  for (const plan of PLANS.slice(0, monteCarloPlans)) planReference(plan, true, true);
}
