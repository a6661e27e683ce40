// Argument checks at the JS boundary for aggregate/aggregateAsync and monteCarlo/
// monteCarloAsync. Everything a pointer is derived from is checked here (types, lengths,
// alignment, overlap, resizable buffers), because past this point a wrong length is a crash,
// not an exception.
#pragma once

#include <node_api.h>

#include <cstddef>

#include "aggregate.h"
#include "montecarlo.h"

namespace farfan {

constexpr std::size_t kMaxArrayArgs = 9;

// The typed arrays a call reads or writes, in argument order: async calls keep them alive and
// check at completion that none was detached meanwhile.
struct ArrayArgs {
  napi_value values[kMaxArrayArgs] = {};
  const char* names[kMaxArrayArgs] = {};
  std::size_t count = 0;
};

struct ParsedAggregate {
  AggregateRequest request;
  ArrayArgs arrays;
};

struct ParsedMonteCarlo {
  MonteCarloRequest request;
  ArrayArgs arrays;
};

// On failure these return false with a JS error pending whose `code` is "E_NATIVE_ARGS" or
// "E_ISA_UNSUPPORTED"; `fn` names the entry in messages. `async` calls also refuse typed arrays
// over a resizable ArrayBuffer or growable SharedArrayBuffer: JS runs while they hold raw
// pointers, and a resize could shrink the memory under them. A sync call returns before any JS
// runs (and a SharedArrayBuffer never shrinks), so it skips that check, which costs ~140 ns
// per array: N-API has no predicate for it (see Reader::Resizable in args.cc).
//
// aggregate(scores, stds, weights, n, thresholds, score, std, ciLow, ciHigh, quality, isa,
//           threads, check[, minChunk])
bool ParseAggregateArgs(napi_env env, napi_callback_info info, const char* fn, bool async, ParsedAggregate* out);
// monteCarlo(scores, stds, weights, n, score, std, ciLow, ciHigh, firstEvaluation, seed,
//            samples, isa, threads[, minSamplesPerThread])
bool ParseMonteCarloArgs(napi_env env, napi_callback_info info, const char* fn, bool async,
                         ParsedMonteCarlo* out);

// Throws `new <kind>(message)` with `code` set; kind: 'E' Error, 'T' TypeError, 'R' RangeError.
void ThrowCoded(napi_env env, char kind, const char* code, const char* message);

}  // namespace farfan
