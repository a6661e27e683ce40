// The CSV reader's record scan for records without quoted fields, the bulk of a table: the
// same fields, lines and blank lines as the TypeScript scanner (csv-reader.ts), which
// takes over at a record with a quoted field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace farfan {

// Where the scan is: the next record's offset, its line, the rows written so far.
struct CsvScanState {
  std::size_t at;
  std::int32_t line;
  std::size_t rows;
};

// Why a scan stopped: the text ended (or needs more of the file to end the record), a record
// has a quoted field (at `at`, for the TypeScript scanner), or the rows are full.
enum class CsvStop { kTextEnd = 0, kQuoted = 1, kFull = 2 };

// What a row keeps: column c reads record field fields[c] (-1: none) into starts/ends at
// c * capacity + row (-1 and -1: the record has no such field, or, for a column from
// numberFrom on, the field is empty); lines[row] is the row's line.
struct CsvColumns {
  const std::int32_t* fields;
  std::size_t count;
  std::size_t numberFrom;
  std::int32_t* starts;
  std::int32_t* ends;
  std::int32_t* lines;
  std::size_t capacity;
};

// Scans records of bytes[state->at, end) into rows until one of the stops; `eof`: the file ends
// at `end`. `scratch` holds one record's field bounds.
CsvStop ScanCsv(const std::uint8_t* bytes, std::size_t end, bool eof, const CsvColumns& columns, CsvScanState* state,
                std::vector<std::int32_t>* scratch);

}  // namespace farfan
