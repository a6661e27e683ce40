/**
 * Node refuses an external ArrayBuffer past its size limit (4 GiB on Node 20) and then runs the
 * buffer's finalizer at once. Default outputs that large must still be the call's results, and
 * the memory under them must be neither given back twice nor read after it was given back. The
 * test-only FARFAN_AGGREGATOR_TEST_MAX_EXTERNAL_BYTES lowers the limit (with Node's behaviour
 * past it) below one output, so every hand-over is refused; a block given back twice would serve
 * two later calls at once and change a result still held.
 */
import { describe, it } from "vitest";
import { expectDefaultOutputsIntact } from "../support/recycled-outputs.js";

process.env.FARFAN_AGGREGATOR_TEST_MAX_EXTERNAL_BYTES = String(64 * 1024);

describe("default outputs past Node's external-buffer limit", () => {
  it("are copied into ordinary buffers: the results of the in-place call, results held intact", async () => {
    await expectDefaultOutputsIntact();
  });
});
