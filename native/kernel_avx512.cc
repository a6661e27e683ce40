// AVX-512 kernel: 8 consecutive rows per vector (lanes across areas/evaluations), tail and
// alignment peel done by RowsScalar. Only these functions use AVX-512F (per-function target
// attribute); callers reach them through the run-time dispatch in aggregate.cc.
#if defined(__x86_64__)

#if defined(__GNUC__) && !defined(__clang__)
// GCC 12's avx512fintrin.h seeds _mm512_undefined_pd() with a self-initialised variable.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <immintrin.h>

#include <cstdint>

#include "kernel.h"

#define FARFAN_AVX512 __attribute__((target("avx512f"), always_inline)) inline

namespace farfan {

namespace {

// Eight rows at x (48 contiguous doubles) to six vectors: v[d] = {row0[d], ..., row7[d]}.
// Row k's pair j (dims 2j, 2j+1) sits at x + 6k + 2j. The pairs of rows 0|2|4|6 and 1|3|5|7
// are joined into 512-bit registers (128-bit loads and inserts, no gather) and interleaved
// by unpacklo/hi, which leaves the lanes in row order.
FARFAN_AVX512 __m512d JoinPairs(const double* x) {
  const __m256d lo = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(x)), _mm_loadu_pd(x + 12), 1);
  const __m256d hi = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(x + 24)), _mm_loadu_pd(x + 36), 1);
  return _mm512_insertf64x4(_mm512_castpd256_pd512(lo), hi, 1);
}

FARFAN_AVX512 void Transpose8x6(const double* x, __m512d v[6]) {
  for (int j = 0; j < 3; ++j) {
    const __m512d a = JoinPairs(x + 2 * j);
    const __m512d b = JoinPairs(x + 6 + 2 * j);
    v[2 * j] = _mm512_unpacklo_pd(a, b);
    v[2 * j + 1] = _mm512_unpackhi_pd(a, b);
  }
}

// Rows read ahead of the current block, and the cache lines one block of 8 rows spans.
constexpr std::size_t kPrefetchRows = 32;
inline void Prefetch(const double* p) {
  for (int line = 0; line < 6; ++line) __builtin_prefetch(reinterpret_cast<const char*>(p) + 64 * line);
}

template <bool kStream>
FARFAN_AVX512 void Store(double* p, __m512d v) {
  if (kStream) _mm512_stream_pd(p, v);
  else _mm512_storeu_pd(p, v);
}

template <bool kStream>
__attribute__((target("avx512f"))) std::size_t Blocks(const KernelArgs& args, std::size_t g,
                                                      std::size_t g1) {
  const __m512d zero = _mm512_setzero_pd();
  const __m512d three = _mm512_set1_pd(3.0);
  const __m512d z95 = _mm512_set1_pd(1.96);
  const __m512d th0 = _mm512_set1_pd(args.thresholds[0]);
  const __m512d th1 = _mm512_set1_pd(args.thresholds[1]);
  const __m512d th2 = _mm512_set1_pd(args.thresholds[2]);
  const __m512i q1 = _mm512_set1_epi64(1), q2 = _mm512_set1_epi64(2), q3 = _mm512_set1_epi64(3);
  std::size_t a0 = g % kAreas;  // area of the block's first row
  for (; g + 8 <= g1; g += 8) {
    if (kStream && g + kPrefetchRows + 8 <= g1) {
      // Streaming means data from DRAM: the hardware prefetchers alone leave bandwidth unused
      // there, while from L3 these extra requests slow the loop down.
      Prefetch(args.scores + (g + kPrefetchRows) * kDims);
      Prefetch(args.stds + (g + kPrefetchRows) * kDims);
      if (!args.sharedWeights) Prefetch(args.weights + (g + kPrefetchRows) * kDims);
    }
    __m512d s[6], sd[6], r[6], R;
    Transpose8x6(args.scores + g * kDims, s);
    Transpose8x6(args.stds + g * kDims, sd);
    if (args.sharedWeights) {
      const PreparedWeights& p = *args.prepared;
      for (std::size_t d = 0; d < kDims; ++d) r[d] = _mm512_loadu_pd(&p.w[d][a0]);
      R = _mm512_loadu_pd(&p.R[a0]);
      a0 += 8;
      if (a0 >= kAreas) a0 -= kAreas;
    } else {
      Transpose8x6(args.weights + g * kDims, r);
      R = _mm512_add_pd(r[0], r[1]);
      for (std::size_t d = 2; d < kDims; ++d) R = _mm512_add_pd(R, r[d]);
    }
    __m512d num = _mm512_add_pd(_mm512_mul_pd(r[0], s[0]), _mm512_mul_pd(r[1], s[1]));
    for (std::size_t d = 2; d < kDims; ++d) num = _mm512_add_pd(num, _mm512_mul_pd(r[d], s[d]));
    const __m512d raw = _mm512_div_pd(num, R);
    // max(x, 0): VMAXPD returns its second operand on ±0 ties (and NaN), so ±0 gives +0.
    const __m512d score = _mm512_min_pd(_mm512_max_pd(raw, zero), three);
    __m512d u = _mm512_mul_pd(r[0], sd[0]);
    __m512d sq = _mm512_mul_pd(u, u);
    for (std::size_t d = 1; d < kDims; ++d) {
      u = _mm512_mul_pd(r[d], sd[d]);
      sq = _mm512_add_pd(sq, _mm512_mul_pd(u, u));
    }
    const __m512d std = _mm512_div_pd(_mm512_sqrt_pd(sq), R);
    const __m512d half = _mm512_mul_pd(z95, std);
    Store<kStream>(args.score + g, score);
    Store<kStream>(args.std + g, std);
    Store<kStream>(args.ciLow + g, _mm512_max_pd(_mm512_sub_pd(score, half), zero));
    Store<kStream>(args.ciHigh + g, _mm512_min_pd(_mm512_add_pd(score, half), three));
    // score >= t0 ? 3 : score >= t1 ? 2 : score >= t2 ? 1 : 0, lane by lane.
    const __mmask8 m0 = _mm512_cmp_pd_mask(score, th0, _CMP_GE_OQ);
    const __mmask8 m1 = _mm512_cmp_pd_mask(score, th1, _CMP_GE_OQ);
    const __mmask8 m2 = _mm512_cmp_pd_mask(score, th2, _CMP_GE_OQ);
    __m512i q = _mm512_maskz_mov_epi64(m2, q1);
    q = _mm512_mask_mov_epi64(q, m1, q2);
    q = _mm512_mask_mov_epi64(q, m0, q3);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(args.quality + g), _mm512_cvtepi64_epi8(q));
  }
  return g;
}

bool Aligned(const void* p, std::uintptr_t to) { return reinterpret_cast<std::uintptr_t>(p) % to == 0; }

}  // namespace

__attribute__((target("avx512f"))) void RowsAvx512(const KernelArgs& args, std::size_t g0, std::size_t g1) {
  std::size_t g = g0;
  bool stream = false;
  if (args.streamingStores && g1 - g0 >= 64) {
    // Peel rows until `score` is 64-byte aligned; stream only if the other outputs line up too.
    while (g < g1 && !Aligned(args.score + g, 64)) ++g;
    RowsScalar(args, g0, g);
    stream = Aligned(args.std + g, 64) && Aligned(args.ciLow + g, 64) && Aligned(args.ciHigh + g, 64) &&
             Aligned(args.score + g, 64);
  }
  g = stream ? Blocks<true>(args, g, g1) : Blocks<false>(args, g, g1);
  RowsScalar(args, g, g1);
  if (stream) _mm_sfence();
}

// Screen on the bit patterns: as unsigned integers, +0 <= bits(s) <= bits(3.0) holds exactly for
// scores in [+0, 3] and bits(sd) <= bits(DBL_MAX) exactly for finite stds >= +0. Negative values,
// NaN and infinities fail; so does -0 (legal), which only costs a precise scan of the block.
__attribute__((target("avx512f"))) bool SlotsCleanAvx512(const double* scores, const double* stds,
                                                         std::size_t i0, std::size_t i1) {
  const __m512i maxScore = _mm512_set1_epi64(0x4008000000000000LL);  // 3.0
  const __m512i maxStd = _mm512_set1_epi64(0x7FEFFFFFFFFFFFFFLL);    // DBL_MAX
  unsigned bad = 0;
  std::size_t i = i0;
  for (; i + 8 <= i1; i += 8) {
    const __m512i s = _mm512_loadu_si512(scores + i), sd = _mm512_loadu_si512(stds + i);
    bad |= static_cast<unsigned>(_mm512_cmpgt_epu64_mask(s, maxScore)) |
           static_cast<unsigned>(_mm512_cmpgt_epu64_mask(sd, maxStd));
  }
  return bad == 0 && SlotsCleanScalar(scores, stds, i, i1);
}

}  // namespace farfan

#endif  // __x86_64__
