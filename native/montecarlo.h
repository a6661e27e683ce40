// One Monte-Carlo call (docs/contract.md §6), independent of N-API: picks the sample loop for the ISA,
// splits the rows (evaluation, area) over the pool and summarises each row's N sample means
// into scoreStd and the type-7 percentiles 2.5 / 97.5, bit-identical to the
// TypeScript monteCarloColumnsJs.
#pragma once

#include <cstddef>
#include <cstdint>

#include "call_control.h"
#include "call_stats.h"
#include "cpu.h"
#include "kernel.h"
#include "pool.h"

namespace farfan {

// Sample means per thread below which a call uses fewer threads (~3 ns each with AVX-512,
// so about 50 µs of work, well above a thread hand-off).
constexpr std::size_t kDefaultMinSamplesPerThread = 16384;
// The most samples per area a call takes (MAX_MONTE_CARLO_SAMPLES on the TypeScript side).
constexpr std::uint32_t kMaxSamples = 1000000;

struct MonteCarloRequest {
  const double* scores = nullptr;   // n*60
  const double* stds = nullptr;     // n*60
  const double* weights = nullptr;  // 60 (shared) or n*60
  bool sharedWeights = true;
  const double* score = nullptr;  // n*10, input: the §4 point scores (the centre of the sums)
  double* std = nullptr;          // n*10 each, outputs
  double* ciLow = nullptr;
  double* ciHigh = nullptr;
  std::size_t evaluations = 0;
  std::uint64_t firstEvaluation = 0;  // study-wide index of evaluation 0; + evaluations <= 2^53
  std::uint64_t seed = 0;             // < 2^53
  std::uint32_t samples = 1000;       // N >= 2
  Isa isa = Isa::kScalar;             // must be supported (IsaSupported)
  unsigned threads = 1;
  std::size_t minSamplesPerThread = kDefaultMinSamplesPerThread;
  CallControl* control = nullptr;  // null: not cancellable
};

struct MonteCarloResult : CallStats {
  bool cancelled = false;  // the flag was seen: outputs are incomplete
};

// Throws std::bad_alloc when a task's scratch (3·N doubles) cannot be allocated.
MonteCarloResult MonteCarlo(const MonteCarloRequest& request, ThreadPool& pool);

}  // namespace farfan
