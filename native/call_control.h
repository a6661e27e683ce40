// A call's cancellation flag, as the kernels see it (no N-API here). Another thread sets it;
// the kernels Poll() it between chunks of a few milliseconds of work. Each Poll also sends a
// heartbeat now and then (at most every kBeatMs): in_flight.h explains why the JS thread
// needs one while a call runs.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace farfan {

class CallControl {
 public:
  using Heartbeat = void (*)(void* context);
  static constexpr std::int64_t kBeatMs = 10;

  CallControl(Heartbeat heartbeat, void* context) : heartbeat_(heartbeat), context_(context) {}

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
  bool IsCancelled() const {
    // An atomic read of memory JS writes atomically (std::atomic_ref is C++20).
    return cancelled_.load(std::memory_order_relaxed) ||
           (external_ != nullptr && __atomic_load_n(external_, __ATOMIC_RELAXED) != 0);
  }

  // From any thread running the call: true when it must stop.
  bool Poll() {
    if (IsCancelled()) return true;
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    std::int64_t last = lastBeat_.load(std::memory_order_relaxed);
    if (now - last >= kBeatMs && lastBeat_.compare_exchange_strong(last, now, std::memory_order_relaxed)) {
      heartbeat_(context_);
    }
    return IsCancelled();
  }

 private:
  std::atomic<bool> cancelled_{false};
  std::atomic<std::int64_t> lastBeat_{0};
  const std::int32_t* external_ = nullptr;
  std::int32_t* progress_ = nullptr;
  Heartbeat heartbeat_;
  void* context_;
};

// Null: a call nothing can cancel (sync calls).
inline bool Cancelled(CallControl* control) { return control != nullptr && control->Poll(); }
inline void Advance(CallControl* control, std::size_t rows) {
  if (control != nullptr) control->Advance(rows);
}

}  // namespace farfan
