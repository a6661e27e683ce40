// An Error whose `code` is one of error_codes.h's, for every native call. A node-addon-api call
// that fails (as they do while a worker thread is terminated) returns an empty value, on which
// any call is a fatal error of the process: the code is set only on an error that exists.
#pragma once

#include <napi.h>

#include <string>

namespace farfan {

template <class E = Napi::Error>
E CodedError(Napi::Env env, const char* code, const std::string& message) {
  E error = E::New(env, message);
  if (!error.IsEmpty()) error.Set("code", code);
  return error;
}

}  // namespace farfan
