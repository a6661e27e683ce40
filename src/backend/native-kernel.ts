import { allocateSharedOutputs, type InputWithStds, type KernelOutput } from "../core/kernel-io.js";
import type { KernelRun } from "../core/metrics.js";
import type { MonteCarloParams } from "../kernels/montecarlo.js";
import { CONTROL_CANCEL } from "./call-control.js";
import { monteCarloPass, type ControlledCall, type Kernel, type KernelCall, type KernelOutcome } from "./kernel-call.js";
import { aggregateArgs, monteCarloArgs, type NativeAggregateRequest } from "./native-abi.js";
import { isaRan, STATS_BUSY_MS, STATS_ISA, STATS_LENGTH, STATS_THREADS, STATS_WALL_MS, type NativeAddon, type NativeAggregateOutcome, type NativeIsa } from "./native-addon.js";
import { nativeFailure } from "./native-errors.js";

/**
 * The native kernel: a KernelCall as the addon's requests (native-abi.ts), one aggregate call
 * and, for Monte-Carlo, one monteCarlo call on its outputs. Outputs the engine provides are new
 * SharedArrayBuffers, which native writes in place even off the JS thread, or, for a §4-only
 * call off the JS thread, memory the engine hands over (recycled once V8 collects it, so not
 * faulted in afresh for every call).
 */
export class NativeKernel implements Kernel {
  readonly #addon: NativeAddon;
  readonly #isa: NativeIsa;
  readonly #threads: number;
  // Read while a call's arguments are parsed, and (sync calls) written before it returns: every
  // call reuses the one, every sync call the other.
  readonly #thresholds = new Float64Array(3);
  readonly #stats = new Float64Array(STATS_LENGTH);

  constructor(addon: NativeAddon, isa: NativeIsa, threads: number) {
    this.#addon = addon;
    this.#isa = isa;
    this.#threads = threads;
  }

  run(call: KernelCall): KernelOutcome {
    const out = call.outputs.owner === "engine" ? allocateSharedOutputs(call.input.evaluations) : call.outputs.out;
    const stats = this.#stats;
    try {
      const bad = this.#addon.aggregate(...aggregateArgs(this.#aggregateRequest(call, out, stats, undefined)));
      const first = timing(stats);
      if (bad !== null) return { run: this.#report(first), bad };
      const mc = monteCarloPass(call);
      if (mc === undefined) return { run: this.#report(first), out };
      this.#addon.monteCarlo(...monteCarloArgs(this.#monteCarloRequest(mc.input, mc.params, out, stats, undefined)));
      return { run: this.#report(first, timing(stats)), out };
    } catch (error) {
      throw nativeFailure(error);
    }
  }

  async runOffThread(call: ControlledCall): Promise<KernelOutcome> {
    const { outputs, control } = call;
    const mc = monteCarloPass(call);
    // Monte-Carlo's pass works on the first one's outputs in place: over SharedArrayBuffers.
    const handed = outputs.owner === "engine" && mc === undefined;
    const out = outputs.owner !== "engine" ? outputs.out : handed ? null : allocateSharedOutputs(call.input.evaluations);
    // Each async call its own: written when the call settles.
    const stats = new Float64Array(STATS_LENGTH);
    try {
      // With Monte-Carlo to follow, the §4 pass gets the cancel word alone: progress counts the last pass.
      const firstControl = mc === undefined ? control : control.subarray(CONTROL_CANCEL, CONTROL_CANCEL + 1);
      const first = await this.#addon.aggregateAsync(...aggregateArgs(this.#aggregateRequest(call, out, stats, firstControl)));
      const firstTiming = timing(stats);
      if (first.bad !== null) return { run: this.#report(firstTiming), bad: first.bad };
      const results = out ?? handedOutputs(first);
      if (mc === undefined) return { run: this.#report(firstTiming), out: results };
      await this.#addon.monteCarloAsync(...monteCarloArgs(this.#monteCarloRequest(mc.input, mc.params, results, stats, control)));
      return { run: this.#report(firstTiming, timing(stats)), out: results };
    } catch (error) {
      throw nativeFailure(error);
    }
  }

  /** `out` null: the engine provides the outputs (async calls only). */
  #aggregateRequest(call: KernelCall, out: KernelOutput | null, stats: Float64Array, control: Int32Array | undefined): NativeAggregateRequest {
    const { scores, stds, weights, evaluations } = call.input;
    this.#thresholds.set(call.thresholds);
    return {
      scores,
      stds: stds ?? null,
      weights,
      evaluations,
      thresholds: this.#thresholds,
      score: out?.score ?? null,
      std: out?.std ?? null,
      ciLow: out?.ciLow ?? null,
      ciHigh: out?.ciHigh ?? null,
      quality: out?.quality ?? null,
      stats,
      isa: this.#isa,
      threads: this.#threads,
      check: call.check,
      control,
    };
  }

  #monteCarloRequest(input: InputWithStds, params: MonteCarloParams, out: KernelOutput, stats: Float64Array, control: Int32Array | undefined) {
    const { scores, stds, weights, evaluations } = input;
    const { score, std, ciLow, ciHigh } = out;
    const { firstEvaluation, seed, samples } = params;
    return { scores, stds, weights, evaluations, score, std, ciLow, ciHigh, stats, firstEvaluation, seed, samples, isa: this.#isa, threads: this.#threads, control };
  }

  /** The metrics of one or two native passes: efficiency over their combined busy and wall time. */
  #report(first: Timing, second?: Timing): KernelRun {
    const threads = Math.max(first.threads, second?.threads ?? 0);
    const busyMs = first.busyMs + (second?.busyMs ?? 0);
    const wallMs = first.wallMs + (second?.wallMs ?? 0);
    const parallelEfficiency = wallMs > 0 ? Math.min(1, busyMs / (threads * wallMs)) : 1;
    return { backend: "native", isa: first.isa, threads, parallelEfficiency };
  }
}

/** What a native pass reports in its `stats` argument. */
interface Timing {
  readonly isa: NativeIsa;
  readonly threads: number;
  readonly busyMs: number;
  readonly wallMs: number;
}

function timing(stats: Float64Array): Timing {
  const isa = isaRan(stats);
  if (isa === undefined) throw new Error(`a native call reported ISA number ${stats[STATS_ISA]}, which names none`);
  return { isa, threads: stats[STATS_THREADS]!, busyMs: stats[STATS_BUSY_MS]!, wallMs: stats[STATS_WALL_MS]! };
}

/** The outputs a complete native call handed over; throws (→ E_INTERNAL) if it handed over none. */
function handedOutputs(outcome: NativeAggregateOutcome): KernelOutput {
  const buffers = outcome.outputs;
  if (buffers === null) throw new Error("a complete call with null outputs handed over no memory for them");
  const [score, std, ciLow, ciHigh, quality] = buffers;
  return { score: new Float64Array(score), std: new Float64Array(std), ciLow: new Float64Array(ciLow), ciHigh: new Float64Array(ciHigh), quality: new Uint8Array(quality) };
}
