// The CLI on a long NDJSON stream, `--jobs 1` (the main thread alone) beside `--jobs 2` (two
// worker threads): throughput (lines/s), CPU time, peak RSS and a hash of the output of
// `farfan-aggregate` on 10^5 generated plans (examples/generate.js's generator: ~10 KB a line
// with the pipeline's extras). The issue's targets: --jobs 2 at least 1.7x the lines/s of
// --jobs 1 with byte-identical output, peak RSS under 300 MB. A 10^4-line prefix runs first, so
// the record shows whether memory grows with the input. Each size runs in paired rounds (--jobs 1
// and --jobs 2 side by side, in alternating order), so each ratio compares neighbouring runs.
//
// The machine may be shared: the load average is recorded beside the figures, and CPU seconds
// (all threads) per line do not depend on it as wall time does.
//
// `npm run bench` builds dist/ first. FARFAN_BENCH_CLI_PLANS=N measures N lines instead.
// The temporary files (~1 GB of input and ~1.4 GB of output a run at 10^5 lines) are removed.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { planLine, studyRandom } from "../examples/generate.js";
import { DEFAULT_CHUNK_SIZE } from "../dist/cli/args.js";
import { parallelCeiling } from "./parallel-ceiling.js";
import { machineLine, writeSection } from "./results.js";

const PLANS = Number(process.env.FARFAN_BENCH_CLI_PLANS ?? 100_000);
const PREFIX = Math.min(10_000, PLANS);
const JOBS = [1, 2];
const ROUNDS_PREFIX = 3;
const ROUNDS_FULL = 2;
const TARGET_RATIO = 1.7;
const TARGET_RSS_MB = 300;
const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
/**
 * Loaded into the CLI's process: on exit, its peak RSS in KiB and its CPU time (all threads) in
 * µs, written to fd 3 (not stderr, which is the CLI's).
 */
const USAGE_PROBE =
  'data:text/javascript,import{writeSync}from"node:fs";process.on("exit",()=>{const u=process.resourceUsage();writeSync(3,JSON.stringify([u.maxRSS,u.userCPUTime+u.systemCPUTime]))})';

/** Writes `count` plans to `path`, in ~1 MB writes; returns the file's size. */
function generate(path, count) {
  const fd = openSync(path, "w");
  const random = studyRandom();
  let batch = [];
  let size = 0;
  for (let i = 0; i < count; i++) {
    batch.push(planLine(random, i));
    size += batch[batch.length - 1].length;
    if (size > 1 << 20 || i === count - 1) {
      writeSync(fd, `${batch.join("\n")}\n`);
      batch = [];
      size = 0;
    }
  }
  closeSync(fd);
  return statSync(path).size;
}

const loads = () => loadavg().map((l) => l.toFixed(1)).join(" ");

/** Runs the CLI on `file` with stdout to `outputFile`; resolves to its wall time, CPU time and peak RSS. */
function runCli(file, jobs, outputFile) {
  return new Promise((resolve, reject) => {
    const out = openSync(outputFile, "w");
    const start = performance.now();
    const child = spawn(process.execPath, ["--import", USAGE_PROBE, CLI, file, "--format", "ndjson", "--jobs", String(jobs)], {
      stdio: ["ignore", out, "inherit", "pipe"],
    });
    closeSync(out);
    let usage = "";
    child.stdio[3].setEncoding("utf8").on("data", (text) => (usage += text));
    child.once("error", reject);
    child.once("close", (code) => {
      const seconds = (performance.now() - start) / 1000;
      if (code !== 0) return reject(new Error(`farfan-aggregate --jobs ${jobs} exited ${code}`));
      const [rssKiB, cpuMicros] = JSON.parse(usage);
      resolve({ seconds, cpuSeconds: cpuMicros / 1e6, peakRssMb: rssKiB / 1024 });
    });
  });
}

/** SHA-256 of a file, read after the run so hashing never competes with the CLI for the cores. */
async function sha256(path) {
  const hash = createHash("sha256");
  for await (const data of createReadStream(path)) hash.update(data);
  return hash.digest("hex");
}

const dir = mkdtempSync(join(tmpdir(), "farfan-cli-bench-"));
try {
  const rows = [];
  for (const count of [...new Set([PREFIX, PLANS])]) {
    const file = join(dir, `plans-${count}.ndjson`);
    const started = performance.now();
    const bytes = generate(file, count);
    console.log(`generated ${count} plans (${(bytes / 2 ** 30).toFixed(2)} GiB) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const runs = [];
    // Paired rounds in alternating order: on this shared VM the speed swings over seconds, so each
    // ratio compares a --jobs 1 run with the --jobs 2 run next to it.
    const rounds = count === PLANS ? ROUNDS_FULL : ROUNDS_PREFIX;
    const ceilings = [];
    for (let round = 0; round < rounds; round++) for (const [k, jobs] of (round % 2 === 0 ? JOBS : [...JOBS].reverse()).entries()) {
      if (k === 0) ceilings.push(await parallelCeiling());
      const output = join(dir, `out-${jobs}.ndjson`);
      const loadBefore = loads();
      const run = await runCli(file, jobs, output);
      const hash = await sha256(output);
      rmSync(output);
      runs.push({ round, jobs, ...run, hash, load: `${loadBefore} → ${loads()}` });
      console.log(
        `${count} lines, --jobs ${jobs}: ${run.seconds.toFixed(1)} s, ${(count / run.seconds).toFixed(0)} lines/s, ` +
          `${run.cpuSeconds.toFixed(1)} CPU s, peak RSS ${run.peakRssMb.toFixed(0)} MB, sha256 ${hash.slice(0, 12)}, load ${runs.at(-1).load}`,
      );
    }
    rmSync(file);
    rows.push({ count, bytes, runs, ceilings });
  }
  const last = rows[rows.length - 1];
  /** Per round, --jobs 1's wall time over --jobs 2's; their median. */
  const ratios = (row) =>
    [...new Set(row.runs.map((run) => run.round))].map((round) => {
      const [one, two] = JOBS.map((jobs) => row.runs.find((run) => run.round === round && run.jobs === jobs));
      return one.seconds / two.seconds;
    });
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const ratio = median(ratios(last));
  const identical = rows.every((row) => row.runs.every((run) => run.hash === row.runs[0].hash));
  const peak = Math.max(...last.runs.map((run) => run.peakRssMb));
  const lines = [
    `\`farfan-aggregate FILE --format ndjson --jobs N > FILE\`, default --chunk-size ${DEFAULT_CHUNK_SIZE}, analytic intervals; plans`,
    "from examples/generate.js (60 entries with `quality_level` and `contributing_questions`). Wall time",
    "of the whole process (start-up included); CPU time and peak RSS are the child's own",
    "`process.resourceUsage()` (all threads). The load average (1, 5, 15 min) is read before and",
    "after each run: on a shared machine, wall time depends on it, CPU time much less.",
    "",
    "| lines | input | round | --jobs | wall time | lines/s | CPU time | CPU µs/line | peak RSS | output sha256 | load average |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.flatMap((r) =>
      r.runs.map(
        (run) =>
          `| ${r.count.toLocaleString("en-US")} | ${(r.bytes / 2 ** 20).toFixed(0)} MiB | ${run.round + 1} | ${run.jobs} | ${run.seconds.toFixed(1)} s | ` +
          `${Math.round(r.count / run.seconds).toLocaleString("en-US")} | ${run.cpuSeconds.toFixed(1)} s | ${Math.round((run.cpuSeconds / r.count) * 1e6)} | ` +
          `${run.peakRssMb.toFixed(0)} MB | \`${run.hash.slice(0, 12)}\` | ${run.load} |`,
      ),
    ),
    "",
    "--jobs 2 ÷ --jobs 1 lines/s per round, beside the machine's two-thread ceiling measured just before each round (bench/parallel-ceiling.js: a CPU-bound loop on two threads at once against one; 2.00 would be two full cores):",
    "",
    ...rows.map(
      (r) =>
        `- ${r.count.toLocaleString("en-US")} lines: ${ratios(r).map((x, i) => `${x.toFixed(2)}× (ceiling ${r.ceilings[i].toFixed(2)}×)`).join(", ")}`,
    ),
    "",
    `Targets at ${last.count.toLocaleString("en-US")} lines: --jobs 2 ≥ ${TARGET_RATIO}× the lines/s of --jobs 1: ` +
      `${ratio >= TARGET_RATIO ? "met" : "NOT met"} (${ratio.toFixed(2)}×, the median of the rounds, the lower of two); byte-identical output: ${identical ? "yes" : "NO"}; ` +
      `peak RSS under ${TARGET_RSS_MB} MB: ${peak < TARGET_RSS_MB ? "met" : "NOT met"} (${peak.toFixed(0)} MB).`,
  ];
  console.log(machineLine());
  console.log(lines.join("\n"));
  writeSection("cli", "CLI on NDJSON (`bench/cli.bench.js`)", lines.join("\n"));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
