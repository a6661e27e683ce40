/**
 * `npm run fuzz`: the suite's hostile-input properties (test/process/fuzz-hostile-inputs.test.ts)
 * as a long campaign. FUZZ_CASES recipes (default 100,000), each run on the js, native and native
 * scalar backends in a child process, from FUZZ_SEED (default: from the clock, printed). Prints
 * plain counts, then each distinct failure once with how to replay it; exits 1 on any failure.
 */
import fc from "fast-check";
import { recipe } from "../test/support/hostile/arbitraries.js";
import { CaseHost } from "../test/support/hostile/host.js";
import { BACKENDS } from "../test/support/hostile/invariants.js";
import type { Failure, FailureKind } from "../test/support/hostile/report.js";

const CASES = Number(process.env["FUZZ_CASES"] ?? 100_000);
const SEED = Number(process.env["FUZZ_SEED"] ?? Date.now() % 2 ** 31);
/** Recipes drawn per fc.sample call; case i is recipe i % CHUNK of the sample seeded SEED + ⌊i / CHUNK⌋. */
const CHUNK = 1000;

/** The lines of the summary, in this order; every other kind counts as "other invariant failures". */
const HEADLINE: readonly [string, readonly FailureKind[]][] = [
  ["crashes", ["crash", "hang"]],
  ["uncoded errors", ["uncoded-error"]],
  ["backend disagreements", ["disagreement"]],
];

/**
 * A failure without its numbers and without where two results first differ (a trace of the
 * values, not of the bug): cases that differ only in values count as one distinct failure.
 */
function signature(failure: Failure): string {
  const detail = failure.detail.replace(/stderr:[\s\S]*/, "").replace(/: at "[\s\S]*/, "");
  return `${failure.kind}: ${detail.replace(/\b[0-9a-f]{64}\b/g, "<hash>").replace(/-?\d[\d.e+-]*/g, "#").slice(0, 200)}`;
}

const host = new CaseHost();
const casesWith = new Map<FailureKind, number>();
const distinct = new Map<string, { count: number; example: Failure; replay: string }>();
const started = performance.now();
console.log(`fuzz: ${CASES} cases on ${BACKENDS.map((b) => b.name).join(", ")}, FUZZ_SEED=${SEED}`);

for (let done = 0; done < CASES; ) {
  const chunk = Math.floor(done / CHUNK);
  const recipes = fc.sample(recipe, { seed: SEED + chunk, numRuns: Math.min(CHUNK, CASES - chunk * CHUNK) });
  for (const [index, r] of recipes.entries()) {
    const { failures } = await host.run(r);
    for (const kind of new Set(failures.map((f) => f.kind))) casesWith.set(kind, (casesWith.get(kind) ?? 0) + 1);
    for (const failure of failures) {
      const key = signature(failure);
      const seen = distinct.get(key) ?? { count: 0, example: failure, replay: `sample seed ${SEED + chunk}, index ${index}: ${fc.stringify(r)}` };
      seen.count++;
      distinct.set(key, seen);
    }
    done++;
    if (done % 5000 === 0) console.log(`  ${done} cases, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}
host.close();

const headline = new Set(HEADLINE.flatMap(([, kinds]) => kinds));
const count = (kinds: readonly FailureKind[]) => kinds.reduce((sum, kind) => sum + (casesWith.get(kind) ?? 0), 0);
const others = [...casesWith.keys()].filter((kind) => !headline.has(kind));

if (distinct.size > 0) console.log(`\n${distinct.size} distinct failures (most frequent first):`);
for (const [key, { count: n, example, replay }] of [...distinct].sort((a, b) => b[1].count - a[1].count)) {
  console.log(`\n[${n}×] ${key}\n  e.g. on ${example.backend}: ${example.detail.slice(0, 1500)}\n  replay: ${replay.slice(0, 4000)}`);
}
console.log(`\ncases: ${CASES} (each on ${BACKENDS.map((b) => b.name).join(", ")})`);
for (const [label, kinds] of HEADLINE) console.log(`${label}: ${count(kinds)}`);
console.log(`other invariant failures: ${count(others)}${others.length > 0 ? ` (${others.map((k) => `${k} ${casesWith.get(k)}`).join(", ")})` : ""}`);
console.log(`time: ${((performance.now() - started) / 1000).toFixed(0)} s, FUZZ_SEED=${SEED}`);
process.exitCode = casesWith.size > 0 ? 1 : 0;
