#include "in_flight.h"

#include <algorithm>

namespace farfan {

namespace {

napi_value Noop(napi_env, napi_callback_info) { return nullptr; }

}  // namespace

InFlight::InFlight(napi_env env) {
  napi_value probe, name;
  if (napi_create_function(env, "farfanTeardownProbe", NAPI_AUTO_LENGTH, Noop, nullptr, &probe) != napi_ok ||
      napi_create_reference(env, probe, 1, &probe_) != napi_ok ||
      napi_create_string_utf8(env, "farfanHeartbeat", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_threadsafe_function(env, nullptr, nullptr, name, 2, 1, nullptr, nullptr, this, OnBeat,
                                      &heartbeat_) != napi_ok ||
      napi_unref_threadsafe_function(env, heartbeat_) != napi_ok) {
    // Without a heartbeat, worker.terminate() waits for the calls in flight, as it always did.
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);
    heartbeat_ = nullptr;
  }
}

CancelToken InFlight::Add() {
  CancelToken token = std::make_shared<CallControl>(Beat, heartbeat_);
  calls_.push_back(token);
  return token;
}

void InFlight::Remove(const CancelToken& token) {
  calls_.erase(std::remove(calls_.begin(), calls_.end(), token), calls_.end());
}

std::size_t InFlight::CancelAll() {
  for (const CancelToken& token : calls_) token->Cancel();
  return calls_.size();
}

// On a kernel thread. Non-blocking: a full queue means a beat is already on its way. The
// environment's cleanup waits for the call, so the threadsafe function outlives every beat.
void InFlight::Beat(void* context) {
  if (context != nullptr) {
    napi_call_threadsafe_function(static_cast<napi_threadsafe_function>(context), nullptr, napi_tsfn_nonblocking);
  }
}

// On the JS thread, also inside the environment's cleanup loop.
void InFlight::OnBeat(napi_env env, napi_value, void* context, void*) {
  auto* self = static_cast<InFlight*>(context);
  if (env == nullptr) return;  // the function is being finalized
  napi_value probe, receiver, result;
  const bool alive = napi_get_reference_value(env, self->probe_, &probe) == napi_ok && probe != nullptr &&
                     napi_get_undefined(env, &receiver) == napi_ok &&
                     napi_call_function(env, receiver, probe, 0, nullptr, &result) == napi_ok;
  if (!alive) {
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);
    self->CancelAll();
  }
}

}  // namespace farfan
