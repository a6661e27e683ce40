// What every native call reports, whatever it computes: the ISA it ran, the threads that ran
// part of it (the caller included), their summed busy time and the call's wall time.
#pragma once

#include <cstddef>

#include "cpu.h"

namespace farfan {

// The call's `stats` argument (a Float64Array), element by element, as the TypeScript side's
// STATS_* constants number them. The ISA is its `Isa` value.
enum StatsSlot : std::size_t { kStatsThreads = 0, kStatsBusyMs = 1, kStatsWallMs = 2, kStatsIsa = 3, kStatsLength = 4 };

struct CallStats {
  Isa isa = Isa::kScalar;
  unsigned threads = 1;
  double busyMs = 0;
  double wallMs = 0;
};

}  // namespace farfan
