// Generated from native/abi.json by `npm run abi`: edit the JSON, not this file.
import type { NativeIsa } from "./native-addon.js";

/** The table's name: an addon whose info().abi differs was built from another table, and is refused. */
export const NATIVE_ABI = "275280014d3e2be9";

/**
 * The arguments of `aggregate` and `aggregateAsync` by name. docs/contract.md §4 over n evaluations
 * of canonical columns. Sync: returns the bad slots the check found (null: none). Async
 * (`aggregateAsync`): resolves with { bad, outputs }, `outputs` the five ArrayBuffers of a complete
 * call whose outputs were null, else null.
 */
export interface NativeAggregateRequest {
  /** Scores in canonical column order (e*60 + a*6 + d). */
  readonly scores: Float64Array;
  /**
   * Stds, as the scores; null when the caller gave none (every σ is 0): the kernel then reads the
   * scores in their place and does not check them as stds, so std, ciLow and ciHigh are left for
   * the caller to write.
   */
  readonly stds: Float64Array | null;
  /** Raw weights: 60 shared by every evaluation, or 60 per evaluation. */
  readonly weights: Float64Array;
  /** n, the number of evaluations. */
  readonly evaluations: number;
  /** Lower bounds of EXCELENTE, BUENO and ACEPTABLE, in score units. */
  readonly thresholds: Float64Array;
  /** The point scores (e*10 + a). */
  readonly score: Float64Array | null;
  /** Their stds. */
  readonly std: Float64Array | null;
  /** Lower ends of the 95% intervals. */
  readonly ciLow: Float64Array | null;
  /** Upper ends of the 95% intervals. */
  readonly ciHigh: Float64Array | null;
  /** Quality codes, 0 (INSUFICIENTE) to 3 (EXCELENTE). */
  readonly quality: Uint8Array | null;
  /**
   * Receives the threads that ran part of the call, their summed busy time, the call's wall time in
   * ms, and the ISA that ran (elements: STATS_* in native-addon.ts).
   */
  readonly stats: Float64Array;
  /** The kernel to run. */
  readonly isa: NativeIsa;
  /** Threads the call may use; the pool grows to them if needed. */
  readonly threads: number;
  /**
   * Check every score and std the kernel computes with and report the bad ones (outputs are then
   * unspecified).
   */
  readonly check: boolean;
  /**
   * Fewer threads when there are fewer evaluations per thread than this (default
   * info().defaultMinChunk).
   */
  readonly minChunk?: number | undefined;
  /**
   * The call's control words: element 0 set non-zero (Atomics.store) stops it between chunks;
   * element 1, when there is one, counts the area rows finished.
   */
  readonly control?: Int32Array | undefined;
}

/** NativeAggregateRequest's fields in the order the addon takes them. */
export type NativeAggregateArgs = [
  scores: Float64Array,
  stds: Float64Array | null,
  weights: Float64Array,
  evaluations: number,
  thresholds: Float64Array,
  score: Float64Array | null,
  std: Float64Array | null,
  ciLow: Float64Array | null,
  ciHigh: Float64Array | null,
  quality: Uint8Array | null,
  stats: Float64Array,
  isa: NativeIsa,
  threads: number,
  check: boolean,
  minChunk?: number | undefined,
  control?: Int32Array | undefined,
];

/** The addon's arguments for `request`. */
export function aggregateArgs(request: NativeAggregateRequest): NativeAggregateArgs {
  return [request.scores, request.stds, request.weights, request.evaluations, request.thresholds, request.score, request.std, request.ciLow, request.ciHigh, request.quality, request.stats, request.isa, request.threads, request.check, request.minChunk, request.control];
}

/**
 * The arguments of `monteCarlo` and `monteCarloAsync` by name. docs/contract.md §6 over the outputs
 * of an aggregate call, bit-identical to monteCarloColumnsJs: overwrites std, ciLow and ciHigh
 * (score and quality stay). Sync returns undefined; async (`monteCarloAsync`) resolves with
 * undefined.
 */
export interface NativeMonteCarloRequest {
  /** As for aggregate. */
  readonly scores: Float64Array;
  /** As for aggregate (Monte-Carlo is for calls with stds). */
  readonly stds: Float64Array;
  /** As for aggregate. */
  readonly weights: Float64Array;
  /** n, the number of evaluations. */
  readonly evaluations: number;
  /** The point scores aggregate wrote: the centre of the sums. */
  readonly score: Float64Array;
  /** The Monte-Carlo std. */
  readonly std: Float64Array;
  /** The 2.5th percentile of the sample means. */
  readonly ciLow: Float64Array;
  /** The 97.5th percentile of the sample means. */
  readonly ciHigh: Float64Array;
  /** As for aggregate. */
  readonly stats: Float64Array;
  /**
   * The study-wide index of evaluation 0: it keys the random streams, so batch splits do not change
   * results; plus n at most 2^53.
   */
  readonly firstEvaluation: number;
  /** The seed of the random streams. */
  readonly seed: number;
  /** Samples per area. */
  readonly samples: number;
  /** The kernel to run. */
  readonly isa: NativeIsa;
  /** As for aggregate. */
  readonly threads: number;
  /**
   * Fewer threads when there are fewer sample means (n*10*samples) per thread than this (default
   * info().defaultMinSamplesPerThread).
   */
  readonly minSamplesPerThread?: number | undefined;
  /** As for aggregate. */
  readonly control?: Int32Array | undefined;
}

/** NativeMonteCarloRequest's fields in the order the addon takes them. */
export type NativeMonteCarloArgs = [
  scores: Float64Array,
  stds: Float64Array,
  weights: Float64Array,
  evaluations: number,
  score: Float64Array,
  std: Float64Array,
  ciLow: Float64Array,
  ciHigh: Float64Array,
  stats: Float64Array,
  firstEvaluation: number,
  seed: number,
  samples: number,
  isa: NativeIsa,
  threads: number,
  minSamplesPerThread?: number | undefined,
  control?: Int32Array | undefined,
];

/** The addon's arguments for `request`. */
export function monteCarloArgs(request: NativeMonteCarloRequest): NativeMonteCarloArgs {
  return [request.scores, request.stds, request.weights, request.evaluations, request.score, request.std, request.ciLow, request.ciHigh, request.stats, request.firstEvaluation, request.seed, request.samples, request.isa, request.threads, request.minSamplesPerThread, request.control];
}

/**
 * The arguments of `parseNumbers` by name. Reads field r, bytes [starts[r], ends[r]), as the CSV
 * reader reads a number (parseNumber of the tables' text codec: the same grammar, the same doubles)
 * into values[r], or sets bad[r] = 1 and values[r] = 0 when it holds none; returns how many held
 * none. Sync only, on the JS thread.
 */
export interface NativeParseNumbersRequest {
  /** The text the fields are in. */
  readonly bytes: Uint8Array;
  /**
   * Where each field starts in bytes; -1: no field (it holds no number). Every other field lies
   * within bytes (the call checks).
   */
  readonly starts: Int32Array;
  /** Where each field ends in bytes. */
  readonly ends: Int32Array;
  /** Receives each field's number, 0 where it holds none. */
  readonly values: Float64Array;
  /** Receives 1 where a field holds no number, else 0. */
  readonly bad: Uint8Array;
}

/** NativeParseNumbersRequest's fields in the order the addon takes them. */
export type NativeParseNumbersArgs = [
  bytes: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  values: Float64Array,
  bad: Uint8Array,
];

/** The addon's arguments for `request`. */
export function parseNumbersArgs(request: NativeParseNumbersRequest): NativeParseNumbersArgs {
  return [request.bytes, request.starts, request.ends, request.values, request.bad];
}

/**
 * The arguments of `formatNumbers` by name. Writes each value's text (`${x}`) after the last into
 * out; returns the bytes written. Sync only, on the JS thread.
 */
export interface NativeFormatNumbersRequest {
  /** The numbers to write. */
  readonly values: Float64Array;
  /**
   * Receives the texts: room for 25 bytes a value, fewer than 2^31 bytes in all (the call checks).
   */
  readonly out: Uint8Array;
  /** Receives where each value's text ends in out. */
  readonly ends: Int32Array;
}

/** NativeFormatNumbersRequest's fields in the order the addon takes them. */
export type NativeFormatNumbersArgs = [
  values: Float64Array,
  out: Uint8Array,
  ends: Int32Array,
];

/** The addon's arguments for `request`. */
export function formatNumbersArgs(request: NativeFormatNumbersRequest): NativeFormatNumbersArgs {
  return [request.values, request.out, request.ends];
}

/**
 * The arguments of `scanCsv` by name. Scans the CSV records of bytes [state[0], end) that have no
 * quoted field into rows (CsvColumns of native/csv_scan.h, as the TypeScript scanner would;
 * CsvRowArrays of the tables' text codec) from row state[2], the first at line state[1]; writes the
 * three back and returns why it stopped (CsvStop: 0 the text ended, 1 a quoted field at state[0], 2
 * the rows are full). Sync only, on the JS thread.
 */
export interface NativeScanCsvRequest {
  /** The text. */
  readonly bytes: Uint8Array;
  /** Where the text ends in bytes, at most bytes.length (the call checks). */
  readonly end: number;
  /** The text ends the file: a last record without a line end is whole. */
  readonly eof: boolean;
  /** Per column, the record field it reads (-1: none). */
  readonly fields: Int32Array;
  /**
   * Columns from here on are numbers, whose empty fields are null; at most fields.length (the call
   * checks).
   */
  readonly numberFrom: number;
  /**
   * Receives where cell (column c, row r) starts in bytes, at c * lines.length + r (-1: null):
   * fields.length * lines.length long (the call checks).
   */
  readonly starts: Int32Array;
  /** Receives where each cell ends, as starts. */
  readonly ends: Int32Array;
  /**
   * Receives each row's line; its length, at least 1, is the rows a scan may fill (the call
   * checks).
   */
  readonly lines: Int32Array;
  /**
   * [at, line, rows]: where the scan starts (within the text), the line there and the rows already
   * filled (at most lines.length), as the call checks; written back when it returns.
   */
  readonly state: Int32Array;
}

/** NativeScanCsvRequest's fields in the order the addon takes them. */
export type NativeScanCsvArgs = [
  bytes: Uint8Array,
  end: number,
  eof: boolean,
  fields: Int32Array,
  numberFrom: number,
  starts: Int32Array,
  ends: Int32Array,
  lines: Int32Array,
  state: Int32Array,
];

/** The addon's arguments for `request`. */
export function scanCsvArgs(request: NativeScanCsvRequest): NativeScanCsvArgs {
  return [request.bytes, request.end, request.eof, request.fields, request.numberFrom, request.starts, request.ends, request.lines, request.state];
}

/**
 * The arguments of `formatCsvRows` by name. Writes CSV lines of results (the CSV writer's,
 * csv_rows.h), from row state[0] at out[state[1]] while out has room for a whole line: line r is
 * key r / H (H = heads' count), head r % H, row r of values (comma-joined), tail quality[r], then
 * row r of after (each after a comma), and a line feed. Writes back the next row and where its line
 * would start. Sync only, on the JS thread.
 */
export interface NativeFormatCsvRowsRequest {
  /** The keys, as CSV fields (quoted where they must be), one after another. */
  readonly keys: Uint8Array;
  /**
   * Key k is keys [keyOffsets[k], keyOffsets[k + 1]), within keys (the call checks); one more than
   * the keys.
   */
  readonly keyOffsets: Int32Array;
  /**
   * The text between a line's key and its first value, per position in a key's group of lines.
   */
  readonly heads: Uint8Array;
  /**
   * Head h is heads [headOffsets[h], headOffsets[h + 1]), within heads (the call checks); H + 1
   * long, H at least 1.
   */
  readonly headOffsets: Int32Array;
  /**
   * The numbers before the tail, row-major: the same count for each line (values.length /
   * quality.length, a whole number: the call checks).
   */
  readonly values: Float64Array;
  /** Each line's tail; its length is the lines' count. */
  readonly quality: Uint8Array;
  /** The text after a line's values, per quality. */
  readonly tails: Uint8Array;
  /**
   * Tail t is tails [tailOffsets[t], tailOffsets[t + 1]), within tails; every quality names one
   * (the call checks).
   */
  readonly tailOffsets: Int32Array;
  /** The numbers after the tail, row-major, as values (empty: none). */
  readonly after: Float64Array;
  /** Receives the lines. */
  readonly out: Uint8Array;
  /**
   * [row, at]: the next line to write (at most the lines' count) and where in out (at most
   * out.length), as the call checks; written back when it returns.
   */
  readonly state: Int32Array;
}

/** NativeFormatCsvRowsRequest's fields in the order the addon takes them. */
export type NativeFormatCsvRowsArgs = [
  keys: Uint8Array,
  keyOffsets: Int32Array,
  heads: Uint8Array,
  headOffsets: Int32Array,
  values: Float64Array,
  quality: Uint8Array,
  tails: Uint8Array,
  tailOffsets: Int32Array,
  after: Float64Array,
  out: Uint8Array,
  state: Int32Array,
];

/** The addon's arguments for `request`. */
export function formatCsvRowsArgs(request: NativeFormatCsvRowsRequest): NativeFormatCsvRowsArgs {
  return [request.keys, request.keyOffsets, request.heads, request.headOffsets, request.values, request.quality, request.tails, request.tailOffsets, request.after, request.out, request.state];
}

/**
 * The arguments of `indexKeys` by name. Numbers plan keys by first appearance (the tables'
 * KeyIndex, key_index.h): row r's key, bytes [starts[r], ends[r]), gets its index in the key table
 * held by arena, keyStarts and slots (open addressing, FNV-1a and a final mix, the TypeScript
 * KeyIndex's hash bit for bit), a new key the next index; written to plans[r] (-1 where starts[r]
 * is -1: no key). From row state[0] while the table has room for a new key: writes back the next
 * row, the keys' count and the arena's bytes used. Sync only, on the JS thread.
 */
export interface NativeIndexKeysRequest {
  /** The text the keys are in. */
  readonly bytes: Uint8Array;
  /**
   * Where each row's key starts in bytes; -1: the row has none. Every other key lies within bytes
   * (the call checks).
   */
  readonly starts: Int32Array;
  /** Where each row's key ends in bytes. */
  readonly ends: Int32Array;
  /** Receives each row's key index (-1: none). */
  readonly plans: Int32Array;
  /** The keys' bytes, one after another: read, and appended to. */
  readonly arena: Uint8Array;
  /**
   * Key k is arena [keyStarts[k], keyStarts[k + 1]): read, and appended to; longer than the keys'
   * count (the call checks).
   */
  readonly keyStarts: Int32Array;
  /**
   * The hash table: key + 1 per slot, 0 for none; a power of two long, at most half full (the call
   * checks, and stops before a new key would fill it past half).
   */
  readonly slots: Int32Array;
  /**
   * [row, keys, used]: the next row (within starts), the keys' count and the arena's bytes used, as
   * the call checks against keyStarts and arena; written back when it returns.
   */
  readonly state: Int32Array;
}

/** NativeIndexKeysRequest's fields in the order the addon takes them. */
export type NativeIndexKeysArgs = [
  bytes: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  plans: Int32Array,
  arena: Uint8Array,
  keyStarts: Int32Array,
  slots: Int32Array,
  state: Int32Array,
];

/** The addon's arguments for `request`. */
export function indexKeysArgs(request: NativeIndexKeysRequest): NativeIndexKeysArgs {
  return [request.bytes, request.starts, request.ends, request.plans, request.arena, request.keyStarts, request.slots, request.state];
}
