#include "text_calls.h"

#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "abi.h"
#include "args.h"
#include "coded_error.h"
#include "csv_rows.h"
#include "csv_scan.h"
#include "error_codes.h"
#include "key_index.h"
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

namespace {

// Reads list `offsets` over `bytes` as a TextList of `count` texts, or says (false) why it is not
// one: fewer offsets than count + 1, an offset outside bytes, or one before the last.
template <class A>
bool TextListOf(const CallArgs& args, A bytesArg, A offsetsArg, std::size_t count, TextList* list) {
  const std::size_t byteCount = args.Array(bytesArg).length;
  const std::int32_t* offsets = args.Elements<const std::int32_t>(offsetsArg);
  if (args.Array(offsetsArg).length < count + 1) return args.Fail(offsetsArg, "must have one more offset than its texts"), false;
  for (std::size_t i = 0; i <= count; ++i) {
    if (offsets[i] < 0 || static_cast<std::size_t>(offsets[i]) > byteCount || (i > 0 && offsets[i] < offsets[i - 1])) {
      return args.Fail(offsetsArg, "offset " + std::to_string(i) + " is not within its bytes, after the one before"), false;
    }
  }
  *list = TextList{args.Elements<const std::uint8_t>(bytesArg), offsets, count};
  return true;
}

}  // namespace

Napi::Value FormatCsvRows(const Napi::CallbackInfo& info) {
  using Arg = abi::FormatCsvRowsArg;
  CallArgs args(info, abi::kFormatCsvRows, CallMode::kSync);
  if (!args.Read()) return Napi::Value();
  const std::size_t rows = args.Array(Arg::kQuality).length;
  const std::size_t headCount = args.Array(Arg::kHeadOffsets).length;
  const std::size_t tailCount = args.Array(Arg::kTailOffsets).length;
  const std::size_t valueCount = args.Array(Arg::kValues).length;
  const std::size_t afterCount = args.Array(Arg::kAfter).length;
  if (headCount < 2) {
    args.Fail(Arg::kHeadOffsets, "must have length 2 or more (one head at least)");
    return Napi::Value();
  }
  CsvLines lines{};
  lines.rows = rows;
  lines.quality = args.Elements<const std::uint8_t>(Arg::kQuality);
  const std::size_t group = headCount - 1;
  const std::size_t keyCount = (rows + group - 1) / group;
  if (!TextListOf(args, Arg::kHeads, Arg::kHeadOffsets, group, &lines.heads) || !TextListOf(args, Arg::kKeys, Arg::kKeyOffsets, keyCount, &lines.keys) ||
      (tailCount > 0 && !TextListOf(args, Arg::kTails, Arg::kTailOffsets, tailCount - 1, &lines.tails))) {
    return Napi::Value();
  }
  for (std::size_t r = 0; r < rows; ++r) {
    if (tailCount == 0 || lines.quality[r] >= tailCount - 1) {
      args.Fail(Arg::kQuality, "line " + std::to_string(r) + " names no tail");
      return Napi::Value();
    }
  }
  if (rows == 0 ? valueCount != 0 : valueCount % rows != 0) {
    args.Fail(Arg::kValues, "must hold the same count of numbers for each line");
    return Napi::Value();
  }
  if (rows == 0 ? afterCount != 0 : afterCount % rows != 0) {
    args.Fail(Arg::kAfter, "must hold the same count of numbers for each line");
    return Napi::Value();
  }
  lines.values = args.Elements<const double>(Arg::kValues);
  lines.valuesPerRow = rows == 0 ? 0 : valueCount / rows;
  lines.after = args.Elements<const double>(Arg::kAfter);
  lines.afterPerRow = rows == 0 ? 0 : afterCount / rows;
  const std::size_t room = args.Array(Arg::kOut).length;
  std::int32_t* state = args.Elements<std::int32_t>(Arg::kState);
  if (state[0] < 0 || static_cast<std::size_t>(state[0]) > rows || state[1] < 0 || static_cast<std::size_t>(state[1]) > room || room > INT32_MAX) {
    args.Fail(Arg::kState, "must be [row within the lines, at within out], out fewer than 2^31 bytes");
    return Napi::Value();
  }
  std::size_t row = static_cast<std::size_t>(state[0]);
  std::size_t at = static_cast<std::size_t>(state[1]);
  WriteCsvLines(lines, args.Elements<std::uint8_t>(Arg::kOut), room, &row, &at);
  state[0] = static_cast<std::int32_t>(row);
  state[1] = static_cast<std::int32_t>(at);
  return info.Env().Undefined();
}

Napi::Value IndexPlanKeys(const Napi::CallbackInfo& info) {
  using Arg = abi::IndexKeysArg;
  CallArgs args(info, abi::kIndexKeys, CallMode::kSync);
  if (!args.Read()) return Napi::Value();
  const std::size_t byteCount = args.Array(Arg::kBytes).length;
  const std::size_t rows = args.Array(Arg::kStarts).length;
  const std::int32_t* starts = args.Elements<const std::int32_t>(Arg::kStarts);
  const std::int32_t* ends = args.Elements<const std::int32_t>(Arg::kEnds);
  std::int32_t* state = args.Elements<std::int32_t>(Arg::kState);
  KeyTable table{args.Elements<std::uint8_t>(Arg::kArena), args.Array(Arg::kArena).length, args.Elements<std::int32_t>(Arg::kKeyStarts),
                 args.Array(Arg::kKeyStarts).length, args.Elements<std::int32_t>(Arg::kSlots), args.Array(Arg::kSlots).length, 0, 0};
  if (table.slotCount < 2 || (table.slotCount & (table.slotCount - 1)) != 0) {
    args.Fail(Arg::kSlots, "must be a power of two long, 2 or more");
    return Napi::Value();
  }
  if (state[0] < 0 || static_cast<std::size_t>(state[0]) > rows || state[1] < 0 || static_cast<std::size_t>(state[1]) >= table.keyStartsLength ||
      static_cast<std::size_t>(state[1]) * 2 > table.slotCount || state[2] < 0 || static_cast<std::size_t>(state[2]) > table.arenaLength ||
      table.keyStarts[state[1]] != state[2]) {
    args.Fail(Arg::kState, "must be [row within starts, keys within keyStarts and half the slots, used: where the last key ends in the arena]");
    return Napi::Value();
  }
  for (std::size_t r = static_cast<std::size_t>(state[0]); r < rows; ++r) {
    if (starts[r] >= 0 && !(starts[r] <= ends[r] && static_cast<std::size_t>(ends[r]) <= byteCount)) {
      args.Fail(Arg::kStarts, "key " + std::to_string(r) + " is not within bytes");
      return Napi::Value();
    }
  }
  table.keys = static_cast<std::size_t>(state[1]);
  table.used = static_cast<std::size_t>(state[2]);
  std::size_t row = static_cast<std::size_t>(state[0]);
  if (!IndexKeys(args.Elements<const std::uint8_t>(Arg::kBytes), starts, ends, rows, args.Elements<std::int32_t>(Arg::kPlans), &table, &row)) {
    args.Fail(Arg::kSlots, "name a key the table does not hold (at row " + std::to_string(row) + ")");
    return Napi::Value();
  }
  state[0] = static_cast<std::int32_t>(row);
  state[1] = static_cast<std::int32_t>(table.keys);
  state[2] = static_cast<std::int32_t>(table.used);
  return info.Env().Undefined();
}

}  // namespace farfan
