// The SIMD row loop of docs/contract.md §4, written once for every vector ISA. `I` is an ISA's traits:
// a vector type V of kLanes doubles and the handful of operations below. kernel_avx2.cc and
// kernel_avx512.cc include this file inside their own target region (see isa_target.h), so it
// is compiled once per ISA, with that ISA's instructions, and nowhere else.
//
// Lanes run across kLanes consecutive rows (areas, then evaluations), never inside one sum;
// every sum is the scalar loop's left fold, so each ISA writes the scalar loop's bits. Rows that
// do not fill a vector, and the alignment peel, are done by RowsScalar. Each score and std is
// loaded once (Transpose); the check and the arithmetic both use those registers.
//
// Include inside `namespace farfan { namespace { ... } }`, after "kernel.h".

// Rows read ahead of the current block when streaming from DRAM.
constexpr std::size_t kPrefetchRows = 32;

inline void PrefetchRows(const double* p, std::size_t rows) {
  for (std::size_t byte = 0; byte < rows * kDims * sizeof(double); byte += 64) {
    __builtin_prefetch(reinterpret_cast<const char*>(p) + byte);
  }
}

// The bad values among kLanes rows at g whose scores s[] and stds sd[] sit in registers:
// stored to the stack (not read again from the caller's memory) and recorded row by row.
template <class I>
void RecordLanes(const typename I::V s[kDims], const typename I::V sd[kDims], bool checkStds, std::size_t g,
                 BadSlots* bad) {
  constexpr std::size_t kLanes = I::kLanes;
  double sv[kDims][kLanes], sdv[kDims][kLanes];
  for (std::size_t d = 0; d < kDims; ++d) {
    I::template Store<false>(sv[d], s[d]);
    I::template Store<false>(sdv[d], sd[d]);
  }
  for (std::size_t lane = 0; lane < kLanes; ++lane) {
    double rowS[kDims], rowSd[kDims];
    for (std::size_t d = 0; d < kDims; ++d) {
      rowS[d] = sv[d][lane];
      rowSd[d] = sdv[d][lane];
    }
    RecordRow(rowS, rowSd, checkStds, g + lane, bad);
  }
}

// With `bad`, every block's scores and stds also pass I::Unclean while they sit in registers;
// a block with a suspect lane has its values recorded precisely (RecordLanes). The loop stops
// early once `bad` is truncated. Returns the first row it did not do.
template <class I, bool kStream>
std::size_t SimdBlocks(const KernelArgs& args, std::size_t g, std::size_t g1, BadSlots* bad) {
  using V = typename I::V;
  constexpr std::size_t kLanes = I::kLanes;
  const V zero = I::Set1(kMinScore);
  const V three = I::Set1(kMaxScore);
  const V z95 = I::Set1(kZ95);
  const V thresholds[3] = {I::Set1(args.thresholds[0]), I::Set1(args.thresholds[1]), I::Set1(args.thresholds[2])};
  const bool checkStds = args.checkStds;
  std::size_t a0 = g % kAreas;  // area of the block's first row
  for (; g + kLanes <= g1; g += kLanes) {
    if (kStream && g + kPrefetchRows + kLanes <= g1) {
      // Streaming means data from DRAM: the hardware prefetchers alone leave bandwidth unused
      // there, while from L3 these extra requests slow the loop down.
      PrefetchRows(args.scores + (g + kPrefetchRows) * kDims, kLanes);
      PrefetchRows(args.stds + (g + kPrefetchRows) * kDims, kLanes);
      if (!args.sharedWeights) PrefetchRows(args.weights + (g + kPrefetchRows) * kDims, kLanes);
    }
    V s[kDims], sd[kDims], r[kDims], R;
    I::Transpose(args.scores + g * kDims, s);
    I::Transpose(args.stds + g * kDims, sd);
    if (bad != nullptr) {
      unsigned suspect = 0;
      for (std::size_t d = 0; d < kDims; ++d) suspect |= I::Unclean(s[d], sd[d]);
      if (suspect != 0) {
        RecordLanes<I>(s, sd, checkStds, g, bad);
        if (bad->truncated) return g1;
      }
    }
    if (args.sharedWeights) {
      const PreparedWeights& p = *args.prepared;
      for (std::size_t d = 0; d < kDims; ++d) r[d] = I::Load(&p.w[d][a0]);
      R = I::Load(&p.R[a0]);
      a0 += kLanes;
      if (a0 >= kAreas) a0 -= kAreas;
    } else {
      I::Transpose(args.weights + g * kDims, r);
      R = I::Add(r[0], r[1]);
      for (std::size_t d = 2; d < kDims; ++d) R = I::Add(R, r[d]);
    }
    V num = I::Add(I::Mul(r[0], s[0]), I::Mul(r[1], s[1]));
    for (std::size_t d = 2; d < kDims; ++d) num = I::Add(num, I::Mul(r[d], s[d]));
    // max(x, 0): MAXPD returns its second operand on ±0 ties (and NaN), so ±0 gives +0.
    const V score = I::Min(I::Max(I::Div(num, R), zero), three);
    V u = I::Mul(r[0], sd[0]);
    V sq = I::Mul(u, u);
    for (std::size_t d = 1; d < kDims; ++d) {
      u = I::Mul(r[d], sd[d]);
      sq = I::Add(sq, I::Mul(u, u));
    }
    const V std = I::Div(I::Sqrt(sq), R);
    const V half = I::Mul(z95, std);
    I::template Store<kStream>(args.score + g, score);
    I::template Store<kStream>(args.std + g, std);
    I::template Store<kStream>(args.ciLow + g, I::Max(I::Sub(score, half), zero));
    I::template Store<kStream>(args.ciHigh + g, I::Min(I::Add(score, half), three));
    I::StoreQuality(score, thresholds, args.quality + g);
  }
  return g;
}

inline bool Aligned(const void* p, std::uintptr_t to) { return reinterpret_cast<std::uintptr_t>(p) % to == 0; }

// Rows [g0, g1), with the bad-slot records of `bad` when it is not null (see kernel.h). Rows
// that do not fill a vector, and the alignment peel, go to RowsScalar, so records stay in
// increasing index order.
template <class I>
void SimdRows(const KernelArgs& args, std::size_t g0, std::size_t g1, BadSlots* bad) {
  constexpr std::uintptr_t kBytes = I::kLanes * sizeof(double);
  std::size_t g = g0;
  bool stream = false;
  if (args.streamingStores && g1 - g0 >= 64) {
    // Peel rows until `score` is vector-aligned; stream only if the other outputs line up too.
    while (g < g1 && !Aligned(args.score + g, kBytes)) ++g;
    RowsScalar(args, g0, g, bad);
    if (bad != nullptr && bad->truncated) return;
    stream = Aligned(args.std + g, kBytes) && Aligned(args.ciLow + g, kBytes) && Aligned(args.ciHigh + g, kBytes) &&
             Aligned(args.score + g, kBytes);
  }
  g = stream ? SimdBlocks<I, true>(args, g, g1, bad) : SimdBlocks<I, false>(args, g, g1, bad);
  RowsScalar(args, g, g1, bad);
  if (stream) _mm_sfence();
}
