// The scalar reference kernel, the shared-weight preparation and the check pass.
// Baseline ISA only: this file carries no target attribute.
#include <cfloat>
#include <cmath>

#include "kernel.h"

namespace farfan {

namespace {

// JavaScript's Math.max(0, x) and Math.min(3, x) for every x the kernel can meet: +0 for ±0
// (never -0), and the same operand order as the SIMD kernels' max(x, 0) / min(x, 3), so that
// all ISAs agree bit for bit even on inputs the check pass would reject.
inline double Max0(double x) { return x > 0.0 ? x : 0.0; }
inline double Min3(double x) { return x < 3.0 ? x : 3.0; }

inline double WeightSum(const double* r) {
  return ((((r[0] + r[1]) + r[2]) + r[3]) + r[4]) + r[5];
}

}  // namespace

void PrepareWeights(const double* w, PreparedWeights* out) {
  for (std::size_t j = 0; j < PreparedWeights::kSpan; ++j) {
    const double* r = w + (j % kAreas) * kDims;
    for (std::size_t d = 0; d < kDims; ++d) out->w[d][j] = r[d];
    out->R[j] = WeightSum(r);
  }
}

void RowsScalar(const KernelArgs& args, std::size_t g0, std::size_t g1) {
  const double t0 = args.thresholds[0], t1 = args.thresholds[1], t2 = args.thresholds[2];
  std::size_t area = g0 % kAreas;
  for (std::size_t g = g0; g < g1; ++g) {
    const double* s = args.scores + g * kDims;
    const double* sd = args.stds + g * kDims;
    const double* r = args.weights + (args.sharedWeights ? area : g) * kDims;
    const double R = WeightSum(r);
    const double raw = (((((r[0] * s[0] + r[1] * s[1]) + r[2] * s[2]) + r[3] * s[3]) + r[4] * s[4]) +
                        r[5] * s[5]) / R;
    const double score = Min3(Max0(raw));
    const double u0 = r[0] * sd[0], u1 = r[1] * sd[1], u2 = r[2] * sd[2];
    const double u3 = r[3] * sd[3], u4 = r[4] * sd[4], u5 = r[5] * sd[5];
    const double std =
        std::sqrt((((((u0 * u0 + u1 * u1) + u2 * u2) + u3 * u3) + u4 * u4) + u5 * u5)) / R;
    const double half = 1.96 * std;
    args.score[g] = score;
    args.std[g] = std;
    args.ciLow[g] = Max0(score - half);
    args.ciHigh[g] = Min3(score + half);
    args.quality[g] = score >= t0 ? 3 : score >= t1 ? 2 : score >= t2 ? 1 : 0;
    if (++area == kAreas) area = 0;
  }
}

void CheckResult::Merge(const CheckResult& later) {
  auto keep = [](std::int64_t& mine, std::int64_t theirs) {
    if (theirs >= 0 && (mine < 0 || theirs < mine)) mine = theirs;
  };
  keep(scoreNonFinite, later.scoreNonFinite);
  keep(scoreRange, later.scoreRange);
  keep(stdNonFinite, later.stdNonFinite);
  keep(stdRange, later.stdRange);
}

void CheckSlotsScalar(const double* scores, const double* stds, std::size_t i0, std::size_t i1,
                      CheckResult* r) {
  for (std::size_t i = i0; i < i1; ++i) {
    const double s = scores[i], sd = stds[i];
    const auto at = static_cast<std::int64_t>(i);
    if (!std::isfinite(s)) {
      if (r->scoreNonFinite < 0) r->scoreNonFinite = at;
    } else if (!(s >= 0.0 && s <= 3.0)) {
      if (r->scoreRange < 0) r->scoreRange = at;
    }
    if (!std::isfinite(sd)) {
      if (r->stdNonFinite < 0) r->stdNonFinite = at;
    } else if (sd < 0.0) {
      if (r->stdRange < 0) r->stdRange = at;
    }
  }
}

bool SlotsCleanScalar(const double* scores, const double* stds, std::size_t i0, std::size_t i1) {
  unsigned bad = 0;
  for (std::size_t i = i0; i < i1; ++i) {
    const double s = scores[i], sd = stds[i];
    bad |= static_cast<unsigned>(!(s >= 0.0)) | static_cast<unsigned>(!(s <= 3.0)) |
           static_cast<unsigned>(!(sd >= 0.0)) | static_cast<unsigned>(!(sd <= DBL_MAX));
  }
  return bad == 0;
}

// The scalar kernel is the reference, not the fast path: screening in a pass of its own keeps
// RowsScalar the plain statement of SPEC §4.
bool CheckedRowsScalar(const KernelArgs& args, std::size_t g0, std::size_t g1) {
  RowsScalar(args, g0, g1);
  return SlotsCleanScalar(args.scores, args.stds, g0 * kDims, g1 * kDims);
}

}  // namespace farfan
