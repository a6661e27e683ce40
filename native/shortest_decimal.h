// The shortest decimal that reads back as a double: the digits ECMAScript's Number::toString
// lays out, computed by Ryū (Ulf Adams, "Ryū: fast float-to-string conversion", PLDI 2018)
// over multipliers the addon computes once, exactly, from their definition, so no C++ library's
// to_chars (and no table of its) is needed.
#pragma once

#include <cstdint>

namespace farfan {

// digits × 10^exponent.
struct Decimal {
  std::uint64_t digits;
  int exponent;
};

// For finite x > 0: the fewest digits that read back as x (round to nearest, ties to even), of
// those the one nearest x, and of two equally near the even one (Number::toString's n, k, s).
Decimal ShortestDecimal(double x);

}  // namespace farfan
