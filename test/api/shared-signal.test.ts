/**
 * Many concurrent calls may share one AbortSignal: the package adds one listener to it however
 * many calls listen (Node prints MaxListenersExceededWarning past ten), removes it when the last
 * call settles, and an abort still reaches every call.
 */
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { AbortError } from "../../src/index.js";
import { rejectionOf } from "../support/errors.js";
import { columns, monteCarlo } from "../support/long-call.js";

const CALLS = 40;

/** The warnings the process emits while `run` runs (they are emitted on a later tick). */
async function warningsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const listener = (warning: Error) => seen.push(warning.name);
  process.on("warning", listener);
  try {
    await run();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("warning", listener);
  }
  return seen;
}

describe(`${CALLS} concurrent calls sharing one signal`, () => {
  it("completed: one listener on the signal while they run, none after, and no MaxListenersExceededWarning", async () => {
    const aggregator = monteCarlo();
    const controller = new AbortController();
    const input = columns(2);
    let listening = 0;
    const warnings = await warningsDuring(() => {
      const calls = Array.from({ length: CALLS }, () => aggregator.aggregateColumns(input, undefined, { signal: controller.signal }));
      listening = getEventListeners(controller.signal, "abort").length;
      return Promise.all(calls);
    });
    expect(warnings).not.toContain("MaxListenersExceededWarning");
    expect(listening).toBe(1);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("aborted: every call rejects with AbortError, and no warning", async () => {
    const aggregator = monteCarlo();
    const controller = new AbortController();
    const input = columns(8);
    const outcomes: unknown[] = [];
    const warnings = await warningsDuring(async () => {
      const calls = Array.from({ length: CALLS }, () => rejectionOf(aggregator.aggregateColumns(input, undefined, { signal: controller.signal })));
      controller.abort(new Error("enough"));
      outcomes.push(...(await Promise.all(calls)));
    });
    expect(warnings).not.toContain("MaxListenersExceededWarning");
    expect(outcomes).toHaveLength(CALLS);
    for (const outcome of outcomes) expect(outcome).toBeInstanceOf(AbortError);
  });
});
