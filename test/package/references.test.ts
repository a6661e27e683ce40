// Every reference a reader can follow leads somewhere. In what the tarball ships (README,
// CHANGELOG, docs/, examples/, the JSDoc of dist/'s .d.ts, the comments of dist/'s .js, native/
// and scripts/) every relative link, and every file path a text or a comment cites, is in the
// tarball; in the checkout, the same for every tracked document and code comment. Comments
// give reasons, never issue numbers, which lead nowhere for a reader of the code.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, posix } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/child.js";
import { packCheckout } from "../support/packed.js";

const CODE = /\.(?:[cm]?[jt]s|cc|h)$/;
// Documents, code and build files. Not package.json and its lock: data whose paths npm checks
// (publint and the pack tests check `bin`, `exports` and `files`), and whose scripts are the
// checkout's.
const TEXT = /\.(?:md|[cm]?[jt]s|cc|h|gyp)$|(?:^|\/)(?:CMakeLists\.txt|sources\.json|run)$/;

/** The comments of a code file, one string each (line comments and block comments). */
function comments(text: string): string[] {
  return [...text.matchAll(/\/\*[\s\S]*?\*\/|(?<![:"'`\w])\/\/[^\n]*/g)].map((match) => match[0]);
}

/** What a reader reads in `path`: a document whole, a code file's comments, a build file whole. */
function readable(path: string): string {
  const text = readFileSync(join(ROOT, path), "utf8");
  return CODE.test(path) ? comments(text).join("\n") : text;
}

/** Relative link targets of a markdown text: `[text](target)`, without URLs or in-page anchors alone. */
function links(text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z]+:/i.test(target));
}

/**
 * File paths cited in a text: a name with a file extension after at least one folder
 * (`native/async_calls.h`, `../support/child.ts`), or a top-level document (`CONTRIBUTING.md`). A
 * path inside an installed project's node_modules/farfan-area-aggregator/ is the package's own.
 */
function citedPaths(text: string): string[] {
  const withFolder = /(?<![\w.@/:~$<>*-])((?:\.\.?\/)*(?:[\w@.-]+\/)+[\w.-]+\.(?:[cm]?[jt]s|md|json|h|cc|node|gyp|svg|ndjson|txt))(?![\w/])/g;
  const topLevel = /(?<![\w./-])((?:README|CHANGELOG|CONTRIBUTING|LICENSE|SPEC)\.md)\b/g;
  return [...text.matchAll(withFolder), ...text.matchAll(topLevel)]
    .map((m) => m[1]!.replace(/^node_modules\/farfan-area-aggregator\//, ""))
    .filter((path) => !path.startsWith("node_modules/"));
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors of a markdown file's headings (outside fenced blocks). */
function anchors(path: string): Set<string> {
  const text = readFileSync(join(ROOT, path), "utf8").replace(/```[\s\S]*?```/g, "");
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
}

/**
 * Every reference in `files` that leads nowhere in `present` (package-relative paths; a folder is
 * present when a file under it is). A path resolves from the citing file's folder or from the
 * package root; `build/` is where the install compiles the engine when no prebuild fits.
 */
function deadReferences(files: readonly string[], present: ReadonlySet<string>): string[] {
  const folders = new Set([...present].flatMap((path) => path.split("/").slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join("/"))));
  const exists = (path: string) => present.has(path) || folders.has(path) || path.startsWith("build/");
  const dead: string[] = [];
  for (const file of files) {
    const text = readable(file);
    const resolvable = (target: string) => [posix.normalize(posix.join(posix.dirname(file), target)), posix.normalize(target)].find(exists);
    for (const path of citedPaths(text)) if (resolvable(path) === undefined) dead.push(`${file}: ${path}`);
    if (!file.endsWith(".md")) continue;
    for (const link of links(text)) {
      const [target = "", anchor] = link.split("#");
      const resolved = target === "" ? file : posix.normalize(posix.join(posix.dirname(file), target));
      if (!exists(resolved)) dead.push(`${file}: link ${link}`);
      else if (anchor !== undefined && resolved.endsWith(".md") && !anchors(resolved).has(anchor)) dead.push(`${file}: link ${link} (no such heading)`);
    }
  }
  return dead;
}

/** The tracked files of the checkout, and dist/ as `npm test` built it. */
function checkoutFiles(): string[] {
  const tracked = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter((path) => path !== "" && existsSync(join(ROOT, path)));
  const dist = readdirSync(join(ROOT, "dist"), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => posix.join("dist", posix.relative(join(ROOT, "dist").split("\\").join("/"), join(entry.parentPath, entry.name).split("\\").join("/"))));
  return [...tracked, ...dist];
}

describe("references", () => {
  let shipped: string[];

  beforeAll(async () => {
    shipped = (await packCheckout(undefined)).files.map((file) => file.path);
  }, 120_000);

  it("finds what it checks (the extraction sees links and cited paths)", () => {
    expect(citedPaths("see native/async_calls.h and `dist/index.js`, CONTRIBUTING.md; not /usr/lib/x.h or https://a.b/c.js")).toEqual([
      "native/async_calls.h",
      "dist/index.js",
      "CONTRIBUTING.md",
    ]);
    expect(links("[a](docs/x.md#y) [b](https://x.y/z.md) [c](#top)")).toEqual(["docs/x.md#y", "#top"]);
    expect(slug("7. Calls, threads and memory")).toBe("7-calls-threads-and-memory");
    expect(shipped).toContain("README.md");
  });

  it("in the tarball, every link and every cited path leads to a file the tarball holds", () => {
    const texts = shipped.filter((path) => TEXT.test(path));
    expect(texts.length).toBeGreaterThan(50);
    expect(deadReferences(texts, new Set(shipped))).toEqual([]);
  });

  it("in the checkout, every document's links and every comment's cited paths lead to a file", () => {
    const files = checkoutFiles();
    expect(deadReferences(files.filter((path) => TEXT.test(path)), new Set(files))).toEqual([]);
  });

  it("no code comment cites an issue number", () => {
    const code = checkoutFiles().filter((path) => CODE.test(path) || path.endsWith(".ci/run"));
    const cited = code.flatMap((path) =>
      readable(path)
        .split("\n")
        .filter((line) => /\bissues? #?\d+|#\d+\b/i.test(line))
        .map((line) => `${path}: ${line.trim()}`),
    );
    expect(cited).toEqual([]);
  });
});
