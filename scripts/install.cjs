'use strict';
// The package's install script. It never fails the install:
//   1. a prebuild (prebuilds/<platform>-<arch>/, for linux x64/arm64 on glibc and musl, win32-x64,
//      darwin x64/arm64) that loads here: use it, compile nothing;
//   2. otherwise, when a C++ compiler, make and Python are on PATH: compile with node-gyp;
//   3. otherwise, or when compiling fails: exit 0 with one line saying the JS fallback will be used.
// A checkout of the package itself (`npm install`/`npm ci` in the repository) compiles first, so
// build/ follows the work tree's native sources; so does `npm install --build-from-source`.
// With --ignore-scripts nothing runs, and node-gyp-build still finds the prebuild at run time.
const { spawnSync } = require('node:child_process');
const { existsSync, realpathSync } = require('node:fs');
const { delimiter, join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const FALLBACK = 'farfan-area-aggregator: no prebuilt addon for this platform and no compiler to build one; the JS fallback will be used';

/** Loads the addon node-gyp-build finds in a child process (a crash there cannot fail the install). */
function addonLoads(env = process.env) {
  const probe = `const a = require('node-gyp-build')(${JSON.stringify(ROOT)}); if (typeof a.aggregate !== 'function') process.exit(1);`;
  return spawnSync(process.execPath, ['-e', probe], { cwd: ROOT, env, stdio: 'ignore' }).status === 0;
}

function onPath(command) {
  if (command.includes('/')) return existsSync(command);
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)));
}

/** What node-gyp needs that is missing from PATH (empty: it can try). */
function missingTools() {
  const cxx = (process.env.CXX ?? '').split(' ')[0];
  const missing = [];
  if (!(cxx ? onPath(cxx) : ['c++', 'g++', 'clang++'].some(onPath))) missing.push('a C++ compiler');
  if (!onPath('make')) missing.push('make');
  const python = process.env.npm_config_python || process.env.PYTHON;
  if (!(python ? onPath(python) : ['python3', 'python'].some(onPath))) missing.push('Python');
  return missing;
}

/** node-gyp rebuild; npm puts its bundled node-gyp on PATH for install scripts. */
function compile() {
  if (missingTools().length > 0) return false;
  const result = spawnSync('node-gyp', ['rebuild'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  return result.status === 0 && addonLoads({ ...process.env, PREBUILDS_ONLY: '' });
}

/** True when npm is installing this package as the project itself, not as a dependency. */
function isCheckout() {
  const initCwd = process.env.INIT_CWD;
  if (!initCwd) return false;
  try {
    return realpathSync(initCwd) === realpathSync(ROOT);
  } catch {
    return false;
  }
}

function main() {
  const fromSource = process.env.npm_config_build_from_source === 'true' || isCheckout();
  if (fromSource) {
    if (compile()) return;
    if (addonLoads()) {
      console.error('farfan-area-aggregator: the native addon could not be compiled; the prebuilt one will be used');
      return;
    }
  } else {
    if (addonLoads()) return;
    if (compile()) return;
  }
  console.error(missingTools().length > 0 ? FALLBACK : FALLBACK.replace('and no compiler to build one', 'and compiling one failed'));
}

main();
