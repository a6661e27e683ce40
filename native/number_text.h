// Numbers as text, the way the package's TypeScript reads and writes them, so that a table read
// or written natively gives the same values and the same bytes as on the JS backend.
#pragma once

#include <cstddef>

namespace farfan {

// The longest text FormatNumber writes: "-0.000001" and 17 digits.
constexpr std::size_t kMaxNumberText = 25;

// The number in [first, last) as the CSV reader's grammar reads it: `-`? then digits with an
// optional fraction (`1.`, `.5`) and exponent (`e`/`E`, optional sign), correctly rounded
// (overflow to ±Infinity, underflow to ±0), or one of NaN, nan, inf, -inf, Infinity, -Infinity.
// False for anything else (spaces, `+`, hex, `1_000`, empty).
bool ParseNumber(const char* first, const char* last, double* out);

// Writes `x` as ECMAScript's Number::toString does (`${x}`: the shortest digits that read back
// as x; decimal for 1e-7 < |x| < 1e21, else `1e-7`, `1.5e+21`; -0 as "0"; NaN, Infinity) at
// `out`, which has room for kMaxNumberText bytes; returns the end.
char* FormatNumber(double x, char* out);

}  // namespace farfan
