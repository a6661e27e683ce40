// Which kernels this CPU can run: detected once per process, then read-only.
#pragma once

#include <cstddef>
#include <string>

namespace farfan {

enum class Isa { kScalar = 0, kAvx2 = 1, kAvx512 = 2 };

const char* IsaName(Isa isa);
// Parses "scalar" | "avx2" | "avx512"; false for any other string.
bool ParseIsa(const std::string& name, Isa* out);
// Whether this build contains the kernel and this CPU (and OS) can run it.
bool IsaSupported(Isa isa);
// Supported ISAs, best first, always ending with kScalar.
std::size_t SupportedIsas(Isa* out, std::size_t capacity);
Isa BestIsa();

}  // namespace farfan
