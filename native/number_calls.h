// The addon's calls on numbers as text (number_text.h), for the table readers and writers: sync,
// on the JS thread, over typed arrays the caller owns for the length of the call.
#pragma once

#include <napi.h>

namespace farfan {

// parseNumbers(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, values: Float64Array,
// bad: Uint8Array): reads field r, bytes [starts[r], ends[r]) (a start of -1: no field), into
// values[r], or sets bad[r] = 1 (values[r] = 0) when it holds no number; returns how many did
// not. The arrays after `bytes` have one element per field.
Napi::Value ParseNumbers(const Napi::CallbackInfo& info);

// formatNumbers(values: Float64Array, out: Uint8Array, ends: Int32Array): writes each value's
// text (`${x}`) after the last into `out`, which has room for 25 bytes a value; ends[i] is where
// value i's text ends. Returns the bytes written.
Napi::Value FormatNumbers(const Napi::CallbackInfo& info);

}  // namespace farfan
