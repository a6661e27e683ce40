import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ChildResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ChildOptions {
  /** Node flags before the script, such as `--expose-gc`. */
  readonly flags?: readonly string[];
  /** Milliseconds before the child is killed (default 60 s). */
  readonly timeout?: number;
}

/**
 * Runs an ES module script in a fresh Node process (cwd = `cwd`), with `env` on top of an
 * environment cleared of this package's variables, so the parent's test project leaks nothing.
 */
export function runScript(script: string, env: Record<string, string> = {}, cwd: string = ROOT, options: ChildOptions = {}): ChildResult {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("FARFAN_AGGREGATOR_")));
  const result = spawnSync(process.execPath, [...(options.flags ?? []), "--input-type=module", "-e", script], {
    cwd,
    env: { ...base, ...env },
    encoding: "utf8",
    timeout: options.timeout ?? 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The running test project's backend variables (vitest.config.ts), for a child that is to run on the same backend. */
export function projectEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[0].startsWith("FARFAN_AGGREGATOR_") && entry[1] !== undefined));
}
