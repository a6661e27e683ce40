import { allocateOutput } from "../core/kernel-io.js";
import type { KernelRun } from "../core/metrics.js";
import { BadSlots } from "../kernels/bad-slots.js";
import { aggregateColumnsJs } from "../kernels/kernel.js";
import { monteCarloColumnsJs } from "../kernels/montecarlo.js";
import { isBundled } from "./bundled.js";
import { runOnWorkerThread } from "./js-worker-job.js";
import { monteCarloPass, type ControlledCall, type Kernel, type KernelCall, type KernelOutcome, type KernelResults } from "./kernel-call.js";
import { copyOutputs, outputsShared } from "./outputs.js";

/**
 * The TypeScript kernel (src/kernels/, the readable statement of the arithmetic): on the JS
 * thread, or off it on a worker thread of the JS backend's own (js-worker-job.ts).
 */

// One thread busy for the whole run: efficiency 1 by definition, not by estimate.
const JS_RUN: KernelRun = Object.freeze({ backend: "js", isa: "js", threads: 1, parallelEfficiency: 1 });

export const JS_KERNEL: Kernel = Object.freeze({
  run(call: KernelCall): KernelOutcome {
    return { run: JS_RUN, ...runHere(call) };
  },
  async runOffThread(call: ControlledCall): Promise<KernelOutcome> {
    // A bundled copy has no worker script beside it: it runs every call here (its warning says so).
    return { run: JS_RUN, ...(isBundled() ? runHere(call) : await runOnWorkerThread(call)) };
  },
});

function runHere(call: KernelCall): KernelResults {
  const { input, outputs } = call;
  const given = outputs.owner === "engine" ? undefined : outputs.out;
  // A caller's outputs over SharedArrayBuffers may be the inputs' memory through another buffer
  // object, which nothing in JavaScript can see: the kernel then writes outputs of its own, so
  // no write of its can change an input it has yet to read, and they are copied out at the end.
  const guarded = outputs.owner === "caller" && outputsShared(outputs.out);
  const out = given === undefined || guarded ? allocateOutput(input.evaluations) : given;
  const bad = call.check ? new BadSlots() : undefined;
  aggregateColumnsJs(input, call.thresholds, out, bad);
  if (bad !== undefined && !bad.empty) return { bad };
  const mc = monteCarloPass(call);
  if (mc !== undefined) monteCarloColumnsJs(mc.input, mc.params, out);
  if (given === undefined) return { out };
  if (out !== given) copyOutputs(out, given);
  return { out: given };
}
