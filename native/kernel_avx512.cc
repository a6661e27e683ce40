// AVX-512 kernels: the shared SIMD row loop (simd_rows.h) and Monte-Carlo sample loop
// (montecarlo_simd.h) over 8-lane vectors, plus the check screen. Everything here is compiled
// for AVX-512F and nothing else is; callers reach it through the run-time dispatch in
// aggregate.cc and montecarlo.cc.
#if defined(__x86_64__)

#if defined(__GNUC__) && !defined(__clang__)
// GCC 12's avx512fintrin.h seeds _mm512_undefined_pd() (and _epi32) with a self-initialised
// variable.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#include <immintrin.h>

#include <cstdint>

#include "isa_target.h"
#include "kernel.h"
#include "montecarlo_kernel.h"
#include "normal.h"
#include "philox.h"

FARFAN_TARGET_BEGIN("avx512f")

namespace farfan {

namespace {

struct Avx512 {
  using V = __m512d;
  static constexpr std::size_t kLanes = 8;

  static V Set1(double x) { return _mm512_set1_pd(x); }
  static V Load(const double* p) { return _mm512_loadu_pd(p); }
  static V Add(V a, V b) { return _mm512_add_pd(a, b); }
  static V Sub(V a, V b) { return _mm512_sub_pd(a, b); }
  static V Mul(V a, V b) { return _mm512_mul_pd(a, b); }
  static V Div(V a, V b) { return _mm512_div_pd(a, b); }
  static V Sqrt(V a) { return _mm512_sqrt_pd(a); }
  static V Max(V a, V b) { return _mm512_max_pd(a, b); }
  static V Min(V a, V b) { return _mm512_min_pd(a, b); }

  // 64-bit integer lanes and lane masks, for the Monte-Carlo generator (AVX-512F only).
  using U = __m512i;
  using M = __mmask8;
  static U SetU(std::uint64_t x) { return _mm512_set1_epi64(static_cast<long long>(x)); }
  static U LaneIndex() { return _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0); }
  static U AddU(U a, U b) { return _mm512_add_epi64(a, b); }
  static U MulLow32(U a, U b) { return _mm512_mul_epu32(a, b); }  // low 32 × low 32 -> 64 bits
  template <int kBits>
  static U ShiftRight(U a) { return _mm512_srli_epi64(a, kBits); }
  template <int kBits>
  static U ShiftLeft(U a) { return _mm512_slli_epi64(a, kBits); }
  static U And(U a, U b) { return _mm512_and_si512(a, b); }
  static U Or(U a, U b) { return _mm512_or_si512(a, b); }
  static U Xor(U a, U b) { return _mm512_xor_si512(a, b); }
  static V AsDouble(U a) { return _mm512_castsi512_pd(a); }
  static U AsBits(V a) { return _mm512_castpd_si512(a); }
  static M Greater(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
  static M HasBit(U a, U bit) { return _mm512_test_epi64_mask(a, bit); }
  static V Select(M m, V ifSet, V ifClear) { return _mm512_mask_blend_pd(m, ifClear, ifSet); }

  template <bool kStream>
  static void Store(double* p, V v) {
    if (kStream) _mm512_stream_pd(p, v);
    else _mm512_storeu_pd(p, v);
  }

  // Rows 0|2|4|6 (or 1|3|5|7) pair j joined into one register: 128-bit loads and inserts.
  static V JoinPairs(const double* x) {
    const __m256d lo = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(x)), _mm_loadu_pd(x + 12), 1);
    const __m256d hi = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(x + 24)), _mm_loadu_pd(x + 36), 1);
    return _mm512_insertf64x4(_mm512_castpd256_pd512(lo), hi, 1);
  }

  // Eight rows at x (48 contiguous doubles) to six vectors, v[d] = {row0[d], ..., row7[d]}:
  // row k's pair j (dims 2j, 2j+1) sits at x + 6k + 2j; unpacklo/hi of the joined pairs of
  // even and odd rows leaves the lanes in row order. No gathers.
  static void Transpose(const double* x, V v[kDims]) {
    for (int j = 0; j < 3; ++j) {
      const V a = JoinPairs(x + 2 * j);
      const V b = JoinPairs(x + 6 + 2 * j);
      v[2 * j] = _mm512_unpacklo_pd(a, b);
      v[2 * j + 1] = _mm512_unpackhi_pd(a, b);
    }
  }

  // Lanes whose score or std may be bad, as mask bits. On the bit patterns, as unsigned integers,
  // +0 <= bits(s) <= bits(3.0) holds exactly for scores in [+0, 3] and bits(sd) <= bits(kMaxStd)
  // exactly for stds in [+0, kMaxStd]; negatives, NaN and infinities fail, and so does -0 (legal),
  // which only costs a precise look at the lanes (RecordLanes).
  static unsigned Unclean(V s, V sd) {
    const __m512i maxScore = _mm512_set1_epi64(0x4008000000000000LL);  // 3.0
    const __m512i maxStd = _mm512_set1_epi64(0x4A511B0EC57E649ALL);    // 1e50 = kMaxStd
    return static_cast<unsigned>(_mm512_cmpgt_epu64_mask(_mm512_castpd_si512(s), maxScore)) |
           static_cast<unsigned>(_mm512_cmpgt_epu64_mask(_mm512_castpd_si512(sd), maxStd));
  }

  // score >= t0 ? 3 : score >= t1 ? 2 : score >= t2 ? 1 : 0, lane by lane, as 8 bytes.
  static void StoreQuality(V score, const V t[3], std::uint8_t* out) {
    const __mmask8 m0 = _mm512_cmp_pd_mask(score, t[0], _CMP_GE_OQ);
    const __mmask8 m1 = _mm512_cmp_pd_mask(score, t[1], _CMP_GE_OQ);
    const __mmask8 m2 = _mm512_cmp_pd_mask(score, t[2], _CMP_GE_OQ);
    __m512i q = _mm512_maskz_mov_epi64(m2, _mm512_set1_epi64(1));
    q = _mm512_mask_mov_epi64(q, m1, _mm512_set1_epi64(2));
    q = _mm512_mask_mov_epi64(q, m0, _mm512_set1_epi64(3));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out), _mm512_cvtepi64_epi8(q));
  }
};

#include "simd_rows.h"
#include "montecarlo_simd.h"

}  // namespace

void RowsAvx512(const KernelArgs& args, std::size_t g0, std::size_t g1, BadSlots* bad) {
  SimdRows<Avx512>(args, g0, g1, bad);
}

std::size_t SampleMeansAvx512(const MonteCarloRow& row, std::size_t k0, std::size_t k1, MonteCarloSums* sums) {
  return SampleMeansSimd<Avx512>(row, k0, k1, sums);
}

}  // namespace farfan

FARFAN_TARGET_END

#endif  // __x86_64__
