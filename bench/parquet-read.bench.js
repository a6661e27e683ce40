// The Parquet reader alone: each build's `parquetBatches` over each file, every batch's cells
// touched (a checksum, so the builds are seen to read the same values), nothing aggregated or
// written. Each run is its own process (peak RSS is per process); builds alternate round by
// round so they share the machine's load. CPU seconds are user + sys of the whole process.
//
//   node bench/parquet-read.bench.js [--rounds N] [--with DIST]... FILE...
//
// DIST is another build's dist/ (e.g. `git worktree add /tmp/before HEAD~1 && cd /tmp/before &&
// npm run build`, with node_modules linked): its figures are printed beside this build's, named
// by its path.
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));

/** In the child: read `file` with the reader of `dist`, print its figures as JSON. */
async function child(dist, file) {
  const { parquetBatches } = await import(pathToFileURL(join(dist, "tables", "parquet-reader.js")).href);
  const start = process.cpuUsage();
  let rows = 0;
  let sum = 0;
  let bytes = 0;
  const text = (column, r) => (column.ends[r] - column.starts[r]) * 31 + column.bytes[column.starts[r]];
  for await (const batch of parquetBatches(file, "plan_id")) {
    rows += batch.rows;
    for (let r = 0; r < batch.rows; r++) bytes += text(batch.key, r);
    if (batch.layout === "long") {
      for (let r = 0; r < batch.rows; r++) {
        bytes += text(batch.area, r) + text(batch.dimension, r);
        sum += batch.score.values[r] + (batch.std?.values[r] ?? 0);
      }
    } else {
      for (const column of [...batch.scores, ...batch.stds]) for (let r = 0; r < batch.rows; r++) sum += column?.values[r] ?? 0;
    }
  }
  const cpu = process.cpuUsage(start);
  const usage = process.resourceUsage();
  console.log(JSON.stringify({ rows, check: `${sum}/${bytes}`, readCpu: (cpu.user + cpu.system) / 1e6, cpu: (usage.userCPUTime + usage.systemCPUTime) / 1e6, rssMiB: usage.maxRSS / 1024 }));
}

function parent(args) {
  let rounds = 3;
  const builds = [["this build", join(HERE, "..", "dist")]];
  const files = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--rounds") rounds = Number(args[++i]);
    else if (args[i] === "--with") builds.unshift([args[++i], resolve(args[i])]);
    else files.push(resolve(args[i]));
  }
  console.log(`load ${loadavg().map((l) => l.toFixed(1)).join(" ")}; ${rounds} rounds, builds alternating`);
  console.log("| file | build | read CPU s (runs) | process CPU s | peak RSS MiB | rows | checksum |");
  console.log("|---|---|---|---|---|---|---|");
  for (const file of files) {
    const runs = builds.map(() => []);
    for (let round = 0; round < rounds; round++) {
      builds.forEach(([, dist], b) => {
        const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", dist, file], { encoding: "utf8", maxBuffer: 1 << 20 });
        if (out.status !== 0) throw new Error(`${dist} on ${file}: ${out.stderr}`);
        runs[b].push(JSON.parse(out.stdout));
      });
    }
    const mb = (statSync(file).size / 1e6).toFixed(0);
    builds.forEach(([name], b) => {
      const r = runs[b];
      const list = (key, digits) => r.map((x) => x[key].toFixed(digits)).join(", ");
      console.log(`| ${file} (${mb} MB) | ${name} | ${list("readCpu", 2)} | ${list("cpu", 2)} | ${list("rssMiB", 0)} | ${r[0].rows} | ${r[0].check} |`);
    });
  }
}

if (process.argv[2] === "--child") await child(process.argv[3], process.argv[4]);
else parent(process.argv.slice(2));
