// CSV lines of results, as the tables' CSV writer writes them (csv-writer.ts): each
// line's fixed texts (key, head, tail) around its numbers, the numbers as FormatNumber writes
// them. One loop over a block's lines instead of one call per number.
#pragma once

#include <cstddef>
#include <cstdint>

namespace farfan {

// Texts one after another: text i is bytes [offsets[i], offsets[i + 1]), i < count.
struct TextList {
  const std::uint8_t* bytes;
  const std::int32_t* offsets;
  std::size_t count;
};

// A block's lines: line r is key r / heads.count, head r % heads.count, valuesPerRow numbers
// comma-joined, tail quality[r], afterPerRow numbers each after a comma, a line feed. Every
// offset lies within its bytes, every quality names a tail and every key a line needs exists:
// the caller checks.
struct CsvLines {
  TextList keys;
  TextList heads;
  TextList tails;
  const double* values;
  std::size_t valuesPerRow;
  const std::uint8_t* quality;
  std::size_t rows;
  const double* after;
  std::size_t afterPerRow;
};

// Writes lines from *row on at out + *at while a whole line fits within room bytes of out;
// advances *row and *at past what it wrote.
void WriteCsvLines(const CsvLines& lines, std::uint8_t* out, std::size_t room, std::size_t* row, std::size_t* at);

}  // namespace farfan
