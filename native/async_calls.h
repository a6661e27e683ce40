// The async calls of one Node.js environment. They run on call threads of the package's own,
// never on libuv's threadpool: that pool (4 threads by default) serves the whole process's fs,
// dns, crypto and zlib work, and a call holding one of its threads for seconds starves them.
// A finished call comes back to the JS thread through a threadsafe function, which is referenced
// (keeps the event loop alive) only while calls are in flight, as a pending libuv request would.
//
// Teardown: the process 'exit' event (the TypeScript layer calls CancelAll) and the
// environment's cleanup hook (worker.terminate(), a worker's process.exit(), the end of the
// main thread) cancel every call; the hook then waits for the call threads to stop — a
// cancelled call stops at its next chunk, within milliseconds — and releases what the calls
// hold, before N-API tears the environment's references down.
#pragma once

#include <node_api.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "call_control.h"

namespace farfan {

// One async call. Run executes on a call thread and uses no N-API. Then, on the JS thread, one
// of two: Settle once Run has returned (it settles the promise and releases what the call
// holds), or Release at the environment's teardown, finished or not, when no JavaScript can run
// any more and nobody can receive a settlement (it releases what the call holds, and nothing else).
class AsyncCall {
 public:
  virtual ~AsyncCall() = default;
  virtual void Run() = 0;
  virtual void Settle(napi_env env) = 0;
  virtual void Release(napi_env env) = 0;
  CallControl& Control() { return control_; }

 private:
  CallControl control_;
};

class AsyncCalls {
 public:
  // Call threads: at most one per hardware thread (so one per core runs a call at a time);
  // more calls wait in line, in order.
  static unsigned MaxCallThreads();

  // On the JS thread. Creates the completion's threadsafe function and the cleanup hook; check
  // Ready() before use.
  explicit AsyncCalls(napi_env env);
  ~AsyncCalls();
  AsyncCalls(const AsyncCalls&) = delete;
  AsyncCalls& operator=(const AsyncCalls&) = delete;

  bool Ready() const { return done_fn_ != nullptr; }
  // On the JS thread: queues the call; its Settle runs on this thread when it is done. Returns
  // false (the call is destroyed unsettled) if no call thread can be started.
  bool Submit(napi_env env, std::unique_ptr<AsyncCall> call);
  // On the JS thread: cancels every call in flight (they settle as cancelled); returns how many.
  std::size_t CancelAll();

 private:
  void CallThreadMain();
  // On the JS thread: settles every finished call and forgets it.
  void SettleFinished(napi_env env);
  // At teardown: releases every call, finished or not, and forgets it.
  void ReleaseAll(napi_env env);
  void Shutdown(napi_env env);
  static void OnFinished(napi_env env, napi_value js, void* context, void* data);
  static void OnCleanup(void* self);

  napi_env env_;
  napi_threadsafe_function done_fn_ = nullptr;
  bool shutDown_ = false;
  bool cleanupRan_ = false;
  // On the JS thread only: every call submitted and not yet settled (owned here).
  std::vector<std::unique_ptr<AsyncCall>> calls_;

  std::mutex mu_;  // guards the fields below
  std::condition_variable wake_;
  std::deque<AsyncCall*> queue_;     // submitted, not yet started
  std::vector<AsyncCall*> finished_;  // run (or skipped at teardown), not yet settled
  std::vector<std::thread> threads_;
  unsigned idle_ = 0;  // call threads waiting for work
  bool stopping_ = false;
};

}  // namespace farfan
