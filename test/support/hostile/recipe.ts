/**
 * Recipes of hostile calls: plain, structured-cloneable data that says how to build a hostile
 * input (getters, Proxies, holes, pollution, lying typed arrays, interference during the call).
 * fast-check generates and shrinks recipes (arbitraries.ts); a child process turns each into live
 * objects (build.ts) and runs it (run-case.ts), so a crash costs a child, not the test runner.
 */

export type Plain = number | string | boolean | bigint | null | undefined;

/** A value as the caller presents it: as is, boxed (`new Number`), an object whose `valueOf` answers `numberLike`, or a valid plan entry for canonical slot `entry`. */
export type Value =
  | { readonly plain: Plain }
  | { readonly boxed: number }
  | { readonly numberLike: number }
  | { readonly entry: number };

/** How one property is attached to its object. */
export type Field =
  | { readonly as: "data"; readonly value: Value }
  | { readonly as: "absent" }
  /** On the object's own prototype: not the caller's data (SPEC §3). */
  | { readonly as: "inherited"; readonly value: Value }
  /** An own getter whose i-th read answers `reads[min(i, last)]`: read once, it is `reads[0]`. */
  | { readonly as: "getter"; readonly reads: readonly Value[] }
  | { readonly as: "throwing-getter" };

export type EntryKey = "areaId" | "dimensionId" | "score" | "scoreStd";

export type EntryTwist =
  /** The entry is this value instead of an object. */
  | { readonly value: Value }
  /** A Proxy whose first read of a key answers the truth and later reads something else. */
  | { readonly proxy: "varying" }
  /** An extra property nested this deep ({ next: { next: … } }). */
  | { readonly deepExtra: number }
  | { readonly frozen: true }
  | { readonly nullPrototype: true };

export type Container =
  | { readonly kind: "array" }
  | { readonly kind: "holes"; readonly at: readonly number[] }
  /** The 60 entries in an array whose length is then set to `length`. */
  | { readonly kind: "length"; readonly length: number }
  /**
   * A Proxy around the array. "varying": the first read of an index answers the entry, later
   * reads a PA10 entry; "throw": the `at`-th trap call throws; "empty": the `at`-th get empties
   * the array.
   */
  | { readonly kind: "proxy"; readonly trap: "varying" | "throw" | "empty"; readonly at: number }
  | { readonly kind: "not-array"; readonly value: Value };

export interface WeightsTable {
  readonly kind: "table";
  readonly areas: readonly { readonly area: string; readonly dims: readonly { readonly dim: string; readonly field: Field }[] }[];
  /** Wrap the table in a Proxy that answers each area's first read truthfully and later reads with weights of 5. */
  readonly proxy: boolean;
}

export type WeightsRecipe = { readonly kind: "none" } | { readonly kind: "value"; readonly value: Value } | WeightsTable;

/** A property set on a built-in prototype for the duration of one call, then restored. */
export interface Pollution {
  readonly on: "Object" | "Array";
  readonly key: string;
  readonly value: Value;
}

export interface MonteCarloRecipe {
  readonly samples: number;
  readonly seed: number;
}

export interface PlanRecipe {
  readonly kind: "plan";
  /** aggregateSync, aggregate (the method), aggregateBatch with shared or own weights. */
  readonly call: "sync" | "async" | "batch" | "batch-own-weights";
  /** Batch calls only: the evaluations array's length is then set to this (holes after the plan). */
  readonly batchLength: number | null;
  /** 60 valid scores and stds (null: no scoreStd), canonical order. */
  readonly scores: readonly number[];
  readonly stds: readonly (number | null)[];
  readonly fields: readonly { readonly entry: number; readonly key: EntryKey; readonly field: Field }[];
  readonly twists: readonly { readonly entry: number; readonly twist: EntryTwist }[];
  readonly container: Container;
  readonly weights: WeightsRecipe;
  readonly pollution: readonly Pollution[];
  readonly monteCarlo: MonteCarloRecipe | null;
}

export type ColumnName = "scores" | "stds" | "weights";

/** What memory a column lives in; the last three are not Float64Arrays at all. */
export type Memory = "plain" | "shared" | "offset" | "resizable" | "growable" | "float32" | "array" | "dataview";

/** Own properties that shadow a typed array's intrinsic accessors, or a buffer that lies about itself. */
export type Lie = "own-length" | "own-byteLength" | "own-byteOffset" | "own-buffer" | "buffer-says-not-resizable";

/** What the caller does after starting the call and before awaiting it. */
export type During =
  | { readonly kind: "none" }
  /** Transfer the column's (or the score output's) buffer away, collect garbage, allocate a canary. */
  | { readonly kind: "transfer"; readonly what: ColumnName | "output" }
  | { readonly kind: "resize"; readonly what: ColumnName }
  /** Write NaN and the slot's valid value alternately into scores[slot], `times` times, ending valid. */
  | { readonly kind: "flip"; readonly slot: number; readonly times: number };

export interface ColumnsRecipe {
  readonly kind: "columns";
  readonly evaluations: number;
  /** Seeds the valid base values (n*60 of them would not travel cheaply). */
  readonly seed: number;
  /** Overrides of single slots (index modulo the column's length). */
  readonly scoreSlots: readonly { readonly slot: number; readonly value: number }[];
  readonly stdSlots: readonly { readonly slot: number; readonly value: number }[];
  readonly weightSlots: readonly { readonly slot: number; readonly value: number }[];
  readonly stds: boolean;
  readonly weights: "absent" | "shared" | "per-evaluation";
  readonly memory: Readonly<Record<ColumnName, Memory>>;
  readonly lies: readonly { readonly column: ColumnName; readonly lie: Lie }[];
  /** `ArrayBuffer.prototype.resizable` answers false during the call (restored after). */
  readonly prototypeLie: boolean;
  /**
   * "fresh"/"shared": valid outputs; "alias-scores": `score` views the scores; "alias-each-other":
   * `std` is `score`; "short": one element too few; "getter": `score` is a getter answering one
   * array on its first read and another after.
   */
  readonly outputs: "none" | "fresh" | "shared" | "alias-scores" | "alias-each-other" | "short" | "getter";
  /** "getter": `scores` answers the array on its first read and a NaN-filled one after; "inherited-stds": stds come from a polluted Object.prototype. */
  readonly object: "plain" | "getter" | "inherited-stds";
  readonly during: During;
  readonly monteCarlo: MonteCarloRecipe | null;
}

export type Recipe = PlanRecipe | ColumnsRecipe;
