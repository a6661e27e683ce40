// Standard normal pairs from two random words (Box–Muller), bit-identical to the TypeScript normalPair:
// only + − × ÷ and sqrt, which IEEE 754 rounds exactly, in the same order, with the series
// coefficients from the same recurrences. std::log/std::sin would differ in the last bit between
// libraries and between scalar and SIMD code; these polynomials do not. The SIMD lanes
// (montecarlo_simd.h) use the same coefficients and operation order. Needs -ffp-contract=off:
// a fused multiply-add would round once where the TypeScript rounds twice.
#pragma once

#include <cmath>
#include <cstdint>

namespace farfan {

constexpr double kLn2 = 0.6931471805599453;
constexpr double kSqrt2 = 1.4142135623730951;
constexpr double kHalfPi = 1.5707963267948966;
constexpr double kTwoPowMinus30 = 1.0 / 1073741824.0;

// Terms of each series: the first one left out is below 2e-17 relative on its interval.
constexpr int kSeriesTerms = 11;

struct Series {
  double c[kSeriesTerms];
};

enum class SeriesKind { kLog, kSin, kCos };

// c0 = 1, ci from c(i-1) exactly as the TypeScript seriesCoefficients (compile-time IEEE
// division, correctly rounded like JavaScript's):
//   ln m = 2f·Σ f^2i/(2i+1)             (|f| <= 0.172 for m in [√½, √2])
//   sin φ = φ·Σ (−1)^i φ^2i/(2i+1)!,  cos φ = Σ (−1)^i φ^2i/(2i)!   (φ in [0, π/2])
constexpr Series MakeSeries(SeriesKind kind) {
  Series s{};
  s.c[0] = 1;
  for (int i = 1; i < kSeriesTerms; ++i) {
    const double twoI = 2.0 * i;
    switch (kind) {
      case SeriesKind::kLog: s.c[i] = 1 / (twoI + 1); break;
      case SeriesKind::kSin: s.c[i] = -s.c[i - 1] / (twoI * (twoI + 1)); break;
      case SeriesKind::kCos: s.c[i] = -s.c[i - 1] / ((twoI - 1) * twoI); break;
    }
  }
  return s;
}

constexpr Series kLogSeries = MakeSeries(SeriesKind::kLog);
constexpr Series kSinSeries = MakeSeries(SeriesKind::kSin);
constexpr Series kCosSeries = MakeSeries(SeriesKind::kCos);

// c0 + g·(c1 + g·(c2 + …)), innermost first, one rounding per operation.
inline double Horner(const Series& s, double g) {
  double p = s.c[kSeriesTerms - 1];
  for (int i = kSeriesTerms - 2; i >= 0; --i) p = p * g + s.c[i];
  return p;
}

// 2^-j for j = 0..33: exact powers of two, as the TypeScript POW2_NEG.
struct PowersOfHalf {
  double v[34];
};
constexpr PowersOfHalf MakePowersOfHalf() {
  PowersOfHalf p{};
  p.v[0] = 1;
  for (int j = 1; j < 34; ++j) p.v[j] = p.v[j - 1] * 0.5;
  return p;
}
constexpr PowersOfHalf kPowersOfHalf = MakePowersOfHalf();

// ln((x + 0.5)·2⁻³²): v = 2x + 1 = m·2^j with m in [√½, √2], ln u = (j − 33)·ln 2 + ln m.
inline double LogOfUnit(std::uint32_t x) {
  int j = x == 0 ? 0 : 32 - __builtin_clz(x);  // ⌊log₂ v⌋: v has one more binary digit than x
  double m = (2.0 * x + 1.0) * kPowersOfHalf.v[j];  // exact: v < 2^33, scaled by a power of two
  if (m > kSqrt2) {
    m *= 0.5;
    j += 1;
  }
  const double f = (m - 1) / (m + 1);
  return static_cast<double>(j - 33) * kLn2 + 2 * f * Horner(kLogSeries, f * f);
}

// The Box–Muller pair of words (x, y): out[0] = ρ·cos θ, out[1] = ρ·sin θ, with
// ρ = sqrt(−2 ln u(x)), θ = quadrant (y >> 30) plus φ = ((y & 0x3fffffff) + 0.5)·2⁻³⁰·π/2.
inline void NormalPair(std::uint32_t x, std::uint32_t y, double out[2]) {
  const double rho = std::sqrt(-2 * LogOfUnit(x));
  const double phi = (static_cast<double>(y & 0x3FFFFFFFu) + 0.5) * kTwoPowMinus30 * kHalfPi;
  const double g = phi * phi;
  const double c = rho * Horner(kCosSeries, g);
  const double s = rho * (phi * Horner(kSinSeries, g));
  // Rotating by q quarter turns only swaps and negates, which is exact.
  switch (y >> 30) {
    case 0: out[0] = c; out[1] = s; break;
    case 1: out[0] = -s; out[1] = c; break;
    case 2: out[0] = -c; out[1] = -s; break;
    default: out[0] = s; out[1] = -c; break;
  }
}

}  // namespace farfan
