import { AREA_IDS, DIMENSION_COUNT, DIMENSION_IDS, isScore, isStd, MAX_SCORE, MAX_STD, MIN_SCORE, SLOTS_PER_EVALUATION } from "../core/constants.js";
import { reportValue } from "../input/pack-plans.js";
import { ValidationError } from "../core/errors.js";
import { IssueCollector } from "../core/validate.js";
import { KeyIndex, type KeyRange } from "./key-index.js";
import { rowIds, type RowIds } from "./row-ids.js";
import { JS_TEXT_CODEC, type TextCodec } from "./text-codec.js";
import { isNull, rowNumber, WIDE_SCORE_COLUMNS, WIDE_STD_COLUMNS, type LongBatch, type NumberColumn, type RowBatch, type TextColumn, type WideBatch } from "./rows.js";

/**
 * Plans gathered from rows, in blocks of consecutive plan indices (first appearance order).
 * Plan `first + e` of a block has its key `keys[e]` and, when it is good, its 60 scores and stds
 * at `e*60` (a bad plan's slots hold valid values of no plan, whose results nobody writes); a
 * bad plan has its problem in `problems`.
 */
export interface PlanBlock {
  readonly first: number;
  readonly count: number;
  readonly keys: KeyBytes;
  readonly scores: Float64Array;
  readonly stds: Float64Array;
  /** Index in the block → why that plan is not aggregated. */
  readonly problems: ReadonlyMap<number, PlanProblem>;
  /** Problems found with plans written in earlier blocks (rows that came after them), or with rows that name no plan. */
  readonly late: readonly PlanProblem[];
}

/** The keys of a block's plans: key e is `bytes[offsets[e], offsets[e + 1])`. */
export interface KeyBytes {
  readonly bytes: Uint8Array;
  readonly offsets: Int32Array;
}

export interface PlanProblem {
  /** The plan key as text, or undefined for a row that names no plan (a null key). */
  readonly key: string | undefined;
  /** The line or row the problem is first seen at ("line 17"). */
  readonly where: string;
  readonly error: ValidationError;
  /** True when the plan's results were already written before this was found. */
  readonly written: boolean;
}

export interface GatherSettings {
  /**
   * The input is sorted by plan key: a plan is the run of rows with its key, closed when the key
   * changes (any number of rows); its key again later is E_PLAN_SPLIT. Otherwise a long plan is
   * complete once 60 rows of its key are in, its rows anywhere within `maxOpenPlans` plans.
   */
  readonly sorted: boolean;
  /** Plans open at once (started, not yet written); past this the oldest is closed as E_OPEN_PLANS. */
  readonly maxOpenPlans: number;
  /** Plans per block handed on. */
  readonly blockPlans: number;
}

/**
 * Rows a direct run (wide rows straight into the block) takes at least and at most: a run of
 * 128 rows fills 128 × 480 bytes of each block column, which stay in cache while the run writes
 * them a column at a time (runs of a whole block: 14 ns a value, not 2).
 */
const MIN_DIRECT_ROWS = 8;
const MAX_DIRECT_ROWS = 128;

/** What became of a key: open (its slot in the slab), or closed. */
const CLOSED_GOOD = -1;
const CLOSED_BAD = -2;

const decoder = new TextDecoder();
const text = (bytes: Uint8Array) => decoder.decode(bytes);

/**
 * Turns rows into plans (SPEC §2's 60 dimension scores each, checked as SPEC §3 says), whatever
 * the row order: a plan is whatever its key gathers. Memory is bounded: at most
 * `maxOpenPlans` plans are open at once (~1.2 KB each), plus the keys seen (KeyIndex). Plans
 * leave in index order, so a block's plans are consecutive and its Monte-Carlo streams are
 * keyed as in any other entry point; a plan that completes early waits (open) for older ones.
 */
export class PlanGatherer {
  readonly #settings: GatherSettings;
  readonly #keys = new KeyIndex();
  /** Plans opened so far: keys a batch's rows have reached, in row order (a batch's keys are numbered before its rows are read). */
  #opened = 0;
  /** Each row of the batch in hand: its plan (key index), -1 for a null key. */
  #rowPlans = new Int32Array(0);
  /** The ids of a batch that came without (read on this thread), reused batch after batch. */
  #rowIds: RowIds | undefined;
  readonly #codec: TextCodec;
  /** Per key (= plan index): its slab slot while open, else CLOSED_GOOD or CLOSED_BAD. */
  #state = new Int32Array(1024);
  /** Plans below this index are written (or reported); those from it up to the key count are open. */
  #nextOut = 0;
  readonly #slab: Slab;
  #block: BlockBuilder;
  readonly #done: PlanBlock[] = [];
  /** Sorted input: the plan whose run the rows are in, or -1. */
  #current = -1;
  /** Columns of blocks handed back (recycle): the next blocks fill them rather than fresh memory. */
  readonly #spares: BlockColumns[] = [];
  /**
   * The most blocks in memory at once so far (those one batch completed, and the one filling):
   * as many spares are kept, so a batch that completes several blocks (a wide row group does
   * ~8) fills spares rather than fresh memory, and memory holds no more than it already did.
   */
  #blocksAtOnce = 2;
  /**
   * Rows the next direct run may take: doubled after a run that took them all, back to the least
   * after one that stopped short. A run that stops at a bad row has copied the rows after it in
   * the columns before the bad one for nothing; this keeps that waste in proportion to the rows
   * taken, however many rows are bad.
   */
  #directRows = MIN_DIRECT_ROWS;

  /** `codec` numbers a batch's keys (its indexKeys, natively on the native backend). */
  constructor(settings: GatherSettings, codec: TextCodec = JS_TEXT_CODEC) {
    this.#settings = settings;
    this.#codec = codec;
    this.#slab = new Slab();
    this.#block = new BlockBuilder(0, settings.blockPlans, undefined);
  }

  /**
   * Takes back a block whose results are written: a later block fills its columns. Fresh memory
   * costs page faults on first touch, which at 10^6 plans would be most of the gatherer's time.
   */
  recycle(block: PlanBlock): void {
    if (this.#spares.length < this.#blocksAtOnce) this.#spares.push({ scores: new Float64Array(block.scores.buffer), stds: new Float64Array(block.stds.buffer) });
  }

  /** Plans opened so far (the next plan's index). */
  get plans(): number {
    return this.#opened;
  }

  /** The most plans that were ever open at once (the memory bound at work). */
  get peakOpen(): number {
    return this.#slab.peak;
  }

  /** Takes a batch of rows; returns the blocks it completed. */
  add(batch: RowBatch): PlanBlock[] {
    if (batch.layout === "long") this.#addLong(batch);
    else this.#addWide(batch);
    this.#blocksAtOnce = Math.max(this.#blocksAtOnce, this.#done.length + 1);
    return this.#done.splice(0);
  }

  /** The end of the input: every open plan is closed; returns the last blocks. */
  finish(): PlanBlock[] {
    while (this.#nextOut < this.#opened) this.#close(this.#nextOut, false);
    this.#flush();
    if (this.#block.count > 0 || this.#block.late.length > 0) this.#done.push(this.#block.build());
    return this.#done.splice(0);
  }

  #addLong(batch: LongBatch): void {
    const { area, dimension, score, std } = batch;
    const plans = this.#plansOf(batch);
    const { areas, dimensions } = batch.ids ?? (this.#rowIds = rowIds(batch, this.#rowIds));
    for (let r = 0; r < batch.rows; r++) {
      const plan = this.#openPlanOf(batch, r, plans[r]!);
      if (plan === undefined) continue;
      const slot = this.#state[plan]!;
      const row = rowNumber(batch, r);
      const a = areas[r]!;
      const d = dimensions[r]!;
      const slab = this.#slab;
      slab.rows[slot]!++;
      if (a < 0 || d < 0) {
        const issues = slab.issuesOf(slot);
        const where = `${batch.rowName} ${row}`;
        if (a < 0) issues.add("E_UNKNOWN_ID", `${where}.area_id`, `unknown area id ${shownText(area, r)}`);
        if (d < 0) issues.add("E_UNKNOWN_ID", `${where}.dimension_id`, `unknown dimension id ${shownText(dimension, r)}`);
      } else {
        const at = slot * SLOTS_PER_EVALUATION + a * DIMENSION_COUNT + d;
        const first = slab.rowOf[at]!;
        if (first !== 0) {
          const name = batch.rowName;
          slab.issuesOf(slot).add("E_HERMETICITY", `${name} ${row}`, `Hermeticity violation for ${AREA_IDS[a]}: duplicate ${DIMENSION_IDS[d]} (first at ${name} ${first})`);
        } else {
          slab.rowOf[at] = row;
          this.#value(score, r, at, slab.scores, slot, batch, row, "score", "score");
          if (std === undefined) slab.stds[at] = 0;
          else this.#value(std, r, at, slab.stds, slot, batch, row, "score_std", "std");
        }
      }
      if (!this.#settings.sorted && slab.rows[slot] === SLOTS_PER_EVALUATION) this.#complete(plan);
    }
  }

  #addWide(batch: WideBatch): void {
    const plans = this.#plansOf(batch);
    const direct = allNumbers(batch);
    for (let r = 0; r < batch.rows; ) {
      const run = direct ? this.#addDirect(batch, plans, r) : 0;
      if (run > 0) r += run;
      else this.#addWideRow(batch, plans, r++);
    }
  }

  /**
   * Rows from r that are plans of their own, each new and next in order with none open before
   * it, every value good: they go straight into the block, a column at a time (no slab, no copy
   * out of it: a plan at a time, that was most of a wide table's gathering). Returns the rows
   * taken: up to the first that is not such a row (0 if r is not), which the row path takes.
   */
  #addDirect(batch: WideBatch, plans: Int32Array, r: number): number {
    if (this.#nextOut !== this.#opened) return 0;
    const first = this.#opened;
    const limit = Math.min(batch.rows - r, this.#block.room, this.#directRows);
    let rows = 0;
    while (rows < limit && plans[r + rows] === first + rows) rows++;
    rows = this.#block.addRows(batch, r, rows, this.#keys.rangeOf(first, first + rows));
    this.#directRows = rows === limit ? Math.min(this.#directRows * 2, MAX_DIRECT_ROWS) : MIN_DIRECT_ROWS;
    if (rows === 0) return 0;
    this.#stateFor(first + rows);
    this.#state.fill(CLOSED_GOOD, first, first + rows);
    this.#opened = this.#nextOut = first + rows;
    // What the row path leaves: no plan current, one plan was open at a time.
    this.#current = -1;
    this.#slab.peak = Math.max(this.#slab.peak, 1);
    this.#nextBlockIfFull();
    return rows;
  }

  #addWideRow(batch: WideBatch, plans: Int32Array, r: number): void {
    const plan = this.#openPlanOf(batch, r, plans[r]!);
    if (plan === undefined) return;
    const slot = this.#state[plan]!;
    const row = rowNumber(batch, r);
    const slab = this.#slab;
    const base = slot * SLOTS_PER_EVALUATION;
    for (let s = 0; s < SLOTS_PER_EVALUATION; s++) {
      slab.rowOf[base + s] = row;
      this.#value(batch.scores[s]!, r, base + s, slab.scores, slot, batch, row, WIDE_SCORE_COLUMNS[s]!, "score");
      const std = batch.stds[s];
      if (std === undefined) slab.stds[base + s] = 0;
      else this.#value(std, r, base + s, slab.stds, slot, batch, row, WIDE_STD_COLUMNS[s]!, "std");
    }
    slab.rows[slot] = SLOTS_PER_EVALUATION;
    this.#complete(plan);
  }

  /** Each row's plan (its key's index, -1 for a null key), the batch's keys numbered in one codec call. */
  #plansOf(batch: RowBatch): Int32Array {
    if (this.#rowPlans.length < batch.rows) this.#rowPlans = new Int32Array(batch.rows);
    this.#keys.indexAll(batch.key, batch.rows, this.#rowPlans, this.#codec);
    return this.#rowPlans;
  }

  /** Row r's plan (`plan`, its key's index), open to take the row; undefined when it takes none: a row without a key, or of a plan closed already (reported). */
  #openPlanOf(batch: RowBatch, r: number, plan: number): number | undefined {
    const open = this.#planOf(batch, r, plan);
    if (open === undefined) return undefined;
    const slot = this.#state[open]!;
    if (slot >= 0) return open;
    this.#lateRow(batch, open, slot, r);
    return undefined;
  }

  /** Row r's plan index (`plan`, its key's), opening the plan if it is new; undefined for a row without a key (reported). */
  #planOf(batch: RowBatch, r: number, plan: number): number | undefined {
    if (plan < 0) {
      const where = `${batch.rowName} ${rowNumber(batch, r)}`;
      const error = new ValidationError([{ code: "E_TYPE", path: where, message: "the plan key is missing (null)" }]);
      this.#block.late.push({ key: undefined, where, error, written: false });
      return undefined;
    }
    // Keys are numbered in row order, so a plan not yet opened is the next one; it counts among the plans from here on.
    if (plan === this.#opened) {
      this.#opened++;
      this.#open(plan, batch, r);
    }
    if (this.#settings.sorted && plan !== this.#current && this.#current >= 0 && this.#state[this.#current]! >= 0) {
      this.#complete(this.#current);
    }
    if (this.#settings.sorted) this.#current = plan;
    return plan;
  }

  /** Room in #state for `plans` plans (doubling). */
  #stateFor(plans: number): void {
    if (plans > this.#state.length) this.#state = grownTo(this.#state, Math.max(plans, this.#state.length * 2));
  }

  #open(plan: number, batch: RowBatch, r: number): void {
    this.#stateFor(plan + 1);
    // Past the cap, the oldest open plan is closed for good: its rows so far are all it gets.
    while (plan - this.#nextOut >= this.#settings.maxOpenPlans) this.#close(this.#nextOut, true);
    this.#state[plan] = this.#slab.take(`${batch.rowName} ${rowNumber(batch, r)}`);
  }

  /** A row of a key already closed: one problem for that plan, then its rows are ignored. */
  #lateRow(batch: RowBatch, plan: number, state: number, r: number): void {
    if (state === CLOSED_BAD) return;
    this.#state[plan] = CLOSED_BAD;
    const where = `${batch.rowName} ${rowNumber(batch, r)}`;
    const message = this.#settings.sorted
      ? "this plan's rows come in two runs apart, in an input read as sorted by plan key; its results from the first run were written"
      : batch.layout === "wide"
        ? "a second row for this plan; its results from the first were written"
        : "a row for this plan after its 60 were complete, so a duplicate; its results from the first 60 were written";
    const code = this.#settings.sorted ? "E_PLAN_SPLIT" : "E_HERMETICITY";
    const error = new ValidationError([{ code, path: where, message }]);
    this.#block.late.push({ key: text(this.#keys.bytesOf(plan)), where, error, written: true });
  }

  /** Reads cell r into `into[at]`, or records why it cannot be (SPEC §3's codes and messages) at `<row>.<name>`. */
  #value(column: NumberColumn, r: number, at: number, into: Float64Array, slot: number, batch: RowBatch, row: number, name: string, kind: "score" | "std"): void {
    const value = column.values[r]!;
    if (column.bad === undefined && column.nulls === undefined && (kind === "score" ? isScore(value) : isStd(value))) {
      into[at] = value;
      return;
    }
    const bad = column.bad?.get(r);
    if (bad === undefined && !isNull(column.nulls, r) && (kind === "score" ? isScore(value) : isStd(value))) {
      into[at] = value;
      return;
    }
    const path = `${batch.rowName} ${row}.${name}`;
    into[at] = 0;
    // A missing std is σ = 0, as `score_std: null` is in the JSON.
    if (kind === "std" && (isNull(column.nulls, r) || (column.bad?.has(r) && bad === null))) return;
    reportValue(isNull(column.nulls, r) ? null : column.bad?.has(r) ? bad : value, kind, path, this.#slab.issuesOf(slot));
  }

  /** A plan has all it will get; plans leave in index order, so it may wait for older ones. */
  #complete(plan: number): void {
    this.#slab.complete[this.#state[plan]!] = 1;
    this.#flush();
  }

  /** Writes out the oldest plans while they are complete. */
  #flush(): void {
    while (this.#nextOut < this.#opened) {
      const slot = this.#state[this.#nextOut]!;
      if (slot >= 0 && this.#slab.complete[slot] !== 1) return;
      if (slot >= 0) this.#close(this.#nextOut, false);
    }
  }

  /** Closes plan `plan` (the oldest open one) and hands it to the block; `evicted`: by the cap, not by completion. */
  #close(plan: number, evicted: boolean): void {
    const slab = this.#slab;
    const slot = this.#state[plan]!;
    if (evicted) {
      const rows = slab.rows[slot]!;
      const cap = this.#settings.maxOpenPlans;
      const message = `incomplete (${rows} of 60 rows) when ${cap} plans were open at once; sort the input by plan key, or raise the cap`;
      slab.issuesOf(slot).add("E_OPEN_PLANS", slab.where[slot]!, message);
    }
    if (slab.rows[slot] !== SLOTS_PER_EVALUATION || slab.issues[slot] !== undefined) reportMissing(slab.rowOf, slot * SLOTS_PER_EVALUATION, slab);
    const bad = slab.issues[slot];
    const key = this.#keys.bytesOf(plan);
    const problem = bad === undefined ? undefined : { key: text(key), where: slab.where[slot]!, error: new ValidationError(bad.issues, bad.truncated), written: false };
    this.#block.add(key, slab, slot, problem);
    this.#state[plan] = problem === undefined ? CLOSED_GOOD : CLOSED_BAD;
    if (this.#current === plan) this.#current = -1;
    slab.give(slot);
    this.#nextOut = plan + 1;
    this.#nextBlockIfFull();
  }

  #nextBlockIfFull(): void {
    if (!this.#block.full) return;
    this.#done.push(this.#block.build());
    this.#block = new BlockBuilder(this.#nextOut, this.#settings.blockPlans, this.#spares.pop());
  }
}

/**
 * Copies `values[from, from + rows)` into the block's slot `s` of plans e, e + 1, … (`into`),
 * up to the first value outside [min, max] (isScore's or isStd's bounds: a call per value costs
 * more than the copy); returns how many it copied. No column: stds left out, σ = 0.
 */
function copyColumn(values: Float64Array | undefined, from: number, rows: number, min: number, max: number, into: Float64Array, e: number, s: number): number {
  let at = e * SLOTS_PER_EVALUATION + s;
  if (values === undefined) {
    for (let i = 0; i < rows; i++, at += SLOTS_PER_EVALUATION) into[at] = 0;
    return rows;
  }
  for (let i = 0; i < rows; i++, at += SLOTS_PER_EVALUATION) {
    const value = values[from + i]!;
    if (!(value >= min && value <= max)) return i;
    into[at] = value;
  }
  return rows;
}

/** Whether every value column of the batch holds numbers only (no null, no text): then a value is good or bad by its number alone. */
function allNumbers(batch: WideBatch): boolean {
  const plain = (column: NumberColumn | undefined) => column === undefined || (column.bad === undefined && column.nulls === undefined);
  return batch.scores.every(plain) && batch.stds.every(plain);
}

/** Adds a "missing" issue for every pair of the plan at `base` that no row filled. */
function reportMissing(rowOf: Int32Array, base: number, slab: Slab): void {
  const slot = base / SLOTS_PER_EVALUATION;
  for (let s = 0; s < SLOTS_PER_EVALUATION; s++) {
    if (rowOf[base + s] !== 0) continue;
    const issues = slab.issuesOf(slot);
    const a = Math.floor(s / DIMENSION_COUNT);
    const d = s % DIMENSION_COUNT;
    issues.add("E_HERMETICITY", `${AREA_IDS[a]}.${DIMENSION_IDS[d]}`, `Hermeticity violation for ${AREA_IDS[a]}: missing ${DIMENSION_IDS[d]}`);
  }
}

function shownText(column: TextColumn, r: number): string {
  if (isNull(column.nulls, r)) return "(missing)";
  const value = text(column.bytes.subarray(column.starts[r]!, column.ends[r]!));
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/**
 * The open plans' values, a slot each: scores, stds, the row that filled each pair (0: none
 * yet), rows seen, and the issues of a plan found bad. Slots are reused as plans leave.
 */
class Slab {
  scores = new Float64Array(0);
  stds = new Float64Array(0);
  rowOf = new Int32Array(0);
  rows = new Int32Array(0);
  complete = new Uint8Array(0);
  issues: (IssueCollector | undefined)[] = [];
  /** Where each open plan was first seen. */
  where: (string | undefined)[] = [];
  readonly #free: number[] = [];
  #capacity = 0;
  #open = 0;
  peak = 0;

  take(where: string): number {
    if (this.#free.length === 0) this.#grow();
    const slot = this.#free.pop()!;
    this.rowOf.fill(0, slot * SLOTS_PER_EVALUATION, (slot + 1) * SLOTS_PER_EVALUATION);
    this.rows[slot] = 0;
    this.complete[slot] = 0;
    this.issues[slot] = undefined;
    this.where[slot] = where;
    this.peak = Math.max(this.peak, ++this.#open);
    return slot;
  }

  give(slot: number): void {
    this.issues[slot] = undefined;
    this.#free.push(slot);
    this.#open--;
  }

  issuesOf(slot: number): IssueCollector {
    return (this.issues[slot] ??= new IssueCollector());
  }

  #grow(): void {
    const capacity = Math.max(16, this.#capacity * 2);
    const slots = capacity * SLOTS_PER_EVALUATION;
    this.scores = grownTo(this.scores, slots);
    this.stds = grownTo(this.stds, slots);
    this.rowOf = grownTo(this.rowOf, slots);
    this.rows = grownTo(this.rows, capacity);
    this.complete = grownTo(this.complete, capacity);
    for (let slot = capacity - 1; slot >= this.#capacity; slot--) this.#free.push(slot);
    this.#capacity = capacity;
  }
}

function grownTo<T extends Float64Array | Int32Array | Uint8Array>(array: T, length: number): T {
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array);
  return copy;
}

interface BlockColumns {
  readonly scores: Float64Array;
  readonly stds: Float64Array;
}

/** One block of consecutive plans being filled. */
class BlockBuilder {
  readonly #first: number;
  readonly #capacity: number;
  #count = 0;
  readonly #scores: Float64Array;
  readonly #stds: Float64Array;
  #keyBytes = new Uint8Array(1024);
  readonly #keyOffsets: Int32Array;
  readonly #problems = new Map<number, PlanProblem>();
  readonly late: PlanProblem[] = [];

  constructor(first: number, capacity: number, spare: BlockColumns | undefined) {
    this.#first = first;
    this.#capacity = capacity;
    // Over SharedArrayBuffers, which the engine reads in place even in an async call (no copy).
    this.#scores = spare?.scores ?? new Float64Array(new SharedArrayBuffer(capacity * SLOTS_PER_EVALUATION * 8));
    this.#stds = spare?.stds ?? new Float64Array(new SharedArrayBuffer(capacity * SLOTS_PER_EVALUATION * 8));
    this.#keyOffsets = new Int32Array(capacity + 1);
  }

  get count(): number {
    return this.#count;
  }

  get full(): boolean {
    return this.#count === this.#capacity;
  }

  /** Plans the block has room for. */
  get room(): number {
    return this.#capacity - this.#count;
  }

  /**
   * Adds the wide rows [from, from + rows) of `batch` as plans, with their keys `keys` (one per
   * row), up to the first row with a value that is not good (its values all numbers: no null, no
   * text); returns the plans added. A column at a time: a row's 120 values are in 120 columns.
   */
  addRows(batch: WideBatch, from: number, rows: number, keys: KeyRange): number {
    const e = this.#count;
    let good = rows;
    for (let s = 0; s < SLOTS_PER_EVALUATION; s++) {
      good = copyColumn(batch.scores[s]!.values, from, good, MIN_SCORE, MAX_SCORE, this.#scores, e, s);
      good = copyColumn(batch.stds[s]?.values, from, good, 0, MAX_STD, this.#stds, e, s);
    }
    if (good === 0) return 0;
    const at = this.#keyOffsets[e]!;
    const base = keys.starts[0]!;
    const length = keys.starts[good]! - base;
    if (at + length > this.#keyBytes.length) this.#keyBytes = grownTo(this.#keyBytes, Math.max(at + length, this.#keyBytes.length * 2));
    this.#keyBytes.set(keys.bytes.subarray(base, base + length), at);
    for (let i = 1; i <= good; i++) this.#keyOffsets[e + i] = at + keys.starts[i]! - base;
    this.#count += good;
    return good;
  }

  add(key: Uint8Array, slab: Slab, slot: number, problem: PlanProblem | undefined): void {
    const e = this.#count++;
    const at = this.#keyOffsets[e]!;
    if (at + key.length > this.#keyBytes.length) this.#keyBytes = grownTo(this.#keyBytes, Math.max(at + key.length, this.#keyBytes.length * 2));
    this.#keyBytes.set(key, at);
    this.#keyOffsets[e + 1] = at + key.length;
    if (problem !== undefined) {
      this.#problems.set(e, problem);
      return;
    }
    // 60 values a plan: a loop, not two subarrays and sets, which cost more to start than to copy.
    // The arrays in locals: a private field read in the loop is read again every time.
    const from = slot * SLOTS_PER_EVALUATION;
    const to = e * SLOTS_PER_EVALUATION;
    const { scores, stds } = slab;
    const blockScores = this.#scores;
    const blockStds = this.#stds;
    for (let i = 0; i < SLOTS_PER_EVALUATION; i++) {
      blockScores[to + i] = scores[from + i]!;
      blockStds[to + i] = stds[from + i]!;
    }
  }

  build(): PlanBlock {
    const slots = this.#count * SLOTS_PER_EVALUATION;
    return {
      first: this.#first,
      count: this.#count,
      keys: { bytes: this.#keyBytes, offsets: this.#keyOffsets.subarray(0, this.#count + 1) },
      scores: this.#scores.subarray(0, slots),
      stds: this.#stds.subarray(0, slots),
      problems: this.#problems,
      late: this.late,
    };
  }
}
