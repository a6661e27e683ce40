// The bounds a soak run holds the process to at its end, after a full GC, against its start
// (taken once a warm-up has started the threads the package keeps), each derived from what the
// package documents it keeps (README, "Safety"):
// - RSS ≤ start + what the native engine keeps for reuse at the end (copy and output blocks of
//   finished async calls: `nativeInfo().keptBytes`, at most 16 blocks and 2 GiB, freed after
//   10 s unused) + RSS_SLACK;
// - ArrayBuffer memory (`process.memoryUsage().arrayBuffers`) ≤ start + ARRAY_BUFFER_SLACK: the
//   package keeps nothing a caller dropped, so once the run's results are collected (and the
//   JS backend has dropped its transfer buffers, 1 s after the last call) the ArrayBuffers and
//   SharedArrayBuffers alive are the run's own inputs, as at the start;
// - open handles and file descriptors, kind by kind: no more than at the start (every call,
//   worker thread and child process of the run has ended; the package holds none of its own
//   but its JS-backend worker threads, which the warm-up started);
// - threads ≤ those at launch + the most the package keeps: per core one native call thread, a
//   kernel pool of up to maxWorkers − 1 threads (maxWorkers defaults to the cores), and up to one
//   JS-backend worker thread per core but the main thread's.
import { availableParallelism } from "node:os";

/**
 * What V8 may hold after a full GC that is no live data: the young generation of the main
 * isolate and of the JS backend's worker (each grows its semi-spaces up to 16 MiB with the
 * allocation rate), their old-space pages and compiled code, which grow as the run warms up.
 */
export const RSS_SLACK = 64 * 2 ** 20;
/** ArrayBuffers V8 and Node keep of their own (a worker's message ports, the package's weight cache: kilobytes). */
export const ARRAY_BUFFER_SLACK = 8 * 2 ** 20;

/** The most threads the package keeps in this process (see above). */
export function packageThreads() {
  const cores = availableParallelism();
  return cores + (cores - 1) + Math.max(1, cores - 1);
}

/** The kinds of which `end` holds more than `start` (both: kind → count), as "kind ×count" words. */
function grown(start, end) {
  return Object.entries(end)
    .filter(([kind, count]) => count > (start[kind] ?? 0))
    .map(([kind, count]) => `${kind} ×${count}`)
    .join(", ");
}

/** The total of a kind → count reading. */
export function total(counts) {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/** Each bound as { name, ok, value?, cap?, detail? }, from the `launch`, `start` and `end` snapshots (host.mjs). */
export function checkCaps(launch, start, end) {
  const rssCap = start.rss + end.keptBytes + RSS_SLACK;
  const arrayBufferCap = start.arrayBuffers + ARRAY_BUFFER_SLACK;
  const caps = [
    { name: "RSS", ok: end.rss <= rssCap, value: end.rss, cap: rssCap },
    { name: "arrayBuffers", ok: end.arrayBuffers <= arrayBufferCap, value: end.arrayBuffers, cap: arrayBufferCap },
    { name: "open handles", ok: grown(start.handles, end.handles) === "", detail: grown(start.handles, end.handles) },
  ];
  if (start.fds !== undefined) caps.push({ name: "file descriptors", ok: grown(start.fds, end.fds) === "", detail: grown(start.fds, end.fds) });
  if (launch.threads !== undefined) {
    const cap = launch.threads + packageThreads();
    caps.push({ name: "threads", ok: end.threads <= cap, value: end.threads, cap });
  }
  return caps;
}

/** Whether `now`'s handles are within the start's (the run's own work has all ended). */
export function handlesSettled(start, now) {
  return grown(start.handles, now.handles) === "";
}
