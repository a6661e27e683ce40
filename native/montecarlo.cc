#include "montecarlo.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <new>

#include "montecarlo_kernel.h"
#include "montecarlo_summary.h"

namespace farfan {

namespace {

using SimdSampleMeans = std::size_t (*)(const MonteCarloRow&, std::size_t, std::size_t, MonteCarloSums*);

// A SIMD block loop, or nullptr for the scalar loop alone, and the ISA it is, which the call
// reports as the one that ran.
struct SampleMeansKernel {
  SimdSampleMeans simd;
  Isa isa;
};

SampleMeansKernel SampleMeansFor(Isa isa) {
  switch (isa) {
#if defined(__x86_64__)
    case Isa::kAvx512: return {SampleMeansAvx512, Isa::kAvx512};
    case Isa::kAvx2: return {SampleMeansAvx2, Isa::kAvx2};
#else
    case Isa::kAvx512:
    case Isa::kAvx2:
#endif
    case Isa::kScalar: break;
  }
  return {nullptr, Isa::kScalar};
}

// Tasks queued per thread of a parallel call: a worker that wakes late takes fewer of them.
constexpr std::size_t kTasksPerThread = 4;

// Samples between two looks at the cancellation flag (a multiple of 8): ~0.2–3 ms of work.
constexpr std::size_t kCancelSamples = 65536;

struct Context {
  const MonteCarloRequest* request;
  SimdSampleMeans simd;
  std::atomic<bool> outOfMemory{false};
};

MonteCarloRow RowOf(const MonteCarloRequest& q, std::size_t g) {
  MonteCarloRow row;
  const std::size_t area = g % kAreas;
  const double* r = q.weights + (q.sharedWeights ? area : g) * kDims;
  for (std::size_t d = 0; d < kDims; ++d) {
    row.s[d] = q.scores[g * kDims + d];
    row.sd[d] = q.stds[g * kDims + d];
    row.r[d] = r[d];
  }
  row.R = ((((r[0] + r[1]) + r[2]) + r[3]) + r[4]) + r[5];
  row.center = q.score[g];
  row.area = static_cast<std::uint32_t>(area);
  const std::uint64_t evaluation = q.firstEvaluation + g / kAreas;
  row.evaluationLo = static_cast<std::uint32_t>(evaluation);
  row.evaluationHi = static_cast<std::uint32_t>(evaluation >> 32);
  row.seedLo = static_cast<std::uint32_t>(q.seed);
  row.seedHi = static_cast<std::uint32_t>(q.seed >> 32);
  return row;
}

// Rows [g0, g1) with one scratch of 3·N doubles: the means, then the two tails' candidates.
// Runs on pool threads, so it reports a failed allocation instead of throwing.
void RunRows(void* raw, unsigned /*task*/, std::size_t g0, std::size_t g1) {
  Context& c = *static_cast<Context*>(raw);
  const MonteCarloRequest& q = *c.request;
  const std::size_t n = q.samples;
  const std::unique_ptr<double[]> scratch(new (std::nothrow) double[3 * n]);
  if (!scratch) {
    c.outOfMemory.store(true, std::memory_order_relaxed);
    return;
  }
  for (std::size_t g = g0; g < g1; ++g) {
    const MonteCarloRow row = RowOf(q, g);
    MonteCarloSums sums{scratch.get(), {}, {}};
    // In chunks of kCancelSamples, each a multiple of 8: the partial sums still see the
    // samples in increasing k, so the bits do not depend on the chunking.
    for (std::size_t k = 0; k < n; k += kCancelSamples) {
      if (Cancelled(q.control)) return;
      const std::size_t end = std::min(n, k + kCancelSamples);
      SampleMeansScalar(row, c.simd != nullptr ? c.simd(row, k, end, &sums) : k, end, &sums);
    }
    const MonteCarloSummary s = Summarize(&sums, n, row.center, scratch.get() + n);
    q.std[g] = s.std;
    q.ciLow[g] = s.ciLow;
    q.ciHigh[g] = s.ciHigh;
    Advance(q.control, 1);
  }
}

}  // namespace

MonteCarloResult MonteCarlo(const MonteCarloRequest& request, ThreadPool& pool) {
  MonteCarloResult result;
  const SampleMeansKernel kernel = SampleMeansFor(request.isa);
  result.isa = kernel.isa;
  const std::size_t rows = request.evaluations * kAreas;
  if (rows == 0) return result;

  // Threads: as asked, but each with at least minSamplesPerThread sample means; rows are the
  // unit of work, so even one evaluation (10 rows) spreads over threads.
  const std::size_t samples = request.samples;
  const std::size_t work = rows > SIZE_MAX / samples ? SIZE_MAX : rows * samples;  // saturating
  const auto threads = static_cast<unsigned>(std::min<std::size_t>(
      {request.threads, pool.Threads(), std::max<std::size_t>(1, work / std::max<std::size_t>(request.minSamplesPerThread, 1)),
       rows, ThreadPool::kMaxThreads}));
  const auto tasks = static_cast<unsigned>(threads == 1 ? 1 : std::min<std::size_t>(rows, std::size_t{threads} * kTasksPerThread));

  Context context;
  context.request = &request;
  context.simd = kernel.simd;
  const ThreadPool::Stats stats = pool.Run(rows, threads, tasks, RunRows, &context);
  if (context.outOfMemory.load(std::memory_order_relaxed)) throw std::bad_alloc();
  result.cancelled = request.control != nullptr && request.control->IsCancelled();
  result.threads = stats.threads;
  result.busyMs = stats.busyMs;
  result.wallMs = stats.wallMs;
  return result;
}

}  // namespace farfan
