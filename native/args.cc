#include "args.h"

#include "copy_memory.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

namespace farfan {

namespace {

constexpr const char* kArgsCode = "E_NATIVE_ARGS";

constexpr std::uint64_t kTwoPow53 = std::uint64_t{1} << 53;
constexpr std::size_t kMaxArgs = 15;

const char* const kAggregateNames[] = {"scores", "stds",   "weights", "n",   "thresholds", "score", "std",
                                       "ciLow",  "ciHigh", "quality", "isa", "threads",    "check", "minChunk", "control"};
constexpr const char* kAggregateUsage =
    "scores, stds, weights, n, thresholds, score, std, ciLow, ciHigh, quality, isa, threads, check";
constexpr std::size_t kAggregateRequired = 13;

const char* const kMonteCarloNames[] = {"scores",  "stds",          "weights", "n",   "score",   "std",
                                        "ciLow",   "ciHigh",        "firstEvaluation", "seed",
                                        "samples", "isa",           "threads", "minSamplesPerThread", "control"};
constexpr const char* kMonteCarloUsage =
    "scores, stds, weights, n, score, std, ciLow, ciHigh, firstEvaluation, seed, samples, isa, threads";
constexpr std::size_t kMonteCarloRequired = 13;
constexpr double kMaxSamples = 1000000;

const char* TypedArrayName(napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array: return "Int8Array";
    case napi_uint8_array: return "Uint8Array";
    case napi_uint8_clamped_array: return "Uint8ClampedArray";
    case napi_int16_array: return "Int16Array";
    case napi_uint16_array: return "Uint16Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint32_array: return "Uint32Array";
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_bigint64_array: return "BigInt64Array";
    case napi_biguint64_array: return "BigUint64Array";
    default: return "typed array";  // kinds newer than these headers (e.g. Float16Array)
  }
}

struct Span {
  void* data = nullptr;
  std::size_t length = 0;  // elements
  std::size_t bytes = 0;
  bool shared = false;  // over a SharedArrayBuffer
  bool handOver = false;  // no array: the call's own memory (CallArrays::Array::handOver)
};

constexpr ErrorKind kError = ErrorKind::kError;
constexpr ErrorKind kType = ErrorKind::kTypeError;
constexpr ErrorKind kRange = ErrorKind::kRangeError;

bool Overlap(const Span& a, const Span& b) {
  if (a.bytes == 0 || b.bytes == 0 || a.handOver || b.handOver) return false;
  const auto a0 = reinterpret_cast<std::uintptr_t>(a.data), b0 = reinterpret_cast<std::uintptr_t>(b.data);
  return a0 < b0 + b.bytes && b0 < a0 + a.bytes;
}

// One entry's arguments: `names` gives each position's name for messages.
struct Reader {
  napi_env env;
  const char* fn;
  const char* const* names;
  bool async;
  napi_value argv[kMaxArgs] = {};
  std::size_t argc = kMaxArgs;

  bool Read(napi_callback_info info, std::size_t required, const char* usage) {
    if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) {
      ThrowCoded(env, kError, kArgsCode, "cannot read the arguments");
      return false;
    }
    if (argc >= required) return true;
    const std::string message = std::string(fn) + ": expected " + std::to_string(required) + " arguments (" + usage +
                                "), got " + std::to_string(argc);
    ThrowCoded(env, kType, kArgsCode, message.c_str());
    return false;
  }

  bool Fail(ErrorKind kind, std::size_t i, const std::string& what) const {
    const std::string message =
        std::string(fn) + ": argument " + std::to_string(i + 1) + " (" + names[i] + ") " + what;
    ThrowCoded(env, kind, kArgsCode, message.c_str());
    return false;
  }

  bool Typed(std::size_t i, napi_typedarray_type want, Span* out) const {
    const char* wantName = TypedArrayName(want);
    napi_typedarray_type type;  // napi_get_typedarray_info fails on anything but a typed array
    napi_value buffer;
    std::size_t offset = 0;
    if (napi_get_typedarray_info(env, argv[i], &type, &out->length, &out->data, &buffer, &offset) != napi_ok) {
      return Fail(kType, i, std::string("must be a ") + wantName);
    }
    if (type != want) return Fail(kType, i, std::string("must be a ") + wantName + ", got " + TypedArrayName(type));
    const std::size_t size = want == napi_float64_array ? sizeof(double) : 1;
    if (out->length != 0 && out->data == nullptr) return Fail(kType, i, "has no backing store");
    if (reinterpret_cast<std::uintptr_t>(out->data) % size != 0) return Fail(kRange, i, "is not aligned");
    // napi_is_arraybuffer is true for an ArrayBuffer (resizable or not) and false for a
    // SharedArrayBuffer, the one kind of buffer no transfer can detach and no resize shrink.
    bool plain = true;
    if (napi_is_arraybuffer(env, buffer, &plain) != napi_ok) return Fail(kType, i, "has an unreadable buffer");
    out->shared = !plain;
    out->bytes = out->length * size;
    return true;
  }

  // The typed arrays at argument positions index[0..count): Float64Array unless `bytes` names
  // the one position holding a Uint8Array.
  bool Arrays(const std::size_t* index, std::size_t count, std::size_t bytes, Span* spans) const {
    for (std::size_t j = 0; j < count; ++j) {
      const std::size_t i = index[j];
      if (!Typed(i, i == bytes ? napi_uint8_array : napi_float64_array, &spans[j])) return false;
    }
    return true;
  }

  // The output arguments at index[0..count), typed arrays as Arrays reads them, or, for an async
  // call, all null: the call then hands over memory of its own (CallArrays::Array::handOver),
  // and each gets a span of `rows` elements with no data.
  bool Outputs(const std::size_t* index, std::size_t count, std::size_t bytes, std::size_t rows, Span* spans) const {
    napi_valuetype t;
    if (!async || napi_typeof(env, argv[index[0]], &t) != napi_ok || t != napi_null) return Arrays(index, count, bytes, spans);
    for (std::size_t j = 0; j < count; ++j) {
      const std::size_t i = index[j];
      if (napi_typeof(env, argv[i], &t) != napi_ok || t != napi_null) {
        return Fail(kType, i, std::string("must be null, as ") + names[index[0]] + " is");
      }
      spans[j].length = rows;
      spans[j].bytes = rows * (i == bytes ? 1 : sizeof(double));
      spans[j].handOver = true;
    }
    return true;
  }

  // Outputs (spans from firstOutput on) must not overlap each other or any input; inputs may
  // share memory. Two SharedArrayBuffer objects over one memory (structuredClone of a SAB) are
  // distinct objects with one address: only a comparison of addresses finds them.
  bool Disjoint(const std::size_t* index, const Span* spans, std::size_t firstOutput, std::size_t count) const {
    for (std::size_t j = firstOutput; j < count; ++j) {
      for (std::size_t m = 0; m < j; ++m) {
        if (Overlap(spans[j], spans[m])) return FailOverlap(index[j], index[m]);
      }
    }
    return true;
  }

  bool FailOverlap(std::size_t i, std::size_t other) const {
    const std::string message = std::string(fn) + ": argument " + std::to_string(i + 1) + " (" + names[i] +
                                ") shares memory with argument " + std::to_string(other + 1) + " (" + names[other] + ")";
    napi_value code, text, error, argument, otherName;
    if (napi_create_string_utf8(env, "E_NATIVE_OVERLAP", NAPI_AUTO_LENGTH, &code) != napi_ok ||
        napi_create_string_utf8(env, message.c_str(), NAPI_AUTO_LENGTH, &text) != napi_ok ||
        napi_create_range_error(env, code, text, &error) != napi_ok ||
        napi_create_string_utf8(env, names[i], NAPI_AUTO_LENGTH, &argument) != napi_ok ||
        napi_create_string_utf8(env, names[other], NAPI_AUTO_LENGTH, &otherName) != napi_ok ||
        napi_set_named_property(env, error, "argument", argument) != napi_ok ||
        napi_set_named_property(env, error, "other", otherName) != napi_ok) {
      ThrowCoded(env, kRange, "E_NATIVE_OVERLAP", message.c_str());
      return false;
    }
    napi_throw(env, error);
    return false;
  }

  // Records the arrays in `arrays` and, for an async call, replaces every span that is not over
  // a SharedArrayBuffer by the call's own memory: a copy for inputs, fresh memory for outputs
  // (spans from firstOutput on). Inputs with the same memory share one copy.
  bool Own(const std::size_t* index, Span* spans, std::size_t firstOutput, std::size_t count, std::size_t copyThreads,
           CallArrays* arrays) const {
    arrays->count = count;
    arrays->copyThreads = copyThreads;
    const void* callers[kMaxArrayArgs] = {};  // each span's memory as the caller gave it
    for (std::size_t j = 0; j < count; ++j) {
      callers[j] = spans[j].data;
      CallArrays::Array& a = arrays->items[j];
      a.value = argv[index[j]];
      a.name = names[index[j]];
      a.shared = spans[j].shared;
      a.output = j >= firstOutput;
      a.bytes = spans[j].bytes;
      a.handOver = spans[j].handOver;
      // Outputs written in place (fresh ones from allocateSharedOutputs, say) get the advice
      // copies get; on outputs already touched it changes nothing.
      if (a.output && (!async || a.shared)) AdviseHugePages(spans[j].data, a.bytes);
      if (!async || a.shared || a.bytes == 0) continue;
      for (std::size_t m = 0; m < j && !a.output; ++m) {
        if (arrays->items[m].copy != nullptr && callers[m] == callers[j] && spans[m].bytes == a.bytes) {
          a.copy = arrays->items[m].copy;
        }
      }
      if (a.copy == nullptr) {
        std::size_t capacity = 0;
        void* block = AcquireCopyBlock(a.bytes, &capacity);
        std::unique_ptr<void, CallArrays::Free> memory(block, CallArrays::Free{capacity});
        if (!memory) {
          ThrowCoded(env, kError, "E_NATIVE_INTERNAL", (std::string(fn) + ": out of memory for a copy of " + a.name).c_str());
          return false;
        }
        if (!a.output) CopyOnThreads(memory.get(), spans[j].data, a.bytes, copyThreads);
        a.copy = memory.get();
        arrays->memory.push_back(std::move(memory));
      }
      spans[j].data = a.copy;
    }
    return true;
  }

  bool Length(std::size_t i, const Span& span, std::size_t want) const {
    if (span.length == want) return true;
    return Fail(kRange, i, "must have length " + std::to_string(want) + ", got " + std::to_string(span.length));
  }

  // 60 (shared) or n*60 (per evaluation).
  bool WeightsLength(std::size_t i, const Span& span, std::size_t slots) const {
    if (span.length == kSlots || span.length == slots) return true;
    return Fail(kRange, i, "must have length 60 (shared) or n*60 = " + std::to_string(slots) + ", got " +
                            std::to_string(span.length));
  }

  bool Number(std::size_t i, double* out) const {
    napi_valuetype t;
    if (napi_typeof(env, argv[i], &t) != napi_ok || t != napi_number ||
        napi_get_value_double(env, argv[i], out) != napi_ok) {
      return Fail(kType, i, "must be a number");
    }
    return true;
  }

  bool Integer(std::size_t i, double lo, double hi, double* out) const {
    if (!Number(i, out)) return false;
    if (!(std::floor(*out) == *out && *out >= lo && *out <= hi)) {
      return Fail(kRange, i, "must be an integer in [" + std::to_string(static_cast<long long>(lo)) + ", " +
                              std::to_string(static_cast<long long>(hi)) + "]");
    }
    return true;
  }

  // An optional trailing integer: left alone when absent or undefined.
  bool OptionalInteger(std::size_t i, double lo, double hi, std::size_t* out) const {
    napi_valuetype t;
    if (argc <= i || (napi_typeof(env, argv[i], &t) == napi_ok && t == napi_undefined)) return true;
    double value = 0;
    if (!Integer(i, lo, hi, &value)) return false;
    *out = static_cast<std::size_t>(value);
    return true;
  }

  // The optional cancel word (CallSignal): left alone when absent or undefined; else an
  // Int32Array over a SharedArrayBuffer with at least one element.
  bool Signal(std::size_t i, CallSignal* out) const {
    napi_valuetype t;
    if (argc <= i || (napi_typeof(env, argv[i], &t) == napi_ok && t == napi_undefined)) return true;
    Span span;
    napi_typedarray_type type;
    napi_value buffer;
    bool plain = true;
    if (napi_get_typedarray_info(env, argv[i], &type, &span.length, &span.data, &buffer, nullptr) != napi_ok ||
        type != napi_int32_array || napi_is_arraybuffer(env, buffer, &plain) != napi_ok || plain ||
        span.length == 0 || span.data == nullptr) {
      return Fail(kType, i, "must be an Int32Array over a SharedArrayBuffer, at least 1 long");
    }
    out->value = argv[i];
    out->word = static_cast<std::int32_t*>(span.data);
    out->length = span.length;
    return true;
  }

  bool Threads(std::size_t i, unsigned* out) const {
    double threads = 0;
    if (!Integer(i, 1, ThreadPool::kMaxThreads, &threads)) return false;
    *out = static_cast<unsigned>(threads);
    return true;
  }

  // "scalar" | "avx2" | "avx512", and one this CPU and build can run (else E_ISA_UNSUPPORTED).
  bool IsaArg(std::size_t i, Isa* out) const {
    napi_valuetype t;
    char name[16] = {0};
    std::size_t length = 0;
    if (napi_typeof(env, argv[i], &t) != napi_ok || t != napi_string ||
        napi_get_value_string_utf8(env, argv[i], name, sizeof name, &length) != napi_ok) {
      return Fail(kType, i, "must be a string");
    }
    if (length >= sizeof name - 1 || !ParseIsa(std::string(name, length), out)) {
      return Fail(kRange, i, "must be \"scalar\", \"avx2\" or \"avx512\"");
    }
    if (IsaSupported(*out)) return true;
    Isa supported[3];
    const std::size_t count = SupportedIsas(supported, 3);
    std::string list;
    for (std::size_t k = 0; k < count; ++k) list += std::string(k ? ", " : "") + IsaName(supported[k]);
    const std::string message = std::string(fn) + ": ISA \"" + IsaName(*out) +
                                "\" is not supported by this CPU or build (supported: " + list + ")";
    ThrowCoded(env, kError, "E_ISA_UNSUPPORTED", message.c_str());
    return false;
  }
};

}  // namespace

void CallArrays::Free::operator()(void* p) const { ReleaseCopyBlock(p, capacity); }

void ThrowCoded(napi_env env, ErrorKind kind, const char* code, const char* message) {
  switch (kind) {
    case ErrorKind::kTypeError: napi_throw_type_error(env, code, message); break;
    case ErrorKind::kRangeError: napi_throw_range_error(env, code, message); break;
    case ErrorKind::kError: napi_throw_error(env, code, message); break;
  }
}

bool ParseAggregateArgs(napi_env env, napi_callback_info info, const char* fn, bool async, ParsedAggregate* out) {
  Reader r{env, fn, kAggregateNames, async};
  if (!r.Read(info, kAggregateRequired, kAggregateUsage)) return false;
  AggregateRequest& q = out->request;
  KernelArgs& k = q.kernel;

  double n = 0;
  if (!r.Integer(3, 0, kMaxSafeInteger / kSlots, &n)) return false;
  q.evaluations = static_cast<std::size_t>(n);
  const std::size_t slots = q.evaluations * kSlots, rows = q.evaluations * kAreas;

  // scores, stds, weights, then the outputs score, std, ciLow, ciHigh, quality.
  constexpr std::size_t kCount = 8, kFirstOutput = 3, kQuality = 9;
  static constexpr std::size_t kIndex[kCount] = {0, 1, 2, 5, 6, 7, 8, 9};
  Span span[kCount], thresholds;
  if (!r.Arrays(kIndex, kFirstOutput, kQuality, span) ||
      !r.Outputs(kIndex + kFirstOutput, kCount - kFirstOutput, kQuality, rows, span + kFirstOutput) ||
      !r.Typed(4, napi_float64_array, &thresholds)) {
    return false;
  }
  if (!r.Length(0, span[0], slots) || !r.Length(1, span[1], slots) || !r.WeightsLength(2, span[2], slots) ||
      !r.Length(4, thresholds, 3)) {
    return false;
  }
  for (std::size_t j = kFirstOutput; j < kCount; ++j) {
    if (!r.Length(kIndex[j], span[j], rows)) return false;
  }
  if (!r.Disjoint(kIndex, span, kFirstOutput, kCount)) return false;

  if (!r.IsaArg(10, &q.isa) || !r.Threads(11, &q.threads)) return false;
  napi_valuetype t;
  if (napi_typeof(env, r.argv[12], &t) != napi_ok || t != napi_boolean ||
      napi_get_value_bool(env, r.argv[12], &q.check) != napi_ok) {
    return r.Fail(kType, 12, "must be a boolean");
  }
  if (!r.OptionalInteger(13, 1, kMaxSafeInteger, &q.minChunk) || !r.Signal(14, &out->signal)) return false;
  if (!r.Own(kIndex, span, kFirstOutput, kCount, q.threads, &out->arrays)) return false;

  k.scores = static_cast<const double*>(span[0].data);
  k.stds = static_cast<const double*>(span[1].data);
  k.weights = static_cast<const double*>(span[2].data);
  k.sharedWeights = span[2].length == kSlots;
  const auto* th = static_cast<const double*>(thresholds.data);
  for (int i = 0; i < 3; ++i) k.thresholds[i] = th[i];
  k.score = static_cast<double*>(span[3].data);
  k.std = static_cast<double*>(span[4].data);
  k.ciLow = static_cast<double*>(span[5].data);
  k.ciHigh = static_cast<double*>(span[6].data);
  k.quality = static_cast<std::uint8_t*>(span[7].data);
  return true;
}

bool ParseMonteCarloArgs(napi_env env, napi_callback_info info, const char* fn, bool async,
                         ParsedMonteCarlo* out) {
  Reader r{env, fn, kMonteCarloNames, async};
  if (!r.Read(info, kMonteCarloRequired, kMonteCarloUsage)) return false;
  MonteCarloRequest& q = out->request;

  double n = 0;
  if (!r.Integer(3, 0, kMaxSafeInteger / kSlots, &n)) return false;
  q.evaluations = static_cast<std::size_t>(n);
  const std::size_t slots = q.evaluations * kSlots, rows = q.evaluations * kAreas;

  // scores, stds, weights, score (all read), then the outputs std, ciLow, ciHigh.
  constexpr std::size_t kCount = 7, kFirstOutput = 4, kNoBytes = kMaxArgs;
  static constexpr std::size_t kIndex[kCount] = {0, 1, 2, 4, 5, 6, 7};
  Span span[kCount];
  if (!r.Arrays(kIndex, kCount, kNoBytes, span)) return false;
  if (!r.Length(0, span[0], slots) || !r.Length(1, span[1], slots) || !r.WeightsLength(2, span[2], slots)) {
    return false;
  }
  for (std::size_t j = 3; j < kCount; ++j) {
    if (!r.Length(kIndex[j], span[j], rows)) return false;
  }
  if (!r.Disjoint(kIndex, span, kFirstOutput, kCount)) return false;

  double first = 0, seed = 0, samples = 0;
  if (!r.Integer(8, 0, kMaxSafeInteger, &first) || !r.Integer(9, 0, kMaxSafeInteger, &seed) ||
      !r.Integer(10, 2, kMaxSamples, &samples)) {
    return false;
  }
  q.firstEvaluation = static_cast<std::uint64_t>(first);
  if (q.firstEvaluation + q.evaluations > kTwoPow53) {
    return r.Fail(kRange, 8, "plus n must not exceed 2^53 (evaluation indices must stay exact in JavaScript)");
  }
  q.seed = static_cast<std::uint64_t>(seed);
  q.samples = static_cast<std::uint32_t>(samples);
  if (!r.IsaArg(11, &q.isa) || !r.Threads(12, &q.threads)) return false;
  if (!r.OptionalInteger(13, 1, kMaxSafeInteger, &q.minSamplesPerThread) || !r.Signal(14, &out->signal)) return false;
  if (!r.Own(kIndex, span, kFirstOutput, kCount, q.threads, &out->arrays)) return false;

  q.scores = static_cast<const double*>(span[0].data);
  q.stds = static_cast<const double*>(span[1].data);
  q.weights = static_cast<const double*>(span[2].data);
  q.sharedWeights = span[2].length == kSlots;
  q.score = static_cast<const double*>(span[3].data);
  q.std = static_cast<double*>(span[4].data);
  q.ciLow = static_cast<double*>(span[5].data);
  q.ciHigh = static_cast<double*>(span[6].data);
  return true;
}

}  // namespace farfan
