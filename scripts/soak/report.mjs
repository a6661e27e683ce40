// The soak's summary: as text for people (and bench/RESULTS.md), or as one JSON object for the test.
import { ARRAY_BUFFER_SLACK, RSS_SLACK, total } from "./caps.mjs";

const MB = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const count = (n) => n.toLocaleString("en-US");
const handleList = (handles) => Object.entries(handles).map(([type, n]) => `${type} ×${n}`).join(", ") || "none";
/** Column headings of the calls table: the backends, and "-" for process-level kinds. */
const COLUMNS = { native: "native", js: "js", "-": "process" };

/** The summary as one plain object. */
export function summaryData({ minutes, backends, rounds, malloc, tally, events, launch, start, peak, end, caps }) {
  return {
    minutes,
    backends,
    rounds,
    malloc,
    calls: tally.callsByKind(),
    totalCalls: tally.totalCalls,
    checked: tally.checked,
    mismatches: tally.mismatches,
    crashes: tally.crashes,
    unhandledRejections: events.unhandled,
    firstUnhandled: events.firstUnhandled,
    warnings: Object.fromEntries(events.warnings),
    failures: tally.failures,
    rss: { launch: launch.rss, start: start.rss, peak, end: end.rss },
    arrayBuffers: { start: start.arrayBuffers, end: end.arrayBuffers },
    keptBytes: { start: start.keptBytes, end: end.keptBytes, max: end.maxKeptBytes },
    handles: { start: start.handles, end: end.handles },
    fds: { start: start.fds, end: end.fds },
    threads: { launch: launch.threads, start: start.threads, end: end.threads },
    caps,
    passed: tally.mismatches === 0 && tally.crashes === 0 && events.unhandled === 0 && caps.every((cap) => cap.ok),
  };
}

/** The calls table: one row per kind, one column per backend (and one for process-level kinds). */
function callsTable(calls) {
  const columns = Object.keys(COLUMNS).filter((column) => Object.values(calls).some((row) => row[column] !== undefined));
  const lines = [`calls done${" ".repeat(42)}${columns.map((column) => COLUMNS[column].padStart(9)).join("")}`];
  const kinds = Object.entries(calls).sort(([a], [b]) => a.localeCompare(b, "en", { sensitivity: "base" }));
  for (const [kind, row] of kinds) {
    lines.push(`  ${kind.padEnd(50)}${columns.map((column) => (row[column] === undefined ? "" : count(row[column])).padStart(9)).join("")}`.trimEnd());
  }
  return lines;
}

/** The process at the start, at its peak and at the end, each against its cap. */
function processTable(data) {
  const verdict = (name) => {
    const cap = data.caps.find((c) => c.name === name);
    return cap === undefined ? "" : cap.ok ? "ok" : `EXCEEDED${cap.detail ? ` (${cap.detail})` : ""}`;
  };
  const cap = (name) => data.caps.find((c) => c.name === name)?.cap;
  const row = (name, start, peak, end, bound, check) => `${name.padEnd(19)}${start.padEnd(16)}${peak.padEnd(13)}${end.padEnd(16)}${bound}  ${verdict(check)}`.trimEnd();
  const { rss, arrayBuffers, keptBytes, handles, fds, threads } = data;
  const lines = [
    `${"".padEnd(19)}${"start".padEnd(16)}${"peak".padEnd(13)}${"end (after GC)".padEnd(16)}cap`,
    row("RSS", MB(rss.start), MB(rss.peak), MB(rss.end), `start + kept ${MB(keptBytes.end)} + ${MB(RSS_SLACK)} = ${MB(cap("RSS"))}`, "RSS"),
    row("arrayBuffers", MB(arrayBuffers.start), "", MB(arrayBuffers.end), `start + ${MB(ARRAY_BUFFER_SLACK)} = ${MB(cap("arrayBuffers"))}`, "arrayBuffers"),
    row("native kept", MB(keptBytes.start), "", MB(keptBytes.end), `(the engine's own bound: ${MB(keptBytes.max)}, 16 blocks, freed after 10 s unused)`),
    row("open handles", handleList(handles.start), "", handleList(handles.end), "no more of a kind than at start", "open handles"),
  ];
  if (fds.start !== undefined) lines.push(row("file descriptors", String(total(fds.start)), "", String(total(fds.end)), "no more of a kind than at start", "file descriptors"));
  if (threads.start !== undefined) lines.push(row("threads", String(threads.start), "", String(threads.end), `${threads.launch} at launch + the package's ${cap("threads") - threads.launch} = ${cap("threads")}`, "threads"));
  lines.push(`(RSS at launch, before the warm-up: ${MB(rss.launch)}; measured with ${data.malloc})`);
  return lines;
}

/** What failed: the counts that are not 0 and the caps exceeded. */
function failed(data) {
  const counts = { mismatches: data.mismatches, "unhandled rejections": data.unhandledRejections, crashes: data.crashes };
  return [...Object.keys(counts).filter((name) => counts[name] > 0), ...data.caps.filter((cap) => !cap.ok).map((cap) => `${cap.name} above its cap`)];
}

/** The summary as text. */
export function summaryText(data) {
  const warnings = Object.entries(data.warnings).map(([name, n]) => `${name} ×${n}`).join(", ") || "none";
  const lines = [
    `soak: ${data.minutes} min, ${data.rounds} rounds, API load on ${data.backends.join(" and ")}`,
    "",
    ...callsTable(data.calls),
    "",
    `calls in all           ${count(data.totalCalls)}`,
    `results checked        ${count(data.checked)}`,
    `mismatches             ${count(data.mismatches)}`,
    `unhandled rejections   ${count(data.unhandledRejections)}${data.firstUnhandled ? ` (first: ${data.firstUnhandled})` : ""}`,
    `crashes                ${count(data.crashes)} (child processes killed by a signal)`,
    `warnings               ${warnings}`,
    "",
    ...processTable(data),
  ];
  if (data.failures.length > 0) lines.push("", "first failures:", ...data.failures.map((failure) => `  ${failure}`));
  lines.push("", data.passed ? "PASS: every check held" : `FAIL: ${failed(data).join(", ")}`);
  return `${lines.join("\n")}\n`;
}
