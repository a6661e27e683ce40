#include "async_calls.h"

#include <algorithm>
#include <system_error>
#include <utility>

#include "copy_memory.h"

namespace farfan {

unsigned AsyncCalls::MaxCallThreads() { return std::max(1u, std::thread::hardware_concurrency()); }

AsyncCalls::AsyncCalls(napi_env env) : env_(env) {
  napi_value name;
  if (napi_create_string_utf8(env, "farfanAsyncCalls", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, nullptr, nullptr, this, OnFinished,
                                      &done_fn_) != napi_ok) {
    done_fn_ = nullptr;
    return;
  }
  // Referenced only while calls are in flight (Submit, SettleFinished).
  napi_unref_threadsafe_function(env, done_fn_);
  if (napi_add_env_cleanup_hook(env, OnCleanup, this) != napi_ok) {
    napi_release_threadsafe_function(done_fn_, napi_tsfn_abort);
    done_fn_ = nullptr;
  }
}

// The instance data's finalizer, after the cleanup hook has run (hooks run before N-API's own
// teardown of the environment); Shutdown is then a no-op.
AsyncCalls::~AsyncCalls() { Shutdown(env_); }

bool AsyncCalls::Submit(napi_env env, std::unique_ptr<AsyncCall> call) {
  if (!Ready() || shutDown_) return false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_ == 0 && threads_.size() < MaxCallThreads()) {
      try {
        threads_.emplace_back(&AsyncCalls::CallThreadMain, this);
      } catch (const std::system_error&) {
        if (threads_.empty()) return false;  // the threads there are take it in turn
      }
    }
    queue_.push_back(call.get());
  }
  wake_.notify_one();
  if (calls_.empty()) napi_ref_threadsafe_function(env, done_fn_);
  calls_.push_back(std::move(call));
  return true;
}

std::size_t AsyncCalls::CancelAll() {
  for (const auto& call : calls_) call->Control().Cancel();
  return calls_.size();
}

void AsyncCalls::CallThreadMain() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (stopping_) return;
    if (queue_.empty()) {
      ++idle_;
      // Idle: now and then give back copy memory no call has wanted for a while.
      const bool woken = wake_.wait_for(lock, kKeptBlockIdle, [&] { return stopping_ || !queue_.empty(); });
      --idle_;
      if (!woken) {
        lock.unlock();
        ReleaseIdleCopyBlocks();
        lock.lock();
      }
      continue;
    }
    AsyncCall* call = queue_.front();
    queue_.pop_front();
    lock.unlock();
    call->Run();
    lock.lock();
    finished_.push_back(call);
    lock.unlock();
    // Non-blocking, unbounded queue: never waits. napi_closing means the environment is being
    // torn down, and its cleanup hook settles what is finished.
    napi_call_threadsafe_function(done_fn_, nullptr, napi_tsfn_nonblocking);
    lock.lock();
  }
}

void AsyncCalls::SettleFinished(napi_env env) {
  std::vector<AsyncCall*> finished;
  {
    std::lock_guard<std::mutex> lock(mu_);
    finished.swap(finished_);
  }
  if (finished.empty()) return;
  for (AsyncCall* call : finished) {
    call->Settle(env);
    auto owned = std::find_if(calls_.begin(), calls_.end(), [call](const auto& c) { return c.get() == call; });
    if (owned != calls_.end()) calls_.erase(owned);
  }
  if (calls_.empty() && done_fn_ != nullptr) napi_unref_threadsafe_function(env, done_fn_);
}

void AsyncCalls::ReleaseAll(napi_env env) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    finished_.clear();
    queue_.clear();
  }
  for (const auto& call : calls_) call->Release(env);
  calls_.clear();
}

void AsyncCalls::OnFinished(napi_env env, napi_value, void* context, void*) {
  if (env == nullptr) return;  // the function is being finalized: the cleanup hook has settled everything
  static_cast<AsyncCalls*>(context)->SettleFinished(env);
}

void AsyncCalls::OnCleanup(void* self) {
  auto* calls = static_cast<AsyncCalls*>(self);
  calls->cleanupRan_ = true;
  calls->Shutdown(calls->env_);
}

void AsyncCalls::Shutdown(napi_env env) {
  if (shutDown_) return;
  shutDown_ = true;
  CancelAll();
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  wake_.notify_all();
  for (std::thread& t : threads) t.join();
  ReleaseAll(env);
  // The function was created before the hook was added, so its own cleanup hook runs after
  // this one (hooks run last-added first): it still exists here.
  if (done_fn_ != nullptr) napi_release_threadsafe_function(done_fn_, napi_tsfn_abort);
  done_fn_ = nullptr;
  if (!cleanupRan_) napi_remove_env_cleanup_hook(env, OnCleanup, this);
}

}  // namespace farfan
