// The memory floor of the kernel: the best time to merely read the two input arrays (scores
// and stds, n*60 doubles each) once and write the five outputs (score, std, ciLow, ciHigh as
// n*10 doubles, quality as n*10 bytes) once, into memory already touched, on T threads, with
// loops the compiler vectorizes freely (each output row holds the XOR of its area's raw input
// bits). No kernel can move less memory. bench/floor-probe.js compiles it with the machine's
// C++ compiler; the benches print its figures next to the native ones.
// Usage: read-probe T N... ; prints "N T microseconds sink" per N.
#include <algorithm>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

constexpr std::size_t kSlots = 60, kAreas = 10, kDims = 6;

struct Buffers {
  std::vector<std::uint64_t> scores, stds, score, std, ciLow, ciHigh;
  std::vector<std::uint8_t> quality;
  explicit Buffers(std::size_t evaluations)
      : scores(evaluations * kSlots, 1), stds(evaluations * kSlots, 2), score(evaluations * kAreas, 0),
        std(evaluations * kAreas, 0), ciLow(evaluations * kAreas, 0), ciHigh(evaluations * kAreas, 0),
        quality(evaluations * kAreas, 0) {}
};

// With kStream, a store that bypasses the cache where the CPU has one, as the native kernel's
// large-n stores do: the output lines are then written without being read first.
template <bool kStream>
inline void Put(std::uint64_t* p, std::uint64_t v) {
#if defined(__x86_64__)
  if constexpr (kStream) {
    _mm_stream_si64(reinterpret_cast<long long*>(p), static_cast<long long>(v));
    return;
  }
#endif
  *p = v;
}

// Rows [first, last): read each input once, write each output once. Raw restrict pointers:
// through the vectors, every byte store of `quality` could alias their data pointers (char
// aliases anything), which reloads them per row and keeps the compiler from vectorizing.
template <bool kStream>
void Pass(Buffers& b, std::size_t first, std::size_t last) {
  const std::uint64_t* __restrict scores = b.scores.data();
  const std::uint64_t* __restrict stds = b.stds.data();
  std::uint64_t* __restrict score = b.score.data();
  std::uint64_t* __restrict std = b.std.data();
  std::uint64_t* __restrict ciLow = b.ciLow.data();
  std::uint64_t* __restrict ciHigh = b.ciHigh.data();
  std::uint8_t* __restrict quality = b.quality.data();
  for (std::size_t row = first; row < last; ++row) {
    // 2 KiB ahead of both input streams: from DRAM it keeps more lines in flight.
    __builtin_prefetch(scores + row * kDims + 256);
    __builtin_prefetch(stds + row * kDims + 256);
    const std::uint64_t* s = scores + row * kDims;
    const std::uint64_t* q = stds + row * kDims;
    std::uint64_t acc = 0;
    for (std::size_t d = 0; d < kDims; ++d) acc ^= s[d] ^ q[d];
    Put<kStream>(score + row, acc);
    Put<kStream>(std + row, acc + 1);
    Put<kStream>(ciLow + row, acc + 2);
    Put<kStream>(ciHigh + row, acc + 3);
    quality[row] = static_cast<std::uint8_t>(acc);
  }
}

// One pass over all rows on `threads` threads (fresh ones: a pool that spins while it waits
// loses its time slices on a shared machine and then starts late). Returns seconds.
template <bool kStream>
double TimedPass(Buffers& b, std::size_t rows, std::size_t threads) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back([&b, rows, threads, t] { Pass<kStream>(b, rows * t / threads, rows * (t + 1) / threads); });
  Pass<kStream>(b, 0, rows / threads);
  for (auto& h : helpers) h.join();
#if defined(__x86_64__)
  _mm_sfence();  // the streamed stores are done before the clock stops
#endif
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: read-probe THREADS N...\n");
    return 2;
  }
  const std::size_t threads = std::max<std::size_t>(1, std::strtoull(argv[1], nullptr, 10));
  for (int arg = 2; arg < argc; ++arg) {
    const std::size_t evaluations = std::strtoull(argv[arg], nullptr, 10);
    Buffers b(evaluations);
    double best = 1e30;
    const int reps = evaluations >= 1000000 ? 20 : 200;
    // Code given T threads may use fewer, and may store through the cache or around it (the
    // kernel streams only at large n): the floor is the best pass of all those ways, which
    // also keeps thread start-up out of the floor of small n.
    for (int rep = 0; rep < reps; ++rep) {
      for (std::size_t t = 1; t <= threads; ++t) {
        best = std::min({best, TimedPass<false>(b, evaluations * kAreas, t), TimedPass<true>(b, evaluations * kAreas, t)});
      }
    }
    std::uint64_t sink = 0;
    for (std::size_t row = 0; row < evaluations * kAreas; row += 4096) sink ^= b.ciHigh[row];
    std::printf("%zu %zu %.3f %llu\n", evaluations, threads, best * 1e6, static_cast<unsigned long long>(sink & 1));
  }
  return 0;
}
