#include "text_calls.h"

#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "abi.h"
#include "args.h"
#include "coded_error.h"
#include "csv_scan.h"
#include "error_codes.h"
#include "number_text.h"

namespace farfan {

Napi::Value ParseNumbers(const Napi::CallbackInfo& info) {
  using Arg = abi::ParseNumbersArg;
  CallArgs args(info, abi::kParseNumbers, CallMode::kSync);
  if (!args.Read()) return Napi::Value();
  const std::size_t byteCount = args.Array(Arg::kBytes).length;
  const std::size_t rows = args.Array(Arg::kStarts).length;
  const char* text = args.Elements<const char>(Arg::kBytes);
  const std::int32_t* starts = args.Elements<const std::int32_t>(Arg::kStarts);
  const std::int32_t* ends = args.Elements<const std::int32_t>(Arg::kEnds);
  double* values = args.Elements<double>(Arg::kValues);
  std::uint8_t* bad = args.Elements<std::uint8_t>(Arg::kBad);
  std::size_t refused = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    const std::int32_t start = starts[r];
    const std::int32_t end = ends[r];
    if (start >= 0 && !(start <= end && static_cast<std::size_t>(end) <= byteCount)) {
      args.Fail(Arg::kStarts, "field " + std::to_string(r) + " is not within bytes");
      return Napi::Value();
    }
    double value = 0;
    const bool number = start >= 0 && ParseNumber(text + start, text + end, &value);
    values[r] = number ? value : 0;
    bad[r] = number ? 0 : 1;
    refused += number ? 0 : 1;
  }
  return Napi::Number::New(info.Env(), static_cast<double>(refused));
}

Napi::Value FormatNumbers(const Napi::CallbackInfo& info) {
  using Arg = abi::FormatNumbersArg;
  CallArgs args(info, abi::kFormatNumbers, CallMode::kSync);
  if (!args.Read()) return Napi::Value();
  const std::size_t count = args.Array(Arg::kValues).length;
  const std::size_t room = args.Array(Arg::kOut).length;
  if (room / kMaxNumberText < count || room > INT32_MAX) {
    args.Fail(Arg::kOut, "must hold 25 bytes a value, and fewer than 2^31 in all");
    return Napi::Value();
  }
  const double* values = args.Elements<const double>(Arg::kValues);
  std::int32_t* ends = args.Elements<std::int32_t>(Arg::kEnds);
  char* const first = args.Elements<char>(Arg::kOut);
  char* at = first;
  for (std::size_t i = 0; i < count; ++i) {
    at = FormatNumber(values[i], at);
    ends[i] = static_cast<std::int32_t>(at - first);
  }
  return Napi::Number::New(info.Env(), static_cast<double>(at - first));
}

Napi::Value ScanCsvRecords(const Napi::CallbackInfo& info) {
  using Arg = abi::ScanCsvArg;
  CallArgs args(info, abi::kScanCsv, CallMode::kSync);
  if (!args.Read()) return Napi::Value();
  const std::size_t end = static_cast<std::size_t>(args.Number(Arg::kEnd));
  const std::size_t fieldCount = args.Array(Arg::kFields).length;
  const std::size_t numberFrom = static_cast<std::size_t>(args.Number(Arg::kNumberFrom));
  const std::size_t capacity = args.Array(Arg::kLines).length;
  const std::size_t cells = args.Array(Arg::kStarts).length;
  std::int32_t* state = args.Elements<std::int32_t>(Arg::kState);
  if (end > args.Array(Arg::kBytes).length) {
    args.Fail(Arg::kEnd, "is past bytes");
    return Napi::Value();
  }
  if (numberFrom > fieldCount) {
    args.Fail(Arg::kNumberFrom, "is past fields");
    return Napi::Value();
  }
  if (capacity == 0) {
    args.Fail(Arg::kLines, "must have length 1 or more");
    return Napi::Value();
  }
  if (cells / capacity != fieldCount || cells % capacity != 0) {
    args.Fail(Arg::kStarts, "must hold fields.length * lines.length cells");
    return Napi::Value();
  }
  if (state[0] < 0 || static_cast<std::size_t>(state[0]) > end || state[2] < 0 || static_cast<std::size_t>(state[2]) > capacity) {
    args.Fail(Arg::kState, "must be [at within the text, line, rows within lines]");
    return Napi::Value();
  }
  const CsvColumns columns{args.Elements<const std::int32_t>(Arg::kFields), fieldCount, numberFrom, args.Elements<std::int32_t>(Arg::kStarts),
                           args.Elements<std::int32_t>(Arg::kEnds), args.Elements<std::int32_t>(Arg::kLines), capacity};
  CsvScanState scan{static_cast<std::size_t>(state[0]), state[1], static_cast<std::size_t>(state[2])};
  std::vector<std::int32_t> scratch;
  CsvStop stop;
  try {
    stop = ScanCsv(args.Elements<const std::uint8_t>(Arg::kBytes), end, args.Flag(Arg::kEof), columns, &scan, &scratch);
  } catch (const std::bad_alloc&) {
    CodedError(info.Env(), codes::kInternal, "scanCsv: out of memory for a record's fields").ThrowAsJavaScriptException();
    return Napi::Value();
  }
  state[0] = static_cast<std::int32_t>(scan.at);
  state[1] = scan.line;
  state[2] = static_cast<std::int32_t>(scan.rows);
  return Napi::Number::New(info.Env(), static_cast<double>(static_cast<int>(stop)));
}

}  // namespace farfan
