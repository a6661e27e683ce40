// strtod_l, where from_chars does not read doubles (glibc and musl declare it for _GNU_SOURCE).
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "number_text.h"
#include "shortest_decimal.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <system_error>

// libstdc++ (GCC 11+) and MSVC define it once from_chars reads doubles; libc++ 19 (the zig
// prebuilds') does not: there a decimal of up to 19 significant digits within 1e±19 of them is
// converted exactly in 128-bit integers (ExactDecimal), and the rare rest by strtod_l in the C
// locale.
#ifndef FARFAN_FROM_CHARS_DOUBLE
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
#define FARFAN_FROM_CHARS_DOUBLE 1
#else
#define FARFAN_FROM_CHARS_DOUBLE 0
#endif
#endif

#if !FARFAN_FROM_CHARS_DOUBLE
#include <locale.h>
#include <stdlib.h>
#if defined(__APPLE__)
#include <xlocale.h>
#endif
#endif

namespace farfan {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The words Python and pandas write for the non-finite numbers (read, then refused as non-finite).
bool ParseWord(const char* first, std::size_t length, double* out) {
  struct Word {
    const char* text;
    double value;
  };
  constexpr double kInf = std::numeric_limits<double>::infinity();
  static const Word kWords[] = {{"NaN", std::numeric_limits<double>::quiet_NaN()},
                                {"nan", std::numeric_limits<double>::quiet_NaN()},
                                {"inf", kInf},
                                {"-inf", -kInf},
                                {"Infinity", kInf},
                                {"-Infinity", -kInf}};
  for (const Word& word : kWords) {
    if (std::strlen(word.text) == length && std::memcmp(word.text, first, length) == 0) {
      *out = word.value;
      return true;
    }
  }
  return false;
}

#if FARFAN_FROM_CHARS_DOUBLE
// The digits from `p`; returns past them.
const char* SkipDigits(const char* p, const char* last) {
  while (p < last && IsDigit(*p)) ++p;
  return p;
}

// A decimal that from_chars found out of range: ±Infinity when its first significant digit is
// at a positive power of ten, else ±0 (the two cases lie hundreds of powers apart).
double OutOfRange(const char* first, const char* last) {
  const bool negative = *first == '-';
  const char* p = negative ? first + 1 : first;
  const char* point = p;
  while (point < last && IsDigit(*point)) ++point;
  const char* mantissaEnd = point;
  if (mantissaEnd < last && *mantissaEnd == '.') mantissaEnd = SkipDigits(mantissaEnd + 1, last);
  // The power of ten of the first non-zero digit, before the exponent.
  const char* q = p;
  while (q < mantissaEnd && (*q == '0' || *q == '.')) ++q;
  const std::int64_t power = q < point ? point - q - 1 : -(q - point);
  std::int64_t exponent = 0;
  if (mantissaEnd < last) {
    const char* e = mantissaEnd + 1;
    const bool down = *e == '-';
    if (*e == '+' || *e == '-') ++e;
    for (; e < last; ++e) exponent = exponent < 1000000000 ? exponent * 10 + (*e - '0') : exponent;
    if (down) exponent = -exponent;
  }
  const bool zero = q == mantissaEnd;
  const double magnitude = !zero && power + exponent > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  return negative ? -magnitude : magnitude;
}
#endif

}  // namespace

// The powers of ten a uint64 holds: 10^0 … 10^19.
constexpr std::uint64_t kPowersOfTen[] = {1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull, 100000000ull,
                                          1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull, 10000000000000ull,
                                          100000000000000ull, 1000000000000000ull, 10000000000000000ull, 100000000000000000ull,
                                          1000000000000000000ull, 10000000000000000000ull};

// The bits of v != 0.
int BitLength(std::uint64_t v) { return 64 - __builtin_clzll(v); }

#if !FARFAN_FROM_CHARS_DOUBLE
// w × 10^power correctly rounded, exactly, in 128-bit integers, for |power| <= 19; false outside.
// A product is exact and converted once; a quotient is taken with 62 or 63 bits and the
// remainder's presence as a sticky bit, so its one conversion rounds as the exact value would;
// the scale by 2^-shift is exact (the result is a normal double, at least 1e-19).
bool ExactDecimal(std::uint64_t w, std::int64_t power, double* out) {
  if (w == 0) {
    *out = 0;
    return true;
  }
  if (power >= 0 && power <= 19) {
    *out = static_cast<double>(static_cast<unsigned __int128>(w) * kPowersOfTen[power]);
    return true;
  }
  if (power < 0 && power >= -19) {
    const std::uint64_t divisor = kPowersOfTen[-power];
    // w << shift over the divisor has 62 or 63 bits: one 128-by-64 division.
    const int shift = 62 - BitLength(w) + BitLength(divisor);
    const unsigned __int128 numerator = static_cast<unsigned __int128>(w) << shift;
    const std::uint64_t quotient = static_cast<std::uint64_t>(numerator / divisor);
    const bool sticky = numerator - static_cast<unsigned __int128>(quotient) * divisor != 0;
    *out = std::ldexp(static_cast<double>(quotient | static_cast<std::uint64_t>(sticky)), -shift);
    return true;
  }
  return false;
}

// strtod in the C locale (whatever the process's), over a NUL-terminated copy; correctly rounded
// by glibc, musl, macOS and the UCRT. Its ERANGE results are the ±Infinity and ±0 wanted.
double StrtodC(const char* first, const char* last) {
  const std::string text(first, last);
#if defined(_WIN32)
  static const _locale_t c = _create_locale(LC_NUMERIC, "C");
  return _strtod_l(text.c_str(), nullptr, c);
#else
  static const locale_t c = newlocale(LC_NUMERIC_MASK, "C", static_cast<locale_t>(0));
  return strtod_l(text.c_str(), nullptr, c);
#endif
}
#endif

bool ParseNumber(const char* first, const char* last, double* out) {
  if (first == last) return false;
  const char lead = *first;
  const char end = last[-1];
  // Only these start and end a decimal; any other text is a number only as one of the words.
  if (!(IsDigit(lead) || lead == '-' || lead == '.') || !(IsDigit(end) || end == '.')) {
    return ParseWord(first, static_cast<std::size_t>(last - first), out);
  }
  // The digits as w × 10^power while w holds them (19 significant digits), checked as they come.
  const bool negative = lead == '-';
  const char* p = negative ? first + 1 : first;
  std::uint64_t w = 0;
  int significant = 0;
  bool exact = true;
  std::int64_t power = 0;
  std::size_t count = 0;
  const auto digit = [&](char c, bool fraction) {
    ++count;
    if (w == 0 && c == '0') {
      power -= fraction ? 1 : 0;
      return;
    }
    if (significant == 19) {
      exact = false;
      return;
    }
    w = w * 10 + static_cast<std::uint64_t>(c - '0');
    ++significant;
    power -= fraction ? 1 : 0;
  };
  for (; p < last && IsDigit(*p); ++p) digit(*p, false);
  if (p < last && *p == '.') {
    for (++p; p < last && IsDigit(*p); ++p) digit(*p, true);
  }
  if (count == 0) return false;
  if (p < last && (*p == 'e' || *p == 'E')) {
    ++p;
    const bool down = p < last && *p == '-';
    if (p < last && (*p == '+' || *p == '-')) ++p;
    const char* exponent = p;
    std::int64_t e = 0;
    for (; p < last && IsDigit(*p); ++p) e = e < 100000000 ? e * 10 + (*p - '0') : e;
    if (p == exponent) return false;
    power += down ? -e : e;
  }
  if (p != last) return false;
  double value = 0;
#if FARFAN_FROM_CHARS_DOUBLE
  static_cast<void>(exact);
  const std::from_chars_result read = std::from_chars(first, last, value, std::chars_format::general);
  if (read.ec == std::errc::result_out_of_range) value = OutOfRange(first, last);
  else if (read.ec != std::errc() || read.ptr != last) return false;
  *out = value;
#else
  *out = exact && ExactDecimal(w, power, &value) ? (negative ? -value : value) : StrtodC(first, last);
#endif
  return true;
}

namespace {

// "00", "01", … "99": two digits a division.
constexpr char kDigitPairs[] =
    "0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849"
    "5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

// Writes the two digits of v < 100 just before `end`; returns where they start.
char* PutPair(std::uint32_t v, char* end) {
  std::memcpy(end - 2, kDigitPairs + 2 * v, 2);
  return end - 2;
}

// v's decimal digits at `out` (0 < v < 10^17), most significant first; returns how many. The
// last eight and the rest are written apart in 32-bit halves, whose divisions do not wait on
// each other.
int WriteDigits(std::uint64_t v, char* out) {
  // floor(log10(v)) + 1 from v's bit length (log10(2) ~ 1233 / 4096), corrected by one compare.
  const int guess = BitLength(v) * 1233 >> 12;
  const int count = guess + (v >= kPowersOfTen[guess] ? 1 : 0);
  char* end = out + count;
  std::uint32_t high = static_cast<std::uint32_t>(v);
  if (v >= 100000000) {
    std::uint32_t low = static_cast<std::uint32_t>(v % 100000000);
    high = static_cast<std::uint32_t>(v / 100000000);
    for (int pair = 0; pair < 4; ++pair, low /= 100) end = PutPair(low % 100, end);
  }
  for (; high >= 100; high /= 100) end = PutPair(high % 100, end);
  if (high >= 10) PutPair(high, end);
  else end[-1] = static_cast<char>('0' + high);
  return count;
}

}  // namespace

char* FormatNumber(double x, char* out) {
  if (x != x) {
    std::memcpy(out, "NaN", 3);
    return out + 3;
  }
  if (x == 0) {
    *out = '0';
    return out + 1;
  }
  if (x < 0) {
    *out++ = '-';
    x = -x;
  }
  if (x == std::numeric_limits<double>::infinity()) {
    std::memcpy(out, "Infinity", 8);
    return out + 8;
  }
  // Shortest round-trip digits d1d2…dk and a power; then Number::toString's layout of them.
  const Decimal decimal = ShortestDecimal(x);
  char digits[20];
  const int k = WriteDigits(decimal.digits, digits);
  // n: where the decimal point goes, counted in digits from the first (x = 0.d1d2… × 10^n).
  const int n = decimal.exponent + k;
  if (k <= n && n <= 21) {
    std::memcpy(out, digits, k);
    out += k;
    std::memset(out, '0', n - k);
    return out + (n - k);
  }
  if (0 < n && n <= 21) {
    std::memcpy(out, digits, n);
    out += n;
    *out++ = '.';
    std::memcpy(out, digits + n, k - n);
    return out + (k - n);
  }
  if (-6 < n && n <= 0) {
    *out++ = '0';
    *out++ = '.';
    std::memset(out, '0', -n);
    out += -n;
    std::memcpy(out, digits, k);
    return out + k;
  }
  *out++ = digits[0];
  if (k > 1) {
    *out++ = '.';
    std::memcpy(out, digits + 1, k - 1);
    out += k - 1;
  }
  *out++ = 'e';
  const int e = n - 1;
  *out++ = e < 0 ? '-' : '+';
  return out + WriteDigits(static_cast<std::uint64_t>(e < 0 ? -e : e), out);
}

}  // namespace farfan
