// AVX2 kernels: the shared SIMD row loop (simd_rows.h) and Monte-Carlo sample loop
// (montecarlo_simd.h) over 4-lane vectors, plus the check screen. Everything here is compiled
// for AVX2 and nothing else is; callers reach it through the run-time dispatch in aggregate.cc
// and montecarlo.cc.
#if defined(__x86_64__)

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "isa_target.h"
#include "kernel.h"
#include "montecarlo_kernel.h"
#include "normal.h"
#include "philox.h"

FARFAN_TARGET_BEGIN("avx2")

namespace farfan {

namespace {

// Byte k set to 1 for each set bit k of a 4-bit mask (little-endian store order).
constexpr std::uint32_t kSpread4[16] = {
    0x00000000, 0x00000001, 0x00000100, 0x00000101, 0x00010000, 0x00010001, 0x00010100, 0x00010101,
    0x01000000, 0x01000001, 0x01000100, 0x01000101, 0x01010000, 0x01010001, 0x01010100, 0x01010101,
};

struct Avx2 {
  using V = __m256d;
  static constexpr std::size_t kLanes = 4;

  static V Set1(double x) { return _mm256_set1_pd(x); }
  static V Load(const double* p) { return _mm256_loadu_pd(p); }
  static V Add(V a, V b) { return _mm256_add_pd(a, b); }
  static V Sub(V a, V b) { return _mm256_sub_pd(a, b); }
  static V Mul(V a, V b) { return _mm256_mul_pd(a, b); }
  static V Div(V a, V b) { return _mm256_div_pd(a, b); }
  static V Sqrt(V a) { return _mm256_sqrt_pd(a); }
  static V Max(V a, V b) { return _mm256_max_pd(a, b); }
  static V Min(V a, V b) { return _mm256_min_pd(a, b); }

  // 64-bit integer lanes and lane masks (all-ones lanes), for the Monte-Carlo generator.
  using U = __m256i;
  using M = __m256d;
  static U SetU(std::uint64_t x) { return _mm256_set1_epi64x(static_cast<long long>(x)); }
  static U LaneIndex() { return _mm256_setr_epi64x(0, 1, 2, 3); }
  static U AddU(U a, U b) { return _mm256_add_epi64(a, b); }
  static U MulLow32(U a, U b) { return _mm256_mul_epu32(a, b); }  // low 32 × low 32 -> 64 bits
  template <int kBits>
  static U ShiftRight(U a) { return _mm256_srli_epi64(a, kBits); }
  template <int kBits>
  static U ShiftLeft(U a) { return _mm256_slli_epi64(a, kBits); }
  static U And(U a, U b) { return _mm256_and_si256(a, b); }
  static U Or(U a, U b) { return _mm256_or_si256(a, b); }
  static U Xor(U a, U b) { return _mm256_xor_si256(a, b); }
  static V AsDouble(U a) { return _mm256_castsi256_pd(a); }
  static U AsBits(V a) { return _mm256_castpd_si256(a); }
  static M Greater(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_GT_OQ); }
  static M HasBit(U a, U bit) { return _mm256_castsi256_pd(_mm256_cmpeq_epi64(_mm256_and_si256(a, bit), bit)); }
  static V Select(M m, V ifSet, V ifClear) { return _mm256_blendv_pd(ifClear, ifSet, m); }

  template <bool kStream>
  static void Store(double* p, V v) {
    if (kStream) _mm256_stream_pd(p, v);
    else _mm256_storeu_pd(p, v);
  }

  // Four rows at x (24 contiguous doubles) to six vectors, v[d] = {row0[d], ..., row3[d]}:
  // row k's pair j (dims 2j, 2j+1) sits at x + 6k + 2j; pairs of rows 0|2 and 1|3 are joined
  // by 128-bit loads and interleaved by unpacklo/hi.
  static void Transpose(const double* x, V v[kDims]) {
    for (int j = 0; j < 3; ++j) {
      const V a = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(x + 2 * j)), _mm_loadu_pd(x + 12 + 2 * j), 1);
      const V b = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(x + 6 + 2 * j)), _mm_loadu_pd(x + 18 + 2 * j), 1);
      v[2 * j] = _mm256_unpacklo_pd(a, b);
      v[2 * j + 1] = _mm256_unpackhi_pd(a, b);
    }
  }

  // Lanes whose score or std may be bad, as the bits of a movemask: the AVX-512 test (see
  // kernel_avx512.cc) with AVX2's signed 64-bit compare. A sign bit (negative values, -0,
  // negative NaN) is caught by the values themselves, a positive pattern above bits(3.0) or
  // bits(kMaxStd) (too large, +Inf, NaN) by the compare.
  static unsigned Unclean(V s, V sd) {
    const __m256i maxScore = _mm256_set1_epi64x(0x4008000000000000LL);  // 3.0
    const __m256i maxStd = _mm256_set1_epi64x(0x4A511B0EC57E649ALL);    // 1e50 = kMaxStd
    const __m256i si = _mm256_castpd_si256(s), sdi = _mm256_castpd_si256(sd);
    const __m256i bad = _mm256_or_si256(_mm256_or_si256(si, sdi),
                                        _mm256_or_si256(_mm256_cmpgt_epi64(si, maxScore), _mm256_cmpgt_epi64(sdi, maxStd)));
    return static_cast<unsigned>(_mm256_movemask_pd(_mm256_castsi256_pd(bad)));
  }

  // score >= t0 ? 3 : score >= t1 ? 2 : score >= t2 ? 1 : 0, lane by lane, as 4 bytes.
  static void StoreQuality(V score, const V t[3], std::uint8_t* out) {
    const auto mask = [score](V t) { return static_cast<unsigned>(_mm256_movemask_pd(_mm256_cmp_pd(score, t, _CMP_GE_OQ))); };
    const unsigned m0 = mask(t[0]), m1 = mask(t[1]), m2 = mask(t[2]);
    const std::uint32_t q = kSpread4[m0] * 3u | kSpread4[m1 & ~m0] * 2u | kSpread4[m2 & ~m1 & ~m0];
    std::memcpy(out, &q, sizeof q);
  }
};

#include "simd_rows.h"
#include "montecarlo_simd.h"

}  // namespace

void RowsAvx2(const KernelArgs& args, std::size_t g0, std::size_t g1, BadSlots* bad) {
  SimdRows<Avx2>(args, g0, g1, bad);
}

std::size_t SampleMeansAvx2(const MonteCarloRow& row, std::size_t k0, std::size_t k1, MonteCarloSums* sums) {
  return SampleMeansSimd<Avx2>(row, k0, k1, sums);
}

}  // namespace farfan

FARFAN_TARGET_END

#endif  // __x86_64__
