// The memory floor of the kernel: the best time to merely read the two input arrays (scores
// and stds, n*60 doubles each) once and write the five outputs (score, std, ciLow, ciHigh as
// n*10 doubles, quality as n*10 bytes) once, into memory already touched, on T threads, with
// loops the compiler vectorizes freely (each output row holds the XOR of its area's raw input
// bits). No kernel can move less memory. bench/floor-probe.js compiles it with the machine's
// C++ compiler; the benches print its figures next to the native ones.
// With --fresh, every pass writes outputs that no one has touched yet, mapped anew and given the
// huge-page advice the addon gives them (native/args.cc), as a call without `outputs` does: the
// floor of such a call includes the kernel's faulting in and zeroing of new memory.
// Usage: read-probe [--fresh] T N... ; prints "N T microseconds sink" per N.
#include <algorithm>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace {

constexpr std::size_t kSlots = 60, kAreas = 10, kDims = 6;

struct Inputs {
  std::vector<std::uint64_t> scores, stds;
  explicit Inputs(std::size_t evaluations) : scores(evaluations * kSlots, 1), stds(evaluations * kSlots, 2) {}
};

struct Outputs {
  std::uint64_t *score, *std, *ciLow, *ciHigh;
  std::uint8_t* quality;
};

// Outputs touched once, reused by every pass.
struct TouchedOutputs {
  std::vector<std::uint64_t> score, std, ciLow, ciHigh;
  std::vector<std::uint8_t> quality;
  explicit TouchedOutputs(std::size_t evaluations)
      : score(evaluations * kAreas, 0), std(evaluations * kAreas, 0), ciLow(evaluations * kAreas, 0),
        ciHigh(evaluations * kAreas, 0), quality(evaluations * kAreas, 0) {}
  Outputs view() { return {score.data(), std.data(), ciLow.data(), ciHigh.data(), quality.data()}; }
};

// Outputs in memory mapped for one pass and unmapped after it, so every pass faults its pages in.
class FreshOutputs {
 public:
  explicit FreshOutputs(std::size_t evaluations) : rows_(evaluations * kAreas) {
    for (std::size_t i = 0; i < 4; ++i) doubles_[i] = static_cast<std::uint64_t*>(Map(rows_ * sizeof(std::uint64_t)));
    bytes_ = static_cast<std::uint8_t*>(Map(rows_));
  }
  ~FreshOutputs() {
    for (std::uint64_t* p : doubles_) Unmap(p, rows_ * sizeof(std::uint64_t));
    Unmap(bytes_, rows_);
  }
  FreshOutputs(const FreshOutputs&) = delete;
  FreshOutputs& operator=(const FreshOutputs&) = delete;
  Outputs view() { return {doubles_[0], doubles_[1], doubles_[2], doubles_[3], bytes_}; }

 private:
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;
  // Aligned to a huge page and advised over all of it: the best the addon's advice can get.
  static void* Map(std::size_t bytes) {
#if defined(__linux__)
    void* p = mmap(nullptr, Size(bytes), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) std::abort();
    madvise(p, Size(bytes), MADV_HUGEPAGE);
    return p;
#else
    return std::calloc(bytes, 1);
#endif
  }
  static void Unmap(void* p, std::size_t bytes) {
#if defined(__linux__)
    munmap(p, Size(bytes));
#else
    (void)bytes;
    std::free(p);
#endif
  }
  static std::size_t Size(std::size_t bytes) { return (bytes + kHugePage - 1) & ~(kHugePage - 1); }
  std::size_t rows_;
  std::uint64_t* doubles_[4];
  std::uint8_t* bytes_;
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
void Pass(const Inputs& in, const Outputs& out, std::size_t first, std::size_t last) {
  const std::uint64_t* __restrict scores = in.scores.data();
  const std::uint64_t* __restrict stds = in.stds.data();
  std::uint64_t* __restrict score = out.score;
  std::uint64_t* __restrict std = out.std;
  std::uint64_t* __restrict ciLow = out.ciLow;
  std::uint64_t* __restrict ciHigh = out.ciHigh;
  std::uint8_t* __restrict quality = out.quality;
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
// With fresh outputs, the clock includes mapping and unmapping them, as a call's time includes
// allocating its outputs.
template <bool kStream>
double TimedPass(const Inputs& in, TouchedOutputs& touched, std::size_t evaluations, std::size_t threads, bool fresh) {
  const std::size_t rows = evaluations * kAreas;
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<FreshOutputs> mapped(fresh ? new FreshOutputs(evaluations) : nullptr);
  const Outputs out = fresh ? mapped->view() : touched.view();
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back([&in, &out, rows, threads, t] { Pass<kStream>(in, out, rows * t / threads, rows * (t + 1) / threads); });
  Pass<kStream>(in, out, 0, rows / threads);
  for (auto& h : helpers) h.join();
#if defined(__x86_64__)
  _mm_sfence();  // the streamed stores are done before the clock stops
#endif
  mapped.reset();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const bool fresh = argc > 1 && std::string(argv[1]) == "--fresh";
  const int first = fresh ? 2 : 1;
  if (argc < first + 2) {
    std::fprintf(stderr, "usage: read-probe [--fresh] THREADS N...\n");
    return 2;
  }
  const std::size_t threads = std::max<std::size_t>(1, std::strtoull(argv[first], nullptr, 10));
  for (int arg = first + 1; arg < argc; ++arg) {
    const std::size_t evaluations = std::strtoull(argv[arg], nullptr, 10);
    const Inputs in(evaluations);
    TouchedOutputs touched(fresh ? 0 : evaluations);
    double best = 1e30;
    const int reps = evaluations >= 1000000 ? 20 : 200;
    // Code given T threads may use fewer, and may store through the cache or around it (the
    // kernel streams only at large n): the floor is the best pass of all those ways, which
    // also keeps thread start-up out of the floor of small n.
    for (int rep = 0; rep < reps; ++rep) {
      for (std::size_t t = 1; t <= threads; ++t) {
        best = std::min({best, TimedPass<false>(in, touched, evaluations, t, fresh), TimedPass<true>(in, touched, evaluations, t, fresh)});
      }
    }
    std::uint64_t sink = 0;
    for (std::size_t row = 0; row < touched.ciHigh.size(); row += 4096) sink ^= touched.ciHigh[row];
    std::printf("%zu %zu %.3f %llu\n", evaluations, threads, best * 1e6, static_cast<unsigned long long>(sink & 1));
  }
  return 0;
}
