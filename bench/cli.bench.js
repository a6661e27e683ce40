// The CLI on a long NDJSON stream: throughput (lines/s) and peak RSS of `farfan-aggregate` on
// 10^6 generated plans (examples/generate.js's generator: ~10 KB a line with the pipeline's
// extras), results as NDJSON to /dev/null. The target: peak RSS under 300 MB.
// A 10^4-line prefix runs first, so the record shows whether memory grows with the input.
//
// `npm run bench` builds dist/ first. FARFAN_BENCH_CLI_PLANS=N measures N lines instead.
// The temporary file (~10 GB for 10^6 lines) is removed at the end.
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { planLine, studyRandom } from "../examples/generate.js";
import { DEFAULT_CHUNK_SIZE } from "../dist/cli/args.js";
import { machineLine, writeSection } from "./results.js";

const PLANS = Number(process.env.FARFAN_BENCH_CLI_PLANS ?? 1_000_000);
const PREFIX = Math.min(10_000, PLANS);
const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
/** Loaded into the CLI's process: its peak RSS in KiB, written on exit to fd 3 (not stderr, which is the CLI's). */
const RSS_PROBE =
  'data:text/javascript,import{writeSync}from"node:fs";process.on("exit",()=>writeSync(3,String(process.resourceUsage().maxRSS)))';

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

/** Runs the CLI on `file` (stdout to /dev/null); resolves to its wall time and peak RSS. */
function runCli(file) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ["--import", RSS_PROBE, CLI, file, "--format", "ndjson"], {
      stdio: ["ignore", "ignore", "inherit", "pipe"],
    });
    let rss = "";
    child.stdio[3].setEncoding("utf8").on("data", (text) => (rss += text));
    child.once("error", reject);
    child.once("close", (code) => {
      const seconds = (performance.now() - start) / 1000;
      if (code !== 0) reject(new Error(`farfan-aggregate exited ${code}`));
      else resolve({ seconds, peakRssMb: Number(rss) / 1024 });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "farfan-cli-bench-"));
try {
  const rows = [];
  for (const count of [...new Set([PREFIX, PLANS])]) {
    const file = join(dir, `plans-${count}.ndjson`);
    const started = performance.now();
    const bytes = generate(file, count);
    console.log(`generated ${count} plans (${(bytes / 2 ** 30).toFixed(2)} GiB) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const { seconds, peakRssMb } = await runCli(file);
    rmSync(file);
    rows.push({ count, bytes, seconds, peakRssMb });
    console.log(`${count} lines: ${seconds.toFixed(1)} s, ${(count / seconds).toFixed(0)} lines/s, peak RSS ${peakRssMb.toFixed(0)} MB`);
  }
  const last = rows[rows.length - 1];
  const lines = [
    `\`farfan-aggregate FILE --format ndjson > /dev/null\`, default --chunk-size ${DEFAULT_CHUNK_SIZE}, analytic intervals; plans from`,
    "examples/generate.js (60 entries with `quality_level` and `contributing_questions`). Wall time of the",
    "whole process (start-up included); peak RSS is the child's own `process.resourceUsage().maxRSS`.",
    "",
    "| lines | input | wall time | lines/s | peak RSS |",
    "|---|---|---|---|---|",
    ...rows.map(
      (r) => `| ${r.count.toLocaleString("en-US")} | ${(r.bytes / 2 ** 20).toFixed(0)} MiB | ${r.seconds.toFixed(1)} s | ${Math.round(r.count / r.seconds).toLocaleString("en-US")} | ${r.peakRssMb.toFixed(0)} MB |`,
    ),
    "",
    `Target: peak RSS under 300 MB at ${last.count.toLocaleString("en-US")} lines: ${last.peakRssMb < 300 ? "met" : "NOT met"} (${last.peakRssMb.toFixed(0)} MB).`,
  ];
  console.log(machineLine());
  console.log(lines.join("\n"));
  writeSection("cli", "CLI on NDJSON (`bench/cli.bench.js`)", lines.join("\n"));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
