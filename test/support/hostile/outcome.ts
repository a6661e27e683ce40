/**
 * What a call did, in a form that compares exactly (the bits of every number, or the error's
 * code), with the values an accepted call must never hold listed as `invalid`.
 */
import { createHash } from "node:crypto";
import {
  AggregationError,
  BackendUnavailableError,
  OptionsError,
  ValidationError,
  type AreaScore,
  type ColumnsResult,
} from "../../../src/index.js";
import { HostileTrapError } from "./build-plan.js";

/** What a call did, in a form that compares exactly: bits of every number, or the error's code. */
export type Outcome =
  /** `comparable` is false when the caller took the result away itself (it transferred the outputs it passed). */
  | { readonly ok: true; readonly key: string; readonly invalid: readonly string[]; readonly comparable: boolean }
  | { readonly ok: false; readonly key: string; readonly coded: boolean };

const CODED = [ValidationError, OptionsError, BackendUnavailableError, AggregationError];

function errorOutcome(error: unknown): Outcome {
  const coded = CODED.some((type) => error instanceof type) && typeof (error as { code?: unknown }).code === "string";
  if (coded) return { ok: false, key: `error ${(error as { code: string }).code}`, coded };
  const what = error instanceof HostileTrapError ? "the caller's own exception passed through: " : "";
  const name = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { ok: false, key: `uncoded ${what}${name.slice(0, 200)}`, coded };
}

/** What a call resolved to or threw, kept raw until the prototypes are clean again. */
export type Settled = { readonly resolved: true; readonly value: unknown } | { readonly resolved: false; readonly error: unknown };

export async function settle(call: () => unknown): Promise<Settled> {
  try {
    return { resolved: true, value: await call() };
  } catch (error) {
    return { resolved: false, error };
  }
}

export function outcome(settled: Settled, describe: (result: unknown) => Outcome): Outcome {
  return settled.resolved ? describe(settled.value) : errorOutcome(settled.error);
}

export async function outcomeOf(call: () => unknown, describe: (result: unknown) => Outcome): Promise<Outcome> {
  return outcome(await settle(call), describe);
}

/** A number's exact identity: −0 and NaN included. */
export function bits(x: unknown): string {
  return typeof x !== "number" ? `<${typeof x}>` : Object.is(x, -0) ? "-0" : String(x);
}

function describeAreas(areas: readonly AreaScore[], invalid: string[], where: string): string {
  return areas
    .map((area, a) => {
      const [low, high] = area.confidenceInterval95;
      const at = `${where}[${a}]`;
      const numbers = [area.score, area.scoreStd, low, high, area.validationDetails.weightSum];
      if (!numbers.every(Number.isFinite)) invalid.push(`${at}: non-finite ${numbers.map(bits).join(" ")}`);
      // Monte-Carlo intervals are sample quantiles: they need not hold the point score.
      const around = area.aggregationMethod === "monte_carlo" || (low <= area.score && area.score <= high);
      if (!(area.score >= 0 && area.score <= 3 && low >= 0 && high <= 3 && low <= high && around)) invalid.push(`${at}: out of range ${numbers.map(bits).join(" ")}`);
      const copies = area.dimensionScores.map((d) => {
        if (typeof d.score !== "number" || !(d.score >= 0 && d.score <= 3)) invalid.push(`${at}: copied score ${bits(d.score)}`);
        if (d.scoreStd !== undefined && !(typeof d.scoreStd === "number" && d.scoreStd >= 0 && d.scoreStd <= 1e50)) invalid.push(`${at}: copied std ${bits(d.scoreStd)}`);
        if (d.areaId !== area.areaId) invalid.push(`${at}: copied entry of ${String(d.areaId)} in ${area.areaId}`);
        return `${String(d.areaId)}/${String(d.dimensionId)}=${bits(d.score)}±${bits(d.scoreStd)}`;
      });
      // A weighted mean lies between its inputs (to rounding): tiny or huge weights must not move it.
      const inputs = area.dimensionScores.map((d) => d.score).filter((x): x is number => typeof x === "number");
      const slack = 1e-9 * Math.max(1, ...inputs);
      if (inputs.length === 6 && !(area.score >= Math.min(...inputs) - slack && area.score <= Math.max(...inputs) + slack)) {
        invalid.push(`${at}: score ${bits(area.score)} outside its inputs [${Math.min(...inputs)}, ${Math.max(...inputs)}]`);
      }
      return `${area.areaId} ${numbers.map(bits).join(" ")} ${area.qualityLevel} ${area.validationDetails.weightSource} ${area.aggregationMethod} [${copies.join(",")}]`;
    })
    .join("\n");
}

export function describePlanResult(result: unknown): Outcome {
  const invalid: string[] = [];
  const { areaScores } = result as { areaScores: AreaScore[] | AreaScore[][] };
  const nested = (areaScores.length > 0 && Array.isArray(areaScores[0]) ? areaScores : [areaScores]) as AreaScore[][];
  const key = nested.map((areas, e) => describeAreas(areas, invalid, `[${e}]`)).join("\n---\n");
  return { ok: true, key, invalid, comparable: true };
}

function detached(view: ArrayBufferView): boolean {
  try {
    new Uint8Array(view.buffer);
    return false;
  } catch {
    return true;
  }
}

export function describeColumnsResult(result: unknown): Outcome {
  const r = result as ColumnsResult;
  if ([r.score, r.std, r.ciLow, r.ciHigh, r.quality].some(detached)) return { ok: true, key: "outputs transferred by the caller", invalid: [], comparable: false };
  const invalid: string[] = [];
  const hash = createHash("sha256");
  for (const name of ["score", "std", "ciLow", "ciHigh"] as const) {
    const column = r[name];
    hash.update(new Uint8Array(column.buffer, column.byteOffset, column.byteLength));
    const bad = column.findIndex((x) => !Number.isFinite(x) || (name !== "std" && !(x >= 0 && x <= 3)));
    if (bad >= 0) invalid.push(`${name}[${bad}] = ${bits(column[bad])}`);
  }
  hash.update(r.quality);
  if (r.quality.some((q) => q > 3)) invalid.push("quality above 3");
  return { ok: true, key: `columns ${r.score.length} ${hash.digest("hex")}`, invalid, comparable: true };
}

/** Where two outcome keys first differ, with a little context, for the failure report. */
export function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const from = Math.max(0, a.lastIndexOf("\n", i) + 1, i - 60);
  return `at ${JSON.stringify(a.slice(from, i + 100))} vs ${JSON.stringify(b.slice(from, i + 100))}`;
}
