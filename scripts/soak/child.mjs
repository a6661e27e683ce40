// A Node child process of the soak, run without blocking the load of this one: its status,
// the signal that killed it (if one did) and its output.
import { spawn } from "node:child_process";

/** The environment without this package's variables, plus `env`: each child picks its own backend. */
function childEnv(env) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("FARFAN_AGGREGATOR_")));
  return { ...base, ...env };
}

/** Runs `node ...args` to its end; resolves with { status, signal, stdout, stderr }. */
export function runNode(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    const stdout = [];
    const stderr = [];
    child.stdout.on("data", (data) => stdout.push(data));
    child.stderr.on("data", (data) => stderr.push(data));
    child.once("error", reject);
    child.once("close", (status, signal) =>
      resolve({ status, signal, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") }),
    );
  });
}
