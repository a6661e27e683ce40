import { AREA_COUNT, DIMENSION_COUNT, MAX_SCORE, MIN_SCORE, SLOTS_PER_EVALUATION } from "../core/constants.js";
import type { InputWithStds, KernelOutput } from "../core/kernel-io.js";
import { normalPair } from "./normal.js";
import { philox4x32 } from "./philox.js";

/**
 * docs/contract.md §6, the Monte-Carlo interval, in plain TypeScript: the JS backend's
 * implementation and the statement native/montecarlo.cc follows bit for bit. For each evaluation e (its index in
 * the whole study: `firstEvaluation` + its position in the call), area a and sample k < N:
 *
 *   words 0–3 = Philox4x32-10(counter (k, a,      e mod 2³², ⌊e / 2³²⌋), key (seed mod 2³², ⌊seed / 2³²⌋))
 *   words 4–7 = Philox4x32-10(counter (k, a + 16, e mod 2³², ⌊e / 2³²⌋), same key)
 *   (z₁, z₂), (z₃, z₄), (z₅, z₆) = normalPair of words (0, 1), (2, 3), (4, 5)
 *   s*_d = min(3, max(0, s_d + σ_d·z_d))
 *   m_k  = min(3, max(0, the §4 weighted mean of s*))
 *
 * Then, with c = the §4 point score and d_k = m_k − c (shifting by c keeps the sums small, and
 * σ = 0 then gives exactly 0):
 *   S₁ = Σ d_k and S₂ = Σ d_k², each as 8 partial sums P_j over k ≡ j (mod 8) in increasing k,
 *        combined as ((P₀+P₁) + (P₂+P₃)) + ((P₄+P₅) + (P₆+P₇)) — one AVX-512 vector, two AVX2
 *        vectors or eight scalars give the same bits;
 *   scoreStd = sqrt((S₂ − S₁·S₁/N) / (N − 1)), or 0 when that is not positive;
 *   ci95 = the type-7 percentiles 2.5 and 97.5 of the m_k, each clamped to [0, 3]:
 *        h = (N − 1)·p, i = ⌊h⌋, Q = x₍ᵢ₎ + (h − i)·(x₍ᵢ₊₁₎ − x₍ᵢ₎) over the sorted m_k
 *        (the order statistics are found by selection, not a full sort).
 * `score` and `quality` stay the §4 values.
 */

export interface MonteCarloParams {
  /** N ≥ 2 samples per area. */
  readonly samples: number;
  /** A safe integer ≥ 0. */
  readonly seed: number;
  /** Study-wide index of the call's first evaluation: it keys the streams, so splits do not matter. */
  readonly firstEvaluation: number;
}

export const CI_LOW_PERCENTILE = 0.025;
export const CI_HIGH_PERCENTILE = 0.975;
const PARTIAL_SUMS = 8;
const TWO_POW_32 = 4294967296;

/** Overwrites `std`, `ciLow` and `ciHigh` of `out`, whose `score` the §4 kernel has filled. */
export function monteCarloColumnsJs(input: InputWithStds, params: MonteCarloParams, out: KernelOutput): void {
  const { scores, stds, weights, evaluations } = input;
  const weightStride = weights.length === SLOTS_PER_EVALUATION ? 0 : SLOTS_PER_EVALUATION;
  const n = params.samples;
  const seedLo = params.seed >>> 0;
  const seedHi = Math.floor(params.seed / TWO_POW_32) >>> 0;
  const means = new Float64Array(n);
  const words = new Uint32Array(8);
  const z = new Float64Array(6);
  for (let e = 0; e < evaluations; e++) {
    const global = params.firstEvaluation + e;
    const eLo = global >>> 0;
    const eHi = Math.floor(global / TWO_POW_32) >>> 0;
    for (let a = 0; a < AREA_COUNT; a++) {
      const i = e * SLOTS_PER_EVALUATION + a * DIMENSION_COUNT;
      const w = e * weightStride + a * DIMENSION_COUNT;
      const r1 = weights[w]!, r2 = weights[w + 1]!, r3 = weights[w + 2]!;
      const r4 = weights[w + 3]!, r5 = weights[w + 4]!, r6 = weights[w + 5]!;
      const R = r1 + r2 + r3 + r4 + r5 + r6;
      const s1 = scores[i]!, s2 = scores[i + 1]!, s3 = scores[i + 2]!;
      const s4 = scores[i + 3]!, s5 = scores[i + 4]!, s6 = scores[i + 5]!;
      const sd1 = stds[i]!, sd2 = stds[i + 1]!, sd3 = stds[i + 2]!;
      const sd4 = stds[i + 3]!, sd5 = stds[i + 4]!, sd6 = stds[i + 5]!;
      for (let k = 0; k < n; k++) {
        philox4x32(k, a, eLo, eHi, seedLo, seedHi, words, 0);
        philox4x32(k, a + 16, eLo, eHi, seedLo, seedHi, words, 4);
        normalPair(words[0]!, words[1]!, z, 0);
        normalPair(words[2]!, words[3]!, z, 2);
        normalPair(words[4]!, words[5]!, z, 4);
        const raw =
          (r1 * clamp(s1 + sd1 * z[0]!) + r2 * clamp(s2 + sd2 * z[1]!) + r3 * clamp(s3 + sd3 * z[2]!) +
            r4 * clamp(s4 + sd4 * z[3]!) + r5 * clamp(s5 + sd5 * z[4]!) + r6 * clamp(s6 + sd6 * z[5]!)) / R;
        means[k] = clamp(raw);
      }
      summarize(means, n, e * AREA_COUNT + a, out);
    }
  }
}

function clamp(x: number): number {
  return Math.min(MAX_SCORE, Math.max(MIN_SCORE, x));
}

const partial1 = new Float64Array(PARTIAL_SUMS);
const partial2 = new Float64Array(PARTIAL_SUMS);

function combine(p: Float64Array): number {
  return p[0]! + p[1]! + (p[2]! + p[3]!) + (p[4]! + p[5]! + (p[6]! + p[7]!));
}

/** scoreStd and ci95 of area row `o` from its N sample means (reordered in place). */
function summarize(means: Float64Array, n: number, o: number, out: KernelOutput): void {
  const center = out.score[o]!;
  partial1.fill(0);
  partial2.fill(0);
  for (let k = 0; k < n; k++) {
    const d = means[k]! - center;
    const j = k & (PARTIAL_SUMS - 1);
    partial1[j] = partial1[j]! + d;
    partial2[j] = partial2[j]! + d * d;
  }
  const s1 = combine(partial1);
  const variance = (combine(partial2) - (s1 * s1) / n) / (n - 1);
  out.std[o] = variance > 0 ? Math.sqrt(variance) : 0;

  const hLo = (n - 1) * CI_LOW_PERCENTILE, iLo = Math.floor(hLo);
  const hHi = (n - 1) * CI_HIGH_PERCENTILE, iHi = Math.floor(hHi);
  select(means, 0, n, iLo);
  const xLo = means[iLo]!;
  let xLoNext: number, xHi: number;
  if (iHi > iLo) {
    select(means, iLo + 1, n, iHi);
    xHi = means[iHi]!;
    xLoNext = iLo + 1 === iHi ? xHi : minimum(means, iLo + 1, iHi);
  } else {
    xHi = xLo;
    xLoNext = minimum(means, iLo + 1, n);
  }
  const xHiNext = iHi + 1 < n ? minimum(means, iHi + 1, n) : xHi;
  out.ciLow[o] = clamp(xLo + (hLo - iLo) * (xLoNext - xLo));
  out.ciHigh[o] = clamp(xHi + (hHi - iHi) * (xHiNext - xHi));
}

function minimum(a: Float64Array, from: number, to: number): number {
  let m = a[from]!;
  for (let i = from + 1; i < to; i++) if (a[i]! < m) m = a[i]!;
  return m;
}

/**
 * Reorders a[from..to) so that a[k] holds the value a full sort would put there, with nothing
 * greater before it and nothing smaller after it (Hoare's selection, median-of-three pivots).
 */
function select(a: Float64Array, from: number, to: number, k: number): void {
  let lo = from, hi = to - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
