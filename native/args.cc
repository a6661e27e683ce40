#include "args.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "error_codes.h"

namespace farfan {

namespace {

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

bool IsArray(abi::Type type) {
  return type == abi::Type::kFloat64Array || type == abi::Type::kUint8Array || type == abi::Type::kInt32Array;
}

// The typed array an array type is, and its element size.
napi_typedarray_type ArrayType(abi::Type type) {
  return type == abi::Type::kUint8Array ? napi_uint8_array : type == abi::Type::kInt32Array ? napi_int32_array : napi_float64_array;
}
std::size_t ElementSize(abi::Type type) {
  return type == abi::Type::kUint8Array ? 1 : type == abi::Type::kInt32Array ? sizeof(std::int32_t) : sizeof(double);
}

bool Overlap(const ArrayView& a, const ArrayView& b) {
  if (a.bytes == 0 || b.bytes == 0 || a.null || b.null) return false;
  const auto a0 = reinterpret_cast<std::uintptr_t>(a.data), b0 = reinterpret_cast<std::uintptr_t>(b.data);
  return a0 < b0 + b.bytes && b0 < a0 + a.bytes;
}

}  // namespace

bool CallArgs::Read() {
  const std::size_t argc = info_.Length();
  if (argc < call_.required) {
    std::string usage;
    for (std::size_t i = 0; i < call_.required; ++i) usage += std::string(i ? ", " : "") + call_.args[i].name;
    Throw(ErrorKind::kTypeError, codes::kArgs,
          std::string(Name()) + ": expected " + std::to_string(call_.required) + " arguments (" + usage + "), got " +
              std::to_string(argc));
    return false;
  }
  for (std::size_t i = 0; i < call_.count; ++i) {
    if (!ReadOne(i)) return false;
  }
  for (std::size_t i = 0; i < call_.count; ++i) {
    if (!CheckLength(i)) return false;
  }
  return CheckNulls() && CheckDisjoint();
}

bool CallArgs::ReadOne(std::size_t i) {
  const abi::Arg& spec = call_.args[i];
  const Napi::Value value = info_[i];  // undefined past the arguments given
  Slot& slot = values_[i];
  if (spec.optional && value.IsUndefined()) return true;
  slot.given = true;
  switch (spec.type) {
    case abi::Type::kFloat64Array:
    case abi::Type::kUint8Array:
    case abi::Type::kInt32Array: {
      const bool nullable = spec.null == abi::Null::kNone || (spec.null == abi::Null::kEngine && mode_ == CallMode::kAsync);
      if (nullable && value.IsNull()) {
        slot.view.null = true;
        return true;
      }
      return ReadView(i, spec.type);
    }
    case abi::Type::kInteger: return ReadInteger(i);
    case abi::Type::kIsa: return ReadIsa(i);
    case abi::Type::kBoolean:
      if (!value.IsBoolean()) return Fail(ErrorKind::kTypeError, i, "must be a boolean");
      slot.flag = value.As<Napi::Boolean>().Value();
      return true;
    case abi::Type::kControl: return ReadControl(i);
  }
  return Fail(ErrorKind::kTypeError, i, "has a type this build does not know");
}

// The one read of the C API in this file: node-addon-api's TypedArrayOf asks the engine for an
// array's type and length, its data and its buffer in three napi_get_typedarray_info calls, and
// every call reads up to ten arrays; this asks once.
bool CallArgs::ReadView(std::size_t i, abi::Type arrayType) {
  const napi_typedarray_type want = ArrayType(arrayType);
  const char* wantName = TypedArrayName(want);
  ArrayView& view = values_[i].view;
  napi_typedarray_type type;  // napi_get_typedarray_info fails on anything but a typed array
  napi_value buffer = nullptr;
  // Only an async call asks what kind its buffer is: a sync call works on every array in place.
  napi_value* bufferOut = mode_ == CallMode::kAsync ? &buffer : nullptr;
  if (napi_get_typedarray_info(info_.Env(), info_[i], &type, &view.length, &view.data, bufferOut, nullptr) != napi_ok) {
    return Fail(ErrorKind::kTypeError, i, std::string("must be a ") + wantName);
  }
  if (type != want) return Fail(ErrorKind::kTypeError, i, std::string("must be a ") + wantName + ", got " + TypedArrayName(type));
  const std::size_t size = ElementSize(arrayType);
  if (view.length != 0 && view.data == nullptr) return Fail(ErrorKind::kTypeError, i, "has no backing store");
  if (reinterpret_cast<std::uintptr_t>(view.data) % size != 0) return Fail(ErrorKind::kRangeError, i, "is not aligned");
  // IsArrayBuffer is true for an ArrayBuffer (resizable or not) and false for a
  // SharedArrayBuffer, the one kind of buffer no transfer can detach and no resize shrink.
  view.shared = buffer != nullptr && !Napi::Value(info_.Env(), buffer).IsArrayBuffer();
  view.bytes = view.length * size;
  return true;
}

bool CallArgs::ReadInteger(std::size_t i) {
  const abi::Arg& spec = call_.args[i];
  const Napi::Value value = info_[i];
  if (!value.IsNumber()) return Fail(ErrorKind::kTypeError, i, "must be a number");
  const double number = value.As<Napi::Number>().DoubleValue();
  if (!(std::floor(number) == number && number >= spec.min && number <= spec.max)) {
    return Fail(ErrorKind::kRangeError, i,
                "must be an integer in [" + std::to_string(static_cast<long long>(spec.min)) + ", " +
                    std::to_string(static_cast<long long>(spec.max)) + "]");
  }
  values_[i].number = number;
  return true;
}

// "scalar" | "avx2" | "avx512", and one this CPU and build can run (else E_ISA_UNSUPPORTED).
bool CallArgs::ReadIsa(std::size_t i) {
  const Napi::Value value = info_[i];
  if (!value.IsString()) return Fail(ErrorKind::kTypeError, i, "must be a string");
  Isa& isa = values_[i].isa;
  if (!ParseIsa(value.As<Napi::String>().Utf8Value(), &isa)) {
    return Fail(ErrorKind::kRangeError, i, "must be \"scalar\", \"avx2\" or \"avx512\"");
  }
  if (IsaSupported(isa)) return true;
  Isa supported[3];
  const std::size_t count = SupportedIsas(supported, 3);
  std::string list;
  for (std::size_t k = 0; k < count; ++k) list += std::string(k ? ", " : "") + IsaName(supported[k]);
  Throw(ErrorKind::kError, codes::kIsaUnsupported,
        std::string(Name()) + ": ISA \"" + IsaName(isa) + "\" is not supported by this CPU or build (supported: " + list + ")");
  return false;
}

bool CallArgs::ReadControl(std::size_t i) {
  const Napi::Value value = info_[i];
  if (value.IsTypedArray()) {
    auto words = value.As<Napi::Int32Array>();
    if (words.TypedArrayType() == napi_int32_array && words.ElementLength() > 0 && words.Data() != nullptr &&
        !words.ArrayBuffer().IsArrayBuffer()) {
      values_[i].control = ControlView{words.Data(), words.ElementLength()};
      return true;
    }
  }
  return Fail(ErrorKind::kTypeError, i, "must be an Int32Array over a SharedArrayBuffer, at least 1 long");
}

bool CallArgs::CheckLength(std::size_t i) {
  const abi::Arg& spec = call_.args[i];
  ArrayView& view = values_[i].view;
  if (!IsArray(spec.type) || spec.length == abi::Length::kAny) return true;
  if (spec.length == abi::Length::kAs) {
    const std::size_t want = values_[spec.lengthOf].view.length;
    if (view.null || view.length == want) return true;
    return Fail(ErrorKind::kRangeError, i,
                std::string("must have the length of ") + call_.args[spec.lengthOf].name + ", " + std::to_string(want) + ", got " +
                    std::to_string(view.length));
  }
  if (spec.length == abi::Length::kFixed) return CheckLengthIs(i, spec.fixedLength);
  const std::size_t n = Evaluations();
  if (spec.length == abi::Length::kWeights) {
    if (view.null || view.length == kSlots || view.length == n * kSlots) return true;
    return Fail(ErrorKind::kRangeError, i,
                "must have length 60 (shared) or n*60 = " + std::to_string(n * kSlots) + ", got " + std::to_string(view.length));
  }
  return CheckLengthIs(i, spec.length == abi::Length::kSlots ? n * kSlots : n * kAreas);
}

bool CallArgs::CheckLengthIs(std::size_t i, std::size_t want) {
  const abi::Arg& spec = call_.args[i];
  ArrayView& view = values_[i].view;
  if (view.null) {
    // An output left to the call: staging.cc gives it memory of the size the caller's would have had.
    if (spec.null == abi::Null::kEngine) {
      view.length = want;
      view.bytes = want * ElementSize(spec.type);
    }
    return true;
  }
  if (view.length == want) return true;
  return Fail(ErrorKind::kRangeError, i, "must have length " + std::to_string(want) + ", got " + std::to_string(view.length));
}

// The arguments null may leave to the call (abi::Null::kEngine) are null all together or not at all.
bool CallArgs::CheckNulls() const {
  std::size_t first = call_.count;
  for (std::size_t i = 0; i < call_.count; ++i) {
    if (call_.args[i].null != abi::Null::kEngine) continue;
    if (first == call_.count) {
      first = i;
    } else if (values_[i].view.null != values_[first].view.null) {
      const std::string type = TypedArrayName(ArrayType(call_.args[i].type));
      return Fail(ErrorKind::kTypeError, i,
                  values_[first].view.null ? std::string("must be null, as ") + call_.args[first].name + " is"
                                           : "must be a " + type);
    }
  }
  return true;
}

// Arrays the call writes (kOutput, kResult) must not overlap each other or any array it reads;
// inputs may share memory. Two SharedArrayBuffer objects over one memory (structuredClone of a
// SAB) are distinct objects with one address: only a comparison of addresses finds them.
bool CallArgs::CheckDisjoint() const {
  for (std::size_t j = 0; j < call_.count; ++j) {
    const abi::Role role = call_.args[j].role;
    if (role != abi::Role::kOutput && role != abi::Role::kResult) continue;
    for (std::size_t m = 0; m < j; ++m) {
      const abi::Role other = call_.args[m].role;
      if (other == abi::Role::kNone || other == abi::Role::kValue) continue;
      if (Overlap(values_[j].view, values_[m].view)) return FailOverlap(j, m);
    }
  }
  return true;
}

CallArrays CallArgs::KernelArrays() const {
  CallArrays arrays;
  for (std::size_t i = 0; i < call_.count; ++i) {
    const abi::Role role = call_.args[i].role;
    const bool none = values_[i].view.null && call_.args[i].null == abi::Null::kNone;
    if ((role == abi::Role::kInput || role == abi::Role::kOutput) && !none) {
      arrays.Add(i, call_.args[i].name, role, values_[i].view);
    }
  }
  return arrays;
}

bool CallArgs::Fail(ErrorKind kind, std::size_t i, const std::string& what) const {
  Throw(kind, codes::kArgs, std::string(Name()) + ": argument " + std::to_string(i + 1) + " (" + call_.args[i].name + ") " + what);
  return false;
}

bool CallArgs::FailOverlap(std::size_t i, std::size_t other) const {
  const Napi::Env env = info_.Env();
  const char* name = call_.args[i].name;
  const char* otherName = call_.args[other].name;
  Napi::Error error = Napi::RangeError::New(env, std::string(Name()) + ": argument " + std::to_string(i + 1) + " (" + name +
                                                     ") shares memory with argument " + std::to_string(other + 1) + " (" +
                                                     otherName + ")");
  error.Set("code", codes::kOverlap);
  error.Set("argument", name);
  error.Set("other", otherName);
  error.ThrowAsJavaScriptException();
  return false;
}

void CallArgs::Throw(ErrorKind kind, const char* code, const std::string& message) const {
  const Napi::Env env = info_.Env();
  Napi::Error error;
  switch (kind) {
    case ErrorKind::kTypeError: error = Napi::TypeError::New(env, message); break;
    case ErrorKind::kRangeError: error = Napi::RangeError::New(env, message); break;
    case ErrorKind::kError: error = Napi::Error::New(env, message); break;
  }
  error.Set("code", code);
  error.ThrowAsJavaScriptException();
}

}  // namespace farfan
