/**
 * Every environment variable the package reads, read here and nowhere else. Each is read when
 * asked (not at import), so a test or a child process can set it before the first aggregator.
 */

/** `FARFAN_AGGREGATOR_FORCE_JS=1` makes every aggregator use the TypeScript kernel; the addon is never loaded. */
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

/** True when FARFAN_AGGREGATOR_FORCE_JS=1. */
export function forceJsFromEnv(): boolean {
  return process.env[FORCE_JS_ENV] === "1";
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
