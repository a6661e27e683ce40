import { AggregationError, ValidationError } from "../core/errors.js";

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

/**
 * The coded error for a failure of the addon (native-addon.ts lists its codes):
 *  - E_NATIVE_OVERLAP: an output shares memory with an input or another output through a
 *    second SharedArrayBuffer object over the same memory, which only native's comparison of
 *    addresses sees → ValidationError E_TYPE at the output's path, as the TypeScript check says it;
 *  - E_BUFFER_DETACHED, E_CANCELLED → AggregationError with that code;
 *  - anything else (E_NATIVE_ARGS, E_ISA_UNSUPPORTED and E_NATIVE_INTERNAL, which the checks
 *    before the call leave to an engine failure) → AggregationError E_INTERNAL.
 */
export function nativeFailure(error: unknown): Error {
  const { code, message, argument, other } = (error ?? {}) as { code?: unknown; message?: unknown; argument?: unknown; other?: unknown };
  const text = typeof message === "string" ? message : String(error);
  if (code === "E_NATIVE_OVERLAP") {
    const path = pathOf(argument);
    const otherPath = pathOf(other);
    return new ValidationError([
      { code: "E_TYPE", path, message: `${path} shares memory with ${otherPath}; outputs must not overlap inputs or each other` },
    ]);
  }
  if (code === "E_BUFFER_DETACHED" || code === "E_CANCELLED") return new AggregationError(code, text, { cause: error });
  return new AggregationError("E_INTERNAL", `the native kernel failed: ${text}`, { cause: error });
}
