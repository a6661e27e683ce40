// The JS backend's aggregateColumns with default outputs against the same call into outputs the
// caller reuses, side by side in one tinybench run: at n = 10⁴ (a call that runs on the calling
// thread) and at n = 10⁵ (one that runs on a worker thread, over copies of the inputs).
// `node bench/js-outputs.bench.js [DIST]` measures the build in DIST (default: this checkout's
// dist/), so a build of an older commit is measured by the same code; the figures before and
// after a change are in bench/RESULTS.md ("js-outputs").
import { pathToFileURL } from "node:url";
import { Bench } from "tinybench";
import { columns, formatTime } from "./columns-data.js";
import { machineLine } from "./results.js";

const SIZES = [10_000, 100_000];

/** Rows { n, reused, fresh } in seconds (tinybench medians), for the package built in `distUrl`. */
async function measure(distUrl) {
  const { HighPerformanceAreaAggregator } = await import(new URL("index.js", distUrl).href);
  const aggregator = new HighPerformanceAreaAggregator({ backend: "js" });
  const rows = [];
  for (const n of SIZES) {
    const { scores, stds, weights } = columns(n);
    const input = { scores, stds, weights };
    const rowsOut = n * 10;
    const outputs = { score: new Float64Array(rowsOut), std: new Float64Array(rowsOut), ciLow: new Float64Array(rowsOut), ciHigh: new Float64Array(rowsOut), quality: new Uint8Array(rowsOut) };
    const bench = new Bench({ time: n >= 100_000 ? 3000 : 1500, warmupTime: 300, iterations: 10 });
    bench
      .add("outputs reused", async () => {
        await aggregator.aggregateColumns(input, outputs);
      })
      .add("default outputs", async () => {
        await aggregator.aggregateColumns(input);
      });
    await bench.run();
    for (const task of bench.tasks) if (task.result.error) throw task.result.error;
    const [reused, fresh] = bench.tasks.map((task) => task.result.latency.p50 / 1000);
    rows.push({ n, reused, fresh });
  }
  return rows;
}

/** The rows as a Markdown table. */
function table(rows) {
  const lines = ["| n | outputs reused | default outputs | default ÷ reused |", "|---|---|---|---|"];
  for (const { n, reused, fresh } of rows) {
    lines.push(`| ${n.toLocaleString("en-US")} | ${formatTime(reused)} | ${formatTime(fresh)} | ${(fresh / reused).toFixed(2)} |`);
  }
  return lines.join("\n");
}

const dist = process.argv[2] === undefined ? new URL("../dist/", import.meta.url) : pathToFileURL(`${process.argv[2].replace(/\/?$/, "/")}`);
console.log(`${machineLine()}; ${dist.pathname}`);
console.log(table(await measure(dist)));
