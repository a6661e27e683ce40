// What the soak reads of its own process: memory, open handles, file descriptors and threads,
// unhandled rejections and warnings, and a full garbage collection on demand.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { nativeInfo } from "../../dist/index.js";

setFlagsFromString("--expose-gc");
const fullGc = runInNewContext("gc");

/** Unhandled rejections and warnings of the whole run, counted from the moment this module loads. */
export const events = { unhandled: 0, firstUnhandled: undefined, warnings: new Map() };
process.on("unhandledRejection", (reason) => {
  events.unhandled++;
  events.firstUnhandled ??= reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
});
process.on("warning", (warning) => {
  const name = warning.code ?? warning.name;
  events.warnings.set(name, (events.warnings.get(name) ?? 0) + 1);
});

const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Collects garbage until nothing more goes: full GCs with event-loop turns between them, since
 * memory a collected result held goes back to the native engine in a task of its own.
 */
export async function collect() {
  for (let k = 0; k < 4; k++) {
    fullGc();
    await turn();
  }
}

/** Open handles and requests by type (process.getActiveResourcesInfo()). */
function handles() {
  const counts = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/**
 * What the open file descriptors are (Linux: /proc/self/fd), by kind — a file's path, or
 * "pipe", "socket", "anon_inode:[eventfd]"… — else undefined.
 */
function fileDescriptors() {
  try {
    const kinds = {};
    for (const fd of readdirSync("/proc/self/fd")) {
      let target;
      try {
        target = readlinkSync(`/proc/self/fd/${fd}`).replace(/:\[\d+\]$/, "");
      } catch {
        continue; // the descriptor readdirSync itself held, closed by now
      }
      kinds[target] = (kinds[target] ?? 0) + 1;
    }
    return kinds;
  } catch {
    return undefined;
  }
}

/** Threads of this process (Linux: /proc/self/status), else undefined. */
function threads() {
  try {
    return Number(/^Threads:\s+(\d+)/m.exec(readFileSync("/proc/self/status", "utf8"))[1]);
  } catch {
    return undefined;
  }
}

/** One reading of the process: RSS, arrayBuffers, the engine's kept bytes, handles, descriptors and threads. */
export function snapshot() {
  const { rss, arrayBuffers } = process.memoryUsage();
  const { keptBytes, maxKeptBytes } = nativeInfo();
  return { rss, arrayBuffers, keptBytes, maxKeptBytes, handles: handles(), fds: fileDescriptors(), threads: threads() };
}

/** The highest RSS of the process so far (the kernel's high-water mark). */
export function peakRss() {
  return process.resourceUsage().maxRSS * 1024;
}
