// The Monte-Carlo sample loop's interface (docs/contract.md §6): plain C++, no N-API,
// no threads. One "row" is one (evaluation, area); its N sample means m_k come from Philox
// words keyed by (seed, evaluation, area, k). SIMD lanes run across samples k, never inside a
// sum, and every ISA writes the scalar loop's bits.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernel.h"

namespace farfan {

// Σ d_k and Σ d_k² are kept as this many partial sums, P_j over k ≡ j (mod 8) in increasing
// k: one AVX-512 vector, two AVX2 vectors or eight scalars, with the same bits.
constexpr std::size_t kPartialSums = 8;

// Everything one row's samples depend on.
struct MonteCarloRow {
  double s[kDims];   // scores
  double sd[kDims];  // stds
  double r[kDims];   // raw weights
  double R;          // their left-fold sum
  double center;     // the §4 point score: sums are taken of d_k = m_k − center
  std::uint32_t area;
  std::uint32_t evaluationLo, evaluationHi;  // study-wide evaluation index, 32-bit halves
  std::uint32_t seedLo, seedHi;
};

// JavaScript's Math.min(3, Math.max(0, x)) for every x met here (±0 gives +0), in the SIMD
// loops' operand order: max(x, 0), then min(·, 3).
inline double ClampScore(double x) {
  const double low = x > 0.0 ? x : 0.0;
  return low < 3.0 ? low : 3.0;
}

// Running state of a row: the sample means so far and the partial sums of d_k and d_k².
struct MonteCarloSums {
  double* means;  // N doubles
  double p1[kPartialSums];
  double p2[kPartialSums];
};

// Samples [k0, k1) one at a time: writes means[k], adds into p1/p2[k % 8]. The reference loop.
void SampleMeansScalar(const MonteCarloRow& row, std::size_t k0, std::size_t k1, MonteCarloSums* sums);

#if defined(__x86_64__)
// Samples from k0 (a multiple of 8, every sample below it done) in blocks of 8; returns where
// they stopped, k1 minus at most 7, for SampleMeansScalar to finish.
std::size_t SampleMeansAvx2(const MonteCarloRow& row, std::size_t k0, std::size_t k1, MonteCarloSums* sums);
std::size_t SampleMeansAvx512(const MonteCarloRow& row, std::size_t k0, std::size_t k1, MonteCarloSums* sums);
#endif

}  // namespace farfan
