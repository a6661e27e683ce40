#include "aggregate.h"

#include <algorithm>
#include <vector>

namespace farfan {

namespace {

using Rows = void (*)(const KernelArgs&, std::size_t, std::size_t, BadSlots*);

// A rows loop and the ISA it is, which the call reports as the one that ran.
struct Kernel {
  Rows rows;
  Isa isa;
};

Kernel KernelFor(Isa isa) {
  switch (isa) {
#if defined(__x86_64__)
    case Isa::kAvx512: return {RowsAvx512, Isa::kAvx512};
    case Isa::kAvx2: return {RowsAvx2, Isa::kAvx2};
#else
    case Isa::kAvx512:
    case Isa::kAvx2:
#endif
    case Isa::kScalar: break;
  }
  return {RowsScalar, Isa::kScalar};
}

// Outputs larger than this bypass the caches (non-temporal stores): they cannot stay cached
// anyway, and streaming them saves the read-for-ownership traffic.
constexpr std::size_t kStreamingOutputBytes = std::size_t{8} << 20;

// Tasks queued per thread of a parallel call: a worker that wakes late takes fewer of them.
constexpr std::size_t kTasksPerThread = 4;

// Evaluations between two looks at the cancellation flag: ~0.1–0.5 ms of work.
constexpr std::size_t kCancelChunk = 2048;

struct Context {
  const KernelArgs* args;
  Rows rows;
  std::vector<BadSlots>* bad;  // one per task, or empty without check
  CallControl* control;
};

void RunPart(void* raw, unsigned task, std::size_t e0, std::size_t e1) {
  const Context& c = *static_cast<const Context*>(raw);
  BadSlots* bad = c.bad->empty() ? nullptr : &(*c.bad)[task];
  for (std::size_t e = e0; e < e1; e += kCancelChunk) {
    if (Cancelled(c.control) || (bad != nullptr && bad->truncated)) return;
    const std::size_t end = std::min(e1, e + kCancelChunk);
    c.rows(*c.args, e * kAreas, end * kAreas, bad);
    Advance(c.control, (end - e) * kAreas);
  }
}

}  // namespace

AggregateResult Aggregate(const AggregateRequest& request, ThreadPool& pool) {
  AggregateResult result;
  const Kernel kernel = KernelFor(request.isa);
  result.isa = kernel.isa;
  const std::size_t n = request.evaluations;
  if (n == 0) return result;

  KernelArgs args = request.kernel;
  PreparedWeights prepared;
  if (args.sharedWeights && request.isa != Isa::kScalar) {
    PrepareWeights(args.weights, &prepared);
    args.prepared = &prepared;
  }
  args.streamingStores = n * kAreas * sizeof(double) * 4 >= kStreamingOutputBytes;

  // Threads: as asked, but each with at least minChunk evaluations. Tasks: several per thread
  // (see ThreadPool), never smaller than a quarter of minChunk.
  const std::size_t minChunk = std::max<std::size_t>(request.minChunk, 1);
  const auto threads = static_cast<unsigned>(std::min<std::size_t>(
      {request.threads, pool.Threads(), std::max<std::size_t>(1, n / minChunk), ThreadPool::kMaxThreads}));
  const auto tasks = static_cast<unsigned>(
      threads == 1 ? 1 : std::min<std::size_t>(std::size_t{threads} * kTasksPerThread,
                                               std::max<std::size_t>(threads, n / std::max<std::size_t>(1, minChunk / 4))));

  std::vector<BadSlots> bad(request.check ? tasks : 0);
  Context context{&args, kernel.rows, &bad, request.control};
  const ThreadPool::Stats stats = pool.Run(n, threads, tasks, RunPart, &context);
  for (const BadSlots& b : bad) result.bad.Merge(b);
  result.cancelled = request.control != nullptr && request.control->IsCancelled();
  result.threads = stats.threads;
  result.busyMs = stats.busyMs;
  result.wallMs = stats.wallMs;
  return result;
}

}  // namespace farfan
