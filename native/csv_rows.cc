#include "csv_rows.h"

#include <cstring>

#include "number_text.h"

namespace farfan {
namespace {

std::size_t LengthOf(const TextList& list, std::size_t i) { return static_cast<std::size_t>(list.offsets[i + 1] - list.offsets[i]); }

std::uint8_t* Put(const TextList& list, std::size_t i, std::uint8_t* at) {
  const std::size_t length = LengthOf(list, i);
  std::memcpy(at, list.bytes + list.offsets[i], length);
  return at + length;
}

std::uint8_t* PutNumber(double x, std::uint8_t* at) {
  return reinterpret_cast<std::uint8_t*>(FormatNumber(x, reinterpret_cast<char*>(at)));
}

}  // namespace

void WriteCsvLines(const CsvLines& lines, std::uint8_t* out, std::size_t room, std::size_t* row, std::size_t* at) {
  const std::size_t group = lines.heads.count;
  // Numbers at their longest, with their commas, and the line feed.
  const std::size_t numbersRoom = (lines.valuesPerRow + lines.afterPerRow) * (kMaxNumberText + 1) + 1;
  std::size_t r = *row;
  std::uint8_t* next = out + *at;
  for (; r < lines.rows; ++r) {
    const std::size_t key = r / group;
    const std::size_t head = r % group;
    const std::size_t tail = lines.quality[r];
    const std::size_t longest = LengthOf(lines.keys, key) + LengthOf(lines.heads, head) + LengthOf(lines.tails, tail) + numbersRoom;
    if (longest > room - static_cast<std::size_t>(next - out)) break;
    next = Put(lines.keys, key, next);
    next = Put(lines.heads, head, next);
    const double* values = lines.values + r * lines.valuesPerRow;
    for (std::size_t v = 0; v < lines.valuesPerRow; ++v) {
      if (v > 0) *next++ = ',';
      next = PutNumber(values[v], next);
    }
    next = Put(lines.tails, tail, next);
    const double* after = lines.after + r * lines.afterPerRow;
    for (std::size_t v = 0; v < lines.afterPerRow; ++v) {
      *next++ = ',';
      next = PutNumber(after[v], next);
    }
    *next++ = '\n';
  }
  *row = r;
  *at = static_cast<std::size_t>(next - out);
}

}  // namespace farfan
