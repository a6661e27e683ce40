// Preloaded (node --import) to run the CLI as if the optional dependency parquet-wasm were not installed.
import { register } from "node:module";

const hook = `export async function resolve(specifier, context, next) {
  if (specifier.startsWith("parquet-wasm")) throw Object.assign(new Error("Cannot find package " + specifier), { code: "ERR_MODULE_NOT_FOUND" });
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
