/**
 * fast-check generators of hostile recipes, shared by the suite's fuzz test and `npm run fuzz`.
 * Most of a recipe is valid (so both backends get to compute and can be compared); a few
 * features per case are hostile.
 */
import fc from "fast-check";
import { AREA_IDS, DIMENSION_IDS } from "../../../src/index.js";
import type {
  ColumnName,
  ColumnsRecipe,
  Container,
  During,
  EntryKey,
  EntryTwist,
  Field,
  Lie,
  Memory,
  MonteCarloRecipe,
  PlanRecipe,
  Pollution,
  Recipe,
  Value,
  WeightsRecipe,
} from "./recipe.js";

/** The neighbours of a double (its next representable values up and down). */
function nextUp(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) + 1n);
  return view.getFloat64(0);
}
function nextDown(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) - 1n);
  return view.getFloat64(0);
}

/** Numbers at the edges SPEC §3 draws (−0, subnormals, the 1e±50 bounds, [0, 3]) and beyond. */
export const EXTREME_NUMBERS: readonly number[] = Object.freeze([
  0, -0, 5e-324, -5e-324, 2.2250738585072014e-308, nextDown(2.2250738585072014e-308),
  1e-50, nextDown(1e-50), nextUp(1e-50), 1e50, nextDown(1e50), nextUp(1e50), 1e-300, 1e300,
  Number.MAX_VALUE, -Number.MAX_VALUE, NaN, Infinity, -Infinity, 3, nextUp(3), -1,
  1.65, nextDown(1.65), 2.1, 2.55, nextDown(2.55), 1e6, 2 ** 53,
]);

const validScore = fc.oneof(fc.constantFrom(0, 3, -0, 1.5, 1.65, 2.1, 2.55, 5e-324), fc.double({ min: 0, max: 3, noNaN: true }));
const validStd = fc.oneof(fc.constantFrom(0, 5e-324, 0.1, 1, 1e50, nextDown(1e50)), fc.double({ min: 0, max: 2, noNaN: true }));
const validWeight = fc.oneof(
  fc.integer({ min: 1, max: 10 }),
  fc.constantFrom(0, 1e-50, 1e50, nextUp(1e-50), nextDown(1e50)),
  fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
);
const anyNumber = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EXTREME_NUMBERS) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 2, arbitrary: validScore },
);

const NON_NUMBERS: readonly Value[] = [
  { plain: "1.5" },
  { plain: "" },
  { plain: null },
  { plain: undefined },
  { plain: true },
  { plain: 1n },
  { boxed: 1.5 },
  { numberLike: 1.5 },
  { entry: 0 },
];

/** A number, mostly from `numbers`, sometimes something that is not a number at all. */
function valuesFrom(numbers: fc.Arbitrary<number>): fc.Arbitrary<Value> {
  return fc.oneof(
    { weight: 6, arbitrary: numbers.map((x): Value => ({ plain: x })) },
    { weight: 2, arbitrary: anyNumber.map((x): Value => ({ plain: x })) },
    { weight: 1, arbitrary: fc.constantFrom(...NON_NUMBERS) },
  );
}

const LOOKALIKE_AREAS = ["PA11", "pa01", "PA1", "P\u0410" + "01", "PA01\u0000", "../PA01", "__proto__", "constructor"];
const LOOKALIKE_DIMS = ["DIM07", "dim01", "DIM1", "DIM0\u0031\u200b", "toString"];

function idValue(ids: readonly string[], lookalikes: readonly string[]): fc.Arbitrary<Value> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ids).map((id): Value => ({ plain: id })) },
    { weight: 2, arbitrary: fc.constantFrom(...lookalikes).map((id): Value => ({ plain: id })) },
    { weight: 1, arbitrary: fc.constantFrom(...NON_NUMBERS, { plain: 1 }) },
  );
}

/** A field presenting values drawn from `value`; getters mostly answer a valid value first. */
function fieldOf(value: fc.Arbitrary<Value>, valid: fc.Arbitrary<Value>): fc.Arbitrary<Field> {
  return fc.oneof(
    { weight: 3, arbitrary: value.map((v): Field => ({ as: "data", value: v })) },
    { weight: 1, arbitrary: fc.constant<Field>({ as: "absent" }) },
    { weight: 2, arbitrary: value.map((v): Field => ({ as: "inherited", value: v })) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.oneof(valid, value), fc.array(value, { minLength: 1, maxLength: 2 }))
        .map(([first, later]): Field => ({ as: "getter", reads: [first, ...later] })),
    },
    { weight: 1, arbitrary: fc.constant<Field>({ as: "throwing-getter" }) },
  );
}

const VALID_AREA = fc.constantFrom(...AREA_IDS).map((id): Value => ({ plain: id }));
const VALID_DIM = fc.constantFrom(...DIMENSION_IDS).map((id): Value => ({ plain: id }));
const VALID_SCORE = validScore.map((x): Value => ({ plain: x }));
const VALID_STD = validStd.map((x): Value => ({ plain: x }));

const FIELD_BY_KEY: Readonly<Record<EntryKey, fc.Arbitrary<Field>>> = {
  areaId: fieldOf(idValue(AREA_IDS, LOOKALIKE_AREAS), VALID_AREA),
  dimensionId: fieldOf(idValue(DIMENSION_IDS, LOOKALIKE_DIMS), VALID_DIM),
  score: fieldOf(valuesFrom(validScore), VALID_SCORE),
  scoreStd: fieldOf(valuesFrom(validStd), VALID_STD),
};

const fieldTweak = fc
  .tuple(fc.nat(59), fc.constantFrom<EntryKey>("areaId", "dimensionId", "score", "scoreStd"))
  .chain(([entry, key]) => FIELD_BY_KEY[key].map((field) => ({ entry, key, field })));

const twist: fc.Arbitrary<EntryTwist> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...NON_NUMBERS, { plain: 1.5 }).map((value): EntryTwist => ({ value })) },
  { weight: 3, arbitrary: fc.constant<EntryTwist>({ proxy: "varying" }) },
  { weight: 1, arbitrary: fc.constantFrom(3, 10_000, 100_000).map((deepExtra): EntryTwist => ({ deepExtra })) },
  { weight: 1, arbitrary: fc.constant<EntryTwist>({ frozen: true }) },
  { weight: 1, arbitrary: fc.constant<EntryTwist>({ nullPrototype: true }) },
);

const container: fc.Arbitrary<Container> = fc.oneof(
  { weight: 12, arbitrary: fc.constant<Container>({ kind: "array" }) },
  { weight: 2, arbitrary: fc.uniqueArray(fc.nat(59), { minLength: 1, maxLength: 3 }).map((at): Container => ({ kind: "holes", at })) },
  { weight: 1, arbitrary: fc.constantFrom(59, 61, 1e7, 2 ** 32 - 1).map((length): Container => ({ kind: "length", length })) },
  {
    weight: 3,
    arbitrary: fc
      .record({ trap: fc.constantFrom("varying" as const, "throw" as const, "empty" as const), at: fc.nat(200) })
      .map(({ trap, at }): Container => ({ kind: "proxy", trap, at })),
  },
  { weight: 1, arbitrary: fc.constantFrom(...NON_NUMBERS).map((value): Container => ({ kind: "not-array", value })) },
);

const weightField = fieldOf(valuesFrom(validWeight), validWeight.map((x): Value => ({ plain: x })));

const areaWeights = fc.record({
  area: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...AREA_IDS) }, { weight: 1, arbitrary: fc.constantFrom(...LOOKALIKE_AREAS) }),
  dims: fc
    .tuple(
      fc.array(fc.oneof({ weight: 8, arbitrary: validWeight.map((x): Field => ({ as: "data", value: { plain: x } })) }, { weight: 2, arbitrary: weightField }), {
        minLength: 6,
        maxLength: 6,
      }),
      fc.option(fc.tuple(fc.nat(5), fc.constantFrom(...LOOKALIKE_DIMS, null)), { freq: 6 }),
    )
    .map(([fields, rename]) => {
      const dims = DIMENSION_IDS.map((dim, d) => ({ dim: dim as string, field: fields[d]! }));
      if (rename === null) return dims;
      const [d, name] = rename;
      return name === null ? dims.filter((_, i) => i !== d) : dims.map((x, i) => (i === d ? { ...x, dim: name } : x));
    }),
});

const weights: fc.Arbitrary<WeightsRecipe> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<WeightsRecipe>({ kind: "none" }) },
  { weight: 1, arbitrary: fc.constantFrom(...NON_NUMBERS, { plain: 1 }).map((value): WeightsRecipe => ({ kind: "value", value })) },
  {
    weight: 5,
    arbitrary: fc
      .record({ areas: fc.uniqueArray(areaWeights, { minLength: 1, maxLength: 3, selector: (a) => a.area }), proxy: fc.boolean() })
      .map((table): WeightsRecipe => ({ kind: "table", ...table })),
  },
);

const pollution: fc.Arbitrary<Pollution> = fc.oneof(
  fc.record({
    on: fc.constant("Object" as const),
    key: fc.constantFrom("scoreStd", "areaId", "dimensionId", "score", "PA01", "DIM01", "weights", "dimensionScores", "stds", "firstEvaluation"),
    value: fc.oneof(valuesFrom(validScore), VALID_AREA, VALID_DIM),
  }),
  fc.record({
    on: fc.constant("Array" as const),
    key: fc.constantFrom("0", "1", "5", "59", "60"),
    value: fc.nat(59).map((entry): Value => ({ entry })),
  }),
);

const monteCarlo: fc.Arbitrary<MonteCarloRecipe | null> = fc.option(
  // 4096 draws per area take a native call off the JS thread (ASYNC_MIN_MONTE_CARLO_DRAWS).
  fc.record({ samples: fc.constantFrom(2, 64, 4096), seed: fc.nat() }),
  { freq: 8 },
);

export const planRecipe: fc.Arbitrary<PlanRecipe> = fc.record({
  kind: fc.constant("plan" as const),
  call: fc.constantFrom("sync" as const, "async" as const, "batch" as const, "batch-own-weights" as const),
  batchLength: fc.option(fc.constantFrom(3, 1e8, 2 ** 32 - 1), { freq: 30 }),
  scores: fc.array(validScore, { minLength: 60, maxLength: 60 }),
  stds: fc.array(fc.option(validStd, { freq: 4 }), { minLength: 60, maxLength: 60 }),
  fields: fc.array(fieldTweak, { maxLength: 3 }),
  twists: fc.array(fc.record({ entry: fc.nat(59), twist }), { maxLength: 2 }),
  container,
  weights,
  pollution: fc.array(pollution, { maxLength: 2 }),
  monteCarlo,
});

const COLUMNS: readonly ColumnName[] = ["scores", "stds", "weights"];
const memory: fc.Arbitrary<Memory> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Memory>("plain") },
  { weight: 6, arbitrary: fc.constantFrom<Memory>("shared", "offset", "resizable", "growable") },
  { weight: 1, arbitrary: fc.constantFrom<Memory>("float32", "array", "dataview") },
);
const lie = fc.record({
  column: fc.constantFrom(...COLUMNS),
  lie: fc.constantFrom<Lie>("own-length", "own-byteLength", "own-byteOffset", "own-buffer", "buffer-says-not-resizable"),
});
const during: fc.Arbitrary<During> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<During>({ kind: "none" }) },
  { weight: 2, arbitrary: fc.constantFrom<ColumnName | "output">("scores", "stds", "weights", "output").map((what): During => ({ kind: "transfer", what })) },
  { weight: 1, arbitrary: fc.constantFrom(...COLUMNS).map((what): During => ({ kind: "resize", what })) },
  {
    weight: 1,
    arbitrary: fc.record({ slot: fc.nat(), times: fc.integer({ min: 1, max: 20_000 }) }).map(({ slot, times }): During => ({ kind: "flip", slot, times })),
  },
);
const slots = (numbers: fc.Arbitrary<number>) => fc.array(fc.record({ slot: fc.nat(), value: numbers }), { maxLength: 3 });

const columnsFields = fc.record({
  kind: fc.constant("columns" as const),
  // 100,000 evaluations (the size that reproduced the memory-safety faults) run an analytic native call off the JS thread
  // (from ASYNC_MIN_EVALUATIONS) long enough to act during it. Such a case costs ~300 small ones,
  // so it is rare; Monte-Carlo with 4096 samples goes async on small n.
  evaluations: fc.oneof({ weight: 300, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: fc.constant(100_000) }),
  seed: fc.nat(),
  scoreSlots: slots(anyNumber),
  stdSlots: slots(anyNumber),
  weightSlots: slots(fc.oneof(anyNumber, validWeight)),
  stds: fc.boolean(),
  weights: fc.constantFrom("absent" as const, "shared" as const, "per-evaluation" as const),
  memory: fc.record({ scores: memory, stds: memory, weights: memory }),
  lies: fc.array(lie, { maxLength: 2 }),
  prototypeLie: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  outputs: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom("none" as const, "fresh" as const, "shared" as const) },
    { weight: 2, arbitrary: fc.constantFrom("alias-scores" as const, "alias-each-other" as const, "short" as const, "getter" as const) },
  ),
  object: fc.oneof({ weight: 6, arbitrary: fc.constant("plain" as const) }, { weight: 1, arbitrary: fc.constantFrom("getter" as const, "inherited-stds" as const) }),
  during,
  monteCarlo,
});

export const columnsRecipe: fc.Arbitrary<ColumnsRecipe> = columnsFields
  // A large call is already async without Monte-Carlo, which would multiply its cost.
  .map((r) => (r.evaluations > 3 ? { ...r, monteCarlo: null } : r))
  // What a caller does during a call matters only while native runs it off the JS thread: make
  // half of those small calls async with 4096 Monte-Carlo samples.
  .chain((r) =>
    r.during.kind === "none" || r.evaluations > 3
      ? fc.constant(r)
      : fc.option(fc.record({ samples: fc.constant(4096), seed: fc.nat() }), { freq: 1 }).map((mc) => ({ ...r, monteCarlo: mc ?? r.monteCarlo })),
  );

export const recipe: fc.Arbitrary<Recipe> = fc.oneof(planRecipe, columnsRecipe);
