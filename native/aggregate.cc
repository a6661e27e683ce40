#include "aggregate.h"

#include <algorithm>
#include <vector>

namespace farfan {

namespace {

struct IsaKernel {
  void (*rows)(const KernelArgs&, std::size_t, std::size_t);
  bool (*checkedRows)(const KernelArgs&, std::size_t, std::size_t);
};

IsaKernel KernelFor(Isa isa) {
  switch (isa) {
#if defined(__x86_64__)
    case Isa::kAvx512: return {RowsAvx512, CheckedRowsAvx512};
    case Isa::kAvx2: return {RowsAvx2, CheckedRowsAvx2};
#else
    case Isa::kAvx512:
    case Isa::kAvx2:
#endif
    case Isa::kScalar: break;
  }
  return {RowsScalar, CheckedRowsScalar};
}

// Outputs larger than this bypass the caches (non-temporal stores): they cannot stay cached
// anyway, and streaming them saves the read-for-ownership traffic.
constexpr std::size_t kStreamingOutputBytes = std::size_t{8} << 20;

// Tasks queued per thread of a parallel call: a worker that wakes late takes fewer of them.
constexpr std::size_t kTasksPerThread = 4;

struct Context {
  const KernelArgs* args;
  IsaKernel kernel;
  bool check;
  std::vector<CheckResult>* checks;  // one per task
};

void RunPart(void* raw, unsigned task, std::size_t e0, std::size_t e1) {
  const Context& c = *static_cast<const Context*>(raw);
  const KernelArgs& a = *c.args;
  if (!c.check) {
    c.kernel.rows(a, e0 * kAreas, e1 * kAreas);
    return;
  }
  // The kernel screens the values it reads; only a task whose screen fails is scanned again,
  // precisely, to find the first offending slot per code.
  if (!c.kernel.checkedRows(a, e0 * kAreas, e1 * kAreas)) {
    CheckSlotsScalar(a.scores, a.stds, e0 * kSlots, e1 * kSlots, &(*c.checks)[task]);
  }
}

}  // namespace

AggregateResult Aggregate(const AggregateRequest& request, ThreadPool& pool) {
  AggregateResult result;
  result.isa = request.isa;
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

  std::vector<CheckResult> checks(request.check ? tasks : 0);
  Context context{&args, KernelFor(request.isa), request.check, &checks};
  const ThreadPool::Stats stats = pool.Run(n, threads, tasks, RunPart, &context);
  for (const CheckResult& c : checks) result.check.Merge(c);
  result.threads = stats.threads;
  result.busyMs = stats.busyMs;
  result.wallMs = stats.wallMs;
  return result;
}

}  // namespace farfan
