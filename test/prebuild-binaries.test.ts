// The shipped prebuilds (prebuilds/, made by `npm run prebuildify`): compiled from the native
// sources in this tree, within the glibc/libstdc++ floor of scripts/prebuilds.json that README
// quotes, exporting the N-API entry points only, and the one for this machine loads.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/child.js";

interface Floor {
  readonly dir: string;
  readonly arch: string;
  readonly zigTarget: string;
  readonly machine: string;
  readonly glibc: string;
  readonly glibcxx: string | null;
  readonly needed: readonly string[];
}

interface Found {
  readonly machine: string;
  readonly needed: string[];
  readonly glibc: string | null;
  readonly glibcxx: string | null;
  readonly otherVersions: string[];
  readonly fingerprint: string | null;
}

const require = createRequire(import.meta.url);
const { targets } = require("../scripts/prebuilds.json") as { targets: Floor[] };
const { inspect, floorViolations, compareVersions } = require("../scripts/elf.cjs") as {
  inspect(file: string): Found;
  floorViolations(found: Found, floor: Floor): string[];
  compareVersions(a: string, b: string): number;
};
const { sourcesHash, fingerprintedFiles } = require("../scripts/sources-hash.cjs") as {
  sourcesHash(root?: string): string;
  fingerprintedFiles(root?: string): string[];
};

const REGENERATE = "run `npm run prebuildify` and commit prebuilds/";

function prebuildsOf(target: Floor): string[] {
  const dir = join(ROOT, "prebuilds", target.dir);
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".node")).map((name) => join(dir, name)) : [];
}

describe.each(targets)("prebuilds/$dir", (target) => {
  it("holds exactly one N-API binary, tagged glibc, for its machine", () => {
    const files = prebuildsOf(target);
    expect(files.map((file) => relative(ROOT, file)), `no prebuild for ${target.dir}: ${REGENERATE}`).toEqual([
      join("prebuilds", target.dir, "farfan-area-aggregator.glibc.node"),
    ]);
    expect(inspect(files[0]!).machine).toBe(target.machine);
  });

  it("was compiled from the native sources in this tree", () => {
    const expected = sourcesHash();
    for (const file of prebuildsOf(target)) {
      const { fingerprint } = inspect(file);
      expect(
        fingerprint,
        `${relative(ROOT, file)} is STALE: it was built from other sources than ${fingerprintedFiles().join(", ")} and the package version; ${REGENERATE}`,
      ).toBe(expected);
    }
  });

  it("needs no newer glibc symbol, no libstdc++ and no other library than scripts/prebuilds.json allows", () => {
    for (const file of prebuildsOf(target)) {
      const found = inspect(file);
      expect(floorViolations(found, target)).toEqual([]);
      // The floor never rises above the glibc the toolchain links against.
      expect(compareVersions(target.glibc, target.zigTarget.replace(/^.*gnu\./, ""))).toBeLessThanOrEqual(0);
      expect(found.glibc).not.toBeNull();
    }
  });

  it("exports the two N-API entry points and nothing of its static C++ runtime", () => {
    for (const file of prebuildsOf(target)) {
      const symbols = execFileSync("readelf", ["-W", "--dyn-syms", file], { encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });
      const defined = symbols
        .split("\n")
        .map((line) => line.trim().split(/\s+/))
        .filter((cols) => cols.length >= 8 && /^\d+:$/.test(cols[0]!) && cols[6] !== "UND" && (cols[4] === "GLOBAL" || cols[4] === "WEAK"))
        .map((cols) => cols[7]!.replace(/@.*$/, ""))
        .sort();
      expect(defined).toEqual(["napi_register_module_v1", "node_api_module_get_api_version_v1"]);
    }
  });
});

describe("the floor in scripts/prebuilds.json", () => {
  it("violations are reported (the check can fail)", () => {
    const target = targets[0]!;
    const over: Found = { machine: "AArch64", needed: ["libstdc++.so.6", ...target.needed], glibc: "2.34", glibcxx: "3.4.30", otherVersions: ["CXXABI_1.3.13"], fingerprint: null };
    expect(floorViolations(over, target)).toHaveLength(5);
  });

  it("is the one README's install section states", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Install and platforms"));
    expect(section.length).toBeGreaterThan(0);
    for (const target of targets) {
      expect(section).toContain(`\`${target.dir}\``);
      expect(section).toContain(`GLIBC_${target.glibc}`);
      expect(section).toContain(`glibc ${target.zigTarget.replace(/^.*gnu\./, "")}`);
      for (const lib of target.needed) expect(section).toContain(lib);
    }
  });
});

describe(`the prebuild for this machine (${process.platform}-${process.arch})`, () => {
  it("loads and reports this package's version", () => {
    const target = targets.find((t) => t.dir === `${process.platform}-${process.arch}`);
    expect(target, "this machine has a prebuild").toBeDefined();
    const addon = require(prebuildsOf(target!)[0]!) as { info(): { version: string; supportedIsas: string[] } };
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(addon.info().version).toBe(version);
    expect(addon.info().supportedIsas.at(-1)).toBe("scalar");
  });
});
