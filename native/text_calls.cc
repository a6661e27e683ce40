#include "text_calls.h"

#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "coded_error.h"
#include "csv_scan.h"
#include "error_codes.h"
#include "number_text.h"

namespace farfan {

namespace {

// Throws E_NATIVE_ARGS (a RangeError) naming the call and the argument; returns an empty value.
Napi::Value Refuse(const Napi::Env& env, const char* call, const std::string& what) {
  CodedError<Napi::RangeError>(env, codes::kArgs, std::string(call) + ": " + what).ThrowAsJavaScriptException();
  return Napi::Value();
}

// Argument i as a typed array of `type`: its data and length, or false (nothing thrown).
template <class T>
bool TypedArg(const Napi::CallbackInfo& info, std::size_t i, napi_typedarray_type type, T** data, std::size_t* length) {
  napi_typedarray_type actual;
  void* raw = nullptr;
  if (i >= info.Length() || napi_get_typedarray_info(info.Env(), info[i], &actual, length, &raw, nullptr, nullptr) != napi_ok || actual != type) {
    return false;
  }
  *data = static_cast<T*>(raw);
  return true;
}

// Argument i as an integer in [min, max], or false (nothing thrown).
bool IntegerArg(const Napi::CallbackInfo& info, std::size_t i, double min, double max, double* out) {
  if (i >= info.Length() || !info[i].IsNumber()) return false;
  const double value = info[i].As<Napi::Number>().DoubleValue();
  if (!(value >= min && value <= max) || value != static_cast<double>(static_cast<std::int64_t>(value))) return false;
  *out = value;
  return true;
}

}  // namespace

Napi::Value ParseNumbers(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  constexpr const char* kCall = "parseNumbers";
  const std::uint8_t* bytes = nullptr;
  const std::int32_t* starts = nullptr;
  const std::int32_t* ends = nullptr;
  double* values = nullptr;
  std::uint8_t* bad = nullptr;
  std::size_t byteCount = 0, rows = 0, endCount = 0, valueCount = 0, badCount = 0;
  if (!TypedArg(info, 0, napi_uint8_array, &bytes, &byteCount) || !TypedArg(info, 1, napi_int32_array, &starts, &rows) ||
      !TypedArg(info, 2, napi_int32_array, &ends, &endCount) || !TypedArg(info, 3, napi_float64_array, &values, &valueCount) ||
      !TypedArg(info, 4, napi_uint8_array, &bad, &badCount)) {
    return Refuse(env, kCall, "expected (Uint8Array, Int32Array, Int32Array, Float64Array, Uint8Array)");
  }
  if (endCount != rows || valueCount != rows || badCount != rows) return Refuse(env, kCall, "starts, ends, values and bad must have the same length");
  std::size_t refused = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    const std::int32_t start = starts[r];
    const std::int32_t end = ends[r];
    if (start >= 0 && !(start <= end && static_cast<std::size_t>(end) <= byteCount)) {
      return Refuse(env, kCall, "field " + std::to_string(r) + " is not within bytes");
    }
    double value = 0;
    const char* text = reinterpret_cast<const char*>(bytes);
    const bool number = start >= 0 && ParseNumber(text + start, text + end, &value);
    values[r] = number ? value : 0;
    bad[r] = number ? 0 : 1;
    refused += number ? 0 : 1;
  }
  return Napi::Number::New(env, static_cast<double>(refused));
}

Napi::Value FormatNumbers(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  constexpr const char* kCall = "formatNumbers";
  const double* values = nullptr;
  std::uint8_t* out = nullptr;
  std::int32_t* ends = nullptr;
  std::size_t count = 0, room = 0, endCount = 0;
  if (!TypedArg(info, 0, napi_float64_array, &values, &count) || !TypedArg(info, 1, napi_uint8_array, &out, &room) ||
      !TypedArg(info, 2, napi_int32_array, &ends, &endCount)) {
    return Refuse(env, kCall, "expected (Float64Array, Uint8Array, Int32Array)");
  }
  if (endCount != count) return Refuse(env, kCall, "values and ends must have the same length");
  if (room / kMaxNumberText < count || room > INT32_MAX) return Refuse(env, kCall, "out must hold 25 bytes a value, and fewer than 2^31 in all");
  char* const first = reinterpret_cast<char*>(out);
  char* at = first;
  for (std::size_t i = 0; i < count; ++i) {
    at = FormatNumber(values[i], at);
    ends[i] = static_cast<std::int32_t>(at - first);
  }
  return Napi::Number::New(env, static_cast<double>(at - first));
}

Napi::Value ScanCsvRecords(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  constexpr const char* kCall = "scanCsv";
  const std::uint8_t* bytes = nullptr;
  const std::int32_t* fields = nullptr;
  std::int32_t *starts = nullptr, *ends = nullptr, *lines = nullptr, *state = nullptr;
  std::size_t byteCount = 0, fieldCount = 0, startCount = 0, endCount = 0, capacity = 0, stateCount = 0;
  double end = 0, numberFrom = 0;
  if (!TypedArg(info, 0, napi_uint8_array, &bytes, &byteCount) || !IntegerArg(info, 1, 0, INT32_MAX, &end) || !info[2].IsBoolean() ||
      !TypedArg(info, 3, napi_int32_array, &fields, &fieldCount) || !IntegerArg(info, 4, 0, INT32_MAX, &numberFrom) ||
      !TypedArg(info, 5, napi_int32_array, &starts, &startCount) || !TypedArg(info, 6, napi_int32_array, &ends, &endCount) ||
      !TypedArg(info, 7, napi_int32_array, &lines, &capacity) || !TypedArg(info, 8, napi_int32_array, &state, &stateCount)) {
    return Refuse(env, kCall, "expected (Uint8Array, integer, boolean, Int32Array, integer, Int32Array, Int32Array, Int32Array, Int32Array)");
  }
  if (end > static_cast<double>(byteCount)) return Refuse(env, kCall, "end is past bytes");
  if (numberFrom > static_cast<double>(fieldCount)) return Refuse(env, kCall, "numberFrom is past fields");
  if (capacity == 0 || startCount / capacity != fieldCount || startCount % capacity != 0 || endCount != startCount) {
    return Refuse(env, kCall, "starts and ends must hold fields.length * lines.length cells");
  }
  if (stateCount != 3 || state[0] < 0 || static_cast<double>(state[0]) > end || state[2] < 0 || static_cast<std::size_t>(state[2]) > capacity) {
    return Refuse(env, kCall, "state must be [at within the text, line, rows within lines]");
  }
  const CsvColumns columns{fields, fieldCount, static_cast<std::size_t>(numberFrom), starts, ends, lines, capacity};
  CsvScanState scan{static_cast<std::size_t>(state[0]), state[1], static_cast<std::size_t>(state[2])};
  std::vector<std::int32_t> scratch;
  CsvStop stop;
  try {
    stop = ScanCsv(bytes, static_cast<std::size_t>(end), info[2].As<Napi::Boolean>().Value(), columns, &scan, &scratch);
  } catch (const std::bad_alloc&) {
    CodedError(env, codes::kInternal, "scanCsv: out of memory for a record's fields").ThrowAsJavaScriptException();
    return Napi::Value();
  }
  state[0] = static_cast<std::int32_t>(scan.at);
  state[1] = scan.line;
  state[2] = static_cast<std::int32_t>(scan.rows);
  return Napi::Number::New(env, static_cast<double>(static_cast<int>(stop)));
}

}  // namespace farfan
