import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ChildResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs an ES module script in a fresh Node process (cwd = `cwd`), with `env` on top of an
 * environment cleared of this package's variables, so the parent's test project leaks nothing.
 */
export function runScript(script: string, env: Record<string, string> = {}, cwd: string = ROOT): ChildResult {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("FARFAN_AGGREGATOR_")));
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd,
    env: { ...base, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
