import { AggregationError, ValidationError, type AggregationErrorCode } from "../core/errors.js";

/**
 * Every `code` the addon's errors carry (native/error_codes.h, which a test of the repository
 * holds equal to this table), and the code of the public error each becomes:
 *  - E_NATIVE_OVERLAP: an output shares memory with an input or another output through a
 *    second SharedArrayBuffer object over the same memory, which only native's comparison of
 *    addresses sees → ValidationError E_TYPE at the output's path, as the TypeScript check says it;
 *  - E_BUFFER_DETACHED, E_CANCELLED → AggregationError with that code;
 *  - E_NATIVE_ARGS, E_ISA_UNSUPPORTED, E_NATIVE_INTERNAL: the checks before the call leave these
 *    to an engine failure → AggregationError E_INTERNAL.
 */
export const NATIVE_ERROR_CODES = Object.freeze({
  E_NATIVE_ARGS: "E_INTERNAL",
  E_NATIVE_OVERLAP: "E_TYPE",
  E_ISA_UNSUPPORTED: "E_INTERNAL",
  E_NATIVE_INTERNAL: "E_INTERNAL",
  E_BUFFER_DETACHED: "E_BUFFER_DETACHED",
  E_CANCELLED: "E_CANCELLED",
} as const satisfies Readonly<Record<string, AggregationErrorCode | "E_TYPE">>);

type NativeErrorCode = keyof typeof NATIVE_ERROR_CODES;

/** Native argument names that are caller outputs, and their public paths. */
const OUTPUT_PATHS: Readonly<Record<string, string>> = Object.freeze({
  score: "outputs.score",
  std: "outputs.std",
  ciLow: "outputs.ciLow",
  ciHigh: "outputs.ciHigh",
  quality: "outputs.quality",
});

function pathOf(argument: unknown): string {
  return typeof argument === "string" ? OUTPUT_PATHS[argument] ?? argument : "outputs";
}

function isNativeCode(code: unknown): code is NativeErrorCode {
  return typeof code === "string" && Object.hasOwn(NATIVE_ERROR_CODES, code);
}

/** The coded error for a failure of the addon: NATIVE_ERROR_CODES says which; an uncoded one is E_INTERNAL. */
export function nativeFailure(error: unknown): Error {
  const { code, message, argument, other } = (error ?? {}) as { code?: unknown; message?: unknown; argument?: unknown; other?: unknown };
  const text = typeof message === "string" ? message : String(error);
  const mapped = isNativeCode(code) ? NATIVE_ERROR_CODES[code] : "E_INTERNAL";
  if (mapped === "E_TYPE") {
    const path = pathOf(argument);
    const otherPath = pathOf(other);
    return new ValidationError([
      { code: "E_TYPE", path, message: `${path} shares memory with ${otherPath}; outputs must not overlap inputs or each other` },
    ]);
  }
  if (mapped === "E_INTERNAL") return new AggregationError("E_INTERNAL", `the native kernel failed: ${text}`, { cause: error });
  return new AggregationError(mapped, text, { cause: error });
}
