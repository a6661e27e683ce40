#include "number_text.h"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <system_error>

// libstdc++ (GCC 11+) and MSVC define it once from_chars reads doubles; libc++ 19 does not.
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
#define FARFAN_FROM_CHARS_DOUBLE 1
#else
#define FARFAN_FROM_CHARS_DOUBLE 0
#endif

namespace farfan {

namespace {

constexpr bool kFromChars = FARFAN_FROM_CHARS_DOUBLE;

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

// The digits from `p`; returns past them.
const char* SkipDigits(const char* p, const char* last) {
  while (p < last && IsDigit(*p)) ++p;
  return p;
}

#if FARFAN_FROM_CHARS_DOUBLE
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

bool ParsesNumbers() { return kFromChars; }

bool ParseNumber(const char* first, const char* last, double* out) {
  if (first == last) return false;
  const char lead = *first;
  const char end = last[-1];
  // Only these start and end a decimal; any other text is a number only as one of the words.
  if (!(IsDigit(lead) || lead == '-' || lead == '.') || !(IsDigit(end) || end == '.')) {
    return ParseWord(first, static_cast<std::size_t>(last - first), out);
  }
  const char* p = lead == '-' ? first + 1 : first;
  const char* digits = p;
  p = SkipDigits(p, last);
  std::size_t count = static_cast<std::size_t>(p - digits);
  if (p < last && *p == '.') {
    const char* fraction = p + 1;
    p = SkipDigits(fraction, last);
    count += static_cast<std::size_t>(p - fraction);
  }
  if (count == 0) return false;
  if (p < last && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < last && (*p == '+' || *p == '-')) ++p;
    const char* exponent = p;
    p = SkipDigits(p, last);
    if (p == exponent) return false;
  }
  if (p != last) return false;
#if FARFAN_FROM_CHARS_DOUBLE
  double value = 0;
  const std::from_chars_result read = std::from_chars(first, last, value, std::chars_format::general);
  if (read.ec == std::errc::result_out_of_range) value = OutOfRange(first, last);
  else if (read.ec != std::errc() || read.ptr != last) return false;
  *out = value;
  return true;
#else
  return false;
#endif
}

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
  // Shortest round-trip digits d.ddd and a power e; then Number::toString's layout of them.
  char text[32];
  const std::to_chars_result wrote = std::to_chars(text, text + sizeof text, x, std::chars_format::scientific);
  char digits[20];
  int k = 0;
  const char* p = text;
  for (; p < wrote.ptr && *p != 'e'; ++p) {
    if (*p != '.') digits[k++] = *p;
  }
  const bool down = p[1] == '-';
  int power = 0;
  for (p += 2; p < wrote.ptr; ++p) power = power * 10 + (*p - '0');
  // n: where the decimal point goes, counted in digits from the first (x = 0.d1d2… × 10^n).
  const int n = (down ? -power : power) + 1;
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
  const std::to_chars_result exponent = std::to_chars(out, out + 4, e < 0 ? -e : e);
  return exponent.ptr;
}

}  // namespace farfan
