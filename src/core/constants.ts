/**
 * The Phase 5 vocabulary (docs/contract.md §1). Every table is frozen: callers may read them, never change
 * them, and the index maps below are what validation uses to recognise ids exactly.
 */

/** The ten policy areas, in canonical order (docs/contract.md §1). */
export const AREA_IDS = Object.freeze([
  "PA01", "PA02", "PA03", "PA04", "PA05", "PA06", "PA07", "PA08", "PA09", "PA10",
] as const);
/** A policy area id, "PA01"…"PA10". */
export type AreaId = (typeof AREA_IDS)[number];

/** The six dimensions, in canonical order (docs/contract.md §1). */
export const DIMENSION_IDS = Object.freeze([
  "DIM01", "DIM02", "DIM03", "DIM04", "DIM05", "DIM06",
] as const);
/** A dimension id, "DIM01"…"DIM06". */
export type DimensionId = (typeof DIMENSION_IDS)[number];

export const AREA_COUNT = 10;
export const DIMENSION_COUNT = 6;
/** Dimension scores in one evaluation: one slot per (area, dimension), area-major. */
export const SLOTS_PER_EVALUATION = AREA_COUNT * DIMENSION_COUNT;

/** The Spanish name of every policy area. */
export const AREA_NAMES: Readonly<Record<AreaId, string>> = Object.freeze({
  PA01: "Derechos de las mujeres e igualdad de género",
  PA02: "Prevención de la violencia y protección frente al conflicto",
  PA03: "Ambiente sano, cambio climático, prevención y atención a desastres",
  PA04: "Derechos económicos, sociales y culturales",
  PA05: "Derechos de las víctimas y construcción de paz",
  PA06: "Derecho al buen futuro de la niñez, adolescencia, juventud",
  PA07: "Tierras y territorios",
  PA08: "Líderes y defensores de derechos humanos",
  PA09: "Crisis de derechos de personas privadas de la libertad",
  PA10: "Migración transfronteriza",
});

/** The Spanish name of every dimension. */
export const DIMENSION_NAMES: Readonly<Record<DimensionId, string>> = Object.freeze({
  DIM01: "Insumos (Diagnóstico y Líneas Base)",
  DIM02: "Actividades (Diseño de Intervención)",
  DIM03: "Productos (Verificables)",
  DIM04: "Resultados (Medibles)",
  DIM05: "Impactos (Largo Plazo)",
  DIM06: "Causalidad (Teoría de Cambio Explícita)",
});

/** A cluster of the canonical questionnaire. */
export type ClusterId = "CL01" | "CL02" | "CL03" | "CL04";

/** A cluster: its id, name and the areas it groups. */
export interface Cluster {
  readonly id: ClusterId;
  readonly name: string;
  readonly areas: readonly AreaId[];
}

/** The canonical questionnaire's clusters. */
export const CLUSTERS: readonly Cluster[] = Object.freeze([
  Object.freeze({ id: "CL01", name: "Seguridad y Paz", areas: Object.freeze(["PA02", "PA03", "PA07"] as const) }),
  Object.freeze({ id: "CL02", name: "Grupos Poblacionales", areas: Object.freeze(["PA01", "PA05", "PA06"] as const) }),
  Object.freeze({ id: "CL03", name: "Territorio-Ambiente", areas: Object.freeze(["PA04", "PA08"] as const) }),
  Object.freeze({ id: "CL04", name: "Derechos Sociales & Crisis", areas: Object.freeze(["PA09", "PA10"] as const) }),
] satisfies Cluster[]);

/** The cluster each area belongs to. */
export const CLUSTER_OF_AREA: Readonly<Record<AreaId, ClusterId>> = Object.freeze(
  Object.fromEntries(CLUSTERS.flatMap((c) => c.areas.map((a) => [a, c.id]))) as Record<AreaId, ClusterId>,
);

/** The lowest score a dimension or an area can have. */
export const MIN_SCORE = 0;
/** The highest score a dimension or an area can have. */
export const MAX_SCORE = 3;

/** A score: a number in [MIN_SCORE, MAX_SCORE] (NaN fails both comparisons). */
export function isScore(value: unknown): value is number {
  return typeof value === "number" && value >= MIN_SCORE && value <= MAX_SCORE;
}

/** A finite number ≥ 0. */
export function isFiniteNonNegative(value: unknown): value is number {
  return typeof value === "number" && value >= 0 && value < Infinity;
}

/*
 * Magnitude bounds of docs/contract.md §3. Inside them every product and sum of the §4 arithmetic is
 * finite in doubles and the mean keeps its last bits: with r ≤ 1e50 and σ ≤ 1e50, (r·σ)² ≤ 1e200;
 * with r ≥ 1e-50, r·s is a normal number for every score s ≥ 1e-258 and R never underflows.
 */
/** The largest standard deviation accepted. */
export const MAX_STD = 1e50;
/** The smallest positive raw weight accepted (a weight may also be 0). */
export const MIN_WEIGHT = 1e-50;
/** The largest raw weight accepted. */
export const MAX_WEIGHT = 1e50;

/** A standard deviation: a number in [0, MAX_STD] (NaN fails both comparisons). */
export function isStd(value: unknown): value is number {
  return typeof value === "number" && value >= 0 && value <= MAX_STD;
}

/** A raw weight: 0 (either sign), or a number in [MIN_WEIGHT, MAX_WEIGHT]. */
export function isWeight(value: unknown): value is number {
  return typeof value === "number" && (value === 0 || (value >= MIN_WEIGHT && value <= MAX_WEIGHT));
}
/** The normal quantile used for the analytic 95% interval (docs/contract.md §4). */
export const Z_95 = 1.96;

/** Quality levels, indexed by the quality code the kernels emit (0 = INSUFICIENTE … 3 = EXCELENTE). */
export const QUALITY_LEVELS = Object.freeze(["INSUFICIENTE", "ACEPTABLE", "BUENO", "EXCELENTE"] as const);
/** A quality level, lowest first in QUALITY_LEVELS. */
export type QualityLevel = (typeof QUALITY_LEVELS)[number];

/** Lower bounds in score units (0–3), compared with `>=` against these exact decimal literals. */
export interface QualityThresholds {
  readonly EXCELENTE: number;
  readonly BUENO: number;
  readonly ACEPTABLE: number;
}

/** The quality thresholds of docs/contract.md §1, in score units; the `thresholds` option overrides them. */
export const DEFAULT_THRESHOLDS: QualityThresholds = Object.freeze({
  EXCELENTE: 2.55,
  BUENO: 2.1,
  ACEPTABLE: 1.65,
});

/** A `ValidationError` lists at most this many issues; its message says when the list was cut. */
export const MAX_ISSUES = 100;

/**
 * The index of "PA01"…"PA10", or -1 for any other string. Exact: a look-alike (Cyrillic
 * letters, fullwidth digits, NUL bytes, "__proto__") is -1. Read off the character codes
 * because this runs 60 times per plan and a hash lookup costs more.
 */
export function areaIndexOf(id: string): number {
  if (id.length !== 4 || id.charCodeAt(0) !== 80 /* P */ || id.charCodeAt(1) !== 65 /* A */) return -1;
  const tens = id.charCodeAt(2);
  const units = id.charCodeAt(3);
  if (tens === 48 /* 0 */ && units >= 49 /* 1 */ && units <= 57 /* 9 */) return units - 49;
  return tens === 49 /* 1 */ && units === 48 /* 0 */ ? 9 : -1;
}

/** The index of "DIM01"…"DIM06", or -1 for any other string (see `areaIndexOf`). */
export function dimensionIndexOf(id: string): number {
  if (id.length !== 5 || id.charCodeAt(0) !== 68 /* D */ || id.charCodeAt(1) !== 73 /* I */) return -1;
  if (id.charCodeAt(2) !== 77 /* M */ || id.charCodeAt(3) !== 48 /* 0 */) return -1;
  const units = id.charCodeAt(4);
  return units >= 49 /* 1 */ && units <= 54 /* 6 */ ? units - 49 : -1;
}

// Hot-path tables. V8 (Node 20) loads elements of frozen arrays several times slower than of
// ordinary ones, so the per-entry loops index these unfrozen, module-private copies of the
// frozen public tables above. `readonly` keeps our own code from writing them.

/** The area and dimension ids expected at each of the 60 canonical positions. */
export const SLOT_AREA_IDS: readonly string[] = Array.from({ length: SLOTS_PER_EVALUATION }, (_, i) => AREA_IDS[(i / DIMENSION_COUNT) | 0]!);
export const SLOT_DIMENSION_IDS: readonly string[] = Array.from({ length: SLOTS_PER_EVALUATION }, (_, i) => DIMENSION_IDS[i % DIMENSION_COUNT]!);

/** Per area index: what every AreaScore of that area repeats. */
export const AREA_ROWS: readonly { readonly areaId: AreaId; readonly areaName: string; readonly clusterId: ClusterId }[] =
  AREA_IDS.map((areaId) => ({ areaId, areaName: AREA_NAMES[areaId], clusterId: CLUSTER_OF_AREA[areaId] }));

/** Quality level by the kernels' quality code. */
export const QUALITY_BY_CODE: readonly QualityLevel[] = [...QUALITY_LEVELS];

/**
 * The most evaluations one `aggregateBatch` call takes; more is refused (E_COUNT) before any
 * memory is set aside. Each evaluation holds 60 input objects read, ~1.7 KB of columns and
 * about a hundred output objects (~6 KB), so a million already outgrows a default Node heap;
 * larger studies go through `aggregateColumns`, or several batches keyed by `firstEvaluation`.
 */
export const MAX_BATCH_EVALUATIONS = 1_000_000;
