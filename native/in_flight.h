// The async calls in flight in one Node.js environment, and the cancellation of them all when
// that environment goes away.
//
// What Node 20 runs at each kind of teardown while an async call is in flight (observed with a
// probe addon that logs each step):
//   - process.exit(), an uncaught exception, process.exit() in a worker: the JS 'exit' event
//     first; then the main thread calls exit(), whose libuv destructor joins the threadpool
//     (so waits for the call), and a worker cleans up its environment as below.
//   - worker.terminate(): no JavaScript at all. The environment's cleanup first spins its event
//     loop until every threadpool request has completed (Environment::CleanupHandles), and only
//     then runs the napi_add_env_cleanup_hook hooks and the instance-data finalizer (the Addon
//     destructor): both come too late to stop a call.
// So the flags are set (a) by `cancelAll`, which the TypeScript layer calls from the process
// 'exit' event, and (b) by a heartbeat: while a call runs, its threads send a threadsafe-
// function call every CallControl::kBeatMs; the JS thread receives it even inside that cleanup
// loop, tries to call a no-op function, and when the environment refuses to run JavaScript
// (it is being torn down) sets every flag. Teardown then waits a heartbeat plus a chunk.
//
// Add/Remove/CancelAll run on the environment's JS thread; the kernels' threads only Poll.
#pragma once

#include <node_api.h>

#include <cstddef>
#include <memory>
#include <vector>

#include "call_control.h"

namespace farfan {

using CancelToken = std::shared_ptr<CallControl>;

class InFlight {
 public:
  // Creates the heartbeat's threadsafe function (unref'd: it never keeps the loop alive).
  explicit InFlight(napi_env env);
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

  // Registers a call and returns its control; the call must Remove it when it is done.
  CancelToken Add();
  void Remove(const CancelToken& token);
  // Cancels every registered call; returns how many there were. (One call is cancelled by
  // its caller through its own cancel word: CallControl::Watch.)
  std::size_t CancelAll();

 private:
  static void Beat(void* context);
  static void OnBeat(napi_env env, napi_value js, void* context, void* data);

  napi_threadsafe_function heartbeat_ = nullptr;  // null if it could not be created
  napi_ref probe_ = nullptr;                      // a no-op function
  std::vector<CancelToken> calls_;
};

}  // namespace farfan
