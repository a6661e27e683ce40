import { allocateOutput } from "../core/kernel-io.js";
import type { KernelRun } from "../core/metrics.js";
import { BadSlots } from "../kernels/bad-slots.js";
import { aggregateColumnsJs } from "../kernels/kernel.js";
import { monteCarloColumnsJs } from "../kernels/montecarlo.js";
import { isBundled } from "./bundled.js";
import { runOnWorkerThread } from "./js-worker-job.js";
import { monteCarloPass, type ControlledCall, type Kernel, type KernelCall, type KernelOutcome } from "./kernel-call.js";
import { copyOutputs, outputsShared } from "./outputs.js";

/**
 * The TypeScript kernel (src/kernels/, the readable statement of the arithmetic): on the JS
 * thread, or off it on a worker thread of the JS backend's own (js-worker-job.ts).
 */

// One thread busy for the whole run: efficiency 1 by definition, not by estimate.
const JS_RUN: KernelRun = Object.freeze({ backend: "js", isa: "js", threads: 1, parallelEfficiency: 1 });

export const JS_KERNEL: Kernel = Object.freeze({
  run: runHere,
  async runOffThread(call: ControlledCall): Promise<KernelOutcome> {
    // A bundled copy has no worker script beside it: it runs every call here (its warning says so).
    return isBundled() ? runHere(call) : { run: JS_RUN, ...(await runOnWorkerThread(call)) };
  },
});

// Its outcomes are literals of one shape, not spreads: a one-plan call takes a few µs, and
// copying an object's properties into a new one is a share of that.
function runHere(call: KernelCall): KernelOutcome {
  const { input, outputs } = call;
  const given = outputs.owner === "engine" ? undefined : outputs.out;
  // A caller's outputs over SharedArrayBuffers may be the inputs' memory through another buffer
  // object, which nothing in JavaScript can see: the kernel then writes outputs of its own, so
  // no write of its can change an input it has yet to read, and they are copied out at the end.
  const guarded = outputs.owner === "caller" && outputsShared(outputs.out);
  const out = given === undefined || guarded ? allocateOutput(input.evaluations) : given;
  const bad = call.check ? new BadSlots() : undefined;
  aggregateColumnsJs(input, call.thresholds, out, bad);
  if (bad !== undefined && !bad.empty) return { run: JS_RUN, out: undefined, bad };
  const mc = monteCarloPass(call);
  if (mc !== undefined) monteCarloColumnsJs(mc.input, mc.params, out);
  if (given === undefined) return { run: JS_RUN, out, bad: undefined };
  if (out !== given) copyOutputs(out, given);
  return { run: JS_RUN, out: given, bad: undefined };
}
