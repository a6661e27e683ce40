// The CLI on a long NDJSON stream, `--jobs 1` (the main thread alone) beside `--jobs 2` (two
// worker threads): throughput (lines/s), CPU time, peak RSS and a hash of the output of
// `farfan-aggregate` on 10^5 generated plans (examples/generate.js's generator: ~10 KB a line
// with the pipeline's extras). The issue's targets: --jobs 2 at least 1.7x the lines/s of
// --jobs 1 with byte-identical output, peak RSS under 300 MB. A 10^4-line prefix runs first, so
// the record shows whether memory grows with the input. Each size runs in rounds of --jobs 1,
// --jobs 2 and the ceiling (two --jobs 1 processes at once on the file's two halves), side by side
// in alternating order, so each ratio compares neighbouring runs.
//
// The machine may be shared: the load average is recorded beside the figures, and CPU seconds
// (all threads) per line do not depend on it as wall time does.
//
// `npm run bench` builds dist/ first. FARFAN_BENCH_CLI_PLANS=N measures N lines instead.
// The temporary files (~1 GB of input and ~1.4 GB of output a run at 10^5 lines) are removed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { DEFAULT_CHUNK_SIZE } from "../dist/cli/args.js";
import { generate, loads, runCli, sha256 } from "./cli-runs.js";
import { machineLine, writeSection } from "./results.js";

const PLANS = Number(process.env.FARFAN_BENCH_CLI_PLANS ?? 100_000);
const PREFIX = Math.min(10_000, PLANS);
const JOBS = [1, 2];
/** Not a --jobs value: two --jobs 1 processes at once, each on half the file (the ceiling). */
const HALVES = "halves";
const KINDS = [...JOBS, HALVES];
const label = (jobs) => (jobs === HALVES ? "2 × --jobs 1 on halves" : `--jobs ${jobs}`);
const ROUNDS_PREFIX = 3;
// Three at full size: the median of three is not pulled down, nor up, by one round the shared VM slowed.
const ROUNDS_FULL = 3;
const TARGET_RATIO = 1.7;
const TARGET_RSS_MB = 300;
const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "farfan-cli-bench-"));
try {
  const rows = [];
  for (const count of [...new Set([PREFIX, PLANS])]) {
    const file = join(dir, `plans-${count}.ndjson`);
    const halves = [1, 2].map((h) => join(dir, `plans-${count}-half${h}.ndjson`));
    const started = performance.now();
    const bytes = generate(file, count, halves);
    console.log(`generated ${count} plans (${(bytes / 2 ** 30).toFixed(2)} GiB) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const runs = [];
    // Paired rounds in alternating order: on this shared VM the speed swings over seconds, so each
    // ratio compares runs made next to each other. Each round also runs the ceiling: two
    // --jobs 1 processes at once, one on each half of the file, with nothing shared between them.
    const rounds = count === PLANS ? ROUNDS_FULL : ROUNDS_PREFIX;
    for (let round = 0; round < rounds; round++) {
      for (const jobs of round % 2 === 0 ? KINDS : [...KINDS].reverse()) {
        const outputs = jobs === HALVES ? halves.map((_, h) => join(dir, `out-half${h + 1}.ndjson`)) : [join(dir, `out-${jobs}.ndjson`)];
        const loadBefore = loads();
        const started = performance.now();
        const parts = await Promise.all(jobs === HALVES ? halves.map((half, h) => runCli(CLI, half, 1, outputs[h])) : [runCli(CLI, file, jobs, outputs[0])]);
        const run = {
          seconds: (performance.now() - started) / 1000,
          cpuSeconds: parts.reduce((total, part) => total + part.cpuSeconds, 0),
          peakRssMb: parts.reduce((total, part) => total + part.peakRssMb, 0),
        };
        const hash = await sha256(outputs);
        outputs.forEach((output) => rmSync(output));
        runs.push({ round, jobs, ...run, hash, load: `${loadBefore} → ${loads()}` });
        console.log(
          `${count} lines, ${label(jobs)}: ${run.seconds.toFixed(1)} s, ${(count / run.seconds).toFixed(0)} lines/s, ` +
            `${run.cpuSeconds.toFixed(1)} CPU s, peak RSS ${run.peakRssMb.toFixed(0)} MB, sha256 ${hash.slice(0, 12)}, load ${runs.at(-1).load}`,
        );
      }
    }
    halves.forEach((half) => rmSync(half));
    rmSync(file);
    rows.push({ count, bytes, runs });
  }
  const last = rows[rows.length - 1];
  /** Per round, `kind`'s lines/s over --jobs 1's. */
  const ratios = (row, kind) =>
    [...new Set(row.runs.map((run) => run.round))].map((round) => {
      const [one, other] = [1, kind].map((jobs) => row.runs.find((run) => run.round === round && run.jobs === jobs));
      return one.seconds / other.seconds;
    });
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const ratio = median(ratios(last, 2));
  // Of --jobs 1 and 2 (the halves number their lines from 1 each, so their output differs).
  const identical = rows.every((row) => row.runs.filter((run) => run.jobs !== HALVES).every((run) => run.hash === row.runs[0].hash));
  const peak = Math.max(...last.runs.filter((run) => run.jobs !== HALVES).map((run) => run.peakRssMb));
  const lines = [
    `\`farfan-aggregate FILE --format ndjson --jobs N > FILE\`, default --chunk-size ${DEFAULT_CHUNK_SIZE}, analytic intervals; plans`,
    "from examples/generate.js (60 entries with `quality_level` and `contributing_questions`). Wall time",
    "of the whole process (start-up included); CPU time and peak RSS are the child's own",
    "`process.resourceUsage()` (all threads). The load average (1, 5, 15 min) is read before and",
    "after each run: on a shared machine, wall time depends on it, CPU time much less.",
    "",
    "| lines | input | round | run | wall time | lines/s | CPU time | CPU µs/line | peak RSS | output sha256 | load average |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.flatMap((r) =>
      r.runs.map(
        (run) =>
          `| ${r.count.toLocaleString("en-US")} | ${(r.bytes / 2 ** 20).toFixed(0)} MiB | ${run.round + 1} | ${label(run.jobs)} | ${run.seconds.toFixed(1)} s | ` +
          `${Math.round(r.count / run.seconds).toLocaleString("en-US")} | ${run.cpuSeconds.toFixed(1)} s | ${Math.round((run.cpuSeconds / r.count) * 1e6)} | ` +
          `${run.peakRssMb.toFixed(0)} MB | \`${run.hash.slice(0, 12)}\` | ${run.load} |`,
      ),
    ),
    "",
    "Lines/s over --jobs 1's in the same round: --jobs 2, beside the ceiling (two --jobs 1 processes at once on the two halves, which share nothing: the most two cores of this machine give this work):",
    "",
    ...rows.map((r) => {
      const [two, ceiling] = [ratios(r, 2), ratios(r, HALVES)];
      return `- ${r.count.toLocaleString("en-US")} lines: ${two.map((x, i) => `${x.toFixed(2)}× (ceiling ${ceiling[i].toFixed(2)}×)`).join(", ")}`;
    }),
    "",
    `Targets at ${last.count.toLocaleString("en-US")} lines: --jobs 2 ≥ ${TARGET_RATIO}× the lines/s of --jobs 1: ` +
      `${ratio >= TARGET_RATIO ? "met" : "NOT met"} (${ratio.toFixed(2)}×, the median of the rounds); byte-identical output: ${identical ? "yes" : "NO"}; ` +
      `peak RSS under ${TARGET_RSS_MB} MB: ${peak < TARGET_RSS_MB ? "met" : "NOT met"} (${peak.toFixed(0)} MB).`,
  ];
  console.log(machineLine());
  console.log(lines.join("\n"));
  writeSection("cli", "CLI on NDJSON (`bench/cli.bench.js`)", lines.join("\n"));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
