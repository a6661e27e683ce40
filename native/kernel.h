// The SPEC §4 kernel interface: plain C++, no N-API, no threads.
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
  const double* scores = nullptr;   // n*60
  const double* stds = nullptr;     // n*60
  const double* weights = nullptr;  // 60 (shared) or n*60
  bool sharedWeights = true;
  const PreparedWeights* prepared = nullptr;  // required when sharedWeights
  double thresholds[3] = {2.55, 2.1, 1.65};   // EXCELENTE, BUENO, ACEPTABLE
  double* score = nullptr;                    // n*10 each
  double* std = nullptr;
  double* ciLow = nullptr;
  double* ciHigh = nullptr;
  std::uint8_t* quality = nullptr;
  bool streamingStores = false;  // non-temporal output stores (large n only)
};

// The reference: one row at a time, exactly the TypeScript kernel's arithmetic.
void RowsScalar(const KernelArgs& args, std::size_t g0, std::size_t g1);

// First offending slot index per code, -1 when none.
struct CheckResult {
  std::int64_t scoreNonFinite = -1;
  std::int64_t scoreRange = -1;
  std::int64_t stdNonFinite = -1;
  std::int64_t stdRange = -1;
  void Merge(const CheckResult& later);  // keeps the smallest index per code
};

// Precise check of slots [i0, i1): fills the codes of `result` that are still -1.
void CheckSlotsScalar(const double* scores, const double* stds, std::size_t i0, std::size_t i1,
                      CheckResult* result);
// Fast screen: true when every slot of [i0, i1) is a finite score in [+0, 3] and a finite std
// >= +0 (-0 counts as suspect here; CheckSlotsScalar clears it).
bool SlotsCleanScalar(const double* scores, const double* stds, std::size_t i0, std::size_t i1);

// The row kernels with that screen done on the values as they are read: false when some slot of
// rows [g0, g1) may be bad (the outputs are then unspecified; CheckSlotsScalar tells which).
bool CheckedRowsScalar(const KernelArgs& args, std::size_t g0, std::size_t g1);

#if defined(__x86_64__)
void RowsAvx2(const KernelArgs& args, std::size_t g0, std::size_t g1);
bool CheckedRowsAvx2(const KernelArgs& args, std::size_t g0, std::size_t g1);
void RowsAvx512(const KernelArgs& args, std::size_t g0, std::size_t g1);
bool CheckedRowsAvx512(const KernelArgs& args, std::size_t g0, std::size_t g1);
#endif

}  // namespace farfan
