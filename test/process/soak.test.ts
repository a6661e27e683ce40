/**
 * The soak run (`npm run soak`, scripts/soak.mjs) for one minute, in a child process: mixed load
 * on both backends — one plan, batches, columns over plain and shared memory, Monte-Carlo,
 * aborts, progress, worker threads terminated mid-call, processes exiting mid-call, the CLI with
 * --jobs 2 on bad lines — every result checked against the TypeScript kernel. It must report no
 * mismatch, no unhandled rejection and no crash, and RSS, ArrayBuffer memory, open handles, file
 * descriptors and threads back within their caps (scripts/soak/caps.mjs). Counts and caps only:
 * how many rounds fit in the minute is the machine's business, and nothing here is timed.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/child.js";

const SOAK = join(ROOT, "scripts", "soak.mjs");
/** Every kind of call a round makes on each backend… */
const ON_EACH_BACKEND = [
  "aggregate",
  "aggregateSync",
  "aggregateBatch",
  "aggregateColumns, plain inputs",
  "aggregateColumns, shared inputs",
  "aggregate, Monte-Carlo",
  "aggregateSync, Monte-Carlo",
  "aggregateBatch, Monte-Carlo",
  "aggregateColumns, Monte-Carlo, plain inputs",
  "aggregateColumns, Monte-Carlo, shared inputs",
  "aggregateColumns, invalid input",
  "aborted before the call",
  "aborted during the call",
  "aborted from a progress report",
  "followed by progress reports",
];
/** …and the others, with where they run ("-": in a process or thread of its own). */
const ELSEWHERE: [kind: string, where: string][] = [
  ["CLI runs (--jobs 2)", "native"],
  ["aggregateColumns in a worker thread", "native"],
  ["worker threads loading the engine", "-"],
  ["processes exiting mid-call", "-"],
];

interface Summary {
  rounds: number;
  calls: Record<string, Record<string, number>>;
  checked: number;
  mismatches: number;
  crashes: number;
  unhandledRejections: number;
  failures: string[];
  caps: { name: string; ok: boolean; cap?: number; detail?: string }[];
}

/** Runs the soak to its end; resolves with its status, the signal that killed it (if any) and its output. */
function soak(minutes: number): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("FARFAN_AGGREGATOR_")));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SOAK, "--minutes", String(minutes), "--json"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.once("error", reject);
    child.once("close", (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

describe("soak", () => {
  // One minute of load, then at most one round more (a fixed number of calls) and the end's
  // readings: minutes here, more on a busy machine; the bound is far above either.
  it("one minute of mixed load: no mismatch, unhandled rejection or crash; memory, handles, descriptors and threads within their caps", async () => {
    const run = await soak(1);
    expect(run.signal, run.stderr).toBeNull();
    const last = run.stdout.trim().split("\n").at(-1)!;
    expect(last, `no summary; stderr: ${run.stderr}`).toMatch(/^\{.*\}$/);
    const summary = JSON.parse(last) as Summary;
    expect(summary.rounds).toBeGreaterThan(0);
    const kinds: [string, string][] = [...ON_EACH_BACKEND.flatMap((kind): [string, string][] => [[kind, "native"], [kind, "js"]]), ...ELSEWHERE];
    for (const [kind, where] of kinds) expect(summary.calls[kind]?.[where], `${kind} on ${where}`).toBeGreaterThan(0);
    expect(summary.checked).toBeGreaterThan(summary.rounds * 100);
    expect(summary.mismatches, summary.failures.join("\n")).toBe(0);
    expect(summary.unhandledRejections).toBe(0);
    expect(summary.crashes, summary.failures.join("\n")).toBe(0);
    expect(summary.caps.filter((cap) => !cap.ok), "the caps exceeded").toEqual([]);
    expect(run.status, run.stderr).toBe(0);
  }, 900_000);
});
