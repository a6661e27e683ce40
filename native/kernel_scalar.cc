// The scalar reference kernel, the shared-weight preparation and the bad-slot records.
// Baseline ISA only: this file carries no target attribute.
#include <cmath>

#include "kernel.h"

namespace farfan {

namespace {

// JavaScript's Math.max(0, x) and Math.min(3, x) for every x the kernel can meet: +0 for ±0
// (never -0), and the same operand order as the SIMD kernels' max(x, 0) / min(x, 3), so that
// all ISAs agree bit for bit even on inputs the check pass would reject.
inline double Max0(double x) { return x > kMinScore ? x : kMinScore; }
inline double Min3(double x) { return x < kMaxScore ? x : kMaxScore; }

inline double WeightSum(const double* r) {
  return ((((r[0] + r[1]) + r[2]) + r[3]) + r[4]) + r[5];
}

// Reads a value exactly once: a relaxed atomic load, which the compiler may not repeat (a
// plain load it may, in principle, re-issue instead of keeping the value), and which costs a
// plain load. The caller's SharedArrayBuffer may be written by another thread meanwhile.
inline double LoadOnce(const double* p) {
  double value;
  __atomic_load(p, &value, __ATOMIC_RELAXED);
  return value;
}

}  // namespace

void PrepareWeights(const double* w, PreparedWeights* out) {
  for (std::size_t j = 0; j < PreparedWeights::kSpan; ++j) {
    const double* r = w + (j % kAreas) * kDims;
    for (std::size_t d = 0; d < kDims; ++d) out->w[d][j] = r[d];
    out->R[j] = WeightSum(r);
  }
}

void RecordRow(const double* s, const double* sd, bool checkStds, std::size_t g, BadSlots* bad) {
  for (std::size_t d = 0; d < kDims; ++d) {
    const std::uint64_t index = g * kDims + d;
    if (!GoodScore(s[d])) bad->Add(index, s[d], BadColumn::kScore);
    if (checkStds && !GoodStd(sd[d])) bad->Add(index, sd[d], BadColumn::kStd);
  }
}

void RowsScalar(const KernelArgs& args, std::size_t g0, std::size_t g1, BadSlots* bad) {
  const double t0 = args.thresholds[0], t1 = args.thresholds[1], t2 = args.thresholds[2];
  const bool checkStds = args.checkStds;
  std::size_t area = g0 % kAreas;
  for (std::size_t g = g0; g < g1; ++g) {
    double s[kDims], sd[kDims];
    for (std::size_t d = 0; d < kDims; ++d) {
      s[d] = LoadOnce(args.scores + g * kDims + d);
      sd[d] = LoadOnce(args.stds + g * kDims + d);
    }
    if (bad != nullptr) {
      bool good = true;
      for (std::size_t d = 0; d < kDims; ++d) good = good && GoodScore(s[d]) && GoodStd(sd[d]);
      if (!good) {
        RecordRow(s, sd, checkStds, g, bad);
        if (bad->truncated) return;
      }
    }
    const double* r = args.weights + (args.sharedWeights ? area : g) * kDims;
    const double R = WeightSum(r);
    const double raw = (((((r[0] * s[0] + r[1] * s[1]) + r[2] * s[2]) + r[3] * s[3]) + r[4] * s[4]) +
                        r[5] * s[5]) / R;
    const double score = Min3(Max0(raw));
    const double u0 = r[0] * sd[0], u1 = r[1] * sd[1], u2 = r[2] * sd[2];
    const double u3 = r[3] * sd[3], u4 = r[4] * sd[4], u5 = r[5] * sd[5];
    const double std =
        std::sqrt((((((u0 * u0 + u1 * u1) + u2 * u2) + u3 * u3) + u4 * u4) + u5 * u5)) / R;
    const double half = kZ95 * std;
    args.score[g] = score;
    args.std[g] = std;
    args.ciLow[g] = Max0(score - half);
    args.ciHigh[g] = Min3(score + half);
    args.quality[g] = score >= t0 ? 3 : score >= t1 ? 2 : score >= t2 ? 1 : 0;
    if (++area == kAreas) area = 0;
  }
}

void BadSlots::Merge(const BadSlots& other) {
  // Both lists are sorted and cover disjoint ranges: a merge of two sorted runs, cut at the cap.
  BadSlot merged[kMaxBadSlots];
  std::size_t i = 0, j = 0, m = 0;
  while (m < kMaxBadSlots && (i < count || j < other.count)) {
    const bool mine = j == other.count ||
                      (i < count && (slots[i].index < other.slots[j].index ||
                                     (slots[i].index == other.slots[j].index && !slots[i].isStd)));
    merged[m++] = mine ? slots[i++] : other.slots[j++];
  }
  truncated = truncated || other.truncated || i < count || j < other.count;
  for (std::size_t k = 0; k < m; ++k) slots[k] = merged[k];
  count = m;
}

}  // namespace farfan
