'use strict';
// `npm run prebuildify`: the prebuilds shipped in the package, one per entry of
// scripts/prebuilds.json (linux x64/arm64 on glibc and on musl, win32-x64, darwin x64/arm64),
// each compiled from native/sources.json by zig from npm in one `zig c++` call
// (scripts/zig-build.cjs), then held to its entry (scripts/binary.cjs), fingerprint included,
// and, for this machine's own, loaded. Run it after any change to the native sources:
// test/native/prebuild-binaries.test.ts says STALE until you do.
//
// The zig is 0.14.0-dev (clang 19, libc++ 19) for all seven. zig cross-compiles from this
// linux-x64 host to each with its own libc headers and stubs (glibc 2.28's symbol set, musl,
// mingw-w64, libSystem) and links libc++ in statically. The darwin binaries need 0.14: zig
// 0.11's Mach-O linker ignores hidden visibility and exports ~1,400 symbols of the static libc++.
// Building the five others with the same compiler means the code that cannot be run here
// (darwin) comes from the compiler, libc++ and cpu_model.c that the runnable ones test:
// natively, under qemu and under wine.
//
// Times on this 2-core machine: all seven unchanged, ~5 s; after a change to a header every
// source includes, ~3 min; cold (zig first builds libc++ for each target and mingw-w64's
// runtime, into ~/.cache/zig), ~25 min once.
// `npm run prebuildify -- --git-ref=HEAD` builds from a commit instead of the work tree;
// `-- linux-x64-musl darwin-arm64` builds those targets only (the ids in scripts/prebuilds.json).
const { spawnSync } = require('node:child_process');
const { copyFileSync, mkdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { sourcesHash } = require('./sources-hash.cjs');
const { FINGERPRINT_PREFIX, fingerprintOf, problemsOf } = require('./binary.cjs');
const { TOOLCHAIN, compileArgs, linkObject, resolvePackage, run, stage, workDir, zig } = require('./zig-build.cjs');

const ROOT = join(__dirname, '..');
const { targets } = require('./prebuilds.json');

/** What each object format adds to the link: which symbols are exported, and how N-API is found. */
function linkFlags(target, work) {
  switch (target.format) {
    case 'elf':
      // The version script exports the two N-API entry points and nothing of the static C++
      // runtime; N-API stays undefined, resolved against the node executable at load.
      return ['-s', `-Wl,--version-script=${join(TOOLCHAIN, 'exports.map')}`];
    case 'pe': {
      // A DLL names the module of every import: node.lib (from node-api-headers' .def, NAME
      // NODE.EXE) binds the N-API functions to the executable, as node-gyp does on Windows.
      const lib = join(work, 'node.lib');
      run(zig(), ['dlltool', '-d', resolvePackage('node-api-headers', join('def', 'node_api.def')), '-l', lib, '-m', 'i386:x86-64']);
      return ['-s', lib];
    }
    case 'macho':
      // N-API is looked up in the process at load time (what node-gyp's Xcode settings do). The
      // install name is the file's own, not the path it was built at.
      return ['-s', '-Wl,-undefined,dynamic_lookup', `-Wl,-install_name,@rpath/${target.file}`];
    default:
      throw new Error(`unknown format ${target.format}`);
  }
}

function build(target, src, hash) {
  const work = workDir(target.id);
  const { sources } = JSON.parse(readFileSync(join(src, 'native', 'sources.json'), 'utf8'));
  const out = join(work, target.file);
  const args = [...compileArgs(target.zigTarget, src, sources), linkObject(target.zigTarget, work, FINGERPRINT_PREFIX + hash), '-shared', '-o', out, ...linkFlags(target, work)];
  run(zig(), args, { cwd: src });
  return out;
}

function main() {
  const args = process.argv.slice(2);
  const gitRef = args.find((arg) => arg.startsWith('--git-ref='))?.slice('--git-ref='.length);
  const only = args.filter((arg) => !arg.startsWith('--'));
  const unknown = only.filter((id) => !targets.some((target) => target.id === id));
  if (unknown.length > 0) throw new Error(`unknown target ${unknown.join(', ')}; known: ${targets.map((t) => t.id).join(', ')}`);
  const src = stage(gitRef);
  const hash = sourcesHash(src);
  let failed = false;
  for (const target of targets) {
    if (only.length > 0 && !only.includes(target.id)) continue;
    const started = Date.now();
    console.log(`--- ${target.id} (${target.zigTarget})${gitRef ? ` from ${gitRef}` : ''}`);
    const built = build(target, src, hash);
    const problems = problemsOf(built, target);
    if (fingerprintOf(built) !== hash) problems.push(`fingerprint ${fingerprintOf(built)}, expected ${hash}`);
    if (problems.length > 0) {
      for (const problem of problems) console.error(`  ${problem}`);
      failed = true;
      continue;
    }
    const dest = join(ROOT, 'prebuilds', target.dir, target.file);
    mkdirSync(join(ROOT, 'prebuilds', target.dir), { recursive: true });
    copyFileSync(built, dest);
    console.log(`  ${dest.slice(ROOT.length + 1)}: within scripts/prebuilds.json (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    if (target.id === `${process.platform}-${process.arch}-glibc`) {
      const load = spawnSync(process.execPath, ['-e', `console.log(JSON.stringify(require(${JSON.stringify(dest)}).info()))`], { encoding: 'utf8' });
      console.log(`  loads here: ${load.status === 0 ? load.stdout.trim() : `NO\n${load.stderr}`}`);
      if (load.status !== 0) failed = true;
    }
  }
  if (failed) process.exit(1);
}

main();
