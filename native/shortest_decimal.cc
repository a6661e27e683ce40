#include "shortest_decimal.h"

#include <cstring>

namespace farfan {

namespace {

using Uint128 = unsigned __int128;

constexpr int kMantissaBits = 52;
constexpr int kExponentBias = 1023;
// The multipliers keep 125 bits of 5^i and of 2^k / 5^q: enough for every double (Ryū, §3.3).
constexpr int kMultiplierBits = 125;
// q <= Log10Pow2(969) = 291 for the largest binary exponent, i <= 1076 - Log10Pow5(1076) + 1 = 325
// for the smallest.
constexpr int kInverseCount = 292;
constexpr int kPowerCount = 326;

// The bit length of 5^e (ceil(log2(5^e)), and 1 for e = 0), for 0 <= e <= 3528.
int Pow5Bits(int e) { return static_cast<int>((static_cast<std::uint32_t>(e) * 1217359u) >> 19) + 1; }
// floor(log10(2^e)) for 0 <= e <= 1650.
int Log10Pow2(int e) { return static_cast<int>((static_cast<std::uint32_t>(e) * 78913u) >> 18); }
// floor(log10(5^e)) for 0 <= e <= 2620.
int Log10Pow5(int e) { return static_cast<int>((static_cast<std::uint32_t>(e) * 732923u) >> 20); }

// A natural number of up to kBigBits bits, 32-bit limbs from the least significant: just what
// building the multipliers needs (×5, ÷5, a 128-bit window).
constexpr int kBigBits = 832;
constexpr int kTopPower = 800;  // 2^800 >= every 2^(Pow5Bits(q) - 1 + 125) the inverses divide
struct Big {
  std::uint32_t limbs[kBigBits / 32] = {};

  void MultiplyBy5() {
    std::uint64_t carry = 0;
    for (std::uint32_t& limb : limbs) {
      const std::uint64_t product = static_cast<std::uint64_t>(limb) * 5 + carry;
      limb = static_cast<std::uint32_t>(product);
      carry = product >> 32;
    }
  }

  // Floors: floor(floor(a / 5) / 5) = floor(a / 25), so repeated, this is floor(a / 5^q).
  void DivideBy5() {
    std::uint64_t remainder = 0;
    for (int i = kBigBits / 32 - 1; i >= 0; --i) {
      const std::uint64_t numerator = (remainder << 32) | limbs[i];
      limbs[i] = static_cast<std::uint32_t>(numerator / 5);
      remainder = numerator % 5;
    }
  }

  // floor(this / 2^shift) mod 2^128, shift >= 0.
  Uint128 Window(int shift) const {
    Uint128 window = 0;
    for (int bit = 127; bit >= 0; --bit) {
      const int at = shift + bit;
      const std::uint32_t set = at < kBigBits ? (limbs[at / 32] >> (at % 32)) & 1u : 0u;
      window = (window << 1) | set;
    }
    return window;
  }
};

struct Multipliers {
  // 5^i in 125 bits: floor(5^i × 2^(125 - Pow5Bits(i))), for doubles below 2^-2 or so (e2 < 0).
  Uint128 power[kPowerCount];
  // floor(2^(Pow5Bits(q) - 1 + 125) / 5^q) + 1, for the others (e2 >= 0).
  Uint128 inverse[kInverseCount];
};

const Multipliers& TheMultipliers() {
  static const Multipliers multipliers = [] {
    Multipliers m;
    Big power;
    power.limbs[0] = 1;
    for (int i = 0; i < kPowerCount; ++i, power.MultiplyBy5()) {
      const int shift = Pow5Bits(i) - kMultiplierBits;
      m.power[i] = shift >= 0 ? power.Window(shift) : power.Window(0) << -shift;
    }
    Big quotient;
    quotient.limbs[kTopPower / 32] = 1u << (kTopPower % 32);
    for (int q = 0; q < kInverseCount; ++q, quotient.DivideBy5()) {
      m.inverse[q] = quotient.Window(kTopPower - (Pow5Bits(q) - 1 + kMultiplierBits)) + 1;
    }
    return m;
  }();
  return multipliers;
}

// floor(m × multiplier / 2^shift), 64 <= shift < 128; the product's low 64 bits are never needed.
std::uint64_t MulShift(std::uint64_t m, Uint128 multiplier, int shift) {
  const Uint128 low = static_cast<Uint128>(m) * static_cast<std::uint64_t>(multiplier);
  const Uint128 high = static_cast<Uint128>(m) * static_cast<std::uint64_t>(multiplier >> 64);
  return static_cast<std::uint64_t>(((low >> 64) + high) >> (shift - 64));
}

bool MultipleOfPowerOf5(std::uint64_t value, int p) {
  int count = 0;
  for (; value % 5 == 0; value /= 5) ++count;
  return count >= p;
}

bool MultipleOfPowerOf2(std::uint64_t value, int p) { return (value & ((1ull << p) - 1)) == 0; }

}  // namespace

Decimal ShortestDecimal(double x) {
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const std::uint64_t fraction = bits & ((1ull << kMantissaBits) - 1);
  const int biased = static_cast<int>(bits >> kMantissaBits) & 0x7ff;
  // x = m2 × 2^e2, less 2 for the bounds' halves and quarters below.
  const int e2 = (biased == 0 ? 1 : biased) - kExponentBias - kMantissaBits - 2;
  const std::uint64_t m2 = biased == 0 ? fraction : fraction | (1ull << kMantissaBits);
  // Round to nearest, ties to even: an even mantissa's halfway points read back as x.
  const bool acceptBounds = (m2 & 1) == 0;

  // x's interval of decimals that read back as it is (mm, mp) × 2^e2 around mv × 2^e2; below a
  // power of two (a fraction of 0, not the smallest exponent) the gap below is half as wide.
  const std::uint64_t mv = 4 * m2;
  const int mmShift = fraction != 0 || biased <= 1 ? 1 : 0;

  // The three scaled by 10^-e10 and floored: vr, vp, vm; whether a floor dropped only zeros.
  const Multipliers& multipliers = TheMultipliers();
  std::uint64_t vr, vp, vm;
  int e10;
  bool vmIsTrailingZeros = false;
  bool vrIsTrailingZeros = false;
  if (e2 >= 0) {
    const int q = Log10Pow2(e2) - (e2 > 3 ? 1 : 0);
    e10 = q;
    const int shift = -e2 + q + kMultiplierBits + Pow5Bits(q) - 1;
    const Uint128 multiplier = multipliers.inverse[q];
    vr = MulShift(mv, multiplier, shift);
    vp = MulShift(mv + 2, multiplier, shift);
    vm = MulShift(mv - 1 - mmShift, multiplier, shift);
    // Exact when 5^q divides the numerator (2^e2 has the twos); at most one of the three can.
    if (q <= 21) {
      if (mv % 5 == 0) vrIsTrailingZeros = MultipleOfPowerOf5(mv, q);
      else if (acceptBounds) vmIsTrailingZeros = MultipleOfPowerOf5(mv - 1 - mmShift, q);
      else vp -= MultipleOfPowerOf5(mv + 2, q) ? 1 : 0;
    }
  } else {
    const int q = Log10Pow5(-e2) - (-e2 > 1 ? 1 : 0);
    e10 = q + e2;
    const int i = -e2 - q;
    const int shift = q - (Pow5Bits(i) - kMultiplierBits);
    const Uint128 multiplier = multipliers.power[i];
    vr = MulShift(mv, multiplier, shift);
    vp = MulShift(mv + 2, multiplier, shift);
    vm = MulShift(mv - 1 - mmShift, multiplier, shift);
    // Exact when 2^q divides the numerator (5^i has the fives).
    if (q <= 1) {
      vrIsTrailingZeros = true;
      if (acceptBounds) vmIsTrailingZeros = mmShift == 1;
      else --vp;
    } else if (q < 63) {
      vrIsTrailingZeros = MultipleOfPowerOf2(mv, q);
    }
  }

  // Drop digits while the interval still holds a shorter decimal; vr rounded is the nearest.
  int removed = 0;
  std::uint64_t output;
  if (vmIsTrailingZeros || vrIsTrailingZeros) {
    // Rare: the bounds or x itself are exact decimals, so ties and the lower bound count.
    int lastRemovedDigit = 0;
    const auto removeDigit = [&] {
      vrIsTrailingZeros &= lastRemovedDigit == 0;
      lastRemovedDigit = static_cast<int>(vr % 10);
      vr /= 10;
      vp /= 10;
      vm /= 10;
      ++removed;
    };
    while (vp / 10 > vm / 10) {
      vmIsTrailingZeros &= vm % 10 == 0;
      removeDigit();
    }
    // An exact lower bound may be taken: keep going while it ends in zeros.
    if (vmIsTrailingZeros) {
      while (vm % 10 == 0) removeDigit();
    }
    // Exactly halfway between two candidates: the even one.
    if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0) lastRemovedDigit = 4;
    const bool belowInterval = vr == vm && (!acceptBounds || !vmIsTrailingZeros);
    output = vr + (belowInterval || lastRemovedDigit >= 5 ? 1 : 0);
  } else {
    bool roundUp = false;
    if (vp / 100 > vm / 100) {
      roundUp = vr % 100 >= 50;
      vr /= 100;
      vp /= 100;
      vm /= 100;
      removed += 2;
    }
    while (vp / 10 > vm / 10) {
      roundUp = vr % 10 >= 5;
      vr /= 10;
      vp /= 10;
      vm /= 10;
      ++removed;
    }
    output = vr + (vr == vm || roundUp ? 1 : 0);
  }
  return Decimal{output, e10 + removed};
}

}  // namespace farfan
