// Generated from native/abi.json by `npm run abi`: edit the JSON, not this file.
#pragma once

#include "abi_types.h"
#include "kernel.h"
#include "montecarlo.h"
#include "pool.h"

namespace farfan {
namespace abi {

// The table's name, which info() reports: the TypeScript side refuses an addon built from another.
inline constexpr const char kName[] = "275280014d3e2be9";

// The most arguments a call takes, and the most arrays its kernel reads and writes: what args.h and
// staging.h size their slots by.
inline constexpr std::size_t kMaxArgs = 16;
inline constexpr std::size_t kMaxArrays = 10;

// aggregate: docs/contract.md §4 over n evaluations of canonical columns. Sync: returns the bad
// slots the check found (null: none). Async (`aggregateAsync`): resolves with { bad, outputs },
// `outputs` the five ArrayBuffers of a complete call whose outputs were null, else null.
enum class AggregateArg : std::size_t {
  kScores,
  kStds,
  kWeights,
  kEvaluations,
  kThresholds,
  kScore,
  kStd,
  kCiLow,
  kCiHigh,
  kQuality,
  kStats,
  kIsa,
  kThreads,
  kCheck,
  kMinChunk,
  kControl,
};
inline constexpr Arg kAggregateArgs[] = {
    // Scores in canonical column order (e*60 + a*6 + d).
    {"scores", Type::kFloat64Array, Role::kInput, Length::kSlots, 0, 0, Null::kNever, false, 0, 0},
    // Stds, as the scores; null when the caller gave none (every σ is 0): the kernel then reads the
    // scores in their place and does not check them as stds, so std, ciLow and ciHigh are left for
    // the caller to write.
    {"stds", Type::kFloat64Array, Role::kInput, Length::kSlots, 0, 0, Null::kNone, false, 0, 0},
    // Raw weights: 60 shared by every evaluation, or 60 per evaluation.
    {"weights", Type::kFloat64Array, Role::kInput, Length::kWeights, 0, 0, Null::kNever, false, 0, 0},
    // n, the number of evaluations.
    {"evaluations", Type::kInteger, Role::kNone, Length::kNone, 0, 0, Null::kNever, false, static_cast<double>(0), static_cast<double>(kMaxSafeInteger / kSlots)},
    // Lower bounds of EXCELENTE, BUENO and ACEPTABLE, in score units.
    {"thresholds", Type::kFloat64Array, Role::kValue, Length::kFixed, 3, 0, Null::kNever, false, 0, 0},
    // The point scores (e*10 + a).
    {"score", Type::kFloat64Array, Role::kOutput, Length::kRows, 0, 0, Null::kEngine, false, 0, 0},
    // Their stds.
    {"std", Type::kFloat64Array, Role::kOutput, Length::kRows, 0, 0, Null::kEngine, false, 0, 0},
    // Lower ends of the 95% intervals.
    {"ciLow", Type::kFloat64Array, Role::kOutput, Length::kRows, 0, 0, Null::kEngine, false, 0, 0},
    // Upper ends of the 95% intervals.
    {"ciHigh", Type::kFloat64Array, Role::kOutput, Length::kRows, 0, 0, Null::kEngine, false, 0, 0},
    // Quality codes, 0 (INSUFICIENTE) to 3 (EXCELENTE).
    {"quality", Type::kUint8Array, Role::kOutput, Length::kRows, 0, 0, Null::kEngine, false, 0, 0},
    // Receives the threads that ran part of the call, their summed busy time, the call's wall time
    // in ms, and the ISA that ran (elements: STATS_* in native-addon.ts).
    {"stats", Type::kFloat64Array, Role::kResult, Length::kFixed, 4, 0, Null::kNever, false, 0, 0},
    // The kernel to run.
    {"isa", Type::kIsa, Role::kNone, Length::kNone, 0, 0, Null::kNever, false, 0, 0},
    // Threads the call may use; the pool grows to them if needed.
    {"threads", Type::kInteger, Role::kNone, Length::kNone, 0, 0, Null::kNever, false, static_cast<double>(1), static_cast<double>(ThreadPool::kMaxThreads)},
    // Check every score and std the kernel computes with and report the bad ones (outputs are then
    // unspecified).
    {"check", Type::kBoolean, Role::kNone, Length::kNone, 0, 0, Null::kNever, false, 0, 0},
    // Fewer threads when there are fewer evaluations per thread than this (default
    // info().defaultMinChunk).
    {"minChunk", Type::kInteger, Role::kNone, Length::kNone, 0, 0, Null::kNever, true, static_cast<double>(1), static_cast<double>(kMaxSafeInteger)},
    // The call's control words: element 0 set non-zero (Atomics.store) stops it between chunks;
    // element 1, when there is one, counts the area rows finished.
    {"control", Type::kControl, Role::kNone, Length::kNone, 0, 0, Null::kNever, true, 0, 0},
};
inline constexpr Call kAggregate{"aggregate", "aggregateAsync", kAggregateArgs, 16, 14, 3};

// monteCarlo: docs/contract.md §6 over the outputs of an aggregate call, bit-identical to
// monteCarloColumnsJs: overwrites std, ciLow and ciHigh (score and quality stay). Sync returns
// undefined; async (`monteCarloAsync`) resolves with undefined.
enum class MonteCarloArg : std::size_t {
  kScores,
  kStds,
  kWeights,
  kEvaluations,
  kScore,
  kStd,
  kCiLow,
  kCiHigh,
  kStats,
  kFirstEvaluation,
  kSeed,
  kSamples,
  kIsa,
  kThreads,
  kMinSamplesPerThread,
  kControl,
};
inline constexpr Arg kMonteCarloArgs[] = {
    // As for aggregate.
    {"scores", Type::kFloat64Array, Role::kInput, Length::kSlots, 0, 0, Null::kNever, false, 0, 0},
    // As for aggregate (Monte-Carlo is for calls with stds).
    {"stds", Type::kFloat64Array, Role::kInput, Length::kSlots, 0, 0, Null::kNever, false, 0, 0},
    // As for aggregate.
    {"weights", Type::kFloat64Array, Role::kInput, Length::kWeights, 0, 0, Null::kNever, false, 0, 0},
    // n, the number of evaluations.
    {"evaluations", Type::kInteger, Role::kNone, Length::kNone, 0, 0, Null::kNever, false, static_cast<double>(0), static_cast<double>(kMaxSafeInteger / kSlots)},
    // The point scores aggregate wrote: the centre of the sums.
    {"score", Type::kFloat64Array, Role::kInput, Length::kRows, 0, 0, Null::kNever, false, 0, 0},
    // The Monte-Carlo std.
    {"std", Type::kFloat64Array, Role::kOutput, Length::kRows, 0, 0, Null::kNever, false, 0, 0},
    // The 2.5th percentile of the sample means.
    {"ciLow", Type::kFloat64Array, Role::kOutput, Length::kRows, 0, 0, Null::kNever, false, 0, 0},
    // The 97.5th percentile of the sample means.
    {"ciHigh", Type::kFloat64Array, Role::kOutput, Length::kRows, 0, 0, Null::kNever, false, 0, 0},
    // As for aggregate.
    {"stats", Type::kFloat64Array, Role::kResult, Length::kFixed, 4, 0, Null::kNever, false, 0, 0},
    // The study-wide index of evaluation 0: it keys the random streams, so batch splits do not
    // change results; plus n at most 2^53.
    {"firstEvaluation", Type::kInteger, Role::kNone, Length::kNone, 0, 0, Null::kNever, false, static_cast<double>(0), static_cast<double>(kMaxSafeInteger)},
    // The seed of the random streams.
    {"seed", Type::kInteger, Role::kNone, Length::kNone, 0, 0, Null::kNever, false, static_cast<double>(0), static_cast<double>(kMaxSafeInteger)},
    // Samples per area.
    {"samples", Type::kInteger, Role::kNone, Length::kNone, 0, 0, Null::kNever, false, static_cast<double>(2), static_cast<double>(kMaxSamples)},
    // The kernel to run.
    {"isa", Type::kIsa, Role::kNone, Length::kNone, 0, 0, Null::kNever, false, 0, 0},
    // As for aggregate.
    {"threads", Type::kInteger, Role::kNone, Length::kNone, 0, 0, Null::kNever, false, static_cast<double>(1), static_cast<double>(ThreadPool::kMaxThreads)},
    // Fewer threads when there are fewer sample means (n*10*samples) per thread than this (default
    // info().defaultMinSamplesPerThread).
    {"minSamplesPerThread", Type::kInteger, Role::kNone, Length::kNone, 0, 0, Null::kNever, true, static_cast<double>(1), static_cast<double>(kMaxSafeInteger)},
    // As for aggregate.
    {"control", Type::kControl, Role::kNone, Length::kNone, 0, 0, Null::kNever, true, 0, 0},
};
inline constexpr Call kMonteCarlo{"monteCarlo", "monteCarloAsync", kMonteCarloArgs, 16, 14, 3};

// parseNumbers: Reads field r, bytes [starts[r], ends[r]), as the CSV reader reads a number
// (parseNumber of the tables' text codec: the same grammar, the same doubles) into values[r], or
// sets bad[r] = 1 and values[r] = 0 when it holds none; returns how many held none. Sync only, on
// the JS thread.
enum class ParseNumbersArg : std::size_t {
  kBytes,
  kStarts,
  kEnds,
  kValues,
  kBad,
};
inline constexpr Arg kParseNumbersArgs[] = {
    // The text the fields are in.
    {"bytes", Type::kUint8Array, Role::kInput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // Where each field starts in bytes; -1: no field (it holds no number). Every other field lies
    // within bytes (the call checks).
    {"starts", Type::kInt32Array, Role::kInput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // Where each field ends in bytes.
    {"ends", Type::kInt32Array, Role::kInput, Length::kAs, 0, 1, Null::kNever, false, 0, 0},
    // Receives each field's number, 0 where it holds none.
    {"values", Type::kFloat64Array, Role::kOutput, Length::kAs, 0, 1, Null::kNever, false, 0, 0},
    // Receives 1 where a field holds no number, else 0.
    {"bad", Type::kUint8Array, Role::kOutput, Length::kAs, 0, 1, Null::kNever, false, 0, 0},
};
inline constexpr Call kParseNumbers{"parseNumbers", nullptr, kParseNumbersArgs, 5, 5, kNoArg};

// formatNumbers: Writes each value's text (`${x}`) after the last into out; returns the bytes
// written. Sync only, on the JS thread.
enum class FormatNumbersArg : std::size_t {
  kValues,
  kOut,
  kEnds,
};
inline constexpr Arg kFormatNumbersArgs[] = {
    // The numbers to write.
    {"values", Type::kFloat64Array, Role::kInput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // Receives the texts: room for 25 bytes a value, fewer than 2^31 bytes in all (the call
    // checks).
    {"out", Type::kUint8Array, Role::kOutput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // Receives where each value's text ends in out.
    {"ends", Type::kInt32Array, Role::kOutput, Length::kAs, 0, 0, Null::kNever, false, 0, 0},
};
inline constexpr Call kFormatNumbers{"formatNumbers", nullptr, kFormatNumbersArgs, 3, 3, kNoArg};

// scanCsv: Scans the CSV records of bytes [state[0], end) that have no quoted field into rows
// (CsvColumns of native/csv_scan.h, as the TypeScript scanner would; CsvRowArrays of the tables'
// text codec) from row state[2], the first at line state[1]; writes the three back and returns why
// it stopped (CsvStop: 0 the text ended, 1 a quoted field at state[0], 2 the rows are full). Sync
// only, on the JS thread.
enum class ScanCsvArg : std::size_t {
  kBytes,
  kEnd,
  kEof,
  kFields,
  kNumberFrom,
  kStarts,
  kEnds,
  kLines,
  kState,
};
inline constexpr Arg kScanCsvArgs[] = {
    // The text.
    {"bytes", Type::kUint8Array, Role::kInput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // Where the text ends in bytes, at most bytes.length (the call checks).
    {"end", Type::kInteger, Role::kNone, Length::kNone, 0, 0, Null::kNever, false, static_cast<double>(0), static_cast<double>(kMaxInt32)},
    // The text ends the file: a last record without a line end is whole.
    {"eof", Type::kBoolean, Role::kNone, Length::kNone, 0, 0, Null::kNever, false, 0, 0},
    // Per column, the record field it reads (-1: none).
    {"fields", Type::kInt32Array, Role::kInput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // Columns from here on are numbers, whose empty fields are null; at most fields.length (the
    // call checks).
    {"numberFrom", Type::kInteger, Role::kNone, Length::kNone, 0, 0, Null::kNever, false, static_cast<double>(0), static_cast<double>(kMaxInt32)},
    // Receives where cell (column c, row r) starts in bytes, at c * lines.length + r (-1: null):
    // fields.length * lines.length long (the call checks).
    {"starts", Type::kInt32Array, Role::kOutput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // Receives where each cell ends, as starts.
    {"ends", Type::kInt32Array, Role::kOutput, Length::kAs, 0, 5, Null::kNever, false, 0, 0},
    // Receives each row's line; its length, at least 1, is the rows a scan may fill (the call
    // checks).
    {"lines", Type::kInt32Array, Role::kOutput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // [at, line, rows]: where the scan starts (within the text), the line there and the rows
    // already filled (at most lines.length), as the call checks; written back when it returns.
    {"state", Type::kInt32Array, Role::kResult, Length::kFixed, 3, 0, Null::kNever, false, 0, 0},
};
inline constexpr Call kScanCsv{"scanCsv", nullptr, kScanCsvArgs, 9, 9, kNoArg};

// formatCsvRows: Writes CSV lines of results (the CSV writer's, csv_rows.h), from row state[0] at
// out[state[1]] while out has room for a whole line: line r is key r / H (H = heads' count), head r
// % H, row r of values (comma-joined), tail quality[r], then row r of after (each after a comma),
// and a line feed. Writes back the next row and where its line would start. Sync only, on the JS
// thread.
enum class FormatCsvRowsArg : std::size_t {
  kKeys,
  kKeyOffsets,
  kHeads,
  kHeadOffsets,
  kValues,
  kQuality,
  kTails,
  kTailOffsets,
  kAfter,
  kOut,
  kState,
};
inline constexpr Arg kFormatCsvRowsArgs[] = {
    // The keys, as CSV fields (quoted where they must be), one after another.
    {"keys", Type::kUint8Array, Role::kInput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // Key k is keys [keyOffsets[k], keyOffsets[k + 1]), within keys (the call checks); one more
    // than the keys.
    {"keyOffsets", Type::kInt32Array, Role::kInput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // The text between a line's key and its first value, per position in a key's group of lines.
    {"heads", Type::kUint8Array, Role::kInput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // Head h is heads [headOffsets[h], headOffsets[h + 1]), within heads (the call checks); H + 1
    // long, H at least 1.
    {"headOffsets", Type::kInt32Array, Role::kInput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // The numbers before the tail, row-major: the same count for each line (values.length /
    // quality.length, a whole number: the call checks).
    {"values", Type::kFloat64Array, Role::kInput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // Each line's tail; its length is the lines' count.
    {"quality", Type::kUint8Array, Role::kInput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // The text after a line's values, per quality.
    {"tails", Type::kUint8Array, Role::kInput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // Tail t is tails [tailOffsets[t], tailOffsets[t + 1]), within tails; every quality names one
    // (the call checks).
    {"tailOffsets", Type::kInt32Array, Role::kInput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // The numbers after the tail, row-major, as values (empty: none).
    {"after", Type::kFloat64Array, Role::kInput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // Receives the lines.
    {"out", Type::kUint8Array, Role::kOutput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // [row, at]: the next line to write (at most the lines' count) and where in out (at most
    // out.length), as the call checks; written back when it returns.
    {"state", Type::kInt32Array, Role::kResult, Length::kFixed, 2, 0, Null::kNever, false, 0, 0},
};
inline constexpr Call kFormatCsvRows{"formatCsvRows", nullptr, kFormatCsvRowsArgs, 11, 11, kNoArg};

// indexKeys: Numbers plan keys by first appearance (the tables' KeyIndex, key_index.h): row r's
// key, bytes [starts[r], ends[r]), gets its index in the key table held by arena, keyStarts and
// slots (open addressing, FNV-1a and a final mix, the TypeScript KeyIndex's hash bit for bit), a
// new key the next index; written to plans[r] (-1 where starts[r] is -1: no key). From row state[0]
// while the table has room for a new key: writes back the next row, the keys' count and the arena's
// bytes used. Sync only, on the JS thread.
enum class IndexKeysArg : std::size_t {
  kBytes,
  kStarts,
  kEnds,
  kPlans,
  kArena,
  kKeyStarts,
  kSlots,
  kState,
};
inline constexpr Arg kIndexKeysArgs[] = {
    // The text the keys are in.
    {"bytes", Type::kUint8Array, Role::kInput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // Where each row's key starts in bytes; -1: the row has none. Every other key lies within bytes
    // (the call checks).
    {"starts", Type::kInt32Array, Role::kInput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // Where each row's key ends in bytes.
    {"ends", Type::kInt32Array, Role::kInput, Length::kAs, 0, 1, Null::kNever, false, 0, 0},
    // Receives each row's key index (-1: none).
    {"plans", Type::kInt32Array, Role::kOutput, Length::kAs, 0, 1, Null::kNever, false, 0, 0},
    // The keys' bytes, one after another: read, and appended to.
    {"arena", Type::kUint8Array, Role::kOutput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // Key k is arena [keyStarts[k], keyStarts[k + 1]): read, and appended to; longer than the keys'
    // count (the call checks).
    {"keyStarts", Type::kInt32Array, Role::kOutput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // The hash table: key + 1 per slot, 0 for none; a power of two long, at most half full (the
    // call checks, and stops before a new key would fill it past half).
    {"slots", Type::kInt32Array, Role::kOutput, Length::kAny, 0, 0, Null::kNever, false, 0, 0},
    // [row, keys, used]: the next row (within starts), the keys' count and the arena's bytes used,
    // as the call checks against keyStarts and arena; written back when it returns.
    {"state", Type::kInt32Array, Role::kResult, Length::kFixed, 3, 0, Null::kNever, false, 0, 0},
};
inline constexpr Call kIndexKeys{"indexKeys", nullptr, kIndexKeysArgs, 8, 8, kNoArg};

}  // namespace abi
}  // namespace farfan
