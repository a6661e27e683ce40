/**
 * Every environment variable the package reads, read here and nowhere else (docs/environment.md
 * describes each). Each is read when asked (not at import), so a test or a child process can set
 * it before the first aggregator.
 */

/**
 * `FARFAN_AGGREGATOR_FORCE_JS=1` (or `true`, `yes`, `on`, in any case) makes every aggregator use
 * the TypeScript kernel; the addon is never loaded.
 */
export const FORCE_JS_ENV = "FARFAN_AGGREGATOR_FORCE_JS";
/** `FARFAN_AGGREGATOR_ISA=scalar|avx2|avx512` forces one native kernel (for tests and comparisons). */
export const ISA_ENV = "FARFAN_AGGREGATOR_ISA";
/**
 * `FARFAN_AGGREGATOR_ADDON=/path/to/farfan_aggregator.node` loads that addon file instead of the
 * one node-gyp-build finds (`npm run test:sanitize` points it at the ASan/UBSan build).
 */
export const ADDON_ENV = "FARFAN_AGGREGATOR_ADDON";
/** `FARFAN_AGGREGATOR_BACKEND=auto|native|js`: the default of the `backend` option. */
export const BACKEND_ENV = "FARFAN_AGGREGATOR_BACKEND";

const TRUE_WORDS = ["1", "true", "yes", "on"];
const FALSE_WORDS = ["", "0", "false", "no", "off"];
let forceJsWarned = false;

/**
 * Whether FARFAN_AGGREGATOR_FORCE_JS is set to one of the usual words for "on", in any case and
 * around spaces. A value that is neither an "on" nor an "off" word counts as unset, with one
 * warning: a flag silently ignored is the surprise this avoids.
 */
export function forceJsFromEnv(): boolean {
  const raw = process.env[FORCE_JS_ENV];
  if (raw === undefined) return false;
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (!FALSE_WORDS.includes(word) && !forceJsWarned) {
    forceJsWarned = true;
    process.emitWarning(
      `${FORCE_JS_ENV}=${JSON.stringify(raw)} is not understood and is ignored; use one of ${TRUE_WORDS.join(", ")} to force the JS backend, or one of ${FALSE_WORDS.slice(1).join(", ")} (or nothing) not to`,
      { type: "FarfanAggregatorWarning", code: "FARFAN_ENV_VALUE" },
    );
  }
  return false;
}

/** The ISA named by FARFAN_AGGREGATOR_ISA, or undefined when unset or empty. */
export function isaFromEnv(): string | undefined {
  return process.env[ISA_ENV] || undefined;
}

/** The backend named by FARFAN_AGGREGATOR_BACKEND, or undefined when unset or empty (unchecked). */
export function backendFromEnv(): string | undefined {
  return process.env[BACKEND_ENV] || undefined;
}

/** The addon file named by FARFAN_AGGREGATOR_ADDON, or undefined when unset or empty. */
export function addonFileFromEnv(): string | undefined {
  return process.env[ADDON_ENV] || undefined;
}
