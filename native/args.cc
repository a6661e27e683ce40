#include "args.h"

#include <cmath>
#include <cstdint>
#include <string>

namespace farfan {

namespace {

constexpr const char* kArgsCode = "E_NATIVE_ARGS";
constexpr double kMaxSafeInteger = 9007199254740991.0;

const char* const kArgNames[] = {"scores", "stds", "weights", "n",     "thresholds", "score", "std",
                                 "ciLow",  "ciHigh", "quality", "isa", "threads",    "check", "minChunk"};
constexpr std::size_t kRequired = 13;
constexpr std::size_t kMaxArgs = 14;

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

struct Reader {
  napi_env env;
  const char* fn;
  napi_value argv[kMaxArgs];
  std::size_t argc;

  bool Fail(char kind, std::size_t i, const std::string& what) const {
    const std::string message =
        std::string(fn) + ": argument " + std::to_string(i + 1) + " (" + kArgNames[i] + ") " + what;
    ThrowCoded(env, kind, kArgsCode, message.c_str());
    return false;
  }

  struct Span {
    void* data = nullptr;
    std::size_t length = 0;  // elements
    std::size_t bytes = 0;
  };

  bool Typed(std::size_t i, napi_typedarray_type want, Span* out) const {
    const char* wantName = TypedArrayName(want);
    napi_typedarray_type type;  // napi_get_typedarray_info fails on anything but a typed array
    napi_value buffer;
    std::size_t offset = 0;
    if (napi_get_typedarray_info(env, argv[i], &type, &out->length, &out->data, &buffer, &offset) != napi_ok) {
      return Fail('T', i, std::string("must be a ") + wantName);
    }
    if (type != want) return Fail('T', i, std::string("must be a ") + wantName + ", got " + TypedArrayName(type));
    const std::size_t size = want == napi_float64_array ? sizeof(double) : 1;
    if (out->length != 0 && out->data == nullptr) return Fail('T', i, "has no backing store");
    if (reinterpret_cast<std::uintptr_t>(out->data) % size != 0) return Fail('R', i, "is not aligned");
    out->bytes = out->length * size;
    return true;
  }

  bool Length(std::size_t i, const Span& span, std::size_t want) const {
    if (span.length == want) return true;
    return Fail('R', i, "must have length " + std::to_string(want) + ", got " + std::to_string(span.length));
  }

  bool Number(std::size_t i, double* out) const {
    napi_valuetype t;
    if (napi_typeof(env, argv[i], &t) != napi_ok || t != napi_number ||
        napi_get_value_double(env, argv[i], out) != napi_ok) {
      return Fail('T', i, "must be a number");
    }
    return true;
  }

  bool Integer(std::size_t i, double lo, double hi, double* out) const {
    if (!Number(i, out)) return false;
    if (!(std::floor(*out) == *out && *out >= lo && *out <= hi)) {
      return Fail('R', i, "must be an integer in [" + std::to_string(static_cast<long long>(lo)) + ", " +
                              std::to_string(static_cast<long long>(hi)) + "]");
    }
    return true;
  }
};

bool Overlap(const Reader::Span& a, const Reader::Span& b) {
  if (a.bytes == 0 || b.bytes == 0) return false;
  const auto a0 = reinterpret_cast<std::uintptr_t>(a.data), b0 = reinterpret_cast<std::uintptr_t>(b.data);
  return a0 < b0 + b.bytes && b0 < a0 + a.bytes;
}

}  // namespace

void ThrowCoded(napi_env env, char kind, const char* code, const char* message) {
  switch (kind) {
    case 'T': napi_throw_type_error(env, code, message); break;
    case 'R': napi_throw_range_error(env, code, message); break;
    default: napi_throw_error(env, code, message); break;
  }
}

bool ParseAggregateArgs(napi_env env, napi_callback_info info, const char* fn, ParsedArgs* out) {
  Reader r{env, fn, {}, kMaxArgs};
  if (napi_get_cb_info(env, info, &r.argc, r.argv, nullptr, nullptr) != napi_ok) {
    ThrowCoded(env, 'E', kArgsCode, "cannot read the arguments");
    return false;
  }
  if (r.argc < kRequired) {
    const std::string message = std::string(fn) + ": expected " + std::to_string(kRequired) +
                                " arguments (scores, stds, weights, n, thresholds, score, std, ciLow, ciHigh, "
                                "quality, isa, threads, check), got " + std::to_string(r.argc);
    ThrowCoded(env, 'T', kArgsCode, message.c_str());
    return false;
  }
  AggregateRequest& q = out->request;
  KernelArgs& k = q.kernel;

  double n = 0;
  if (!r.Integer(3, 0, kMaxSafeInteger / kSlots, &n)) return false;
  q.evaluations = static_cast<std::size_t>(n);
  const std::size_t slots = q.evaluations * kSlots, rows = q.evaluations * kAreas;

  // Argument index -> span, in the order of ParsedArgs::arrays.
  static constexpr std::size_t kArrayIndex[kArrayArgs] = {0, 1, 2, 4, 5, 6, 7, 8, 9};
  Reader::Span span[kArrayArgs];
  for (std::size_t j = 0; j < kArrayArgs; ++j) {
    const std::size_t i = kArrayIndex[j];
    if (!r.Typed(i, i == 9 ? napi_uint8_array : napi_float64_array, &span[j])) return false;
    out->arrays[j] = r.argv[i];
  }
  if (!r.Length(0, span[0], slots) || !r.Length(1, span[1], slots)) return false;
  if (span[2].length != kSlots && span[2].length != slots) {
    return r.Fail('R', 2, "must have length 60 (shared) or n*60 = " + std::to_string(slots) + ", got " +
                              std::to_string(span[2].length));
  }
  if (!r.Length(4, span[3], 3)) return false;
  for (std::size_t j = 4; j < kArrayArgs; ++j) {
    if (!r.Length(kArrayIndex[j], span[j], rows)) return false;
  }
  // Outputs must not overlap each other or any input (inputs may share memory).
  for (std::size_t j = 4; j < kArrayArgs; ++j) {
    for (std::size_t m = 0; m < j; ++m) {
      if (Overlap(span[j], span[m])) {
        return r.Fail('R', kArrayIndex[j], std::string("overlaps argument ") + kArgNames[kArrayIndex[m]]);
      }
    }
  }

  napi_valuetype t;
  char isaName[16] = {0};
  std::size_t isaLength = 0;
  if (napi_typeof(env, r.argv[10], &t) != napi_ok || t != napi_string ||
      napi_get_value_string_utf8(env, r.argv[10], isaName, sizeof isaName, &isaLength) != napi_ok) {
    return r.Fail('T', 10, "must be a string");
  }
  if (isaLength >= sizeof isaName - 1 || !ParseIsa(std::string(isaName, isaLength), &q.isa)) {
    return r.Fail('R', 10, "must be \"scalar\", \"avx2\" or \"avx512\"");
  }
  if (!IsaSupported(q.isa)) {
    Isa supported[3];
    const std::size_t count = SupportedIsas(supported, 3);
    std::string list;
    for (std::size_t i = 0; i < count; ++i) list += std::string(i ? ", " : "") + IsaName(supported[i]);
    const std::string message = std::string(fn) + ": ISA \"" + IsaName(q.isa) +
                                "\" is not supported by this CPU or build (supported: " + list + ")";
    ThrowCoded(env, 'E', "E_ISA_UNSUPPORTED", message.c_str());
    return false;
  }
  double threads = 0;
  if (!r.Integer(11, 1, ThreadPool::kMaxThreads, &threads)) return false;
  q.threads = static_cast<unsigned>(threads);
  if (napi_typeof(env, r.argv[12], &t) != napi_ok || t != napi_boolean ||
      napi_get_value_bool(env, r.argv[12], &q.check) != napi_ok) {
    return r.Fail('T', 12, "must be a boolean");
  }
  if (r.argc > 13 && napi_typeof(env, r.argv[13], &t) == napi_ok && t != napi_undefined) {
    double minChunk = 0;
    if (!r.Integer(13, 1, kMaxSafeInteger, &minChunk)) return false;
    q.minChunk = static_cast<std::size_t>(minChunk);
  }

  k.scores = static_cast<const double*>(span[0].data);
  k.stds = static_cast<const double*>(span[1].data);
  k.weights = static_cast<const double*>(span[2].data);
  k.sharedWeights = span[2].length == kSlots;
  const auto* th = static_cast<const double*>(span[3].data);
  for (int i = 0; i < 3; ++i) k.thresholds[i] = th[i];
  k.score = static_cast<double*>(span[4].data);
  k.std = static_cast<double*>(span[5].data);
  k.ciLow = static_cast<double*>(span[6].data);
  k.ciHigh = static_cast<double*>(span[7].data);
  k.quality = static_cast<std::uint8_t*>(span[8].data);
  return true;
}

}  // namespace farfan
