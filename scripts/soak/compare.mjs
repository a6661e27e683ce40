// Results against the reference: SPEC §4 outputs bit for bit (Object.is) on both backends;
// SPEC §6 Monte-Carlo outputs bit for bit on the JS backend (the reference is its own kernel),
// within 1e-9 on native, and there bit-identical from one call to the next.
import { AREA_IDS, QUALITY_LEVELS } from "../../dist/index.js";

/** How far a native Monte-Carlo std or interval bound may be from the TypeScript kernel's (SPEC §6). */
export const MONTE_CARLO_TOLERANCE = 1e-9;
const FIELDS = ["score", "std", "ciLow", "ciHigh", "quality"];
/** The outputs SPEC §6 computes by sampling (score and quality stay §4's). */
const SAMPLED = new Set(["std", "ciLow", "ciHigh"]);

/**
 * The first difference between `got` (columns outputs of `n` evaluations) and evaluations
 * `from` … `from + n - 1` of `ref`, or undefined; sampled outputs may differ by `tolerance`.
 */
export function columnsDifference(got, ref, n, from = 0, tolerance = 0) {
  for (const field of FIELDS) {
    if (got[field]?.length !== n * 10) return `${field} holds ${got[field]?.length} values, expected ${n * 10}`;
  }
  for (const field of FIELDS) {
    const bound = SAMPLED.has(field) ? tolerance : 0;
    for (let i = 0; i < n * 10; i++) {
      const value = got[field][i];
      const expected = ref[field][from * 10 + i];
      if (Object.is(value, expected) || (bound > 0 && Math.abs(value - expected) <= bound)) continue;
      return `evaluation ${Math.floor(i / 10)}, ${AREA_IDS[i % 10]} ${field}: ${value}, expected ${expected}`;
    }
  }
  return undefined;
}

/**
 * Results given as AreaScore lists (`aggregate`, `aggregateBatch`) as columns outputs, so they
 * compare as columns do; `problem` says when their shape is wrong (areas out of order, another
 * aggregation method, an unknown quality level).
 */
export function areaScoreColumns(results, method) {
  const n = results.length;
  const out = { score: new Float64Array(n * 10), std: new Float64Array(n * 10), ciLow: new Float64Array(n * 10), ciHigh: new Float64Array(n * 10), quality: new Uint8Array(n * 10) };
  let problem;
  results.forEach((areas, e) => {
    if (areas.length !== 10) problem ??= `evaluation ${e} has ${areas.length} areas`;
    areas.forEach((area, a) => {
      const i = e * 10 + a;
      if (area.areaId !== AREA_IDS[a]) problem ??= `evaluation ${e}: area ${a} is ${area.areaId}`;
      if (area.aggregationMethod !== method) problem ??= `evaluation ${e}: method ${area.aggregationMethod}, expected ${method}`;
      const quality = QUALITY_LEVELS.indexOf(area.qualityLevel);
      if (quality < 0) problem ??= `evaluation ${e}: quality level ${area.qualityLevel}`;
      out.score[i] = area.score;
      out.std[i] = area.scoreStd;
      [out.ciLow[i], out.ciHigh[i]] = area.confidenceInterval95;
      out.quality[i] = quality;
    });
  });
  return { out, problem };
}

/**
 * The first native Monte-Carlo result seen for each input: every later native result for that
 * input must repeat it bit for bit (SPEC §6: bit-reproducible within one backend).
 */
export class FirstResults {
  #first = new Map();

  /** Undefined when `got` repeats the first result under `key` (which names the input, its size included) or is the first; else the difference. */
  difference(key, got) {
    const first = this.#first.get(key);
    if (first !== undefined) return columnsDifference(got, first, first.score.length / 10);
    this.#first.set(key, Object.fromEntries(FIELDS.map((field) => [field, got[field].slice()])));
    return undefined;
  }
}
