// One aggregate call, independent of N-API: picks the kernel for the ISA, prepares shared
// weights, splits the evaluations over the pool, merges the bad-slot records and stops early
// when cancelled.
#pragma once

#include <cstddef>

#include "call_control.h"
#include "call_stats.h"
#include "cpu.h"
#include "kernel.h"
#include "pool.h"

namespace farfan {

// Evaluations per thread below which a call uses fewer threads (thread hand-off costs ~10 µs).
constexpr std::size_t kDefaultMinChunk = 1024;

struct AggregateRequest {
  KernelArgs kernel;  // pointers, sharedWeights and thresholds; `prepared` is filled by Aggregate
  std::size_t evaluations = 0;
  Isa isa = Isa::kScalar;  // must be supported (IsaSupported)
  unsigned threads = 1;
  bool check = false;  // record bad scores and stds (column input, which nothing validated)
  std::size_t minChunk = kDefaultMinChunk;
  CallControl* control = nullptr;  // null: not cancellable
};

struct AggregateResult : CallStats {
  BadSlots bad;            // with `check`: the lowest bad slots; outputs are unspecified when any
  bool cancelled = false;  // the flag was seen: outputs are incomplete
};

AggregateResult Aggregate(const AggregateRequest& request, ThreadPool& pool);

}  // namespace farfan
