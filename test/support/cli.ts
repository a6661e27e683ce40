/**
 * The built `farfan-aggregate` bin, run as a child process (`npm test` builds dist/ first), and
 * what its tests share: example files, snake_case plans, a scratch folder, output parsing.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import { areaScoreToDict, dimensionScoresFromJson, type AreaScoreDict } from "../../src/input/codec.js";
import { aggregate, type AreaScore, type DimensionScore, type Weights } from "../../src/index.js";
import { rng } from "./float.js";
import { makePlan } from "./plans.js";

/**
 * Bounds for tests (and hooks) that run the CLI, for `vi.setConfig`: far above their normal
 * seconds, because a busy 2-core CI machine may run them many times slower. No CLI test
 * measures time itself.
 */
export const CLI_TIMEOUTS = Object.freeze({ testTimeout: 300_000, hookTimeout: 300_000 });

export const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
export const PLAN_FILE = fileURLToPath(new URL("../../examples/plan.json", import.meta.url));
export const PLANS_170_FILE = fileURLToPath(new URL("../../examples/plans-170.ndjson", import.meta.url));

/** One dimension score as the pipeline's JSON has it. */
export interface SnakeEntry {
  area_id: string;
  dimension_id: string;
  score: unknown;
  score_std?: unknown;
  [extra: string]: unknown;
}

/** One NDJSON result of the CLI. */
export interface LineResult {
  line: number;
  area_scores: AreaScoreDict[];
}

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI with `input` on stdin, in the test project's environment (so on its backend). */
export function runCli(args: readonly string[], input = ""): CliResult {
  // The 170-plan output is a few MB; the default 1 MB maxBuffer would kill the child.
  const options = { input, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 } as const;
  const { status, stdout, stderr } = spawnSync(process.execPath, [CLI, ...args], options);
  return { status, stdout, stderr };
}

/**
 * Runs the CLI with `input` streamed to its stdin piece by piece, waiting for the pipe to drain
 * between pieces, so an input far larger than memory (a 600 MiB line) is never held here whole.
 */
export async function runCliStreaming(args: readonly string[], input: Iterable<string | Uint8Array>): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (data: Buffer) => stdout.push(data));
  child.stderr.on("data", (data: Buffer) => stderr.push(data));
  const exited = new Promise<number | null>((resolve) => child.on("close", (status) => resolve(status)));
  // A CLI that stops reading early closes the pipe: the rest of the input is not needed.
  child.stdin.on("error", () => {});
  for (const piece of input) {
    if (child.stdin.destroyed) break;
    if (!child.stdin.write(piece)) await drainedOrClosed(child.stdin);
  }
  child.stdin.end();
  const status = await exited;
  return { status, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") };
}

/** Resolves at the stream's next 'drain' or 'close', and leaves no listener behind (a run drains thousands of times). */
function drainedOrClosed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done).off("close", done);
      resolve();
    };
    stream.on("drain", done).on("close", done);
  });
}

/** Runs the CLI with stdout going straight to `outputFile`, for outputs too large to buffer. */
export function runCliToFile(args: readonly string[], outputFile: string): Omit<CliResult, "stdout"> {
  const fd = openSync(outputFile, "w");
  try {
    const { status, stderr } = spawnSync(process.execPath, [CLI, ...args], {
      stdio: ["ignore", fd, "pipe"],
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    return { status, stderr };
  } finally {
    closeSync(fd);
  }
}

/** A scratch folder for this test file, removed after its tests; returns a writer of files in it. */
export function scratchFiles(): { path(name: string): string; write(name: string, content: string): string } {
  const dir = mkdtempSync(join(tmpdir(), "farfan-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = (name: string) => join(dir, name);
  return {
    path,
    write(name, content) {
      writeFileSync(path(name), content);
      return path(name);
    },
  };
}

export const planText = readFileSync(PLAN_FILE, "utf8");
/** The example plan (examples/plan.json), with its extras. */
export const plan = JSON.parse(planText) as SnakeEntry[];

/** A library plan in the pipeline's snake_case JSON, written here rather than through the codec. */
export function snakePlan(dimensionScores: readonly DimensionScore[]): SnakeEntry[] {
  return dimensionScores.map(({ areaId, dimensionId, score, scoreStd }) => ({ area_id: areaId, dimension_id: dimensionId, score, score_std: scoreStd }));
}

/** The list with entry `i` changed. */
export function withEntry(list: readonly SnakeEntry[], i: number, change: Partial<SnakeEntry>): SnakeEntry[] {
  const copy = list.slice();
  copy[i] = { ...copy[i]!, ...change };
  return copy;
}

/** Area scores as the CLI writes them: through to_dict and JSON. */
export function asDicts(areaScores: readonly AreaScore[]): AreaScoreDict[] {
  return JSON.parse(JSON.stringify(areaScores.map(areaScoreToDict))) as AreaScoreDict[];
}

/** What the library itself makes of the same JSON, through JSON like the CLI's output. */
export async function libraryDicts(list: unknown, weights?: unknown): Promise<AreaScoreDict[]> {
  const { areaScores } = await aggregate(dimensionScoresFromJson(list), weights as Weights | undefined);
  return asDicts(areaScores);
}

export function ndjsonResults(stdout: string): LineResult[] {
  return stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as LineResult);
}

/** `count` random plans (seeded), snake_case: scores on a 1e-3 grid over [0, 3], stds in [0, 0.4). */
export function randomSnakePlans(count: number, seed: number): SnakeEntry[][] {
  const random = rng(seed);
  const grid = (x: number) => Math.round(x * 1000) / 1000;
  return Array.from({ length: count }, () => snakePlan(makePlan(() => grid(random() * 3), () => grid(random() * 0.4))));
}
