import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "./native-addon.js";

/** The name in the package's own package.json. */
const PACKAGE_NAME = "farfan-area-aggregator";

/** What a user does about a bundled copy, in the words of the warning and of the README. */
export const BUNDLED_FIX =
  "mark farfan-area-aggregator as external (esbuild --external:farfan-area-aggregator, webpack externals, Vite ssr.external) and ship it in node_modules";

let bundled: boolean | undefined;

/**
 * Whether this code runs away from the package's own files, as it does once a bundler has copied
 * it into a bundle: the native engine (prebuilds/, build/) and the JS backend's worker script are
 * found next to the package's package.json at run time, and the folder two levels above this
 * module then holds no package.json of ours (or none at all; a CommonJS bundle knows no folder).
 */
export function isBundled(): boolean {
  if (bundled === undefined) {
    if (PACKAGE_ROOT === "") return (bundled = true);
    try {
      const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { name?: unknown };
      bundled = manifest.name !== PACKAGE_NAME;
    } catch {
      bundled = true;
    }
  }
  return bundled;
}
