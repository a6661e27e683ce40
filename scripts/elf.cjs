'use strict';
// What an ELF addon (the linux prebuilds) asks of the system it loads on, read with binutils'
// readelf (which reads any ELF, whatever the host): its machine, the shared libraries it names
// (NEEDED), the symbol versions it needs from them, what it exports and what it leaves undefined.
// `npm run check:llvm` holds these equal to llvm-readobj's reading.
const { execFileSync } = require('node:child_process');

function readelf(args, file) {
  return execFileSync('readelf', ['-W', ...args, file], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
}

/** Compares dotted versions numerically: -1, 0 or 1. */
function compareVersions(a, b) {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** The newest version among `versions` that start with `prefix` (e.g. "GLIBC_"), or null. */
function newest(versions, prefix) {
  const numbers = versions.filter((v) => v.startsWith(prefix) && /^\d+(\.\d+)*$/.test(v.slice(prefix.length))).map((v) => v.slice(prefix.length));
  return numbers.sort(compareVersions).pop() ?? null;
}

function inspect(file) {
  const header = readelf(['-h'], file);
  const machine = /Machine:\s+(.+)/.exec(header)?.[1].trim();
  const dynamic = readelf(['-d'], file);
  const needed = [...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]).sort();
  // .gnu.version_r: "File: libc.so.6 ..." then its "Name: GLIBC_2.14 ..." lines.
  const versionInfo = readelf(['-V'], file);
  const needs = {};
  let current;
  for (const line of versionInfo.split('\n')) {
    const fileMatch = /File: (\S+)/.exec(line);
    if (fileMatch) needs[(current = fileMatch[1])] = [];
    const nameMatch = /Name: (\S+)/.exec(line);
    if (nameMatch && current) needs[current].push(nameMatch[1]);
  }
  const versions = Object.values(needs).flat();
  // "Num: Value Size Type Bind Vis Ndx Name[@version]"; weak undefined symbols may stay unresolved.
  const symbols = readelf(['--dyn-syms'], file)
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 8 && /^\d+:$/.test(cols[0]) && ['GLOBAL', 'WEAK'].includes(cols[4]));
  const name = (cols) => cols[7].replace(/@.*$/, '');
  return {
    machine,
    needed,
    needs,
    glibc: newest(versions, 'GLIBC_'),
    glibcxx: newest(versions, 'GLIBCXX_'),
    otherVersions: [...new Set(versions.filter((v) => !/^GLIBC_\d/.test(v) && !/^GLIBCXX_\d/.test(v)))].sort(),
    exports: symbols.filter((cols) => cols[6] !== 'UND').map(name).sort(),
    // Strong undefined symbols the loader must find: [name, version or null].
    undefined: symbols.filter((cols) => cols[6] === 'UND' && cols[4] === 'GLOBAL').map((cols) => [name(cols), /@+(.+)$/.exec(cols[7])?.[1] ?? null]),
  };
}

/**
 * Every way `found` (from inspect) exceeds `floor` (an entry of prebuilds.json); empty when
 * within it. `isLibcSymbol(name)` says whether an unversioned undefined symbol is one that musl's
 * libc.so defines (a musl floor: glibc null); N-API functions are the caller's to check.
 */
function floorViolations(found, floor, isLibcSymbol = () => false) {
  const problems = [];
  if (found.machine !== floor.machine) problems.push(`machine is ${found.machine}, expected ${floor.machine}`);
  if (floor.glibc === null && found.glibc !== null) problems.push(`needs GLIBC_${found.glibc}: glibc symbol versions in a musl build`);
  if (found.glibc !== null && floor.glibc !== null && compareVersions(found.glibc, floor.glibc) > 0) problems.push(`needs GLIBC_${found.glibc}, above the floor GLIBC_${floor.glibc}`);
  if (found.glibcxx !== null && (floor.glibcxx === null || compareVersions(found.glibcxx, floor.glibcxx) > 0)) {
    problems.push(`needs GLIBCXX_${found.glibcxx}, floor ${floor.glibcxx === null ? 'none (no libstdc++)' : `GLIBCXX_${floor.glibcxx}`}`);
  }
  if (floor.glibcxx === null && found.otherVersions.length > 0) problems.push(`needs ${found.otherVersions.join(', ')} (C++/GCC runtime versions)`);
  const extra = found.needed.filter((lib) => !floor.needed.includes(lib));
  if (extra.length > 0) problems.push(`names ${extra.join(', ')} (NEEDED), not in [${floor.needed.join(', ')}]`);
  // glibc: every non-N-API symbol was bound to a versioned glibc definition at link time.
  // musl (no versions): every one must be a musl libc.so symbol, or the addon fails to load.
  const unresolved = found.undefined
    .filter(([name, version]) => !/^(napi|node_api)_/.test(name) && (floor.glibc === null ? !isLibcSymbol(name) : version === null))
    .map(([name]) => name);
  if (unresolved.length > 0) problems.push(`leaves ${unresolved.join(', ')} undefined, which ${floor.glibc === null ? "musl's libc.so does not define" : 'no glibc version binds'}`);
  return problems;
}

module.exports = { compareVersions, inspect, floorViolations };
