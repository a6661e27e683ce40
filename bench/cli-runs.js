// Running `farfan-aggregate` on generated NDJSON, for the benches that time it (cli.bench.js,
// pool.bench.js): the input written from examples/generate.js's generator, one run's wall time,
// CPU time and peak RSS, and a hash of its output.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, createReadStream, openSync, statSync, writeSync } from "node:fs";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { planLine, studyRandom } from "../examples/generate.js";

/**
 * Loaded into the CLI's process: on exit, its peak RSS in KiB and its CPU time (all threads) in
 * µs, written to fd 3 (not stderr, which is the CLI's).
 */
const USAGE_PROBE =
  'data:text/javascript,import{writeSync}from"node:fs";process.on("exit",()=>{const u=process.resourceUsage();writeSync(3,JSON.stringify([u.maxRSS,u.userCPUTime+u.systemCPUTime]))})';

/**
 * Writes `count` plans to `path`, and its first and second halves to `halves` (two paths, or none), in ~1 MB writes;
 * returns the file's size.
 */
export function generate(path, count, halves) {
  const fds = [path, ...halves].map((p) => openSync(p, "w"));
  const random = studyRandom();
  let batch = [];
  let size = 0;
  for (let i = 0; i < count; i++) {
    batch.push(planLine(random, i));
    size += batch[batch.length - 1].length;
    const halfEnds = i === Math.floor(count / 2) - 1;
    if (size > 1 << 20 || halfEnds || i === count - 1) {
      const text = `${batch.join("\n")}\n`;
      writeSync(fds[0], text);
      if (halves.length > 0) writeSync(fds[i < Math.floor(count / 2) ? 1 : 2], text);
      batch = [];
      size = 0;
    }
  }
  fds.forEach((fd) => closeSync(fd));
  return statSync(path).size;
}

export const loads = () => loadavg().map((l) => l.toFixed(1)).join(" ");

/** Runs the CLI `cli` (a main.js) on `file` with stdout to `outputFile`; resolves to its wall time, CPU time and peak RSS. */
export function runCli(cli, file, jobs, outputFile) {
  return new Promise((resolve, reject) => {
    const out = openSync(outputFile, "w");
    const start = performance.now();
    const child = spawn(process.execPath, ["--import", USAGE_PROBE, cli, file, "--format", "ndjson", "--jobs", String(jobs)], {
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

/** SHA-256 of files one after another, read after the run so hashing never competes with the CLI for the cores. */
export async function sha256(paths) {
  const hash = createHash("sha256");
  for (const path of paths) for await (const data of createReadStream(path)) hash.update(data);
  return hash.digest("hex");
}
