// A call's cancellation flag, as the kernels see it (no N-API here). Another thread sets it;
// the kernels Poll() it between chunks of a few milliseconds of work. Each Poll also sends a
// heartbeat now and then (at most every kBeatMs): in_flight.h explains why the JS thread
// needs one while a call runs.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace farfan {

class CallControl {
 public:
  using Heartbeat = void (*)(void* context);
  static constexpr std::int64_t kBeatMs = 10;

  CallControl(Heartbeat heartbeat, void* context) : heartbeat_(heartbeat), context_(context) {}

  void Cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool IsCancelled() const { return cancelled_.load(std::memory_order_relaxed); }

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
  Heartbeat heartbeat_;
  void* context_;
};

// Null: a call nothing can cancel (sync calls).
inline bool Cancelled(CallControl* control) { return control != nullptr && control->Poll(); }

}  // namespace farfan
