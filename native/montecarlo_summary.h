// A row's N sample means to scoreStd and the 95% interval, exactly as the TypeScript
// summarize() beside monteCarloColumnsJs: the sample std from the 8 partial sums, and the type-7 percentiles 2.5 and
// 97.5 from exact order statistics (any exact selection finds the same values).
#pragma once

#include <cstddef>

#include "montecarlo_kernel.h"

namespace farfan {

struct MonteCarloSummary {
  double std;
  double ciLow;
  double ciHigh;
};

// `sums` holds n >= 2 means (reordered here) and their partial sums; `scratch` has room for
// 2·n doubles. `center` is the row's point score, the shift of the sums.
MonteCarloSummary Summarize(MonteCarloSums* sums, std::size_t n, double center, double* scratch);

}  // namespace farfan
