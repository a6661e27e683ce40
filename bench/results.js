// bench/RESULTS.md: one section per bench script, each rewritten by its own run, under a line
// that says which machine measured it.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

const FILE = fileURLToPath(new URL("RESULTS.md", import.meta.url));

export function machineLine() {
  const cpu = cpus();
  return `${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}, ${process.platform}-${process.arch}; ${new Date().toISOString().slice(0, 10)}`;
}

export function writeSection(id, title, body) {
  const start = `<!-- ${id} -->`;
  const end = `<!-- /${id} -->`;
  // The machine may be shared: the load when the section was written says how far to trust it.
  const load = loadavg().map((x) => x.toFixed(2)).join(", ");
  const section = `${start}\n## ${title}\n\nMeasured on: ${machineLine()}; load average ${load} (1, 5, 15 min) at the end of the run\n\n${body}\n${end}`;
  let text = existsSync(FILE) ? readFileSync(FILE, "utf8") : "# Benchmark results\n\nWritten by `npm run bench`; each section by its own script.\n";
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  text = from >= 0 && to > from ? text.slice(0, from) + section + text.slice(to + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(FILE, text);
}
