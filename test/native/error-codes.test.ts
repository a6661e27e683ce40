// The addon's error codes have one source, native/error_codes.h; the TypeScript side maps each
// to a public error in NATIVE_ERROR_CODES (src/backend/native-errors.ts). Here the two lists are
// held equal, no native source spells a code outside the header, and every code becomes one of
// the package's coded errors.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/child.js";
import { AggregationError, ValidationError } from "../../src/core/errors.js";
import { NATIVE_ERROR_CODES, nativeFailure } from "../../src/backend/native-errors.js";

const NATIVE = join(ROOT, "native");
const HEADER = readFileSync(join(NATIVE, "error_codes.h"), "utf8");

describe("native error codes", () => {
  it("native/error_codes.h and NATIVE_ERROR_CODES list the same codes", () => {
    const inHeader = [...HEADER.matchAll(/constexpr const char k\w+\[\] = "([A-Z_]+)";/g)].map((m) => m[1]);
    expect(inHeader.length).toBeGreaterThan(0);
    expect([...inHeader].sort()).toEqual(Object.keys(NATIVE_ERROR_CODES).sort());
  });

  it("no other native source spells a code: they name the header's constants", () => {
    const literal = /"E_[A-Z_]+"/;
    const offenders = readdirSync(NATIVE)
      .filter((file) => /\.(cc|h)$/.test(file) && file !== "error_codes.h")
      .filter((file) => literal.test(readFileSync(join(NATIVE, file), "utf8")));
    expect(offenders).toEqual([]);
  });

  it("each becomes one of the package's coded errors, with the code the table gives", () => {
    for (const [code, mapped] of Object.entries(NATIVE_ERROR_CODES)) {
      const failure = nativeFailure(Object.assign(new Error(`native says ${code}`), { code, argument: "std", other: "score" }));
      expect(failure, code).toBeInstanceOf(mapped === "E_TYPE" ? ValidationError : AggregationError);
      expect((failure as ValidationError | AggregationError).code, code).toBe(mapped);
    }
    expect((nativeFailure(new Error("no code")) as AggregationError).code).toBe("E_INTERNAL");
  });
});
