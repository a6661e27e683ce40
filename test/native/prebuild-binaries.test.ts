// The shipped prebuilds (prebuilds/, made by `npm run prebuildify`), read as files whatever their
// format (ELF, PE, Mach-O): compiled from the native sources in this tree, within what
// scripts/prebuilds.json says each may ask of the system that loads it (README quotes it),
// exporting the N-API entry points only, calling only N-API functions of the declared version,
// and the one for this machine loads. check:qemu, check:wine and check:musl run them.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/child.js";

interface Target {
  readonly id: string;
  readonly dir: string;
  readonly file: string;
  readonly zigTarget: string;
  readonly format: "elf" | "pe" | "macho";
  readonly machine?: string;
  readonly glibc?: string | null;
  readonly glibcxx?: string | null;
  readonly needed?: readonly string[];
  readonly imports?: readonly string[];
  readonly cpu?: string;
  readonly minos?: string;
  readonly dylibs?: readonly string[];
}

interface MachO {
  cpu: string;
  fileType: string;
  twoLevel: boolean;
  minos: string | null;
  platform: string | null;
  dylibs: string[];
  exports: string[];
  undefined: { name: string; from: string }[];
  unbound: string[];
  signature: { present: boolean; valid: boolean; reason?: string };
}

interface Checked {
  readonly problems: string[];
  readonly napi: string[];
  readonly exports: string[];
}

const require = createRequire(import.meta.url);
const { targets } = require("../../scripts/prebuilds.json") as { targets: Target[] };
const binary = require("../../scripts/binary.cjs") as {
  fingerprintOf(file: string): string | null;
  problemsOf(file: string, target: Target): string[];
  machoProblems(found: MachO, target: Target): Checked;
  peProblems(found: { machine: string; dll: boolean; imports: Record<string, string[]>; exports: string[] }, target: Target): Checked;
  elfProblems(found: unknown, target: Target): Checked;
};
const { inspectMachO } = require("../../scripts/macho.cjs") as { inspectMachO(file: string): MachO };
const { compareVersions } = require("../../scripts/elf.cjs") as { compareVersions(a: string, b: string): number };
const { sourcesHash, fingerprintedFiles } = require("../../scripts/sources-hash.cjs") as {
  sourcesHash(root?: string): string;
  fingerprintedFiles(root?: string): string[];
};

const REGENERATE = "run `npm run prebuildify` and commit prebuilds/";
const pathOf = (target: Target) => join(ROOT, "prebuilds", target.dir, target.file);
const byId = (id: string) => targets.find((target) => target.id === id)!;

describe.each([...new Set(targets.map((target) => target.dir))])("prebuilds/%s", (dir) => {
  it("holds exactly the binaries scripts/prebuilds.json lists for it", () => {
    const files = existsSync(join(ROOT, "prebuilds", dir)) ? readdirSync(join(ROOT, "prebuilds", dir)).sort() : [];
    const listed = targets.filter((target) => target.dir === dir).map((target) => target.file);
    expect(files, REGENERATE).toEqual(listed.sort());
  });
});

describe.each(targets)("prebuilds/$dir/$file ($zigTarget)", (target) => {
  it("was compiled from the native sources in this tree", () => {
    expect(
      binary.fingerprintOf(pathOf(target)),
      `prebuilds/${target.dir}/${target.file} is STALE: it was built from other sources than ${fingerprintedFiles().join(", ")} and the package version; ${REGENERATE}`,
    ).toBe(sourcesHash());
  });

  it("asks no more of the system than scripts/prebuilds.json allows, exports the N-API entry points only, calls only N-API 8", () => {
    expect(binary.problemsOf(pathOf(target), target)).toEqual([]);
  });
});

describe("what the floors in scripts/prebuilds.json say", () => {
  it("glibc: never above the glibc the toolchain links against", () => {
    for (const target of targets.filter((t) => typeof t.glibc === "string")) {
      expect(compareVersions(target.glibc!, target.zigTarget.replace(/^.*gnu\./, ""))).toBeLessThanOrEqual(0);
    }
  });

  it("is the one docs/platforms.md states, and README's Platforms table lists every prebuild", () => {
    const section = readFileSync(join(ROOT, "docs", "platforms.md"), "utf8");
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## Platforms"), readme.indexOf("## Safety"));
    for (const target of targets) expect(table).toContain(`\`${target.dir}\``);
    for (const target of targets) {
      expect(section).toContain(`\`${target.dir}\``);
      for (const fact of [...(target.needed ?? []), ...(target.dylibs ?? []), ...(target.imports ?? [])]) expect(section).toContain(fact);
      if (typeof target.glibc === "string") {
        expect(section).toContain(`GLIBC_${target.glibc}`);
        expect(section).toContain(`glibc ${target.zigTarget.replace(/^.*gnu\./, "")}`);
      }
      if (target.minos !== undefined) expect(section).toContain(`macOS ${target.minos}`);
    }
  });
});

describe("the checks can fail", () => {
  const work = mkdtempSync(join(tmpdir(), "farfan-prebuild-check-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("ELF: a glibc binary over its floor, and a musl one with glibc versions or a symbol musl lacks", () => {
    const glibc = byId("linux-x64-glibc");
    const over = {
      machine: "AArch64",
      needed: ["libstdc++.so.6", ...glibc.needed!],
      glibc: "2.34",
      glibcxx: "3.4.30",
      otherVersions: ["CXXABI_1.3.13"],
      exports: [],
      undefined: [["_ZSt4cout", null]],
    };
    expect(binary.elfProblems(over, glibc).problems).toHaveLength(6);
    const musl = { ...over, machine: "Advanced Micro Devices X86-64", needed: ["libc.so"], glibcxx: null, otherVersions: [], undefined: [["malloc", null], ["__libc_start_main_glibc_only", null]] };
    expect(binary.elfProblems(musl, byId("linux-x64-musl")).problems).toEqual([
      "needs GLIBC_2.34: glibc symbol versions in a musl build",
      "leaves __libc_start_main_glibc_only undefined, which musl's libc.so does not define",
    ]);
  });

  it("Mach-O: the misspelt ___cpu_model (undefined, bound by nothing), a non-N-API lookup, another dylib, another macOS, no signature", () => {
    const arm64 = byId("darwin-arm64");
    const found = inspectMachO(pathOf(arm64));
    const broken: MachO = {
      ...found,
      minos: "13.0",
      dylibs: [...found.dylibs, "/usr/lib/libc++.1.dylib"],
      undefined: [...found.undefined, { name: "_uv_default_loop", from: "dynamic lookup" }, { name: "__ZNSt3__14coutE", from: "/usr/lib/libc++.1.dylib" }],
      unbound: [...found.unbound, "___cpu_model"],
      signature: { present: false, valid: false },
    };
    expect(binary.machoProblems(broken, arm64).problems).toEqual([
      "built for macos 13.0, expected macos 11.0",
      "links /usr/lib/libc++.1.dylib, not in [/usr/lib/libSystem.B.dylib]",
      "_uv_default_loop is left to lookup in the process at load time, where only N-API is found",
      "__ZNSt3__14coutE is bound to /usr/lib/libc++.1.dylib",
      "___cpu_model is undefined, bound by nothing and defined by neither libSystem nor Node: code that reads it reads the image's first bytes",
      "no code signature: arm64 macOS refuses to load unsigned code",
    ]);
  });

  it("Mach-O: a page changed after signing breaks the signature", () => {
    const copy = join(work, "tampered.node");
    copyFileSync(pathOf(byId("darwin-arm64")), copy);
    const bytes = readFileSync(copy);
    expect(inspectMachO(copy).signature).toMatchObject({ present: true, valid: true });
    bytes[0x4011] = bytes[0x4011]! ^ 1; // in the code, well before the signature
    writeFileSync(copy, bytes);
    expect(inspectMachO(copy).signature).toMatchObject({ present: true, valid: false, reason: expect.stringMatching(/^page \d+ does not match its hash$/) });
  });

  it("PE: a DLL importing winpthread", () => {
    const win = byId("win32-x64");
    const found = { machine: "x86-64", dll: true, imports: { "NODE.EXE": ["napi_create_double"], "libwinpthread-1.dll": ["pthread_create"] }, exports: [] };
    expect(binary.peProblems(found, win).problems).toEqual([`imports libwinpthread-1.dll, not in [NODE.EXE, ${win.imports!.join(", ")}]`]);
  });

  it("any format: one target's binary checked against another's entry", () => {
    const problems = binary.problemsOf(pathOf(byId("darwin-x64")), byId("darwin-arm64"));
    expect(problems).toContain("CPU is x86_64, expected arm64");
  });
});

describe(`the prebuild for this machine (${process.platform}-${process.arch})`, () => {
  it("loads and reports this package's version", () => {
    const target = targets.find((t) => t.dir === `${process.platform}-${process.arch}` && t.glibc !== null);
    expect(target, "this machine has a prebuild").toBeDefined();
    const addon = require(pathOf(target!)) as { info(): { version: string; supportedIsas: string[] } };
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(addon.info().version).toBe(version);
    expect(addon.info().supportedIsas.at(-1)).toBe("scalar");
  });
});
