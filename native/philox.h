// Philox4x32-10 (Salmon et al., SC'11; Random123): 128 random bits as a pure function of a
// 128-bit counter and a 64-bit key, so a Monte-Carlo draw depends only on its coordinates and
// never on threads or batch splits. The same function as the TypeScript philox4x32; the SIMD lanes in
// montecarlo_simd.h compute it with these constants.
#pragma once

#include <cstdint>

namespace farfan {

constexpr std::uint32_t kPhiloxM0 = 0xD2511F53u;
constexpr std::uint32_t kPhiloxM1 = 0xCD9E8D57u;
// Key schedule: the golden ratio and sqrt(3) - 1 as 32-bit fractions.
constexpr std::uint32_t kPhiloxW0 = 0x9E3779B9u;
constexpr std::uint32_t kPhiloxW1 = 0xBB67AE85u;
constexpr int kPhiloxRounds = 10;

// Replaces the counter c[0..3] by Philox4x32-10(c, key (k0, k1)).
inline void Philox4x32(std::uint32_t c[4], std::uint32_t k0, std::uint32_t k1) {
  for (int round = 0; round < kPhiloxRounds; ++round) {
    if (round > 0) {
      k0 += kPhiloxW0;
      k1 += kPhiloxW1;
    }
    const std::uint64_t p0 = std::uint64_t{kPhiloxM0} * c[0];
    const std::uint64_t p1 = std::uint64_t{kPhiloxM1} * c[2];
    const std::uint32_t c1 = c[1], c3 = c[3];
    c[0] = static_cast<std::uint32_t>(p1 >> 32) ^ c1 ^ k0;
    c[1] = static_cast<std::uint32_t>(p1);
    c[2] = static_cast<std::uint32_t>(p0 >> 32) ^ c3 ^ k1;
    c[3] = static_cast<std::uint32_t>(p0);
  }
}

}  // namespace farfan
