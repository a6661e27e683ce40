// The shape of the argument tables in abi.h (generated from abi.json): what each argument of a
// call is, so that args.cc checks every argument the same way, by its row, whatever its position.
#pragma once

#include <cstddef>

namespace farfan {

// Number.MAX_SAFE_INTEGER: the largest integer a JS number holds exactly.
constexpr double kMaxSafeInteger = 9007199254740991.0;
// The largest offset into text an Int32Array holds.
constexpr double kMaxInt32 = 2147483647.0;

namespace abi {

enum class Type { kFloat64Array, kUint8Array, kInt32Array, kInteger, kIsa, kBoolean, kControl };

// What a call does with a typed array: reads it in the kernel (kInput), writes it in the kernel
// (kOutput), reads it while its arguments are parsed (kValue), or writes it on the JS thread
// when it returns or settles (kResult). A sync-only call's kernel is its own body. Only kInput and kOutput arrays are ever used off the JS
// thread, so only they are staged for async calls (staging.h).
enum class Role { kNone, kInput, kOutput, kValue, kResult };

// A typed array's length: n*60 (kSlots), n*10 (kRows), 60 or n*60 (kWeights), `fixedLength`, that
// of the argument at position `lengthOf` (kAs), or any, the call checking what it needs (kAny);
// n is the argument named "evaluations".
enum class Length { kNone, kSlots, kRows, kWeights, kFixed, kAs, kAny };

// What null means for a typed array, when it may be null: none given (kNone), or, in async
// calls only and for every such argument at once, memory the call provides and hands over
// (kEngine).
enum class Null { kNever, kNone, kEngine };

struct Arg {
  const char* name;
  Type type;
  Role role;
  Length length;
  std::size_t fixedLength;
  std::size_t lengthOf;
  Null null;
  bool optional;  // may be undefined or left out
  double min;     // integers: the range, inclusive
  double max;
};

// The position of no argument: `evaluations` of a call without one.
inline constexpr std::size_t kNoArg = static_cast<std::size_t>(-1);

struct Call {
  const char* syncName;
  const char* asyncName;  // null: sync only
  const Arg* args;
  std::size_t count;
  std::size_t required;     // the arguments before the first optional one
  std::size_t evaluations;  // the position of n, which array lengths are checked against (kNoArg: none)
};

}  // namespace abi
}  // namespace farfan
