/**
 * Other Node versions than the one running the tests, from the npm registry's
 * `node-<platform>-<arch>` packages (the official builds). Each is fetched once, with
 * `npm pack` (never installed: its bin/node would shadow the real node in npm scripts), into
 * node_modules/.cache, and reused by later runs.
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./child.js";
import { npmPack, run, succeeded, userEnv } from "./packed.js";

const CACHE = join(ROOT, "node_modules", ".cache", "farfan-node-binaries");

/** The `node` executable of `version` (e.g. "20.19.0") for this platform, fetched on first use. */
export async function nodeBinary(version: string): Promise<string> {
  const name = `node-${process.platform}-${process.arch}`;
  const dir = join(CACHE, `${name}-${version}`);
  const binary = join(dir, "bin", "node");
  if (existsSync(binary)) return binary;
  mkdirSync(CACHE, { recursive: true });
  const staging = mkdtempSync(join(CACHE, "staging-"));
  try {
    const { filename } = await npmPack(`${name}@${version}`, ["--pack-destination", staging], staging);
    succeeded(await run("tar", ["-xzf", join(staging, filename), "-C", staging, "package/bin/node"], staging, userEnv()), "tar");
    // Renamed into place whole, so that an interrupted fetch leaves no half-written binary.
    renameSync(join(staging, "package"), dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}
