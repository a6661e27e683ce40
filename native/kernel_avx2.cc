// AVX2 kernel: 4 consecutive rows per vector (lanes across areas/evaluations), tail and
// alignment peel done by RowsScalar. Only these functions use AVX2 (per-function target
// attribute); callers reach them through the run-time dispatch in aggregate.cc.
#if defined(__x86_64__)

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "kernel.h"

#define FARFAN_AVX2 __attribute__((target("avx2"), always_inline)) inline

namespace farfan {

namespace {

// Four rows at x (24 contiguous doubles) to six vectors: v[d] = {row0[d], ..., row3[d]}.
// Row k's pair j (dims 2j, 2j+1) sits at x + 6k + 2j; pairs of rows 0|2 and 1|3 are joined
// into 256-bit registers by 128-bit loads and interleaved by unpacklo/hi.
FARFAN_AVX2 void Transpose4x6(const double* x, __m256d v[6]) {
  for (int j = 0; j < 3; ++j) {
    const __m256d a = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(x + 2 * j)),
                                           _mm_loadu_pd(x + 12 + 2 * j), 1);
    const __m256d b = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(x + 6 + 2 * j)),
                                           _mm_loadu_pd(x + 18 + 2 * j), 1);
    v[2 * j] = _mm256_unpacklo_pd(a, b);
    v[2 * j + 1] = _mm256_unpackhi_pd(a, b);
  }
}

// Byte k set to 1 for each set bit k of a 4-bit mask (little-endian store order).
constexpr std::uint32_t kSpread4[16] = {
    0x00000000, 0x00000001, 0x00000100, 0x00000101, 0x00010000, 0x00010001, 0x00010100, 0x00010101,
    0x01000000, 0x01000001, 0x01000100, 0x01000101, 0x01010000, 0x01010001, 0x01010100, 0x01010101,
};

// Rows read ahead of the current block, and the cache lines one block of 4 rows spans.
constexpr std::size_t kPrefetchRows = 32;
inline void Prefetch(const double* p) {
  for (int line = 0; line < 3; ++line) __builtin_prefetch(reinterpret_cast<const char*>(p) + 64 * line);
}

template <bool kStream>
FARFAN_AVX2 void Store(double* p, __m256d v) {
  if (kStream) _mm256_stream_pd(p, v);
  else _mm256_storeu_pd(p, v);
}

template <bool kStream>
__attribute__((target("avx2"))) std::size_t Blocks(const KernelArgs& args, std::size_t g,
                                                   std::size_t g1) {
  const __m256d zero = _mm256_setzero_pd();
  const __m256d three = _mm256_set1_pd(3.0);
  const __m256d z95 = _mm256_set1_pd(1.96);
  const __m256d th0 = _mm256_set1_pd(args.thresholds[0]);
  const __m256d th1 = _mm256_set1_pd(args.thresholds[1]);
  const __m256d th2 = _mm256_set1_pd(args.thresholds[2]);
  std::size_t a0 = g % kAreas;  // area of the block's first row
  for (; g + 4 <= g1; g += 4) {
    if (kStream && g + kPrefetchRows + 4 <= g1) {
      // Streaming means data from DRAM: the hardware prefetchers alone leave bandwidth unused
      // there, while from L3 these extra requests slow the loop down.
      Prefetch(args.scores + (g + kPrefetchRows) * kDims);
      Prefetch(args.stds + (g + kPrefetchRows) * kDims);
      if (!args.sharedWeights) Prefetch(args.weights + (g + kPrefetchRows) * kDims);
    }
    __m256d s[6], sd[6], r[6], R;
    Transpose4x6(args.scores + g * kDims, s);
    Transpose4x6(args.stds + g * kDims, sd);
    if (args.sharedWeights) {
      const PreparedWeights& p = *args.prepared;
      for (std::size_t d = 0; d < kDims; ++d) r[d] = _mm256_loadu_pd(&p.w[d][a0]);
      R = _mm256_loadu_pd(&p.R[a0]);
      a0 += 4;
      if (a0 >= kAreas) a0 -= kAreas;
    } else {
      Transpose4x6(args.weights + g * kDims, r);
      R = _mm256_add_pd(r[0], r[1]);
      for (std::size_t d = 2; d < kDims; ++d) R = _mm256_add_pd(R, r[d]);
    }
    __m256d num = _mm256_add_pd(_mm256_mul_pd(r[0], s[0]), _mm256_mul_pd(r[1], s[1]));
    for (std::size_t d = 2; d < kDims; ++d) num = _mm256_add_pd(num, _mm256_mul_pd(r[d], s[d]));
    const __m256d raw = _mm256_div_pd(num, R);
    // max(x, 0): MAXPD returns its second operand on ±0 ties (and NaN), so ±0 gives +0.
    const __m256d score = _mm256_min_pd(_mm256_max_pd(raw, zero), three);
    __m256d u = _mm256_mul_pd(r[0], sd[0]);
    __m256d sq = _mm256_mul_pd(u, u);
    for (std::size_t d = 1; d < kDims; ++d) {
      u = _mm256_mul_pd(r[d], sd[d]);
      sq = _mm256_add_pd(sq, _mm256_mul_pd(u, u));
    }
    const __m256d std = _mm256_div_pd(_mm256_sqrt_pd(sq), R);
    const __m256d half = _mm256_mul_pd(z95, std);
    Store<kStream>(args.score + g, score);
    Store<kStream>(args.std + g, std);
    Store<kStream>(args.ciLow + g, _mm256_max_pd(_mm256_sub_pd(score, half), zero));
    Store<kStream>(args.ciHigh + g, _mm256_min_pd(_mm256_add_pd(score, half), three));
    const unsigned m0 = static_cast<unsigned>(_mm256_movemask_pd(_mm256_cmp_pd(score, th0, _CMP_GE_OQ)));
    const unsigned m1 = static_cast<unsigned>(_mm256_movemask_pd(_mm256_cmp_pd(score, th1, _CMP_GE_OQ)));
    const unsigned m2 = static_cast<unsigned>(_mm256_movemask_pd(_mm256_cmp_pd(score, th2, _CMP_GE_OQ)));
    // score >= t0 ? 3 : score >= t1 ? 2 : score >= t2 ? 1 : 0, lane by lane.
    const std::uint32_t q = kSpread4[m0] * 3u | kSpread4[m1 & ~m0] * 2u | kSpread4[m2 & ~m1 & ~m0];
    std::memcpy(args.quality + g, &q, sizeof q);
  }
  return g;
}

bool Aligned(const void* p, std::uintptr_t to) { return reinterpret_cast<std::uintptr_t>(p) % to == 0; }

}  // namespace

__attribute__((target("avx2"))) void RowsAvx2(const KernelArgs& args, std::size_t g0, std::size_t g1) {
  std::size_t g = g0;
  bool stream = false;
  if (args.streamingStores && g1 - g0 >= 64) {
    // Peel rows until `score` is 32-byte aligned; stream only if the other outputs line up too.
    while (g < g1 && !Aligned(args.score + g, 32)) ++g;
    RowsScalar(args, g0, g);
    stream = Aligned(args.std + g, 32) && Aligned(args.ciLow + g, 32) && Aligned(args.ciHigh + g, 32) &&
             Aligned(args.score + g, 32);
  }
  g = stream ? Blocks<true>(args, g, g1) : Blocks<false>(args, g, g1);
  RowsScalar(args, g, g1);
  if (stream) _mm_sfence();
}

// Screen on the bit patterns, as in SlotsCleanAvx512 but with AVX2's signed 64-bit compare: a
// sign bit (negative values, -0, negative NaN) is caught by OR-ing the values themselves, and a
// positive pattern above bits(3.0) or bits(DBL_MAX) (too large, +Inf, NaN) by the compare.
__attribute__((target("avx2"))) bool SlotsCleanAvx2(const double* scores, const double* stds,
                                                    std::size_t i0, std::size_t i1) {
  const __m256i maxScore = _mm256_set1_epi64x(0x4008000000000000LL);  // 3.0
  const __m256i maxStd = _mm256_set1_epi64x(0x7FEFFFFFFFFFFFFFLL);    // DBL_MAX
  __m256i bad = _mm256_setzero_si256();
  std::size_t i = i0;
  for (; i + 4 <= i1; i += 4) {
    const __m256i s = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(scores + i));
    const __m256i sd = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(stds + i));
    bad = _mm256_or_si256(bad, _mm256_or_si256(_mm256_or_si256(s, sd),
                                               _mm256_or_si256(_mm256_cmpgt_epi64(s, maxScore),
                                                               _mm256_cmpgt_epi64(sd, maxStd))));
  }
  return _mm256_movemask_pd(_mm256_castsi256_pd(bad)) == 0 && SlotsCleanScalar(scores, stds, i, i1);
}

}  // namespace farfan

#endif  // __x86_64__
