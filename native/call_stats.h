// What every native call reports, whatever it computes: the ISA it ran, the threads that ran
// part of it (the caller included), their summed busy time and the call's wall time.
#pragma once

#include "cpu.h"

namespace farfan {

struct CallStats {
  Isa isa = Isa::kScalar;
  unsigned threads = 1;
  double busyMs = 0;
  double wallMs = 0;
};

}  // namespace farfan
