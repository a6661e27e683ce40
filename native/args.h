// Argument checks at the JS boundary for aggregate/aggregateAsync and monteCarlo/
// monteCarloAsync. Everything a pointer is derived from is checked here (types, lengths,
// alignment, overlap), because past this point a wrong length is a crash, not an exception.
// Nothing here runs JavaScript: only N-API predicates and reads of what the engine knows.
#pragma once

#include <node_api.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "aggregate.h"
#include "montecarlo.h"

namespace farfan {

constexpr std::size_t kMaxArrayArgs = 8;

// The typed arrays a call reads or writes (thresholds aside: they are read during parsing).
// docs/contract.md §7: an async call must not touch memory a transfer or resize could free under it, so
// it works in place only on arrays over a SharedArrayBuffer (which cannot be detached and only
// grows; the call holds a reference to them) and on copies of every other array: inputs are
// copied while parsing, on the JS thread, and outputs are copied back at completion, on the JS
// thread, if the caller's array is still there (see CallWorker in addon.cc). A sync call runs
// to its end before any JavaScript can run, so it works on the caller's memory in place.
struct CallArrays {
  struct Array {
    napi_value value = nullptr;
    const char* name = nullptr;
    bool shared = false;      // over a SharedArrayBuffer: used in place, held by reference
    bool output = false;      // written by the call
    std::size_t bytes = 0;    // the call's extent in it
    void* copy = nullptr;     // async and not shared: the call's own memory (in `memory`)
    // An output the caller left to the call (null): the call writes its own memory and hands it
    // over as an ArrayBuffer when it completes (CallWorker in addon.cc). `value` is then null.
    bool handOver = false;
  };
  struct Free {
    std::size_t capacity = 0;  // the block's size, from AcquireCopyBlock (copy_memory.h)
    void operator()(void* p) const;
  };
  Array items[kMaxArrayArgs];
  std::size_t count = 0;
  std::size_t copyThreads = 1;  // the call's threads, which also share its large copies
  std::vector<std::unique_ptr<void, Free>> memory;  // the copies
};

// The caller's control words, the optional last argument `control`: an Int32Array over a
// SharedArrayBuffer whose element 0 the JS thread sets non-zero (Atomics.store) to stop the
// call between chunks, as an AbortSignal's abort does, and whose element 1, if it has one,
// counts the area rows finished (CONTROL_DONE on the TypeScript side). The call holds a reference to
// it while it runs.
struct CallSignal {
  napi_value value = nullptr;
  std::int32_t* word = nullptr;  // null: none given
  std::size_t length = 0;
};

struct ParsedAggregate {
  AggregateRequest request;
  CallArrays arrays;
  CallSignal signal;
};

struct ParsedMonteCarlo {
  MonteCarloRequest request;
  CallArrays arrays;
  CallSignal signal;
};

// On failure these return false with a JS error pending whose `code` is "E_NATIVE_ARGS",
// "E_NATIVE_OVERLAP" (an output sharing memory with another array argument; the error's
// `argument` and `other` name both), "E_ISA_UNSUPPORTED" or, when a copy cannot be allocated,
// "E_NATIVE_INTERNAL". `fn` names the entry in messages; `async` makes the copies above.
//
// aggregate(scores, stds, weights, n, thresholds, score, std, ciLow, ciHigh, quality, isa,
//           threads, check[, minChunk[, control]])
// aggregateAsync also takes the five outputs all null: the call then writes memory of its own
// and hands it over (CallArrays::Array::handOver).
bool ParseAggregateArgs(napi_env env, napi_callback_info info, const char* fn, bool async, ParsedAggregate* out);
// monteCarlo(scores, stds, weights, n, score, std, ciLow, ciHigh, firstEvaluation, seed,
//            samples, isa, threads[, minSamplesPerThread[, control]])
bool ParseMonteCarloArgs(napi_env env, napi_callback_info info, const char* fn, bool async,
                         ParsedMonteCarlo* out);

// Number.MAX_SAFE_INTEGER: the largest integer a JS number holds exactly.
constexpr double kMaxSafeInteger = 9007199254740991.0;

enum class ErrorKind { kError, kTypeError, kRangeError };

// Throws `new Error|TypeError|RangeError(message)` with `code` set.
void ThrowCoded(napi_env env, ErrorKind kind, const char* code, const char* message);

}  // namespace farfan
