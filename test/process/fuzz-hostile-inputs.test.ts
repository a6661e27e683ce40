/**
 * Property-based fuzzing of the trust boundary (SPEC §3 and §7): hostile recipes —
 * getters that answer differently on each read, Proxies whose traps vary, throw or empty the
 * array, holes and huge lengths, polluted prototypes, typed arrays with own `length`/`buffer`,
 * lying `resizable`, buffers transferred or shrunk during an async call, outputs aliasing inputs,
 * extreme numbers — each run on the js, native and native scalar backends in a child process.
 * Invariants: no crash or hang, every error coded, inputs unchanged, an accepted call gives what
 * its first-read snapshot gives (finite, in range), no poisoned cache or written canary, and
 * backends that agree bit for bit. A case count bounds the work; fast-check prints the seed of a
 * failure (replay it with FUZZ_SEED). `npm run fuzz` runs the same properties for longer.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { planRecipe, columnsRecipe } from "../support/hostile/arbitraries.js";
import { CaseHost } from "../support/hostile/host.js";
import type { Recipe } from "../support/hostile/recipe.js";

const SEED = Number(process.env["FUZZ_SEED"] ?? 0x1550e9);
const RUNS = 150;

const host = new CaseHost();
afterAll(() => host.close());

async function expectSurvives(arbitrary: fc.Arbitrary<Recipe>): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arbitrary, async (recipe) => {
      const { failures } = await host.run(recipe);
      expect(failures).toEqual([]);
    }),
    // A crash costs a fresh child per shrinking step; the recipe of the first failure says enough.
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
}

describe("hostile inputs on every backend (child process)", () => {
  it("plans, batches and weights: getters, Proxies, holes, huge lengths, pollution, extreme numbers", async () => {
    await expectSurvives(planRecipe);
  }, 600_000);

  it("columns: odd memory, lying typed arrays, aliasing outputs, transfers and writes during async calls", async () => {
    await expectSurvives(columnsRecipe);
  }, 600_000);
});
