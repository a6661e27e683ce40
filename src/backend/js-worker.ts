import { parentPort } from "node:worker_threads";
import { AREA_COUNT, SLOTS_PER_EVALUATION } from "../core/constants.js";
import { allocateOutput, type KernelInput, type KernelOutput } from "../core/kernel-io.js";
import { BadSlots } from "../kernels/bad-slots.js";
import { aggregateColumnsJs } from "../kernels/kernel.js";
import { monteCarloColumnsJs } from "../kernels/montecarlo.js";
import { CONTROL_CANCEL, CONTROL_DONE } from "./call-control.js";
import { taskBuffers, type WorkerOutcome, type WorkerTask } from "./js-worker-task.js";

/**
 * The JS backend's worker thread (js-worker-pool.ts starts it): runs one kernel job at a time,
 * in chunks of evaluations, checking the call's control word between chunks. The kernels treat
 * evaluations independently (Monte-Carlo streams are keyed by each evaluation's study-wide
 * index), so chunking changes no bit of the results.
 *
 * A job's memory is the job's alone and leaves with its reply: the inputs (and the outputs,
 * when the caller's are to be filled) come in ordinary ArrayBuffers transferred with the task,
 * else the worker allocates the outputs, and the reply transfers every one of them back,
 * whatever the outcome. So the worker holds nothing once it has answered; a SharedArrayBuffer
 * posted to it would stay alive until its isolate happened to collect, which one that allocates
 * almost nothing may never do. (This module is the worker's entry: importing it anywhere else
 * would answer that thread's messages; what both sides share is in js-worker-task.ts.)
 */

// About a millisecond of the §4 kernel, and about 10 ms of Monte-Carlo draws (evaluations ×
// samples): the longest a cancelled call keeps its worker busy.
const AGGREGATE_CHUNK = 4096;
const MONTE_CARLO_CHUNK_DRAWS = 1024;

function runTask(task: WorkerTask, out: KernelOutput): WorkerOutcome {
  const { evaluations: n, control } = task;
  const input: KernelInput = { scores: task.scores, stds: task.stds ?? undefined, weights: task.weights, evaluations: n };
  const bad = task.check ? new BadSlots() : undefined;
  const cancelled = () => Atomics.load(control, CONTROL_CANCEL) !== 0;
  for (let e0 = 0; e0 < n; e0 += AGGREGATE_CHUNK) {
    if (cancelled()) return { cancelled: true };
    const e1 = Math.min(n, e0 + AGGREGATE_CHUNK);
    const chunkBad = bad && new BadSlots();
    aggregateColumnsJs(slice(input, e0, e1), task.thresholds, outSlice(out, e0, e1), chunkBad);
    if (bad !== undefined && !chunkBad!.empty) {
      bad.addAll(chunkBad!, e0 * SLOTS_PER_EVALUATION);
      if (bad.truncated) break;
    }
    // Progress counts the last pass only: Monte-Carlo's, when there is one (it is most of the work).
    if (task.monteCarlo === undefined) Atomics.store(control, CONTROL_DONE, e1 * AREA_COUNT);
  }
  if (bad !== undefined && !bad.empty) {
    return { cancelled: false, bad: { slots: bad.slots, values: bad.values, isStd: bad.isStd, truncated: bad.truncated }, out: null };
  }
  const mc = task.monteCarlo;
  const stds = task.stds;
  if (mc !== undefined && stds !== null) {
    const chunk = Math.max(1, Math.floor(MONTE_CARLO_CHUNK_DRAWS / mc.samples));
    for (let e0 = 0; e0 < n; e0 += chunk) {
      if (cancelled()) return { cancelled: true };
      const e1 = Math.min(n, e0 + chunk);
      // The Monte-Carlo pass draws around the stds: a task has one only with them.
      const part = { ...slice(input, e0, e1), stds: stds.subarray(e0 * SLOTS_PER_EVALUATION, e1 * SLOTS_PER_EVALUATION) };
      monteCarloColumnsJs(part, { ...mc, firstEvaluation: mc.firstEvaluation + e0 }, outSlice(out, e0, e1));
      Atomics.store(control, CONTROL_DONE, e1 * AREA_COUNT);
    }
  }
  return { cancelled: false, bad: null, out };
}

/** Evaluations [e0, e1) of `input`. */
function slice(input: KernelInput, e0: number, e1: number): KernelInput {
  const from = e0 * SLOTS_PER_EVALUATION, to = e1 * SLOTS_PER_EVALUATION;
  const scores = input.scores.subarray(from, to);
  const stds = input.stds?.subarray(from, to);
  const weights = input.weights.length === SLOTS_PER_EVALUATION ? input.weights : input.weights.subarray(from, to);
  return { scores, stds, weights, evaluations: e1 - e0 };
}

function outSlice(out: KernelOutput, e0: number, e1: number): KernelOutput {
  const from = e0 * AREA_COUNT, to = e1 * AREA_COUNT;
  return {
    score: out.score.subarray(from, to),
    std: out.std.subarray(from, to),
    ciLow: out.ciLow.subarray(from, to),
    ciHigh: out.ciHigh.subarray(from, to),
    quality: out.quality.subarray(from, to),
  };
}

parentPort?.on("message", (task: WorkerTask) => {
  const returned = taskBuffers(task);
  const transfer = [...returned];
  let outcome: WorkerOutcome;
  try {
    let out = task.out;
    if (out === null) {
      out = allocateOutput(task.evaluations);
      transfer.push(...Object.values(out).map((array) => array.buffer as ArrayBuffer));
    }
    outcome = runTask(task, out);
  } catch (error) {
    outcome = { error: error instanceof Error ? error.message : String(error) };
  }
  // Every buffer of the job leaves with the reply (detached here), used or not.
  parentPort!.postMessage({ ...outcome, returned }, transfer);
});
