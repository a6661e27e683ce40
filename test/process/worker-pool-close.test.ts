/**
 * Closing the worker pool waits for its workers to stop, even when a running job's reply is
 * already on its way: that reply is dropped (the job rejects as its worker is lost), and the
 * process lives until close() settles. The child blocks its main thread until the worker has
 * posted the reply, so close() is called with the reply still undelivered, every time.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runScript } from "../support/child.js";

const script = `
  const { WorkerPool } = await import(${JSON.stringify(join(ROOT, "dist", "core", "worker-pool.js"))});
  const posted = new Int32Array(new SharedArrayBuffer(4));
  const worker = 'import { parentPort, workerData } from "node:worker_threads";'
    + 'parentPort.on("message", (m) => { parentPort.postMessage(m); Atomics.store(workerData, 0, 1); Atomics.notify(workerData, 0); });';
  const pool = new WorkerPool({
    script: () => new URL("data:text/javascript," + encodeURIComponent(worker)),
    size: 1,
    workerData: posted,
    lost: () => new Error("lost"),
  });
  const events = [];
  const job = pool.run({ build: () => ({ message: "job", transfer: [] }) }).then((reply) => events.push("job answered " + reply), (error) => events.push("job rejected: " + error.message));
  Atomics.wait(posted, 0, 0);
  pool.close().then(async () => {
    await job;
    events.push("closed");
    console.log(JSON.stringify(events));
  });
`;

describe("closing the worker pool", () => {
  it("settles once its workers have stopped, a reply still in flight dropped", () => {
    const r = runScript(script);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(["job rejected: lost", "closed"]);
  });
});
