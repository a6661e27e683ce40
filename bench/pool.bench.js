// Our worker pool (src/core/worker-pool.ts) and piscina side by side in one run:
// `npm run build && node bench/pool.bench.js`. The piscina build is a copy of this checkout's
// package with dist/core/worker-pool.js replaced by bench/piscina/worker-pool.js (the same
// WorkerPool on piscina; bench/piscina/piscina-thread.js runs the package's worker scripts as
// piscina task handlers), so both run the same JS backend and CLI. Two measures, each in rounds
// that alternate the builds' order, so each comparison is between neighbouring runs:
//   - the JS backend's calls that go to its worker thread (FARFAN_AGGREGATOR_FORCE_JS=1,
//     `aggregateColumns`, tinybench medians, and the process's CPU time per call): Monte-Carlo on
//     64 plans × 1000 samples (montecarlo.bench.js's js row), on 5 plans (just past
//     ASYNC_MIN_MONTE_CARLO_DRAWS, where the hop to the worker weighs most), and the analytic
//     intervals at ASYNC_MIN_EVALUATIONS;
//   - the CLI, `--jobs 2` on 10^5 generated plans (FARFAN_BENCH_CLI_PLANS=N for N) as
//     cli.bench.js runs it: wall time, CPU time (all threads), peak RSS and the output's hash.
// FARFAN_BENCH_ROUNDS=R runs R rounds (default 3). Writes bench/RESULTS.md's "worker-pool" section.
import { copyFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Bench } from "tinybench";
import { columns, formatTime } from "./columns-data.js";
import { generate, loads, runCli, sha256 } from "./cli-runs.js";
import { machineLine, writeSection } from "./results.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** A copy of this checkout's package whose worker pool is piscina's (see the top of this file). */
function piscinaBuild(dir) {
  copyFileSync(join(ROOT, "package.json"), join(dir, "package.json"));
  cpSync(join(ROOT, "dist"), join(dir, "dist"), { recursive: true });
  for (const shared of ["node_modules", "build", "prebuilds"]) symlinkSync(join(ROOT, shared), join(dir, shared));
  copyFileSync(join(ROOT, "bench/piscina/worker-pool.js"), join(dir, "dist/core/worker-pool.js"));
  copyFileSync(join(ROOT, "bench/piscina/piscina-thread.js"), join(dir, "dist/core/piscina-thread.js"));
  return dir;
}

const scratch = mkdtempSync(join(tmpdir(), "farfan-pool-bench-"));
const builds = [
  { name: "ours", dir: ROOT },
  { name: "piscina", dir: piscinaBuild(mkdtempSync(join(scratch, "piscina-"))) },
];
const PLANS = Number(process.env.FARFAN_BENCH_CLI_PLANS ?? 100_000);
const ROUNDS = Number(process.env.FARFAN_BENCH_ROUNDS ?? 3);
/** The builds in round `round`'s order: forward, then backward, and so on. */
const inOrder = (round) => (round % 2 === 0 ? builds : [...builds].reverse());
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function cliRounds() {
  const file = join(scratch, "plans.ndjson");
  generate(file, PLANS, []);
  const output = join(scratch, "out.ndjson");
  const runs = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const build of inOrder(round)) {
      const load = loads();
      const run = await runCli(join(build.dir, "dist/cli/main.js"), file, 2, output);
      const hash = (await sha256([output])).slice(0, 12);
      rmSync(output);
      runs.push({ round, build: build.name, ...run, hash, load: `${load} → ${loads()}` });
      console.log(`round ${round + 1}, ${build.name}: ${run.seconds.toFixed(1)} s, ${run.cpuSeconds.toFixed(1)} CPU s, peak RSS ${run.peakRssMb.toFixed(0)} MB, sha256 ${hash}`);
    }
  }
  rmSync(file);
  return runs;
}

function cliTable(runs) {
  const lines = [
    `\`farfan-aggregate FILE --format ndjson --jobs 2 > FILE\` on ${PLANS.toLocaleString("en-US")} plans (examples/generate.js), per build in run order:`,
    "",
    "| round | build | wall time | lines/s | CPU time | peak RSS | output sha256 | load average |",
    "|---|---|---|---|---|---|---|---|",
    ...runs.map(
      (r) =>
        `| ${r.round + 1} | ${r.build} | ${r.seconds.toFixed(1)} s | ${Math.round(PLANS / r.seconds).toLocaleString("en-US")} | ${r.cpuSeconds.toFixed(1)} s | ${r.peakRssMb.toFixed(0)} MB | \`${r.hash}\` | ${r.load} |`,
    ),
    "",
    "Median of the rounds, and each round's wall and CPU time over the first build's in the same round:",
    "",
    ...builds.map((b) => {
      const mine = runs.filter((r) => r.build === b.name);
      const first = (r) => runs.find((o) => o.round === r.round && o.build === builds[0].name);
      const ratios = (key) => mine.map((r) => (r[key] / first(r)[key]).toFixed(2)).join(", ");
      return `- ${b.name}: ${median(mine.map((r) => r.seconds)).toFixed(1)} s, ${median(mine.map((r) => r.cpuSeconds)).toFixed(1)} CPU s (÷ ${builds[0].name}: wall ${ratios("seconds")}; CPU ${ratios("cpuSeconds")})`;
    }),
  ];
  return lines.join("\n");
}

/** The JS backend's calls that run on its worker thread. */
const CALLS = [
  { name: "Monte-Carlo, 64 plans × 1000 samples", plans: 64, uncertainty: { method: "monte-carlo", samples: 1000, seed: 1 } },
  { name: "Monte-Carlo, 5 plans × 1000 samples", plans: 5, uncertainty: { method: "monte-carlo", samples: 1000, seed: 1 } },
  { name: "analytic, 16,384 evaluations", plans: 16_384, uncertainty: undefined },
];

async function jsRounds() {
  // Read when each package loads its backend: the CLI children started later must not inherit it.
  process.env.FARFAN_AGGREGATOR_FORCE_JS = "1";
  const packages = await Promise.all(builds.map(async (b) => ({ ...b, api: await import(pathToFileURL(join(b.dir, "dist/index.js")).href) })));
  const rows = [];
  for (const call of CALLS) {
    const { scores, stds, weights } = columns(call.plans);
    const times = Object.fromEntries(builds.map((b) => [b.name, []]));
    const cpu = Object.fromEntries(builds.map((b) => [b.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const build of inOrder(round)) {
        const { api } = packages.find((p) => p.name === build.name);
        const aggregator = new api.HighPerformanceAreaAggregator({ backend: "js", ...(call.uncertainty && { uncertainty: call.uncertainty }) });
        const bench = new Bench({ time: 1500, warmupTime: 300, iterations: 5 });
        let calls = 0;
        bench.add(call.name, async () => {
          await aggregator.aggregateColumns({ scores, stds, weights });
          calls++;
        });
        const before = process.cpuUsage();
        await bench.run();
        const used = process.cpuUsage(before);
        if (bench.tasks[0].result.error) throw bench.tasks[0].result.error;
        times[build.name].push(bench.tasks[0].result.latency.p50 / 1000);
        // CPU time of every thread of this process (the main thread's and the worker's) per call.
        cpu[build.name].push((used.user + used.system) / 1e6 / calls);
      }
    }
    rows.push({ call, times, cpu });
    console.log(`${call.name}: ${builds.map((b) => `${b.name} ${formatTime(median(times[b.name]))} (CPU ${formatTime(median(cpu[b.name]))})`).join(", ")}`);
  }
  delete process.env.FARFAN_AGGREGATOR_FORCE_JS;
  return rows;
}

function jsTable(rows) {
  const ratio = (medians) => medians.slice(1).map((m) => (m / medians[0]).toFixed(2)).join(" | ");
  return [
    "`aggregateColumns` on the JS backend (FARFAN_AGGREGATOR_FORCE_JS=1; calls that run on its worker thread): wall time per call (median of tinybench samples) and the process's CPU time per call (all threads); per build the median of the rounds, then each round's:",
    "",
    `| call | ${builds.map((b) => `${b.name} wall | ${b.name} CPU`).join(" | ")} | ${builds.slice(1).map((b) => `${b.name} ÷ ${builds[0].name} wall | CPU`).join(" | ")} |`,
    `|---|${builds.map(() => "---|---|").join("")}${builds.slice(1).map(() => "---|---|").join("")}`,
    ...rows.map(({ call, times, cpu }) => {
      const wall = builds.map((b) => median(times[b.name]));
      const used = builds.map((b) => median(cpu[b.name]));
      const cells = builds.map((b, i) => `${formatTime(wall[i])} (${times[b.name].map(formatTime).join(", ")}) | ${formatTime(used[i])} (${cpu[b.name].map(formatTime).join(", ")})`);
      return `| ${call.name} | ${cells.join(" | ")} | ${ratio(wall)} | ${ratio(used)} |`;
    }),
  ].join("\n");
}

try {
  console.log(`${machineLine()}; builds: ${builds.map((b) => `${b.name}=${b.dir}`).join(", ")}`);
  const loadBefore = loads();
  const jsRows = await jsRounds();
  const cliRuns = await cliRounds();
  const body = `Command: \`npm run build && node bench/pool.bench.js\` (${ROUNDS} rounds; load average ${loadBefore} at the start).\n\n${jsTable(jsRows)}\n\n${cliTable(cliRuns)}\n`;
  console.log(`\n${body}`);
  writeSection("worker-pool", "Worker pool: ours and piscina (`bench/pool.bench.js`)", body);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
