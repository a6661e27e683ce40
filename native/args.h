// Reading a call's arguments at the JS boundary, each against its row of the call's table in
// abi.h (generated from abi.json): types, integer ranges, ISA support, array lengths, nulls, and
// overlaps of the arrays a call writes with any other array argument. Everything a pointer is
// derived from is checked here, because past this point a wrong length is a crash, not an
// exception. What is read are views: where each array's memory lives while the call runs is
// staging.h's business. Nothing here runs JavaScript: only N-API predicates and reads of what the
// engine knows (the arguments are the package's own, never objects with getters).
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "abi.h"
#include "cpu.h"
#include "staging.h"

namespace farfan {

// A sync call returns before any JavaScript runs; an async one settles a promise later, and its
// arrays are staged (staging.h).
enum class CallMode { kSync, kAsync };

// The caller's control words (the `control` argument): an Int32Array over a SharedArrayBuffer
// whose element 0 the JS thread sets non-zero (Atomics.store) to stop the call between chunks,
// and whose element 1, if it has one, counts the area rows finished (call_control.h).
struct ControlView {
  std::int32_t* words = nullptr;  // null: none given
  std::size_t length = 0;
};

class CallArgs {
 public:
  CallArgs(const Napi::CallbackInfo& info, const abi::Call& call, CallMode mode) : info_(info), call_(call), mode_(mode) {}
  CallArgs(const CallArgs&) = delete;
  CallArgs& operator=(const CallArgs&) = delete;

  // Reads and checks every argument. False, with a coded error pending (error_codes.h:
  // E_NATIVE_ARGS, E_NATIVE_OVERLAP, E_ISA_UNSUPPORTED), when one is refused.
  bool Read();

  // The entry's name in messages: "aggregate" or "aggregateAsync".
  const char* Name() const { return mode_ == CallMode::kSync ? call_.syncName : call_.asyncName; }
  // n, for the calls that have an argument named evaluations (abi::kNoArg: the text calls have none).
  std::size_t Evaluations() const { return static_cast<std::size_t>(values_[call_.evaluations].number); }
  // The arrays the kernel reads and writes (roles kInput and kOutput), as views.
  CallArrays KernelArrays() const;

  // Each argument by its position, an enum of abi.h.
  template <class A>
  const ArrayView& Array(A arg) const { return values_[Index(arg)].view; }
  // An array argument's elements, as the type its row says (std::uint8_t, std::int32_t, double),
  // for a sync call, which works on the caller's memory.
  template <class T, class A>
  T* Elements(A arg) const { return static_cast<T*>(values_[Index(arg)].view.data); }
  template <class A>
  double Number(A arg) const { return values_[Index(arg)].number; }
  template <class A>
  bool Flag(A arg) const { return values_[Index(arg)].flag; }
  template <class A>
  Isa IsaOf(A arg) const { return values_[Index(arg)].isa; }
  template <class A>
  const ControlView& Control(A arg) const { return values_[Index(arg)].control; }
  // An optional argument that was given (not left out, not undefined).
  template <class A>
  bool Given(A arg) const { return values_[Index(arg)].given; }
  template <class A>
  Napi::Value Value(A arg) const { return info_[Index(arg)]; }

  // Throws E_NATIVE_ARGS for argument `arg`, for a check only one call makes; returns false.
  template <class A>
  bool Fail(A arg, const std::string& what) const { return Fail(ErrorKind::kRangeError, Index(arg), what); }

 private:
  enum class ErrorKind { kError, kTypeError, kRangeError };
  struct Slot {
    bool given = false;
    ArrayView view;
    double number = 0;
    bool flag = false;
    Isa isa = Isa::kScalar;
    ControlView control;
  };
  static constexpr std::size_t kMaxArgs = abi::kMaxArgs;

  template <class A>
  static constexpr std::size_t Index(A arg) { return static_cast<std::size_t>(arg); }

  bool ReadOne(std::size_t i);
  bool ReadView(std::size_t i, abi::Type arrayType);
  bool ReadInteger(std::size_t i);
  bool ReadIsa(std::size_t i);
  bool ReadControl(std::size_t i);
  bool CheckLength(std::size_t i);
  bool CheckLengthIs(std::size_t i, std::size_t want);
  bool CheckNulls() const;
  bool CheckDisjoint() const;
  bool Fail(ErrorKind kind, std::size_t i, const std::string& what) const;
  bool FailOverlap(std::size_t i, std::size_t other) const;
  void Throw(ErrorKind kind, const char* code, const std::string& message) const;

  const Napi::CallbackInfo& info_;
  const abi::Call& call_;
  CallMode mode_;
  Slot values_[kMaxArgs];
};

}  // namespace farfan
