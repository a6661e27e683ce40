// The native CSV candidate, measured on its own: a long CSV (bench/tables-data.js) parsed with
// std::from_chars into the engine's columns (plan keys by first appearance in a hash map, slot
// a*6 + d, score and std), on 1 and 2 threads (the file split at a line boundary), best of 3;
// then the results of as many plans formatted with std::to_chars (10 rows a plan, 4 doubles a row).
//
//   g++ -std=c++17 -O3 -ffp-contract=off -pthread bench/csv-probe.cc -o /tmp/csv-probe
//   /tmp/csv-probe /tmp/tables/n100000/long.csv
//
// Not part of the package: a probe whose figures go in bench/RESULTS.md ("Tables").
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

struct Columns {
  std::unordered_map<std::string_view, size_t> keys;
  std::vector<double> scores, stds;
  size_t bad = 0;
};

int IdIndex(std::string_view text, std::string_view prefix, int count) {
  if (text.size() != prefix.size() + 2 || text.compare(0, prefix.size(), prefix) != 0) return -1;
  int value = (text[prefix.size()] - '0') * 10 + (text[prefix.size() + 1] - '0');
  return value >= 1 && value <= count ? value - 1 : -1;
}

// Parses whole lines in [begin, end) (no quoting: the probe's data has none).
void Parse(const char* begin, const char* end, Columns& out) {
  const char* p = begin;
  while (p < end) {
    const char* fields[5];
    const char* ends[5];
    for (int f = 0; f < 5; f++) {
      fields[f] = p;
      const char stop = f == 4 ? '\n' : ',';
      const void* hit = std::memchr(p, stop, end - p);
      const char* e = hit == nullptr ? end : static_cast<const char*>(hit);
      ends[f] = e;
      p = e + 1;
    }
    std::string_view key(fields[0], ends[0] - fields[0]);
    int a = IdIndex(std::string_view(fields[1], ends[1] - fields[1]), "PA", 10);
    int d = IdIndex(std::string_view(fields[2], ends[2] - fields[2]), "DIM", 6);
    double score, std;
    auto r1 = std::from_chars(fields[3], ends[3], score);
    auto r2 = std::from_chars(fields[4], ends[4], std);
    if (a < 0 || d < 0 || r1.ec != std::errc() || r2.ec != std::errc()) {
      out.bad++;
      continue;
    }
    auto [it, fresh] = out.keys.try_emplace(key, out.keys.size());
    size_t slot = it->second * 60 + a * 6 + d;
    if (fresh) {
      out.scores.resize(out.scores.size() + 60);
      out.stds.resize(out.stds.size() + 60);
    }
    out.scores[slot] = score;
    out.stds[slot] = std;
  }
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  FILE* file = std::fopen(argv[1], "rb");
  if (file == nullptr) return 2;
  std::string text;
  char buffer[1 << 16];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) text.append(buffer, n);
  std::fclose(file);
  const char* body = text.data() + text.find('\n') + 1;
  const char* end = text.data() + text.size();
  const double mb = text.size() / 1e6;
  size_t plans = 0;
  for (int threads : {1, 2}) {
    double best = 1e9;
    for (int round = 0; round < 3; round++) {
      std::vector<Columns> parts(threads);
      auto start = std::chrono::steady_clock::now();
      std::vector<std::thread> pool;
      const char* from = body;
      for (int t = 0; t < threads; t++) {
        const char* to = t == threads - 1 ? end : static_cast<const char*>(std::memchr(body + (end - body) * (t + 1) / threads, '\n', end - body)) + 1;
        pool.emplace_back([from, to, &parts, t] { Parse(from, to, parts[t]); });
        from = to;
      }
      for (auto& thread : pool) thread.join();
      best = std::min(best, Seconds(start));
      plans = parts[0].keys.size();
      for (int t = 1; t < threads; t++) plans += parts[t].keys.size();
    }
    std::printf("parse, %d thread%s: %.3f s, %.0f MB/s, %.0f plans/s (%zu plan keys)\n", threads, threads == 1 ? "" : "s", best, mb / best, plans / best, plans);
  }
  // Formatting: 10 rows a plan, key + 4 doubles (shortest round trip), one thread.
  std::vector<char> out(plans * 10 * 128);
  auto start = std::chrono::steady_clock::now();
  char* w = out.data();
  double x = 0.123456789012345;
  for (size_t r = 0; r < plans * 10; r++) {
    w = std::to_chars(w, w + 16, r / 10).ptr;
    for (int k = 0; k < 4; k++) {
      *w++ = ',';
      x = x * 1.000001 + 0.1;
      if (x > 3) x -= 3;
      w = std::to_chars(w, w + 32, x).ptr;
    }
    *w++ = '\n';
  }
  double seconds = Seconds(start);
  std::printf("format, 1 thread: %.3f s for %zu rows, %.0f MB/s, %.0f plans/s\n", seconds, plans * 10, (w - out.data()) / 1e6 / seconds, plans / seconds);
  return 0;
}
