import { AREA_COUNT, DIMENSION_COUNT, isScore, isStd, MAX_SCORE, MIN_SCORE, SLOTS_PER_EVALUATION, Z_95 } from "../core/constants.js";
import type { KernelInput, KernelOutput, ThresholdTriple } from "../core/kernel-io.js";
import type { BadSlots } from "./bad-slots.js";

/**
 * The docs/contract.md §4 kernel in plain TypeScript: the JS fallback, and the readable statement of the
 * arithmetic the native kernels reproduce bit for bit. Every sum is a left fold in dimension
 * order, every min/max is JavaScript's (so `max(0, -0)` is +0), and nothing is reassociated.
 */

/**
 * Fills `out` for every evaluation. With `bad` it also checks each row's scores and stds (column
 * input, which nothing validated) — the very values it computes with, each read once — and
 * records the bad ones in `bad` (stopping once it is truncated); `out` is then unspecified.
 * Without stds it reads the scores in their place, unchecked (no n×60 zeros are allocated), so
 * the std and interval it writes are for the caller to replace with σ = 0's.
 */
export function aggregateColumnsJs(input: KernelInput, thresholds: ThresholdTriple, out: KernelOutput, bad?: BadSlots): void {
  const { scores: s, weights: w, evaluations } = input;
  const sd = input.stds ?? s;
  const checkStds = input.stds !== undefined;
  const weightStride = w.length === SLOTS_PER_EVALUATION ? 0 : SLOTS_PER_EVALUATION;
  const [excelente, bueno, aceptable] = thresholds;
  for (let e = 0; e < evaluations; e++) {
    for (let a = 0; a < AREA_COUNT; a++) {
      const i = e * SLOTS_PER_EVALUATION + a * DIMENSION_COUNT;
      const k = e * weightStride + a * DIMENSION_COUNT;
      const r1 = w[k]!, r2 = w[k + 1]!, r3 = w[k + 2]!, r4 = w[k + 3]!, r5 = w[k + 4]!, r6 = w[k + 5]!;
      const s1 = s[i]!, s2 = s[i + 1]!, s3 = s[i + 2]!, s4 = s[i + 3]!, s5 = s[i + 4]!, s6 = s[i + 5]!;
      const q1 = sd[i]!, q2 = sd[i + 1]!, q3 = sd[i + 2]!, q4 = sd[i + 3]!, q5 = sd[i + 4]!, q6 = sd[i + 5]!;
      // A score in [0, 3] and a std in [0, MAX_STD]; NaN fails every comparison.
      if (bad !== undefined && !(isScore(s1) && isScore(s2) && isScore(s3) && isScore(s4) && isScore(s5) && isScore(s6) &&
          isStd(q1) && isStd(q2) && isStd(q3) && isStd(q4) && isStd(q5) && isStd(q6))) {
        bad.addRow(i, [s1, s2, s3, s4, s5, s6], [q1, q2, q3, q4, q5, q6], checkStds);
        if (bad.truncated) return;
        continue;
      }
      const R = r1 + r2 + r3 + r4 + r5 + r6;
      const raw = (r1 * s1 + r2 * s2 + r3 * s3 + r4 * s4 + r5 * s5 + r6 * s6) / R;
      const score = Math.min(MAX_SCORE, Math.max(MIN_SCORE, raw));
      const t1 = r1 * q1, t2 = r2 * q2, t3 = r3 * q3, t4 = r4 * q4, t5 = r5 * q5, t6 = r6 * q6;
      const std = Math.sqrt(t1 * t1 + t2 * t2 + t3 * t3 + t4 * t4 + t5 * t5 + t6 * t6) / R;
      const o = e * AREA_COUNT + a;
      out.score[o] = score;
      out.std[o] = std;
      out.ciLow[o] = Math.max(MIN_SCORE, score - Z_95 * std);
      out.ciHigh[o] = Math.min(MAX_SCORE, score + Z_95 * std);
      out.quality[o] = score >= excelente ? 3 : score >= bueno ? 2 : score >= aceptable ? 1 : 0;
    }
  }
}
