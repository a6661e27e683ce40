// The `code` of every error the addon throws or rejects with. The TypeScript side maps each to
// the error the package's API throws (NATIVE_ERROR_CODES, in native-errors.ts), and a test of
// the repository holds that table equal to this list.
#pragma once

namespace farfan {
namespace codes {

// An argument the table in abi.h refuses (type, range, length, null).
constexpr const char kArgs[] = "E_NATIVE_ARGS";
// An array the call writes shares memory with another array argument; the error's `argument`
// and `other` name both.
constexpr const char kOverlap[] = "E_NATIVE_OVERLAP";
// An ISA this CPU or build cannot run.
constexpr const char kIsaUnsupported[] = "E_ISA_UNSUPPORTED";
// The engine failed: no memory for a copy, a thread or a result.
constexpr const char kInternal[] = "E_NATIVE_INTERNAL";
// An output was detached, transferred or shrunk while an async call ran; nothing was written.
constexpr const char kDetached[] = "E_BUFFER_DETACHED";
// The call was cancelled: by its control word, cancelAll, or its environment's teardown.
constexpr const char kCancelled[] = "E_CANCELLED";

}  // namespace codes
}  // namespace farfan
