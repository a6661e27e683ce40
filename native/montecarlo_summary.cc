#include "montecarlo_summary.h"

#include <algorithm>
#include <cmath>

namespace farfan {

namespace {

constexpr double kLowPercentile = 0.025;
constexpr double kHighPercentile = 0.975;

// Rows with fewer samples select from all their means at once.
constexpr std::size_t kPrefilterMinSamples = 64;
// The tails beyond mean ∓ 1.5 sample std hold ~6.7% each of a normal sample, 2.7 times the
// 2.5% the percentiles need; when a tail holds too few (a skewed or clamped distribution),
// that percentile falls back to selecting from all the means. Either way the order statistics
// are exact: only the amount of data selection sorts through changes.
constexpr double kTailStds = 1.5;

double Combine(const double p[kPartialSums]) {
  return ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
}

// The order statistics i and i + 1 of values[0, count), i + 1 < count; reorders values.
void OrderPair(double* values, std::size_t count, std::size_t i, double* xi, double* xNext) {
  std::nth_element(values, values + i, values + count);
  *xi = values[i];
  *xNext = *std::min_element(values + i + 1, values + count);
}

// Type 7: h = (n − 1)·p, Q = x(⌊h⌋) + (h − ⌊h⌋)·(x(⌊h⌋+1) − x(⌊h⌋)), clamped to [0, 3].
double Interpolate(double h, std::size_t i, double xi, double xNext) {
  return ClampScore(xi + (h - static_cast<double>(i)) * (xNext - xi));
}

}  // namespace

MonteCarloSummary Summarize(MonteCarloSums* sums, std::size_t n, double center, double* scratch) {
  const double count = static_cast<double>(n);
  const double s1 = Combine(sums->p1);
  const double variance = (Combine(sums->p2) - s1 * s1 / count) / (count - 1);
  MonteCarloSummary out;
  out.std = variance > 0 ? std::sqrt(variance) : 0;

  const double hLo = (count - 1) * kLowPercentile, hHi = (count - 1) * kHighPercentile;
  const auto iLo = static_cast<std::size_t>(std::floor(hLo)), iHi = static_cast<std::size_t>(std::floor(hHi));
  // iHi + 1 <= n - 1 for every n >= 2, so both x(i + 1) exist.
  double xLo = 0, xLoNext = 0, xHi = 0, xHiNext = 0;
  bool low = false, high = false;
  if (n >= kPrefilterMinSamples) {
    // Candidates: every mean <= tLo (sorted positions [0, cLo)) and every mean >= tHi
    // (positions [n − cHi, n)), copied without branches.
    const double mean = center + s1 / count;
    const double tLo = mean - kTailStds * out.std, tHi = mean + kTailStds * out.std;
    double* lows = scratch;
    double* highs = scratch + n;
    std::size_t cLo = 0, cHi = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const double x = sums->means[k];
      lows[cLo] = x;
      highs[cHi] = x;
      cLo += static_cast<std::size_t>(x <= tLo);
      cHi += static_cast<std::size_t>(x >= tHi);
    }
    if (cLo >= iLo + 2) {
      OrderPair(lows, cLo, iLo, &xLo, &xLoNext);
      low = true;
    }
    if (cHi >= n - iHi) {
      OrderPair(highs, cHi, iHi - (n - cHi), &xHi, &xHiNext);
      high = true;
    }
  }
  if (!low) OrderPair(sums->means, n, iLo, &xLo, &xLoNext);
  if (!high) OrderPair(sums->means, n, iHi, &xHi, &xHiNext);
  out.ciLow = Interpolate(hLo, iLo, xLo, xLoNext);
  out.ciHigh = Interpolate(hHi, iHi, xHi, xHiNext);
  return out;
}

}  // namespace farfan
