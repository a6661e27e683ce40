// The memory floor of the kernel: the best time to merely read the two input arrays (scores
// and stds, n*60 doubles each) once, with a loop the compiler vectorizes freely (XOR of the
// raw bits). bench/kernel.bench.js compiles it with the machine's C++ compiler and prints
// its figures next to the kernels'. Usage: read-probe N... ; prints "N microseconds" per line.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

static std::uint64_t XorAll(const std::uint64_t* a, std::size_t n) {
  std::uint64_t acc = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    // 2 KiB ahead: no help from L3, but from DRAM it keeps more lines in flight.
    __builtin_prefetch(a + i + 256);
    for (int k = 0; k < 8; ++k) acc ^= a[i + k];
  }
  for (; i < n; ++i) acc ^= a[i];
  return acc;
}

int main(int argc, char** argv) {
  for (int arg = 1; arg < argc; ++arg) {
    const std::size_t evaluations = std::strtoull(argv[arg], nullptr, 10);
    const std::size_t n = evaluations * 60;
    std::vector<std::uint64_t> scores(n, 1), stds(n, 2);
    double best = 1e30;
    std::uint64_t sink = 0;
    const int reps = evaluations >= 1000000 ? 20 : 200;
    for (int rep = 0; rep < reps; ++rep) {
      const auto start = std::chrono::steady_clock::now();
      sink ^= XorAll(scores.data(), n) ^ XorAll(stds.data(), n);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (seconds < best) best = seconds;
    }
    std::printf("%zu %.3f %llu\n", evaluations, best * 1e6, static_cast<unsigned long long>(sink & 1));
  }
  return 0;
}
