// The soak's run (scripts/soak.mjs parses the arguments): the loads, round after round until the
// time is up, between a start and an end reading of the process, and the summary.
import { availableParallelism } from "node:os";
import { machineLine, writeSection } from "../../bench/results.js";
import { RELEASE_AFTER_MS } from "../../dist/backend/transfer-memory.js";
import { HighPerformanceAreaAggregator, nativeInfo } from "../../dist/index.js";
import { AbortLoad } from "./abort-load.mjs";
import { ApiLoad, MONTE_CARLO_PLAN_POOL, newOutputs } from "./api-load.mjs";
import { checkCaps, handlesSettled } from "./caps.mjs";
import { runNode } from "./child.mjs";
import { CliLoad } from "./cli-load.mjs";
import { columnInput, computeReferences, LARGE } from "./data.mjs";
import { ExitLoad } from "./exit-load.mjs";
import { collect, events, peakRss, snapshot } from "./host.mjs";
import { summaryData, summaryText } from "./report.mjs";
import { Tally } from "./tally.mjs";
import { Verifier } from "./verify.mjs";
import { WorkerLoad } from "./worker-load.mjs";

/** How long the end waits, at most, for the run's last work to end before it reads the handles. */
const SETTLE_POLLS = 300;
const SETTLE_POLL_MS = 100;

/**
 * Starts the threads the package keeps, and leaves no memory kept for reuse (every array is over
 * a SharedArrayBuffer, used in place): one long native call per core at once, so that each
 * finds the call threads busy and starts one of its own, and one JS-backend call per worker
 * thread it may start (one per core but the main thread's). And one child process: from the
 * first spawn on, Node holds a descriptor of /dev/null. The start of the run is measured after it.
 */
async function warmUp(backends) {
  const cores = availableParallelism();
  const long = new HighPerformanceAreaAggregator({ backend: "native", uncertainty: { method: "monte-carlo", samples: 1000 } });
  const js = new HighPerformanceAreaAggregator({ backend: "js" });
  const native = backends.includes("native") ? cores : 0;
  const jsCalls = backends.includes("js") ? Math.max(1, cores - 1) : 0;
  await Promise.all([
    runNode(["-e", ""]),
    ...Array.from({ length: native }, () => long.aggregateColumns(columnInput("shared weights", "shared", 1000), newOutputs("shared", 1000))),
    ...Array.from({ length: jsCalls }, () => js.aggregateColumns(columnInput("shared weights", "shared", LARGE), newOutputs("shared", LARGE))),
  ]);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the soak with `options` ({ minutes, backends, json, results, malloc }: how glibc was
 * set); resolves with whether every check held.
 */
export async function run(options) {
  const native = nativeInfo();
  const { backends, malloc } = options;
  const tally = new Tally();
  const verify = new Verifier(tally);
  const loads = [
    ...backends.map((backend) => new ApiLoad(backend, verify)),
    ...backends.map((backend) => new AbortLoad(backend, verify)),
    new CliLoad(verify),
    ...(native.loaded ? [new WorkerLoad(verify), new ExitLoad(verify)] : []),
  ];

  computeReferences(MONTE_CARLO_PLAN_POOL);
  // The summary's streams: opened now, they are part of the start.
  void process.stdout, process.stderr;
  await collect();
  const launch = snapshot();
  await warmUp(backends);
  await collect();
  const start = snapshot();

  const deadline = Date.now() + options.minutes * 60_000;
  let rounds = 0;
  while (Date.now() < deadline) {
    await Promise.all(loads.map((load) => load.round()));
    rounds++;
  }
  loads.forEach((load) => load.close?.());

  // Aborted calls may still be stopping: wait for the handles their work holds to close.
  await collect();
  for (let poll = 0; poll < SETTLE_POLLS && !handlesSettled(start, snapshot()); poll++) await sleep(SETTLE_POLL_MS);
  // The JS backend drops the transfer buffers its calls handed back RELEASE_AFTER_MS after the
  // last call (README, "Safety"): read after that, the caps hold it to dropping them.
  await sleep(RELEASE_AFTER_MS + SETTLE_POLL_MS);
  await collect();
  const end = snapshot();
  const data = summaryData({ minutes: options.minutes, backends, rounds, malloc, tally, events, launch, start, peak: peakRss(), end, caps: checkCaps(launch, start, end) });
  const text = `${summaryText(data)}\nMachine: ${machineLine()}\n`;
  process.stdout.write(options.json ? `${JSON.stringify(data)}\n` : text);
  if (options.results) writeSection("soak", "Soak (`npm run soak`)", `\`npm run soak -- --minutes ${options.minutes}\`:\n\n\`\`\`\n${text}\`\`\``);
  return data.passed;
}

