// The addon's core without N-API, for check:musl (scripts/check-musl.cjs): no musl Node exists to
// load the musl prebuilds, so this program, compiled from the same sources with the same zig and
// flags as a static musl executable, runs what the prebuild runs: Aggregate and MonteCarlo on
// every ISA this CPU offers, on 1 and 4 threads. The inputs are the ones check:musl passes to the
// glibc prebuild's aggregate() and monteCarlo(); each call's outputs are written raw to
// DIR/<call>-<isa>-<threads>.bin (score, std, ciLow, ciHigh as doubles, then quality for
// aggregate), to be compared byte for byte. Usage: core-driver DIR EVALUATIONS MC_EVALUATIONS
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "aggregate.h"
#include "montecarlo.h"

using namespace farfan;

namespace {

void Write(const std::string& path, const std::vector<const std::vector<double>*>& doubles, const std::vector<std::uint8_t>* bytes) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) std::exit(2);
  for (const auto* column : doubles) std::fwrite(column->data(), sizeof(double), column->size(), file);
  if (bytes != nullptr) std::fwrite(bytes->data(), 1, bytes->size(), file);
  if (std::fclose(file) != 0) std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  const std::string dir = argv[1];
  const std::size_t n = std::strtoul(argv[2], nullptr, 10);
  const std::size_t nMc = std::strtoul(argv[3], nullptr, 10);
  // The same formulas as scripts/check-musl.cjs: scores in [0, 3], stds in [0, 0.4], six weights.
  std::vector<double> scores(n * kSlots), stds(n * kSlots), weights(kSlots);
  for (std::size_t i = 0; i < n * kSlots; i++) {
    scores[i] = static_cast<double>((i * 7919) % 3001) / 1000;
    stds[i] = static_cast<double>((i * 104729) % 401) / 1000;
  }
  for (std::size_t i = 0; i < kSlots; i++) weights[i] = 1 + static_cast<double>(i % 6) * 0.25;

  ThreadPool pool;
  pool.Reserve(4);
  for (Isa isa : {Isa::kAvx512, Isa::kAvx2, Isa::kScalar}) {
    if (!IsaSupported(isa)) continue;
    std::printf("%s\n", IsaName(isa));
    for (unsigned threads : {1u, 4u}) {
      const std::string suffix = std::string("-") + IsaName(isa) + "-" + std::to_string(threads) + ".bin";
      std::vector<double> score(n * kAreas), std(n * kAreas), ciLow(n * kAreas), ciHigh(n * kAreas);
      std::vector<std::uint8_t> quality(n * kAreas);
      AggregateRequest aggregate;
      aggregate.kernel.scores = scores.data();
      aggregate.kernel.stds = stds.data();
      aggregate.kernel.weights = weights.data();
      aggregate.kernel.score = score.data();
      aggregate.kernel.std = std.data();
      aggregate.kernel.ciLow = ciLow.data();
      aggregate.kernel.ciHigh = ciHigh.data();
      aggregate.kernel.quality = quality.data();
      // The prebuild's caller (check-musl.cjs) passes SPEC §1's thresholds; the core has no default.
      const double thresholds[3] = {2.55, 2.1, 1.65};
      for (int t = 0; t < 3; t++) aggregate.kernel.thresholds[t] = thresholds[t];
      aggregate.evaluations = n;
      aggregate.isa = isa;
      aggregate.threads = threads;
      Aggregate(aggregate, pool);
      Write(dir + "/aggregate" + suffix, {&score, &std, &ciLow, &ciHigh}, &quality);

      std::vector<double> mcStd(nMc * kAreas), mcLow(nMc * kAreas), mcHigh(nMc * kAreas);
      MonteCarloRequest monteCarlo;
      monteCarlo.scores = scores.data();
      monteCarlo.stds = stds.data();
      monteCarlo.weights = weights.data();
      monteCarlo.score = score.data();
      monteCarlo.std = mcStd.data();
      monteCarlo.ciLow = mcLow.data();
      monteCarlo.ciHigh = mcHigh.data();
      monteCarlo.evaluations = nMc;
      monteCarlo.seed = 3;
      monteCarlo.samples = 200;
      monteCarlo.isa = isa;
      monteCarlo.threads = threads;
      MonteCarlo(monteCarlo, pool);
      Write(dir + "/montecarlo" + suffix, {&mcStd, &mcLow, &mcHigh}, nullptr);
    }
  }
  return 0;
}
