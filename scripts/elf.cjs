'use strict';
// What a built addon asks of the system it loads on, read with binutils' readelf (which reads
// any ELF, whatever the host): its machine, the shared libraries it names (NEEDED), the symbol
// versions it needs from them, and the sources fingerprint scripts/prebuildify.cjs linked in.
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');

const FINGERPRINT_PREFIX = 'farfan-area-aggregator native sources sha1 ';

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
  const bytes = readFileSync(file).toString('latin1');
  const at = bytes.indexOf(FINGERPRINT_PREFIX);
  const fingerprint = at < 0 ? null : bytes.slice(at + FINGERPRINT_PREFIX.length, at + FINGERPRINT_PREFIX.length + 40);
  return {
    machine,
    needed,
    needs,
    glibc: newest(versions, 'GLIBC_'),
    glibcxx: newest(versions, 'GLIBCXX_'),
    otherVersions: [...new Set(versions.filter((v) => !/^GLIBC_\d/.test(v) && !/^GLIBCXX_\d/.test(v)))].sort(),
    fingerprint,
  };
}

/** Every way `found` (from inspect) exceeds `floor` (an entry of prebuilds.json); empty when within it. */
function floorViolations(found, floor) {
  const problems = [];
  if (found.machine !== floor.machine) problems.push(`machine is ${found.machine}, expected ${floor.machine}`);
  if (found.glibc !== null && compareVersions(found.glibc, floor.glibc) > 0) problems.push(`needs GLIBC_${found.glibc}, above the floor GLIBC_${floor.glibc}`);
  if (found.glibcxx !== null && (floor.glibcxx === null || compareVersions(found.glibcxx, floor.glibcxx) > 0)) {
    problems.push(`needs GLIBCXX_${found.glibcxx}, floor ${floor.glibcxx === null ? 'none (no libstdc++)' : `GLIBCXX_${floor.glibcxx}`}`);
  }
  if (floor.glibcxx === null && found.otherVersions.length > 0) problems.push(`needs ${found.otherVersions.join(', ')} (C++/GCC runtime versions)`);
  const extra = found.needed.filter((lib) => !floor.needed.includes(lib));
  if (extra.length > 0) problems.push(`names ${extra.join(', ')} (NEEDED), not in [${floor.needed.join(', ')}]`);
  return problems;
}

module.exports = { FINGERPRINT_PREFIX, compareVersions, inspect, floorViolations };
