import { MAX_SCORE, MIN_SCORE, Z_95 } from "./constants.js";
import type { ColumnOutputs } from "./types.js";

/**
 * The SPEC §4 kernel in plain TypeScript: the JS fallback, and the readable statement of the
 * arithmetic the native kernels reproduce bit for bit. Every sum is a left fold in dimension
 * order, every min/max is JavaScript's (so `max(0, -0)` is +0), and nothing is reassociated.
 */

/** Inputs in canonical column order (`e*60 + a*6 + d`), already validated. */
export interface KernelInput {
  readonly scores: Float64Array;
  readonly stds: Float64Array;
  /** 60 raw weights shared by all evaluations, or 60 per evaluation. */
  readonly weights: Float64Array;
  readonly evaluations: number;
}

/** Ten values per evaluation (`e*10 + a`): the public `ColumnOutputs`. */
export type KernelOutput = ColumnOutputs;

/** Lower bounds of EXCELENTE, BUENO and ACEPTABLE, in score units. */
export type ThresholdTriple = readonly [excelente: number, bueno: number, aceptable: number];

export function allocateOutput(evaluations: number): KernelOutput {
  const n = evaluations * 10;
  return {
    score: new Float64Array(n),
    std: new Float64Array(n),
    ciLow: new Float64Array(n),
    ciHigh: new Float64Array(n),
    quality: new Uint8Array(n),
  };
}

export function aggregateColumnsJs(input: KernelInput, thresholds: ThresholdTriple, out: KernelOutput): void {
  const { scores: s, stds: sd, weights: w, evaluations } = input;
  const weightStride = w.length === 60 ? 0 : 60;
  const [excelente, bueno, aceptable] = thresholds;
  for (let e = 0; e < evaluations; e++) {
    for (let a = 0; a < 10; a++) {
      const i = e * 60 + a * 6;
      const k = e * weightStride + a * 6;
      const r1 = w[k]!, r2 = w[k + 1]!, r3 = w[k + 2]!, r4 = w[k + 3]!, r5 = w[k + 4]!, r6 = w[k + 5]!;
      const R = r1 + r2 + r3 + r4 + r5 + r6;
      const raw = (r1 * s[i]! + r2 * s[i + 1]! + r3 * s[i + 2]! + r4 * s[i + 3]! + r5 * s[i + 4]! + r6 * s[i + 5]!) / R;
      const score = Math.min(MAX_SCORE, Math.max(MIN_SCORE, raw));
      const t1 = r1 * sd[i]!, t2 = r2 * sd[i + 1]!, t3 = r3 * sd[i + 2]!;
      const t4 = r4 * sd[i + 3]!, t5 = r5 * sd[i + 4]!, t6 = r6 * sd[i + 5]!;
      const std = Math.sqrt(t1 * t1 + t2 * t2 + t3 * t3 + t4 * t4 + t5 * t5 + t6 * t6) / R;
      const o = e * 10 + a;
      out.score[o] = score;
      out.std[o] = std;
      out.ciLow[o] = Math.max(MIN_SCORE, score - Z_95 * std);
      out.ciHigh[o] = Math.min(MAX_SCORE, score + Z_95 * std);
      out.quality[o] = score >= excelente ? 3 : score >= bueno ? 2 : score >= aceptable ? 1 : 0;
    }
  }
}
