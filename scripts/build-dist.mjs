// Builds dist/ exactly as it ships (`npm run build`):
//   1. dist/ is emptied first, so nothing a renamed or deleted source once emitted is packed;
//   2. tsc compiles src/ (tsconfig.build.json: no source maps, since src/ is not shipped);
//   3. every .d.ts that no `types` entry of package.json reaches is deleted: tsc declares every
//      module, but a consumer can only ever reach the public ones (the CLI's, the kernels'…).
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");

rmSync(DIST, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const compiled = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json")], { cwd: ROOT, stdio: "inherit" });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

/** The `types` files package.json names, at the top level and under any export condition. */
function typesEntries(manifest) {
  const entries = [];
  const visit = (value, key) => {
    if (typeof value === "string" && key === "types") entries.push(resolve(ROOT, value));
    else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  visit({ types: manifest.types, exports: manifest.exports });
  return entries;
}

// The declarations TypeScript itself loads from the entries: exactly what a consumer can reach.
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const program = ts.createProgram(typesEntries(manifest), {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  noEmit: true,
  types: [],
});
const reachable = new Set(program.getSourceFiles().map((file) => resolve(file.fileName)));
for (const entry of readdirSync(DIST, { recursive: true, withFileTypes: true })) {
  const path = join(entry.parentPath, entry.name);
  if (entry.isFile() && path.endsWith(".d.ts") && !reachable.has(path)) rmSync(path);
}
