import { newFloat64Array, newUint8Array } from "./buffers.js";
import { AREA_COUNT } from "./constants.js";
import { sharedFloat64, sharedUint8 } from "./typed-views.js";
import type { ColumnOutputs } from "./types.js";

/**
 * What every kernel (TypeScript or native) reads and writes: the shapes shared by the input
 * layer, the kernels and the output layer.
 */

/** Inputs in canonical column order (`e*60 + a*6 + d`), already validated. */
export interface KernelInput {
  readonly scores: Float64Array;
  /** Undefined when the caller gave none: every σ is 0. */
  readonly stds: Float64Array | undefined;
  /** 60 raw weights shared by all evaluations, or 60 per evaluation. */
  readonly weights: Float64Array;
  readonly evaluations: number;
}

/** Inputs with stds: what the docs/contract.md §6 pass draws around. */
export type InputWithStds = KernelInput & { readonly stds: Float64Array };

/** Ten values per evaluation (`e*10 + a`): the public `ColumnOutputs`. */
export type KernelOutput = ColumnOutputs;

/** Lower bounds of EXCELENTE, BUENO and ACEPTABLE, in score units. */
export type ThresholdTriple = readonly [excelente: number, bueno: number, aceptable: number];

export function allocateOutput(evaluations: number): KernelOutput {
  const n = evaluations * AREA_COUNT;
  return { score: newFloat64Array(n), std: newFloat64Array(n), ciLow: newFloat64Array(n), ciHigh: newFloat64Array(n), quality: newUint8Array(n) };
}

/** Ten-per-evaluation outputs over SharedArrayBuffers: native writes them in place, even in async calls. */
export function allocateSharedOutputs(evaluations: number): KernelOutput {
  const n = evaluations * AREA_COUNT;
  return { score: sharedFloat64(n), std: sharedFloat64(n), ciLow: sharedFloat64(n), ciHigh: sharedFloat64(n), quality: sharedUint8(n) };
}
