// Module hooks for register-ts.mjs: an import of a .js file resolves to the .ts file of that name when only that exists
// (NodeNext style), and .ts files are stripped of types with rolldown's oxc transform (vitest's own).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { transformSync } from "rolldown/experimental";

export async function resolve(specifier, context, nextResolve) {
  if (specifier.endsWith(".js") && context.parentURL?.endsWith(".ts") && (specifier.startsWith(".") || specifier.startsWith("/"))) {
    const url = new URL(specifier, context.parentURL);
    const ts = new URL(url.href.replace(/\.js$/, ".ts"));
    if (!existsSync(fileURLToPath(url)) && existsSync(fileURLToPath(ts))) return { url: ts.href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith(".ts")) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const { code, errors } = transformSync(path, await readFile(path, "utf8"), { lang: "ts", sourcemap: false });
  if (errors.length > 0) throw new Error(`${path}: ${errors.map((e) => e.message).join("; ")}`);
  return { format: "module", source: code, shortCircuit: true };
}
