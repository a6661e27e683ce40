// A call's cancellation flag, as the kernels see it (no N-API here). Another thread sets it;
// the kernels Poll() it between chunks of a few milliseconds of work.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace farfan {

class CallControl {
 public:
  void Cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  // Also stop once word[0] (the caller's control words in a SharedArrayBuffer, args.h
  // CallSignal, which JS writes with Atomics) is non-zero, and, when there are two words, count
  // the area rows finished in word[1] (the caller's progress). Set before the call is queued.
  void Watch(std::int32_t* word, std::size_t length) {
    external_ = word;
    progress_ = length >= 2 ? word + 1 : nullptr;
  }
  // From any thread running the call: `rows` more area rows (evaluation × area) are finished.
  void Advance(std::size_t rows) {
    if (progress_ != nullptr) __atomic_fetch_add(progress_, static_cast<std::int32_t>(rows), __ATOMIC_RELAXED);
  }
  // From any thread running the call: true when it must stop.
  bool IsCancelled() const {
    // An atomic read of memory JS writes atomically (std::atomic_ref is C++20).
    return cancelled_.load(std::memory_order_relaxed) ||
           (external_ != nullptr && __atomic_load_n(external_, __ATOMIC_RELAXED) != 0);
  }

 private:
  std::atomic<bool> cancelled_{false};
  const std::int32_t* external_ = nullptr;
  std::int32_t* progress_ = nullptr;
};

// Null: a call nothing can cancel (sync calls).
inline bool Cancelled(const CallControl* control) { return control != nullptr && control->IsCancelled(); }
inline void Advance(CallControl* control, std::size_t rows) {
  if (control != nullptr) control->Advance(rows);
}

}  // namespace farfan
