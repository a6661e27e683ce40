// The memory floor of the kernel: the best time to merely read the two input arrays (scores
// and stds, n*60 doubles each) once and write the five outputs (score, std, ciLow, ciHigh as
// n*10 doubles, quality as n*10 bytes) once, into memory already touched, on T threads, with
// loops the compiler vectorizes freely (each output row holds the XOR of its area's raw input
// bits). No kernel can move less memory. bench/floor-probe.js compiles it with the machine's
// C++ compiler; the benches print its figures next to the native ones.
// Usage: read-probe T N... ; prints "N T microseconds sink" per N.
#include <atomic>
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

// Rows [first, last): read each input once, write each output once.
void Pass(Buffers& b, std::size_t first, std::size_t last) {
  for (std::size_t row = first; row < last; ++row) {
    const std::uint64_t* s = b.scores.data() + row * kDims;
    const std::uint64_t* q = b.stds.data() + row * kDims;
    std::uint64_t acc = 0;
    for (std::size_t d = 0; d < kDims; ++d) acc ^= s[d] ^ q[d];
    b.score[row] = acc;
    b.std[row] = acc + 1;
    b.ciLow[row] = acc + 2;
    b.ciHigh[row] = acc + 3;
    b.quality[row] = static_cast<std::uint8_t>(acc);
  }
}

// T-1 helper threads that wait (spinning, with yields) for a pass to start, so timing a pass
// of a small n measures memory, not thread creation.
class Team {
 public:
  explicit Team(std::size_t threads) : threads_(threads) {
    for (std::size_t t = 1; t < threads_; ++t) helpers_.emplace_back([this, t] { Serve(t); });
  }
  ~Team() {
    stop_ = true;
    generation_.fetch_add(1);
    for (auto& h : helpers_) h.join();
  }
  void Run(Buffers& b, std::size_t rows) {
    buffers_ = &b;
    rows_ = rows;
    done_ = 0;
    generation_.fetch_add(1);
    Share(0);
    while (done_.load() != threads_ - 1) std::this_thread::yield();
  }

 private:
  void Share(std::size_t t) { Pass(*buffers_, rows_ * t / threads_, rows_ * (t + 1) / threads_); }
  void Serve(std::size_t t) {
    for (std::uint64_t seen = 0;;) {
      while (generation_.load() == seen) std::this_thread::yield();
      seen = generation_.load();
      if (stop_) return;
      Share(t);
      done_.fetch_add(1);
    }
  }
  std::size_t threads_;
  std::vector<std::thread> helpers_;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<std::size_t> done_{0};
  std::atomic<bool> stop_{false};
  Buffers* buffers_ = nullptr;
  std::size_t rows_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: read-probe THREADS N...\n");
    return 2;
  }
  const std::size_t threads = std::strtoull(argv[1], nullptr, 10);
  Team team(threads < 1 ? 1 : threads);
  for (int arg = 2; arg < argc; ++arg) {
    const std::size_t evaluations = std::strtoull(argv[arg], nullptr, 10);
    Buffers b(evaluations);
    double best = 1e30;
    const int reps = evaluations >= 1000000 ? 20 : 200;
    for (int rep = 0; rep < reps; ++rep) {
      const auto start = std::chrono::steady_clock::now();
      team.Run(b, evaluations * kAreas);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (seconds < best) best = seconds;
    }
    std::uint64_t sink = 0;
    for (std::size_t row = 0; row < evaluations * kAreas; row += 4096) sink ^= b.ciHigh[row];
    std::printf("%zu %zu %.3f %llu\n", evaluations, threads, best * 1e6, static_cast<unsigned long long>(sink & 1));
  }
  return 0;
}
