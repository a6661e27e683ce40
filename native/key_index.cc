#include "key_index.h"

#include <cstring>

namespace farfan {

namespace {

// Whether slot entry `entry` names a key of the table whose bytes lie within the arena's used
// part: the table is the caller's memory, so it is checked where it is read.
bool Holds(const KeyTable& table, std::int32_t entry) {
  if (entry < 1 || static_cast<std::size_t>(entry) > table.keys) return false;
  const std::int32_t from = table.keyStarts[entry - 1];
  const std::int32_t to = table.keyStarts[entry];
  return from >= 0 && from <= to && static_cast<std::size_t>(to) <= table.used;
}

bool Corrupt(std::size_t* row, std::size_t r) {
  *row = r;
  return false;
}

}  // namespace

std::uint32_t HashKey(const std::uint8_t* bytes, std::size_t length) {
  std::uint32_t h = 0x811c9dc5u;
  for (std::size_t i = 0; i < length; ++i) h = (h ^ bytes[i]) * 0x01000193u;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  return h ^ (h >> 13);
}

bool IndexKeys(const std::uint8_t* text, const std::int32_t* starts, const std::int32_t* ends, std::size_t rows, std::int32_t* plans, KeyTable* table,
               std::size_t* row) {
  const std::size_t mask = table->slotCount - 1;
  std::size_t r = *row;
  for (; r < rows; ++r) {
    if (starts[r] < 0) {
      plans[r] = -1;
      continue;
    }
    const std::uint8_t* key = text + starts[r];
    const std::size_t length = static_cast<std::size_t>(ends[r] - starts[r]);
    std::size_t at = HashKey(key, length) & mask;
    std::int32_t found = -1;
    std::size_t probes = 0;
    for (std::int32_t entry = table->slots[at]; entry != 0; entry = table->slots[at]) {
      // A table this code or KeyIndex wrote is at most half full: a probe never goes round it.
      if (!Holds(*table, entry) || ++probes > table->slotCount) return Corrupt(row, r);
      const std::size_t k = static_cast<std::size_t>(entry - 1);
      const std::size_t from = static_cast<std::size_t>(table->keyStarts[k]);
      if (static_cast<std::size_t>(table->keyStarts[k + 1]) - from == length && std::memcmp(table->arena + from, key, length) == 0) {
        found = entry - 1;
        break;
      }
      at = (at + 1) & mask;
    }
    if (found < 0) {
      // A new key: only while the table stays at most half full and its bytes and start fit.
      const std::size_t k = table->keys;
      if ((k + 1) * 2 > table->slotCount || table->used + length > table->arenaLength || k + 2 > table->keyStartsLength) break;
      std::memcpy(table->arena + table->used, key, length);
      table->used += length;
      table->keyStarts[k + 1] = static_cast<std::int32_t>(table->used);
      table->slots[at] = static_cast<std::int32_t>(k + 1);
      table->keys = k + 1;
      found = static_cast<std::int32_t>(k);
    }
    plans[r] = found;
  }
  *row = r;
  return true;
}

}  // namespace farfan
