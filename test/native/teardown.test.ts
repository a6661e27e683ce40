/**
 * In fresh processes on the native backend: an async call survives its caller transferring an
 * input (and the engine freeing it); a transferred output makes the call
 * reject with E_BUFFER_DETACHED and writes nowhere; and a call worth minutes of work does not
 * hold up worker.terminate(), an uncaught exception or process.exit().
 */
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/child.js";

const entry = JSON.stringify(join(ROOT, "dist", "index.js"));

/** Runs `script` as an ES module under `flags`, on the native backend; returns its status and output. */
function run(script: string, flags: string[] = [], env: Record<string, string> = {}) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("FARFAN_AGGREGATOR_")));
  const result = spawnSync(process.execPath, [...flags, "--input-type=module", "-e", script], {
    cwd: ROOT,
    env: { ...base, FARFAN_AGGREGATOR_BACKEND: "native", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

const columns = (n: number) => `
  const n = ${n};
  const scores = new Float64Array(n * 60).map((_, i) => (i % 7) * 0.4);
  const stds = new Float64Array(n * 60).fill(0.25);`;

describe("transfers during an async aggregateColumns (SPEC §7)", () => {
  it("an input transferred and collected mid-call: no crash, the results of the values it had", () => {
    const r = run(`
      const { HighPerformanceAreaAggregator } = await import(${entry});
      ${columns(100_000)}
      const aggregator = new HighPerformanceAreaAggregator();
      const expected = await aggregator.aggregateColumns({ scores: scores.slice(), stds });
      const pending = aggregator.aggregateColumns({ scores, stds });
      structuredClone(scores.buffer, { transfer: [scores.buffer] });
      globalThis.gc();
      const result = await pending;
      console.log(result.score.every((x, i) => Object.is(x, expected.score[i])) ? "same" : "different");
    `, ["--expose-gc"]);
    expect(r.stderr).toBe("");
    expect([r.status, r.stdout.trim()]).toEqual([0, "same"]);
  });

  it("an output transferred mid-call: AggregationError E_BUFFER_DETACHED, and a canary allocated after the transfer stays intact", () => {
    const r = run(`
      const { HighPerformanceAreaAggregator, AggregationError } = await import(${entry});
      ${columns(100_000)}
      const outputs = { score: new Float64Array(n * 10), std: new Float64Array(n * 10), ciLow: new Float64Array(n * 10), ciHigh: new Float64Array(n * 10), quality: new Uint8Array(n * 10) };
      const pending = new HighPerformanceAreaAggregator().aggregateColumns({ scores, stds }, outputs);
      structuredClone(outputs.ciLow.buffer, { transfer: [outputs.ciLow.buffer] });
      globalThis.gc();
      const canary = new Float64Array(n * 10).fill(-1);
      const error = await pending.then(() => undefined, (e) => e);
      const intact = canary.every((x) => x === -1) && outputs.score.every((x) => x === 0);
      console.log(JSON.stringify({ aggregation: error instanceof AggregationError, code: error?.code, intact }));
    `, ["--expose-gc"]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ aggregation: true, code: "E_BUFFER_DETACHED", intact: true });
  });
});

// One Monte-Carlo call of 20,000 evaluations × 10 areas × 1e6 samples on one scalar thread:
// 2·10¹¹ sample means, hours of work on any machine. A teardown that waited for it would be
// killed by run()'s timeout (2 minutes) and end with no status: no wall-clock time is compared.
const LONG_CALL = `
  const { HighPerformanceAreaAggregator } = await import(${entry});
  ${columns(20_000)}
  const aggregator = new HighPerformanceAreaAggregator({ maxWorkers: 1, uncertainty: { method: "monte-carlo", samples: 1_000_000 } });
  const call = aggregator.aggregateColumns({ scores, stds });`;

describe("teardown does not wait for a call in flight", () => {
  const env = { FARFAN_AGGREGATOR_ISA: "scalar" };

  it("worker.terminate()", () => {
    const r = run(`
      import { Worker } from "node:worker_threads";
      const worker = new Worker(${JSON.stringify(LONG_CALL + "\ncall.catch(() => {}); (await import('node:worker_threads')).parentPort.postMessage('started');")}, { eval: true });
      worker.once("message", () => setTimeout(async () => console.log(await worker.terminate()), 200));
    `.replace(/^\s+import \{ Worker \} from "node:worker_threads";/m, 'const { Worker } = await import("node:worker_threads");'), [], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("1"); // terminate()'s exit code: stopped, not finished
  });

  it("an uncaught exception", () => {
    const r = run(`${LONG_CALL}\n setTimeout(() => { throw new Error("boom"); }, 200);`, [], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("boom");
  });

  it("process.exit()", () => {
    const r = run(`${LONG_CALL}\n setTimeout(() => process.exit(7), 200);`, [], env);
    expect(r.status).toBe(7);
  });

  it("a call cancelled by the 'exit' event rejects with AggregationError E_CANCELLED where something can still receive it", () => {
    // Emitting 'exit' by hand runs the package's listener without exiting, so the rejection is seen.
    const r = run(`
      ${LONG_CALL}
      setTimeout(() => process.emit("exit", 0), 200);
      call.then(() => console.log("resolved"), (e) => console.log(JSON.stringify({ name: e?.name, code: e?.code })));
    `, [], env);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ name: "AggregationError", code: "E_CANCELLED" });
  });
});
