// The engine's number formatting per double, side by side with the C++ library's shortest
// to_chars: FormatNumber (ShortestDecimal's digits laid out as `${x}`), ShortestDecimal alone,
// and std::to_chars(x) (shortest digits in its own layout: a lower bound for a formatter over
// it), over 10^6 doubles on [0, 3) (result scores) and 10^6 random finite bit patterns; the
// three alternate, best of 9 rounds each.
//
//   g++ -std=c++17 -O3 -ffp-contract=off bench/format-probe.cc native/number_text.cc native/shortest_decimal.cc -o /tmp/format-probe
//   /tmp/format-probe
//
// Not part of the package: a probe whose figures go in bench/RESULTS.md ("Native text in and out").
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "../native/number_text.h"
#include "../native/shortest_decimal.h"

namespace {

constexpr int kCount = 1000000;
constexpr int kRounds = 9;

std::vector<double> Scores(std::mt19937_64& random) {
  std::uniform_real_distribution<double> uniform(0.0, 3.0);
  std::vector<double> values(kCount);
  for (double& x : values) x = uniform(random);
  return values;
}

std::vector<double> BitPatterns(std::mt19937_64& random) {
  std::vector<double> values(kCount);
  for (double& x : values) {
    std::uint64_t bits;
    do bits = random();
    while (((bits >> 52) & 0x7ff) == 0x7ff || (bits << 1) == 0);
    std::memcpy(&x, &bits, sizeof x);
  }
  return values;
}

// Nanoseconds a double for one pass of `format` over `values`; `sink` keeps the work alive.
template <typename Format>
double NanosPerDouble(const std::vector<double>& values, Format format, std::uint64_t* sink) {
  static char out[kCount * farfan::kMaxNumberText];
  const auto start = std::chrono::steady_clock::now();
  char* at = out;
  for (double x : values) at = format(x, at);
  const auto stop = std::chrono::steady_clock::now();
  *sink += static_cast<std::uint64_t>(at - out) + static_cast<unsigned char>(out[kCount]);
  return std::chrono::duration<double, std::nano>(stop - start).count() / kCount;
}

void Measure(const char* name, const std::vector<double>& values) {
  const auto ours = [](double x, char* out) { return farfan::FormatNumber(x, out); };
  const auto digits = [](double x, char* out) {
    const farfan::Decimal d = farfan::ShortestDecimal(x < 0 ? -x : x);
    std::memcpy(out, &d, sizeof d);
    return out + 1;
  };
  const auto library = [](double x, char* out) { return std::to_chars(out, out + farfan::kMaxNumberText, x).ptr; };
  double best[3] = {1e9, 1e9, 1e9};
  std::uint64_t sink = 0;
  for (int round = 0; round < kRounds; ++round) {
    const double times[3] = {NanosPerDouble(values, ours, &sink), NanosPerDouble(values, digits, &sink), NanosPerDouble(values, library, &sink)};
    for (int i = 0; i < 3; ++i) best[i] = times[i] < best[i] ? times[i] : best[i];
  }
  std::printf("%-28s FormatNumber %5.1f ns   ShortestDecimal %5.1f ns   std::to_chars %5.1f ns   ratio FormatNumber / to_chars %.2f   (%llu)\n", name, best[0], best[1],
              best[2], best[0] / best[2], static_cast<unsigned long long>(sink % 10));
}

}  // namespace

int main() {
  std::mt19937_64 random(20);
  Measure("10^6 doubles on [0, 3)", Scores(random));
  Measure("10^6 random bit patterns", BitPatterns(random));
  return 0;
}
