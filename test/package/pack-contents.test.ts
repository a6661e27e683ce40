// What `npm pack` ships (a dry run on the checkout as `npm test` built it): the license and a
// changelog that tells the version package.json gives, a package.json npm publishes as it is, no
// source map pointing at a file left out, no declaration a consumer cannot reach, and a size that
// stays small as prebuilds for more platforms join.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/child.js";
import { packCheckout, run, succeeded, userEnv, type Packed } from "../support/packed.js";

/** Every `.d.ts` path named anywhere in package.json's `types` or `exports`, package-relative. */
function declarationEntries(): string[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { types?: unknown; exports?: unknown };
  const named = JSON.stringify([manifest.types, manifest.exports]).match(/"[^"]+\.d\.ts"/g) ?? [];
  return named.map((quoted) => posix.normalize(JSON.parse(quoted) as string));
}

/** The relative modules a declaration file refers to: imports, re-exports, `import()` types, `/// <reference path>`. */
function referencedDeclarations(path: string): string[] {
  const text = readFileSync(join(ROOT, path), "utf8");
  const specifiers = [
    ...text.matchAll(/\b(?:from|import)\s*\(?\s*["'](\.\.?\/[^"']+)["']/g),
    ...text.matchAll(/\/\/\/\s*<reference\s+path=["']([^"']+)["']/g),
  ].map((match) => match[1]!);
  return specifiers.map((specifier) => posix.join(posix.dirname(path), specifier.replace(/\.js$/, ".d.ts")));
}

/** The declaration files reachable from the entries, following references through the tarball. */
function reachableDeclarations(entries: readonly string[]): Set<string> {
  const reached = new Set<string>();
  const pending = [...entries];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (reached.has(path)) continue;
    reached.add(path);
    pending.push(...referencedDeclarations(path));
  }
  return reached;
}

describe("the packed tarball's contents", () => {
  let packed: Packed;
  let paths: Set<string>;

  beforeAll(async () => {
    packed = await packCheckout(undefined);
    paths = new Set(packed.files.map((file) => file.path));
  }, 120_000);

  it("ships LICENSE and CHANGELOG.md", () => {
    expect(paths).toContain("LICENSE");
    expect(paths).toContain("CHANGELOG.md");
  });

  it("has a changelog whose latest release is package.json's version, not said to be unreleased", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const releases = [...readFileSync(join(ROOT, "CHANGELOG.md"), "utf8").matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
    expect(releases[0]).toMatch(new RegExp(`^\\[?${version.replaceAll(".", "\\.")}\\b`));
    expect(releases[0]).not.toMatch(/unreleased/i);
  });

  it("has a package.json that npm publishes as it is (npm pkg fix changes nothing)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "farfan-pkg-fix-"));
    try {
      copyFileSync(join(ROOT, "package.json"), join(dir, "package.json"));
      succeeded(await run("npm", ["pkg", "fix"], dir, userEnv()), "npm pkg fix");
      expect(JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))).toEqual(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("ships no source map without every source it maps", () => {
    for (const map of [...paths].filter((path) => path.endsWith(".map"))) {
      const { sources, sourceRoot = "" } = JSON.parse(readFileSync(join(ROOT, map), "utf8")) as { sources: string[]; sourceRoot?: string };
      for (const source of sources) expect(paths, `${map} maps ${source}`).toContain(posix.join(posix.dirname(map), sourceRoot, source));
    }
  });

  it("ships every declaration the exports reach, and no other", () => {
    const reachable = reachableDeclarations(declarationEntries());
    expect(reachable.size).toBeGreaterThan(0);
    const shipped = [...paths].filter((path) => /\.d\.[cm]?ts$/.test(path));
    expect(shipped.sort()).toEqual([...reachable].sort());
  });

  it("packs under 2 MB", () => {
    expect(packed.size).toBeLessThan(2_000_000);
  });
});
