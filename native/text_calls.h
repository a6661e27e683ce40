// The addon's calls on text, for the table readers and writers: numbers (number_text.h), CSV
// records (csv_scan.h), CSV lines of results (csv_rows.h) and plan keys (key_index.h). Sync, on the JS thread, over typed arrays the caller owns for the length
// of the call. Their arguments are rows of abi.json (parseNumbers, formatNumbers, scanCsv, formatCsvRows, indexKeys), read
// and checked by args.h like every call's; each call then checks what relates its arguments'
// values (offsets within the text, cells per row) before it uses them.
#pragma once

#include <napi.h>

namespace farfan {

Napi::Value ParseNumbers(const Napi::CallbackInfo& info);
Napi::Value FormatNumbers(const Napi::CallbackInfo& info);
Napi::Value ScanCsvRecords(const Napi::CallbackInfo& info);
Napi::Value FormatCsvRows(const Napi::CallbackInfo& info);
Napi::Value IndexPlanKeys(const Napi::CallbackInfo& info);

}  // namespace farfan
