// native/abi.json is the one list of the addon's arguments: scripts/abi.cjs writes native/abi.h
// (the C++ enum and table args.cc checks against) and src/backend/native-abi.ts (the request
// type, tuple and builder) from it. Here both files are held to what it writes, and an argument
// added to the JSON alone is shown to reach both.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/child.js";
import { loadNativeAddon } from "../../src/backend/native-addon.js";
import { NATIVE_ABI } from "../../src/backend/native-abi.js";

interface AbiScript {
  generated(root?: string): Record<string, string>;
  HEADER: string;
  MODULE: string;
}
const abi = createRequire(import.meta.url)(join(ROOT, "scripts", "abi.cjs")) as AbiScript;

describe("native/abi.json", () => {
  const scratch = mkdtempSync(join(tmpdir(), "farfan-abi-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("native/abi.h and src/backend/native-abi.ts are what scripts/abi.cjs writes from it (npm run abi)", () => {
    for (const [file, text] of Object.entries(abi.generated())) {
      expect(readFileSync(file, "utf8"), `${file} is stale: run npm run abi`).toBe(text);
    }
  });

  it("an argument added to the JSON alone reaches the C++ enum and table and the TypeScript request and tuple", () => {
    const table = JSON.parse(readFileSync(join(ROOT, "native", "abi.json"), "utf8"));
    const args = table.calls.aggregate.args as { name: string }[];
    const at = args.findIndex((arg) => arg.name === "check") + 1;
    args.splice(at, 0, { name: "chunkBytes", type: "integer", min: "1", max: "kMaxSafeInteger", doc: "An argument for this test." } as { name: string });
    mkdirSync(join(scratch, "native"), { recursive: true });
    writeFileSync(join(scratch, "native", "abi.json"), JSON.stringify(table));
    const files = abi.generated(scratch);
    const header = files[abi.HEADER]!;
    const module = files[abi.MODULE]!;
    expect(header).toMatch(/  kCheck,\n  kChunkBytes,\n  kMinChunk,/);
    expect(header).toMatch(/\{"chunkBytes", Type::kInteger, Role::kNone, Length::kNone, 0, 0, Null::kNever, false, static_cast<double>\(1\), static_cast<double>\(kMaxSafeInteger\)\}/);
    expect(module).toContain("  readonly chunkBytes: number;");
    expect(module).toMatch(/  check: boolean,\n  chunkBytes: number,\n  minChunk\?: number \| undefined,/);
    expect(module).toContain("request.check, request.chunkBytes, request.minChunk");
    // Another table has another name, so an addon built from the old one is refused.
    expect(module).not.toContain(`"${NATIVE_ABI}"`);
  });

  it("so does an argument added to a sync-only text call, its length that of another argument", () => {
    const table = JSON.parse(readFileSync(join(ROOT, "native", "abi.json"), "utf8"));
    const args = table.calls.formatNumbers.args as { name: string }[];
    args.push({ name: "lengths", type: "uint8[]", role: "output", length: "as values", doc: "An argument for this test." } as { name: string });
    mkdirSync(join(scratch, "native"), { recursive: true });
    writeFileSync(join(scratch, "native", "abi.json"), JSON.stringify(table));
    const files = abi.generated(scratch);
    expect(files[abi.HEADER]).toMatch(/  kOut,\n  kEnds,\n  kLengths,\n\};/);
    expect(files[abi.HEADER]).toContain('{"lengths", Type::kUint8Array, Role::kOutput, Length::kAs, 0, 0, Null::kNever, false, 0, 0}');
    expect(files[abi.HEADER]).toContain('kFormatNumbers{"formatNumbers", nullptr, kFormatNumbersArgs, 4, 4, kNoArg}');
    expect(files[abi.MODULE]).toMatch(/  ends: Int32Array,\n  lengths: Uint8Array,\n\];/);
    expect(files[abi.MODULE]).toContain("[request.values, request.out, request.ends, request.lengths]");
  });

  it("the addon built here was built from it", () => {
    expect(loadNativeAddon().info().abi).toBe(NATIVE_ABI);
  });
});
