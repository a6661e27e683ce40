// `npm run soak -- --minutes N`: mixed load on the built package (dist/) for N minutes, in rounds
// of a fixed number of calls — both backends, one plan / batch / columns / Monte-Carlo calls,
// concurrent and sequential, aborted and followed by progress reports, worker threads loading
// the native engine and terminated mid-call, processes exiting mid-call, and the CLI with
// --jobs 2 on a file with bad lines — every result checked against the TypeScript kernel. Then
// a summary: calls by kind, results checked, mismatches, unhandled rejections, crashes, and RSS,
// ArrayBuffer memory, open handles, file descriptors and threads at the start and at the end,
// against the caps of scripts/soak/caps.mjs. Exits 1 when any check failed, 2 for bad arguments.
//   --backend native|js|both   which backends get the API load (default both)
//   --json                     print the summary as one JSON object
//   --results                  also write it to bench/RESULTS.md ("soak" section)
//   --default-malloc           see below
//
// On Linux the load runs in a child process with glibc's mmap threshold fixed at 64 KiB
// (MALLOC_MMAP_THRESHOLD_): every block from 64 KiB up is then mapped on its own and given back
// to the system when freed, so RSS shows the memory the process holds. By default glibc raises
// the threshold as large blocks are freed (up to 32 MiB) and keeps later ones of that size on its
// heap once freed, so RSS after a GC stays near the run's high-water mark whatever is still held
// (`--default-malloc` measures that way). A child killed by a signal is a crash.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const MMAP_THRESHOLD = "65536";

function usage(message) {
  process.stderr.write(`soak: ${message}\nusage: npm run soak -- --minutes N [--backend native|js|both] [--json] [--results] [--default-malloc]\n`);
  process.exit(2);
}

function readArgs() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        minutes: { type: "string" },
        backend: { type: "string", default: "both" },
        json: { type: "boolean", default: false },
        results: { type: "boolean", default: false },
        "default-malloc": { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    usage(error.message);
  }
  const minutes = Number(values.minutes);
  if (!(minutes > 0)) usage(`--minutes must be a number above 0, got ${values.minutes}`);
  if (!["native", "js", "both"].includes(values.backend)) usage(`--backend must be native, js or both, got ${values.backend}`);
  const backends = values.backend === "both" ? ["native", "js"] : [values.backend];
  return { minutes, backends, json: values.json, results: values.results, defaultMalloc: values["default-malloc"] };
}

/** Runs this script again in a child with glibc's mmap threshold fixed (see the top); exits with its status. */
function reRunWithFixedThreshold() {
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, MALLOC_MMAP_THRESHOLD_: MMAP_THRESHOLD },
  });
  if (child.signal !== null) process.stderr.write(`soak: CRASH: the load process was killed by ${child.signal}\n`);
  process.exit(child.status ?? 1);
}

const options = readArgs();
const fixed = process.env.MALLOC_MMAP_THRESHOLD_ === MMAP_THRESHOLD;
if (process.platform === "linux" && !options.defaultMalloc && !fixed) reRunWithFixedThreshold();
// Imported only here: the parent of a re-run loads nothing.
const { nativeInfo } = await import("../dist/index.js");
const native = nativeInfo();
if (options.backends.includes("native") && !native.loaded) usage(`the native engine did not load (${native.loadError}); run with --backend js`);
const { run } = await import("./soak/run.mjs");
const malloc = fixed ? `glibc's mmap threshold fixed at ${MMAP_THRESHOLD} bytes` : "the default malloc settings";
process.exitCode = (await run({ ...options, malloc })) ? 0 : 1;
