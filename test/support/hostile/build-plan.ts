/**
 * Plan recipes into live inputs: the hostile form (getters, Proxies, holes, pollution) and the
 * plain "first-read snapshot" SPEC §3 says must give the same answer: own data only, each value
 * as first read. A recipe whose answer depends on the order of reads (a trap that throws or
 * empties the array, a getter that throws) has no snapshot.
 */
import { AREA_IDS, DIMENSION_IDS, type DimensionScore } from "../../../src/index.js";
import type { Container, EntryKey, EntryTwist, Field, PlanRecipe, Value, WeightsTable } from "./recipe.js";

/** A valid plain entry for canonical slot `i`. */
export function canonicalEntry(i: number, score = 1.5, std: number | null = null): DimensionScore {
  const entry = { areaId: AREA_IDS[Math.floor(i / 6) % 10]!, dimensionId: DIMENSION_IDS[i % 6]!, score };
  return std === null ? entry : { ...entry, scoreStd: std };
}

export function materialize(value: Value): unknown {
  if ("plain" in value) return value.plain;
  if ("boxed" in value) return new Number(value.boxed);
  if ("numberLike" in value) {
    const x = value.numberLike;
    return { valueOf: () => x };
  }
  return canonicalEntry(value.entry);
}

/** The error our traps and getters throw: the caller's own exception. */
export class HostileTrapError extends Error {
  override readonly name = "HostileTrapError";
}

/** Attaches `field` to `target` as `key` (hostile form); `inherited` goes to `proto`, the object's own prototype. */
function attach(target: Record<string, unknown>, proto: Record<string, unknown>, key: string, field: Field): void {
  delete target[key];
  switch (field.as) {
    case "data":
      target[key] = materialize(field.value);
      return;
    case "absent":
      return;
    case "inherited":
      proto[key] = materialize(field.value);
      return;
    case "getter": {
      let reads = 0;
      const answers = field.reads;
      Object.defineProperty(target, key, {
        get: () => materialize(answers[Math.min(reads++, answers.length - 1)]!),
        enumerable: true,
        configurable: true,
      });
      return;
    }
    case "throwing-getter":
      Object.defineProperty(target, key, {
        get: () => {
          throw new HostileTrapError(`getter ${key} throws`);
        },
        enumerable: true,
        configurable: true,
      });
  }
}

/** `field` as first read, on the plain snapshot; false when it has none (it throws). */
function attachSnapshot(target: Record<string, unknown>, key: string, field: Field): boolean {
  delete target[key];
  if (field.as === "data") target[key] = materialize(field.value);
  if (field.as === "getter") target[key] = materialize(field.reads[0]!);
  return field.as !== "throwing-getter";
}

/** What a second read answers in a "varying" Proxy: a value that would change the result. */
const LATER_ANSWER: Readonly<Record<string, unknown>> = { areaId: "PA10", dimensionId: "DIM06", score: Number.NaN, scoreStd: 1e300 };

/** A Proxy that answers each key's first read (get or descriptor) truthfully and later ones with `later(key)`. */
function varying<T extends object>(target: T, later: (key: string | symbol) => unknown): T {
  const reads = new Map<string | symbol, number>();
  const first = (key: string | symbol) => {
    const n = reads.get(key) ?? 0;
    reads.set(key, n + 1);
    return n === 0;
  };
  // A frozen property must answer the truth: the engine enforces that invariant of Proxies.
  const pinned = (t: T, key: string | symbol) => {
    const d = Reflect.getOwnPropertyDescriptor(t, key);
    return d !== undefined && !d.configurable;
  };
  return new Proxy(target, {
    get: (t, key, receiver) => (first(key) || pinned(t, key) ? Reflect.get(t, key, receiver) : later(key)),
    getOwnPropertyDescriptor: (t, key) => {
      const truth = Reflect.getOwnPropertyDescriptor(t, key);
      if (first(key) || truth === undefined || !("value" in truth) || !truth.configurable) return truth;
      return { ...truth, value: later(key) };
    },
  });
}

function laterEntryValue(target: Record<string, unknown>) {
  return (key: string | symbol) => (typeof key === "string" && key in LATER_ANSWER ? LATER_ANSWER[key] : Reflect.get(target, key));
}

function deepNest(depth: number): unknown {
  let nest: unknown = { leaf: true };
  for (let i = 0; i < depth; i++) nest = { next: nest };
  return nest;
}

export interface BuiltPlan {
  /** The plan argument (possibly not an array at all). */
  readonly plan: unknown;
  /** The weights argument; undefined for none. */
  readonly weights: unknown;
  /** Objects the caller owns whose own properties must be the same after the call (Proxy targets, not Proxies). */
  readonly owned: readonly object[];
}

/** The hostile form of `recipe`. */
export function buildHostilePlan(recipe: PlanRecipe): BuiltPlan {
  const owned: object[] = [];
  const entries: unknown[] = recipe.scores.map((score, i) => {
    const proto: Record<string, unknown> = {};
    const entry = Object.assign(Object.create(proto) as Record<string, unknown>, canonicalEntry(i, score, recipe.stds[i]!));
    for (const tweak of recipe.fields) if (tweak.entry === i) attach(entry, proto, tweak.key, tweak.field);
    return entry;
  });
  owned.push(...(entries as object[]));
  for (const { entry: i, twist } of recipe.twists) entries[i] = twistHostile(entries[i] as Record<string, unknown>, twist, owned);
  const { plan, target } = containerHostile(entries, recipe.container);
  if (target !== undefined) owned.push(target);
  const weights = weightsHostile(recipe, owned);
  return { plan, weights, owned };
}

function twistHostile(entry: Record<string, unknown>, twist: EntryTwist, owned: object[]): unknown {
  if (typeof entry !== "object" || entry === null) return entry; // an earlier twist made it a non-object
  if ("value" in twist) return materialize(twist.value);
  if ("proxy" in twist) return varying(entry, laterEntryValue(entry));
  if ("deepExtra" in twist) {
    if (Object.isExtensible(entry)) entry["extra"] = deepNest(twist.deepExtra);
    return entry;
  }
  if ("frozen" in twist) return Object.freeze(entry);
  const bare = Object.create(null, Object.getOwnPropertyDescriptors(entry)) as object;
  owned.push(bare);
  return bare;
}

function containerHostile(entries: unknown[], container: Container): { plan: unknown; target: object | undefined } {
  switch (container.kind) {
    case "array":
      return { plan: entries, target: entries };
    case "holes":
      for (const i of container.at) delete entries[i];
      return { plan: entries, target: entries };
    case "length":
      entries.length = container.length;
      return { plan: entries, target: entries };
    case "not-array":
      return { plan: materialize(container.value), target: undefined };
    case "proxy":
      return { plan: trappedArray(entries, container.trap, container.at), target: container.trap === "empty" ? undefined : entries };
  }
}

function trappedArray(entries: unknown[], trap: "varying" | "throw" | "empty", at: number): unknown {
  if (trap === "varying") {
    return varying(entries, (key) => (typeof key === "string" && /^\d+$/.test(key) ? canonicalEntry(59, 0) : Reflect.get(entries, key)));
  }
  let calls = 0;
  const tick = () => {
    if (calls++ !== at) return;
    if (trap === "throw") throw new HostileTrapError(`trap call ${at} throws`);
    entries.length = 0;
  };
  return new Proxy(entries, {
    get: (t, key, receiver) => (tick(), Reflect.get(t, key, receiver)),
    has: (t, key) => (trap === "throw" && tick(), Reflect.has(t, key)),
    ownKeys: (t) => (trap === "throw" && tick(), Reflect.ownKeys(t)),
    getOwnPropertyDescriptor: (t, key) => (trap === "throw" && tick(), Reflect.getOwnPropertyDescriptor(t, key)),
  });
}

function weightsHostile(recipe: PlanRecipe, owned: object[]): unknown {
  const w = recipe.weights;
  if (w.kind === "none") return undefined;
  if (w.kind === "value") return materialize(w.value);
  const table: Record<string, unknown> = {};
  for (const { area, dims } of w.areas) {
    const proto: Record<string, unknown> = {};
    const row = Object.create(proto) as Record<string, unknown>;
    for (const { dim, field } of dims) attach(row, proto, dim, field);
    owned.push(row);
    define(table, area, row);
  }
  owned.push(table);
  if (!w.proxy) return table;
  const five = Object.fromEntries(DIMENSION_IDS.map((d) => [d, 5]));
  return varying(table, (key) => (typeof key === "string" && key in table ? five : Reflect.get(table, key)));
}

/** The plain first-read snapshot of `recipe`, or undefined when its answer depends on the order of reads. */
export function buildSnapshotPlan(recipe: PlanRecipe): Omit<BuiltPlan, "owned"> | undefined {
  let ordered = recipe.container.kind === "proxy" && recipe.container.trap !== "varying";
  const entries: unknown[] = recipe.scores.map((score, i) => {
    const entry = canonicalEntry(i, score, recipe.stds[i]!) as Record<string, unknown>;
    for (const tweak of recipe.fields) if (tweak.entry === i && !attachSnapshot(entry, tweak.key as EntryKey, tweak.field)) ordered = true;
    return entry;
  });
  for (const { entry: i, twist } of recipe.twists) {
    if ("value" in twist) entries[i] = materialize(twist.value);
    const entry = entries[i];
    if ("deepExtra" in twist && typeof entry === "object" && entry !== null) (entry as Record<string, unknown>)["extra"] = deepNest(twist.deepExtra);
  }
  const container = recipe.container;
  if (container.kind === "holes") for (const i of container.at) delete entries[i];
  if (container.kind === "length") entries.length = container.length;
  const weights = snapshotWeights(recipe.weights);
  if (ordered || weights === ORDERED) return undefined;
  return { plan: container.kind === "not-array" ? materialize(container.value) : entries, weights };
}

const ORDERED = Symbol("ordered");

/** An own enumerable data property, even for keys like "__proto__" (as JSON.parse makes them). */
function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function snapshotWeights(w: PlanRecipe["weights"]): unknown {
  if (w.kind === "none") return undefined;
  if (w.kind === "value") return materialize(w.value);
  return snapshotTable(w);
}

function snapshotTable(w: WeightsTable): unknown {
  const table: Record<string, unknown> = {};
  for (const { area, dims } of w.areas) {
    const row: Record<string, unknown> = {};
    for (const { dim, field } of dims) if (!attachSnapshot(row, dim, field)) return ORDERED;
    define(table, area, row);
  }
  return table;
}
