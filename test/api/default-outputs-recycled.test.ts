/**
 * A large call without `outputs` resolves with outputs of the package's own. On the native
 * backend they are memory the engine hands over, which goes back to it once V8 has collected the
 * arrays (when no JavaScript can see it any more) and then serves a later call's outputs, so they
 * are not faulted in afresh for every call. Whatever later calls reuse, a result the caller still
 * holds never changes, and every result is that of the same call into SharedArrayBuffer outputs.
 */
import { describe, it } from "vitest";
import { expectDefaultOutputsIntact } from "../support/recycled-outputs.js";

describe("default outputs of large calls", () => {
  it("are the results of the in-place call, and a result still held never changes while later calls reuse collected ones", async () => {
    await expectDefaultOutputsIntact();
  });
});
