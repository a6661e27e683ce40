// The Monte-Carlo sample loop (docs/contract.md §6) written once for every vector ISA. `I` is an ISA's
// traits (kernel_avx2.cc, kernel_avx512.cc): a vector V of kLanes doubles, a vector U of kLanes
// 64-bit integers, a lane mask M and the operations used below. Each ISA file includes this
// inside its own target region, so it is compiled once per ISA and nowhere else.
//
// Lanes run across consecutive samples k of one row. Every operation is the scalar loop's
// (montecarlo_scalar.cc, philox.h, normal.h) in the same order, so each lane writes its bits:
//   - Philox's 32×32→64 products are the unsigned multiply of the low halves of 64-bit lanes;
//     a word lives in a lane's low 32 bits, the high bits carry junk that the next multiply
//     ignores and the conversion to double masks off;
//   - integers become doubles exactly by the 2^52 trick (no AVX-512DQ needed): their bits under
//     2^52's exponent, minus 2^52;
//   - v = 2x + 1 = m·2^j is split by its exponent field, which is exact, like the scalar
//     scaling by 2^-j;
//   - the quadrant's swap is a blend and its negations flip sign bits, both exact.
// The 8 partial sums are one AVX-512 vector or two AVX2 vectors, lane j holding k ≡ j (mod 8).
//
// Include inside `namespace farfan { namespace { ... } }`, after "montecarlo_kernel.h",
// "normal.h" and "philox.h".

// A row's constants, broadcast once per row: counter words, key schedule, scores, stds, weights.
template <class I>
struct McLanes {
  using V = typename I::V;
  using U = typename I::U;

  explicit McLanes(const MonteCarloRow& row)
      : area(I::SetU(row.area)),
        area16(I::SetU(row.area + 16)),
        evaluationLo(I::SetU(row.evaluationLo)),
        evaluationHi(I::SetU(row.evaluationHi)),
        R(I::Set1(row.R)) {
    std::uint32_t k0 = row.seedLo, k1 = row.seedHi;
    for (int round = 0; round < kPhiloxRounds; ++round) {
      if (round > 0) {
        k0 += kPhiloxW0;
        k1 += kPhiloxW1;
      }
      key0[round] = I::SetU(k0);
      key1[round] = I::SetU(k1);
    }
    for (std::size_t d = 0; d < kDims; ++d) {
      s[d] = I::Set1(row.s[d]);
      sd[d] = I::Set1(row.sd[d]);
      r[d] = I::Set1(row.r[d]);
    }
  }

  U area, area16, evaluationLo, evaluationHi;
  U key0[kPhiloxRounds], key1[kPhiloxRounds];  // the key schedule, round by round
  V s[kDims], sd[kDims], r[kDims];
  V R;
};

template <class I>
void PhiloxLanes(const McLanes<I>& lanes, typename I::U c[4]) {
  const auto m0 = I::SetU(kPhiloxM0), m1 = I::SetU(kPhiloxM1);
  for (int round = 0; round < kPhiloxRounds; ++round) {
    const auto p0 = I::MulLow32(c[0], m0), p1 = I::MulLow32(c[2], m1);
    const auto c1 = c[1], c3 = c[3];
    c[0] = I::Xor(I::Xor(I::template ShiftRight<32>(p1), c1), lanes.key0[round]);
    c[1] = p1;
    c[2] = I::Xor(I::Xor(I::template ShiftRight<32>(p0), c3), lanes.key1[round]);
    c[3] = p0;
  }
}

template <class I>
typename I::V HornerLanes(const Series& series, typename I::V g) {
  auto p = I::Set1(series.c[kSeriesTerms - 1]);
  for (int i = kSeriesTerms - 2; i >= 0; --i) p = I::Add(I::Mul(p, g), I::Set1(series.c[i]));
  return p;
}

// LogOfUnit, lane by lane. The integers it needs become doubles by the 2^52 trick with the
// offsets folded in, each as exact as the scalar arithmetic it replaces.
template <class I>
typename I::V LogOfUnitLanes(typename I::U x) {
  const auto one = I::Set1(1.0);
  // v = 2x + 1 < 2^33: its bits under 2^52's exponent, minus 2^52.
  const auto v = I::Sub(I::AsDouble(I::Or(I::template ShiftLeft<1>(I::And(x, I::SetU(0xFFFFFFFFULL))),
                                          I::SetU(0x4330000000000001ULL))),
                        I::Set1(4503599627370496.0));
  const auto bits = I::AsBits(v);
  // m: v's mantissa under the exponent of 1.0; j − 33 = E − 1056 for v's biased exponent E,
  // as (2^52 + E) − (2^52 + 1056).
  auto m = I::AsDouble(I::Or(I::And(bits, I::SetU(0x000FFFFFFFFFFFFFULL)), I::SetU(0x3FF0000000000000ULL)));
  auto jMinus33 = I::Sub(I::AsDouble(I::Or(I::template ShiftRight<52>(bits), I::SetU(0x4330000000000000ULL))),
                         I::Set1(4503599627371552.0));
  const auto big = I::Greater(m, I::Set1(kSqrt2));
  m = I::Select(big, I::Mul(m, I::Set1(0.5)), m);
  jMinus33 = I::Select(big, I::Add(jMinus33, one), jMinus33);
  const auto f = I::Div(I::Sub(m, one), I::Add(m, one));
  return I::Add(I::Mul(jMinus33, I::Set1(kLn2)),
                I::Mul(I::Mul(I::Set1(2.0), f), HornerLanes<I>(kLogSeries, I::Mul(f, f))));
}

// NormalPair, lane by lane: first = ρ·cos θ, second = ρ·sin θ.
template <class I>
void NormalPairLanes(typename I::U x, typename I::U y, typename I::V* first, typename I::V* second) {
  const auto rho = I::Sqrt(I::Mul(I::Set1(-2.0), LogOfUnitLanes<I>(x)));
  // (Y + 0.5)·2⁻³⁰ = (2Y + 1)·2⁻³¹ for Y = y & 0x3fffffff, exactly: 1 + (2Y + 1)·2⁻³¹ built from
  // bits (2Y + 1 in the top 31 mantissa bits), minus 1.
  const auto unit = I::Sub(I::AsDouble(I::Or(I::template ShiftLeft<22>(I::And(y, I::SetU(0x3FFFFFFFULL))),
                                             I::SetU(0x3FF0000000200000ULL))),
                           I::Set1(1.0));
  const auto phi = I::Mul(unit, I::Set1(kHalfPi));
  const auto g = I::Mul(phi, phi);
  const auto c = I::Mul(rho, HornerLanes<I>(kCosSeries, g));
  const auto s = I::Mul(rho, I::Mul(phi, HornerLanes<I>(kSinSeries, g)));
  // Quadrant q = y >> 30 (bits 30 and 31): odd q swaps; `first` is negated when q is 1 or 2
  // (bit 30 xor bit 31), `second` when q is 2 or 3 (bit 31). Sign bits move to bit 63.
  const auto odd = I::HasBit(y, I::SetU(1ULL << 30));
  const auto bit31 = I::SetU(1ULL << 31);
  const auto flipFirst = I::template ShiftLeft<32>(I::And(I::Xor(y, I::template ShiftLeft<1>(y)), bit31));
  const auto flipSecond = I::template ShiftLeft<32>(I::And(y, bit31));
  *first = I::AsDouble(I::Xor(I::AsBits(I::Select(odd, s, c)), flipFirst));
  *second = I::AsDouble(I::Xor(I::AsBits(I::Select(odd, c, s)), flipSecond));
}

// SampleMean (montecarlo.cc) for the samples k in the lanes of `k`.
template <class I>
typename I::V SampleMeanLanes(const McLanes<I>& lanes, typename I::U k) {
  using V = typename I::V;
  typename I::U a[4] = {k, lanes.area, lanes.evaluationLo, lanes.evaluationHi};
  typename I::U b[4] = {k, lanes.area16, lanes.evaluationLo, lanes.evaluationHi};
  PhiloxLanes<I>(lanes, a);
  PhiloxLanes<I>(lanes, b);
  V z[kDims];
  NormalPairLanes<I>(a[0], a[1], &z[0], &z[1]);
  NormalPairLanes<I>(a[2], a[3], &z[2], &z[3]);
  NormalPairLanes<I>(b[0], b[1], &z[4], &z[5]);
  const V zero = I::Set1(0.0), three = I::Set1(3.0);
  // max(x, 0) then min(·, 3), the scalar Clamp's operand order: ±0 gives +0.
  const auto clamp = [&](V x) { return I::Min(I::Max(x, zero), three); };
  V num = I::Add(I::Mul(lanes.r[0], clamp(I::Add(lanes.s[0], I::Mul(lanes.sd[0], z[0])))),
                 I::Mul(lanes.r[1], clamp(I::Add(lanes.s[1], I::Mul(lanes.sd[1], z[1])))));
  for (std::size_t d = 2; d < kDims; ++d) {
    num = I::Add(num, I::Mul(lanes.r[d], clamp(I::Add(lanes.s[d], I::Mul(lanes.sd[d], z[d])))));
  }
  return clamp(I::Div(num, lanes.R));
}

// From k0 (a multiple of 8), blocks of 8 samples (one AVX-512 vector, two AVX2 vectors): each
// vector of means is stored and added into the partial sums whose lanes hold the same k (mod 8),
// in increasing k. Returns where the blocks stopped (k1 minus at most 7) for the scalar loop.
template <class I>
std::size_t SampleMeansSimd(const MonteCarloRow& row, std::size_t k0, std::size_t k1, MonteCarloSums* sums) {
  using V = typename I::V;
  constexpr std::size_t kLanes = I::kLanes, kVectors = kPartialSums / kLanes;
  static_assert(kVectors * kLanes == kPartialSums, "lanes must tile the partial sums");
  const McLanes<I> lanes(row);
  const V center = I::Set1(row.center);
  V p1[kVectors], p2[kVectors];
  for (std::size_t v = 0; v < kVectors; ++v) {
    p1[v] = I::Load(sums->p1 + v * kLanes);
    p2[v] = I::Load(sums->p2 + v * kLanes);
  }
  std::size_t k = k0;
  for (; k + kPartialSums <= k1; k += kPartialSums) {
    for (std::size_t v = 0; v < kVectors; ++v) {
      const V m = SampleMeanLanes<I>(lanes, I::AddU(I::SetU(k + v * kLanes), I::LaneIndex()));
      I::template Store<false>(sums->means + k + v * kLanes, m);
      const V d = I::Sub(m, center);
      p1[v] = I::Add(p1[v], d);
      p2[v] = I::Add(p2[v], I::Mul(d, d));
    }
  }
  for (std::size_t v = 0; v < kVectors; ++v) {
    I::template Store<false>(sums->p1 + v * kLanes, p1[v]);
    I::template Store<false>(sums->p2 + v * kLanes, p2[v]);
  }
  return k;
}
