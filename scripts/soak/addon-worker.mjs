// A worker thread of the soak (worker-load.mjs): loads the package, whose native engine then
// starts in this thread's environment, makes native calls on the columns it was given over
// SharedArrayBuffers (read in place: nothing is copied to it) and posts their results; then
// starts a long call, says so, and is terminated by its parent while that call runs.
import { parentPort, workerData } from "node:worker_threads";
import { HighPerformanceAreaAggregator } from "../../dist/index.js";

const { scores, stds, weights, evaluations, monteCarlo, monteCarloEvaluations, longSamples, longEvaluations } = workerData;
const slots = (n) => ({ scores: scores.subarray(0, n * 60), stds: stds.subarray(0, n * 60), weights: weights.subarray(0, n * 60) });
const fields = ({ score, std, ciLow, ciHigh, quality }) => ({ score, std, ciLow, ciHigh, quality });

const plain = new HighPerformanceAreaAggregator({ backend: "native" });
const sampled = new HighPerformanceAreaAggregator({ backend: "native", uncertainty: monteCarlo });
const results = await Promise.all([plain.aggregateColumns(slots(evaluations)), plain.aggregateColumns(slots(evaluations))]);
const sampledResult = await sampled.aggregateColumns(slots(monteCarloEvaluations));
parentPort.postMessage({ results: results.map(fields), sampled: fields(sampledResult) });

const long = new HighPerformanceAreaAggregator({ backend: "native", uncertainty: { ...monteCarlo, samples: longSamples } });
const running = long.aggregateColumns(slots(longEvaluations));
parentPort.postMessage({ inFlight: true });
await running;
parentPort.postMessage({ finished: true });
