// The docs/contract.md §4 kernel interface: plain C++, no N-API, no threads.
//
// The input is n evaluations of 60 slots (index e*60 + a*6 + d). Seen flat, that is n*10
// "rows" of 6 doubles, row g = e*10 + a, and the outputs are indexed by the same g. Every
// kernel works on a half-open row range [g0, g1): SIMD lanes run across consecutive rows
// (that is across areas and evaluations), never inside one sum, and the rows that do not
// fill a vector are done by the scalar row loop, so every ISA produces the same bits.
#pragma once

#include <cstddef>
#include <cstdint>

namespace farfan {

constexpr std::size_t kAreas = 10;
constexpr std::size_t kDims = 6;
constexpr std::size_t kSlots = kAreas * kDims;  // per evaluation

// The constants of docs/contract.md §1, §3 and §4, the same values as the TypeScript ones named here.
constexpr double kMinScore = 0.0;
constexpr double kMaxScore = 3.0;
constexpr double kMaxStd = 1e50;  // MAX_STD
constexpr double kZ95 = 1.96;     // Z_95
// MAX_ISSUES: the bad slots one call records (a ValidationError lists at most this many).
constexpr std::size_t kMaxBadSlots = 100;

// Which column of a slot failed the check.
enum class BadColumn { kScore, kStd };

// A slot whose score or std failed the check, with the value the kernel read there.
struct BadSlot {
  std::uint64_t index;  // into scores/stds: e*60 + a*6 + d
  double value;
  bool isStd;
};

// The bad slots a task (or, merged, a call) saw, lowest indices first, at most kMaxBadSlots;
// `truncated` when there were more. Slots are added in increasing index order.
struct BadSlots {
  BadSlot slots[kMaxBadSlots];  // the first `count` are set
  std::size_t count = 0;
  bool truncated = false;

  void Add(std::uint64_t index, double value, BadColumn column) {
    if (count < kMaxBadSlots) slots[count++] = BadSlot{index, value, column == BadColumn::kStd};
    else truncated = true;
  }
  // Keeps the lowest kMaxBadSlots of both (tasks cover disjoint index ranges).
  void Merge(const BadSlots& other);
};

// docs/contract.md §3 for one value: a score in [0, 3]; a std in [0, MAX_STD]. NaN fails every comparison.
inline bool GoodScore(double s) { return s >= kMinScore && s <= kMaxScore; }
inline bool GoodStd(double sd) { return sd >= 0.0 && sd <= kMaxStd; }

// Shared weights pre-arranged once per call. Area (j mod 10)'s weight of dimension d sits at
// w[d][j] and its weight sum (the same left fold as the scalar loop, hence the same bits) at
// R[j], for j = 0..17: the lanes of a block whose first row is area a0 are then the 4 or 8
// consecutive values starting at index a0.
struct PreparedWeights {
  static constexpr std::size_t kSpan = kAreas + 8;
  double w[kDims][kSpan];
  double R[kSpan];
};

void PrepareWeights(const double* weights60, PreparedWeights* out);

struct KernelArgs {
  const double* scores = nullptr;  // n*60
  const double* stds = nullptr;    // n*60; the scores themselves when the caller gave none
  bool checkStds = true;           // false when the caller gave no stds: see the row kernels
  const double* weights = nullptr;  // 60 (shared) or n*60
  bool sharedWeights = true;
  const PreparedWeights* prepared = nullptr;  // required when sharedWeights
  double thresholds[3] = {};                  // EXCELENTE, BUENO, ACEPTABLE (from the caller)
  double* score = nullptr;                    // n*10 each
  double* std = nullptr;
  double* ciLow = nullptr;
  double* ciHigh = nullptr;
  std::uint8_t* quality = nullptr;
  bool streamingStores = false;  // non-temporal output stores (large n only)
};

// The row kernels. With `bad` (not null) each also checks the scores and stds it computes
// with, in registers, after the one read that feeds the arithmetic, and records the slots that
// fail in `bad` (it stops early once `bad` is truncated: the call fails anyway). Without
// `checkStds` (the caller gave no stds, and the kernel reads the scores in their place) the stds
// are not checked: a bad one would be a bad score reported twice. Outputs of rows with a bad slot
// are unspecified.
//
// RowsScalar is the reference: one row at a time, exactly the TypeScript kernel's arithmetic.
void RowsScalar(const KernelArgs& args, std::size_t g0, std::size_t g1, BadSlots* bad);

// Records the bad values among row g's scores s[0..6) and stds sd[0..6) (the values as read).
void RecordRow(const double* s, const double* sd, bool checkStds, std::size_t g, BadSlots* bad);

#if defined(__x86_64__)
void RowsAvx2(const KernelArgs& args, std::size_t g0, std::size_t g1, BadSlots* bad);
void RowsAvx512(const KernelArgs& args, std::size_t g0, std::size_t g1, BadSlots* bad);
#endif

}  // namespace farfan
