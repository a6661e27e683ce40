#include "cpu.h"

namespace farfan {

namespace {

struct Features {
  bool avx2 = false;
  bool avx512 = false;
};

Features Detect() {
  Features f;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  // libgcc/compiler-rt report AVX2 and AVX-512F only when the OS saves the wider registers.
  f.avx2 = __builtin_cpu_supports("avx2") != 0;
  f.avx512 = f.avx2 && __builtin_cpu_supports("avx512f") != 0;
#endif
  return f;
}

const Features& Cpu() {
  static const Features features = Detect();  // thread-safe, once per process
  return features;
}

}  // namespace

const char* IsaName(Isa isa) {
  switch (isa) {
    case Isa::kAvx512: return "avx512";
    case Isa::kAvx2: return "avx2";
    case Isa::kScalar: break;
  }
  return "scalar";
}

bool ParseIsa(const std::string& name, Isa* out) {
  if (name == "scalar") *out = Isa::kScalar;
  else if (name == "avx2") *out = Isa::kAvx2;
  else if (name == "avx512") *out = Isa::kAvx512;
  else return false;
  return true;
}

bool IsaSupported(Isa isa) {
  switch (isa) {
    case Isa::kAvx512: return Cpu().avx512;
    case Isa::kAvx2: return Cpu().avx2;
    case Isa::kScalar: return true;
  }
  return false;
}

std::size_t SupportedIsas(Isa* out, std::size_t capacity) {
  std::size_t n = 0;
  for (Isa isa : {Isa::kAvx512, Isa::kAvx2, Isa::kScalar}) {
    if (n < capacity && IsaSupported(isa)) out[n++] = isa;
  }
  return n;
}

Isa BestIsa() {
  Isa best = Isa::kScalar;
  SupportedIsas(&best, 1);
  return best;
}

}  // namespace farfan
