// The addon's calls on text, for the table readers and writers: numbers (number_text.h) and CSV
// records (csv_scan.h). Sync, on the JS thread, over typed arrays the caller owns for the length
// of the call.
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

// scanCsv(bytes: Uint8Array, end: number, eof: boolean, fields: Int32Array, numberFrom: number,
// starts: Int32Array, ends: Int32Array, lines: Int32Array, state: Int32Array): scans the records
// of bytes[state[0], end) into rows (CsvColumns, its capacity lines.length; starts and ends
// fields.length * capacity long) from row state[2], the first at line state[1]; writes the three
// back and returns why it stopped (CsvStop: 0 the text ended, 1 a quoted field, 2 rows full).
Napi::Value ScanCsvRecords(const Napi::CallbackInfo& info);

}  // namespace farfan
