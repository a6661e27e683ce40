// The addon in worker_threads: each worker gets its own instance data and pool. Four workers
// aggregate at once on the native backend (column batches large enough for the async path; columns
// rather than objects keep each round to milliseconds, so a loaded machine cannot time the test
// out), one is terminated mid-flight, and the process must survive with the others' results
// right. Everything runs in a child process, so a crash fails this test instead of the runner.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ASYNC_MIN_EVALUATIONS } from "../../src/index.js";
import { ROOT, runScript } from "../support/child.js";

const entry = JSON.stringify(join(ROOT, "dist", "index.js"));

const script = `
  import { Worker } from "node:worker_threads";
  const { HighPerformanceAreaAggregator } = await import(${entry});

  // Worker code (an ES module: workers inherit --input-type=module): aggregate \`rounds\`
  // batches (forever when rounds is 0) and send the scores.
  const workerCode = \`
    import { parentPort, workerData } from "node:worker_threads";
    import(workerData.entry).then(async ({ HighPerformanceAreaAggregator }) => {
      // Slot e*60 + a*6 + d of plan p = e % 64, the plans expectedFor() builds as objects.
      const n = workerData.evaluations;
      const scores = new Float64Array(n * 60), stds = new Float64Array(n * 60);
      for (let e = 0; e < n; e++) for (let a = 0; a < 10; a++) for (let d = 0; d < 6; d++) {
        const p = e % 64;
        scores[e * 60 + a * 6 + d] = ((p * 7 + a * 3 + d * 5 + workerData.seed) % 31) / 10;
        stds[e * 60 + a * 6 + d] = ((p + d) % 5) / 10;
      }
      const aggregator = new HighPerformanceAreaAggregator({ backend: "native", maxWorkers: 2 });
      parentPort.postMessage({ started: true });
      let last;
      for (let round = 0; workerData.rounds === 0 || round < workerData.rounds; round++) last = await aggregator.aggregateColumns({ scores, stds });
      const area = (o) => [last.score[o], last.std[o], last.ciLow[o], last.ciHigh[o]];
      parentPort.postMessage({ backend: last.metrics.backend, scores: Array.from({ length: 64 }, (_, p) => Array.from({ length: 10 }, (_, a) => area(p * 10 + a))) });
    });
  \`;

  function start(seed, rounds) {
    const worker = new Worker(workerCode, { eval: true, workerData: { entry: ${entry}, seed, rounds, evaluations: ${ASYNC_MIN_EVALUATIONS} } });
    const started = new Promise((resolve) => worker.once("message", resolve));
    const done = new Promise((resolve, reject) => {
      worker.on("message", (m) => { if (!m.started) resolve(m); });
      worker.once("error", reject);
    });
    return { worker, started, done, seed };
  }

  const workers = [start(1, 3), start(2, 0), start(3, 3), start(4, 3)];
  await Promise.all(workers.map((w) => w.started));
  await new Promise((resolve) => setTimeout(resolve, 150));
  const exitCode = await workers[1].worker.terminate();
  const results = await Promise.all([workers[0], workers[2], workers[3]].map((w) => w.done.then((r) => ({ ...r, seed: w.seed }))));
  console.log(JSON.stringify({ exitCode, results }));
`;

/** The expected first 64 plans of worker \`seed\`, computed here on the js backend. */
async function expectedFor(seed: number) {
  const { AREA_IDS, DIMENSION_IDS, HighPerformanceAreaAggregator } = await import("../../src/index.js");
  const plans = Array.from({ length: 64 }, (_, p) =>
    AREA_IDS.flatMap((areaId, a) =>
      DIMENSION_IDS.map((dimensionId, d) => ({
        areaId,
        dimensionId,
        score: ((p * 7 + a * 3 + d * 5 + seed) % 31) / 10,
        scoreStd: ((p + d) % 5) / 10,
      })),
    ),
  );
  const { areaScores } = await new HighPerformanceAreaAggregator({ backend: "js" }).aggregateBatch(plans);
  return areaScores.map((areas) => areas.map((s) => [s.score, s.scoreStd, ...s.confidenceInterval95]));
}

describe("worker_threads", () => {
  it("four workers aggregate concurrently; terminating one mid-flight leaves the process and the others intact", async () => {
    const result = runScript(script);
    expect(result.status, result.stderr).toBe(0);
    const { exitCode, results } = JSON.parse(result.stdout);
    expect(exitCode).toBe(1); // terminated, not finished
    expect(results).toHaveLength(3);
    for (const { seed, backend, scores } of results) {
      expect(backend).toBe("native");
      expect(scores).toEqual(await expectedFor(seed));
    }
  }, 120_000);
});
