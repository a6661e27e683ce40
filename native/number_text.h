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

// Whether this build has FormatNumber: with libstdc++, whose to_chars lives in the shared C++
// library. libc++, linked statically into the zig prebuilds, would bring 366 KB of to_chars
// tables into each binary, past the package's 2 MB tarball: there the TypeScript writer formats.
#if defined(__GLIBCXX__)
#define FARFAN_FORMATS_NUMBERS 1
#else
#define FARFAN_FORMATS_NUMBERS 0
#endif
constexpr bool kFormatsNumbers = FARFAN_FORMATS_NUMBERS;

// Writes `x` as ECMAScript's Number::toString does (`${x}`: the shortest digits that read back
// as x; decimal for 1e-7 < |x| < 1e21, else `1e-7`, `1.5e+21`; -0 as "0"; NaN, Infinity) at
// `out`, which has room for kMaxNumberText bytes; returns the end. Only where kFormatsNumbers.
#if FARFAN_FORMATS_NUMBERS
char* FormatNumber(double x, char* out);
#endif

}  // namespace farfan
