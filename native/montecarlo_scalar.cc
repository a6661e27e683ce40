// The Monte-Carlo sample loop one sample at a time: the reference every SIMD lane reproduces,
// and the tail after the last full block of 8. Baseline ISA only: no target attribute here.
#include "montecarlo_kernel.h"
#include "normal.h"
#include "philox.h"

namespace farfan {

namespace {

// m_k: six normals from the words of counters (k, area) and (k, area + 16), each score moved
// by σ·z and clamped, then the §4 weighted mean of the moved scores, clamped.
double SampleMean(const MonteCarloRow& row, std::uint32_t k) {
  std::uint32_t a[4] = {k, row.area, row.evaluationLo, row.evaluationHi};
  std::uint32_t b[4] = {k, row.area + 16, row.evaluationLo, row.evaluationHi};
  Philox4x32(a, row.seedLo, row.seedHi);
  Philox4x32(b, row.seedLo, row.seedHi);
  double z[kDims];
  NormalPair(a[0], a[1], z);
  NormalPair(a[2], a[3], z + 2);
  NormalPair(b[0], b[1], z + 4);
  double c[kDims];
  for (std::size_t d = 0; d < kDims; ++d) c[d] = ClampScore(row.s[d] + row.sd[d] * z[d]);
  const double* r = row.r;
  return ClampScore((((((r[0] * c[0] + r[1] * c[1]) + r[2] * c[2]) + r[3] * c[3]) + r[4] * c[4]) + r[5] * c[5]) /
               row.R);
}

}  // namespace

void SampleMeansScalar(const MonteCarloRow& row, std::size_t k0, std::size_t k1, MonteCarloSums* sums) {
  for (std::size_t k = k0; k < k1; ++k) {
    const double m = SampleMean(row, static_cast<std::uint32_t>(k));
    sums->means[k] = m;
    const double d = m - row.center;
    const std::size_t j = k % kPartialSums;
    sums->p1[j] = sums->p1[j] + d;
    sums->p2[j] = sums->p2[j] + d * d;
  }
}

}  // namespace farfan
