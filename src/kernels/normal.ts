/**
 * Standard normal variates from pairs of random uint32 words (Box–Muller), built only from
 * + − × ÷ and sqrt, which IEEE 754 rounds exactly: the logarithm and the sine and cosine are
 * polynomials written out here, not Math.log/Math.sin, whose last bit differs between engines
 * and between scalar and SIMD libraries. So this TypeScript, native/normal.h and every native
 * ISA produce the same bits. Accuracy: about 1e-15 relative, far below the Monte-Carlo noise.
 *
 * For a pair of words (x, y):
 *   u = (x + 0.5)·2⁻³²  ∈ (0, 1), never 0, so ln u is finite
 *   ρ = sqrt(−2·ln u)
 *   θ = 2π·(y + 0.5)·2⁻³², taken as quadrant q = y >>> 30 plus φ = ((y & 0x3fffffff) + 0.5)·2⁻³⁰·(π/2)
 *   z₀ = ρ·cos θ, z₁ = ρ·sin θ
 */

const LN2 = 0.6931471805599453;
const SQRT2 = 1.4142135623730951;
const HALF_PI = 1.5707963267948966;
const TWO_POW_MINUS_30 = 1 / 1073741824;

/** Terms of each series: the first one left out is below 2e-17 relative on its interval. */
const SERIES_TERMS = 11;

/** ln m = 2f·Σ f²ⁱ/(2i+1) with f = (m−1)/(m+1), for m in [√½, √2]: |f| ≤ 0.172. */
const LOG_SERIES = seriesCoefficients((i) => 1 / (2 * i + 1));
/** sin φ = φ·Σ (−1)ⁱ φ²ⁱ/(2i+1)!, cos φ = Σ (−1)ⁱ φ²ⁱ/(2i)!, for φ in [0, π/2]. */
const SIN_SERIES = seriesCoefficients((i, previous) => -previous / ((2 * i) * (2 * i + 1)));
const COS_SERIES = seriesCoefficients((i, previous) => -previous / ((2 * i - 1) * (2 * i)));

/** c₀ = 1, cᵢ = next(i, cᵢ₋₁): the recurrences native/normal.h evaluates the same way. */
function seriesCoefficients(next: (i: number, previous: number) => number): Float64Array {
  const c = new Float64Array(SERIES_TERMS);
  c[0] = 1;
  for (let i = 1; i < SERIES_TERMS; i++) c[i] = next(i, c[i - 1]!);
  return c;
}

/** c₀ + g·(c₁ + g·(c₂ + …)), innermost first. */
function horner(c: Float64Array, g: number): number {
  let p = c[SERIES_TERMS - 1]!;
  for (let i = SERIES_TERMS - 2; i >= 0; i--) p = p * g + c[i]!;
  return p;
}

/** 2⁻ʲ for j = 0..33, by exact halving. */
const POW2_NEG = Float64Array.from({ length: 34 }, (_, j) => 0.5 ** j);

/**
 * ln((x + 0.5)·2⁻³²) for a uint32 x. With v = 2x + 1 (an exact integer below 2³³):
 * v = m·2ʲ with m in [√½, √2] found from x's leading zeros, and ln u = (j − 33)·ln 2 + ln m.
 */
export function logOfUnit(x: number): number {
  let j = 32 - Math.clz32(x); // ⌊log₂ v⌋: v = 2x + 1 has one more binary digit than x
  let m = (2 * x + 1) * POW2_NEG[j]!;
  if (m > SQRT2) {
    m *= 0.5;
    j += 1;
  }
  const f = (m - 1) / (m + 1);
  return (j - 33) * LN2 + 2 * f * horner(LOG_SERIES, f * f);
}

/**
 * Writes the Box–Muller pair of words (x, y) to out[at] (ρ·cos θ) and out[at + 1] (ρ·sin θ).
 */
export function normalPair(x: number, y: number, out: Float64Array, at: number): void {
  const rho = Math.sqrt(-2 * logOfUnit(x));
  const phi = ((y & 0x3fffffff) + 0.5) * TWO_POW_MINUS_30 * HALF_PI;
  const g = phi * phi;
  const c = rho * horner(COS_SERIES, g);
  const s = rho * (phi * horner(SIN_SERIES, g));
  // Rotating by q quarter turns only swaps and negates, which is exact.
  switch (y >>> 30) {
    case 0: out[at] = c; out[at + 1] = s; break;
    case 1: out[at] = -s; out[at + 1] = c; break;
    case 2: out[at] = -c; out[at + 1] = -s; break;
    default: out[at] = s; out[at + 1] = -c;
  }
}
