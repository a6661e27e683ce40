// Plan keys numbered by first appearance, as the tables' TypeScript KeyIndex numbers them
// (key-index.ts), over the same arrays: the key table lives in the caller's memory,
// so the JS backend and this code keep one table layout and one hash, bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>

namespace farfan {

// The key table: key k is arena [keyStarts[k], keyStarts[k + 1]), k < keys; slots hold key + 1
// (0: empty), slotCount a power of two. The caller checks that keys and used agree with the
// arrays' lengths and that the table is at most half full.
struct KeyTable {
  std::uint8_t* arena;
  std::size_t arenaLength;
  std::int32_t* keyStarts;
  std::size_t keyStartsLength;
  std::int32_t* slots;
  std::size_t slotCount;
  std::size_t keys;
  std::size_t used;
};

// FNV-1a over the bytes, then a final mix: the TypeScript KeyIndex's hashBytes.
std::uint32_t HashKey(const std::uint8_t* bytes, std::size_t length);

// Row r's key is text [starts[r], ends[r]) (starts[r] -1: none, plans[r] = -1), every one within
// the text (the caller checks). From *row on, writes each row's key index to plans, adding new
// keys to the table; stops before a new key that would leave the table more than half full or
// not fit the arena or keyStarts. Advances *row past the rows done. False when a slot names no
// key of the table (or one outside the arena) or a probe goes round the whole table: the table
// is not one this code or KeyIndex wrote.
bool IndexKeys(const std::uint8_t* text, const std::int32_t* starts, const std::int32_t* ends, std::size_t rows, std::int32_t* plans, KeyTable* table,
               std::size_t* row);

}  // namespace farfan
