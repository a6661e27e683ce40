/**
 * The package as users get it: `npm pack` of this checkout, installed with npm into temporary
 * projects, each command run in a user's environment.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./child.js";

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 << 20, timeout: 240_000 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      resolve({ status, stdout, stderr });
    });
  });
}

/** The environment of a user's shell: nothing from this package's test run or from npm's. */
export function userEnv(path: string = process.env.PATH ?? ""): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith("FARFAN_AGGREGATOR_") && !key.startsWith("npm_") && !["INIT_CWD", "PREBUILDS_ONLY", "VITEST", "NODE_ENV"].includes(key) && !key.startsWith("VITEST_"),
    ),
  );
  return { ...env, PATH: path };
}

/** Throws with the command's output unless it exited with 0. */
export function succeeded(result: Run, what: string): Run {
  if (result.status !== 0) throw new Error(`${what} exited with ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

interface PackReport {
  readonly filename: string;
  readonly files: readonly { readonly path: string; readonly size: number }[];
  /** Bytes of the gzipped tarball. */
  readonly size: number;
}

/** `npm pack --json` of `spec` (a folder or a registry spec), never running its scripts. */
export async function npmPack(spec: string, where: readonly string[], cwd: string): Promise<PackReport> {
  const pack = succeeded(await run("npm", ["pack", spec, "--json", "--ignore-scripts", ...where], cwd, userEnv()), `npm pack ${spec}`);
  const [report] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as PackReport[];
  return report!;
}

export interface Packed extends Omit<PackReport, "filename"> {
  /** The tarball's path (a dry run writes none). */
  readonly tarball: string;
}

/**
 * `npm pack` of the checkout into `destination`, or only what it would pack when `destination`
 * is undefined. dist/ is taken as `npm test` built it: `prepare` would rebuild it under the feet
 * of the test files running beside the caller.
 */
export async function packCheckout(destination: string | undefined): Promise<Packed> {
  const where = destination === undefined ? ["--dry-run"] : ["--pack-destination", destination];
  const { filename, files, size } = await npmPack(".", where, ROOT);
  return { tarball: join(destination ?? ROOT, filename), files, size };
}

/** `npm install` of `specs` into the project at `dir`, from the local npm cache where it can. */
export function npmInstall(dir: string, specs: readonly string[], env: NodeJS.ProcessEnv, extra: readonly string[] = []): Promise<Run> {
  return run("npm", ["install", ...specs, "--prefer-offline", "--no-audit", "--no-fund", "--no-package-lock", "--foreground-scripts", ...extra], dir, env);
}
