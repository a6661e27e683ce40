// Argument checks at the JS boundary for aggregate/aggregateAsync. Everything a pointer is
// derived from is checked here (types, lengths, alignment, overlap), because past this point a
// wrong length is a crash, not an exception.
#pragma once

#include <node_api.h>

#include "aggregate.h"

namespace farfan {

// Typed arrays the kernel reads or writes, in argument order; kept alive by async calls.
constexpr std::size_t kArrayArgs = 9;

struct ParsedArgs {
  AggregateRequest request;
  napi_value arrays[kArrayArgs] = {};
};

// Reads aggregate(scores, stds, weights, n, thresholds, score, std, ciLow, ciHigh, quality,
// isa, threads, check[, minChunk]). On failure returns false with a JS error pending whose
// `code` is "E_NATIVE_ARGS" or "E_ISA_UNSUPPORTED".
bool ParseAggregateArgs(napi_env env, napi_callback_info info, const char* fn, ParsedArgs* out);

// Throws `new <kind>(message)` with `code` set; kind: 'E' Error, 'T' TypeError, 'R' RangeError.
void ThrowCoded(napi_env env, char kind, const char* code, const char* message);

}  // namespace farfan
