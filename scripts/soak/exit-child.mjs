// The child of exit-load.mjs: long Monte-Carlo calls on both backends at once, and
// process.exit(0) from the first progress report, while they run.
import { allocateSharedColumns, HighPerformanceAreaAggregator } from "../../dist/index.js";

const uncertainty = { method: "monte-carlo", samples: 1000, seed: 3 };
/** Seconds of work today on either backend, so the first report (after 100 ms) comes mid-call. */
const EVALUATIONS = { native: 4000, js: 96 };

function onProgress() {
  process.stdout.write("exiting mid-call\n");
  process.exit(0);
}

for (const backend of ["native", "native", "js"]) {
  const { scores, stds } = allocateSharedColumns(EVALUATIONS[backend]);
  scores.fill(1.75);
  stds.fill(0.3);
  const aggregator = new HighPerformanceAreaAggregator({ backend, uncertainty });
  aggregator.aggregateColumns({ scores, stds }, undefined, { onProgress }).catch((error) => {
    process.stderr.write(`${error}\n`);
    process.exitCode = 1;
  });
}
