#include "csv_scan.h"

#include <cstring>

namespace farfan {

namespace {

constexpr std::uint8_t kComma = ',';
constexpr std::uint8_t kQuote = '"';
constexpr std::uint8_t kNewline = '\n';
constexpr std::uint8_t kReturn = '\r';

std::size_t Find(const std::uint8_t* bytes, std::size_t from, std::size_t to, std::uint8_t c) {
  const void* found = from < to ? std::memchr(bytes + from, c, to - from) : nullptr;
  return found == nullptr ? to : static_cast<std::size_t>(static_cast<const std::uint8_t*>(found) - bytes);
}

}  // namespace

CsvStop ScanCsv(const std::uint8_t* bytes, std::size_t end, bool eof, const CsvColumns& columns, CsvScanState* state,
                std::vector<std::int32_t>* scratch) {
  std::vector<std::int32_t>& bounds = *scratch;  // field f is [bounds[2f], bounds[2f + 1])
  for (;;) {
    const std::size_t at = state->at;
    if (at >= end) return CsvStop::kTextEnd;
    std::size_t newline = Find(bytes, at, end, kNewline);
    if (newline == end && !eof) return CsvStop::kTextEnd;
    // The record's fields, up to its line end; a field that opens with a quote is not ours.
    std::size_t count = 0;
    std::size_t pos = at;
    for (;;) {
      if (pos < end && bytes[pos] == kQuote) return CsvStop::kQuoted;
      if (bounds.size() < 2 * count + 2) bounds.resize(2 * count + 64);
      const std::size_t comma = Find(bytes, pos, newline, kComma);
      bounds[2 * count] = static_cast<std::int32_t>(pos);
      if (comma < newline) {
        bounds[2 * count + 1] = static_cast<std::int32_t>(comma);
        ++count;
        pos = comma + 1;
        continue;
      }
      const bool crlf = newline > pos && bytes[newline - 1] == kReturn;
      bounds[2 * count + 1] = static_cast<std::int32_t>(crlf ? newline - 1 : newline);
      ++count;
      break;
    }
    const bool blank = count == 1 && bounds[0] == bounds[1];
    if (!blank) {
      if (state->rows == columns.capacity) return CsvStop::kFull;
      const std::size_t row = state->rows++;
      columns.lines[row] = state->line;
      for (std::size_t c = 0; c < columns.count; ++c) {
        const std::int32_t f = columns.fields[c];
        if (f < 0) continue;
        const std::size_t cell = c * columns.capacity + row;
        const bool present = static_cast<std::size_t>(f) < count;
        std::int32_t start = present ? bounds[2 * f] : -1;
        std::int32_t stop = present ? bounds[2 * f + 1] : -1;
        // An empty number field, unquoted, is null, like a missing one.
        if (c >= columns.numberFrom && start == stop) start = stop = -1;
        columns.starts[cell] = start;
        columns.ends[cell] = stop;
      }
    }
    state->line += newline < end ? 1 : 0;
    state->at = newline < end ? newline + 1 : end;
  }
}

}  // namespace farfan
