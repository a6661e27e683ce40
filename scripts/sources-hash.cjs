'use strict';
// The fingerprint of what the addon is compiled from: every C++ source and header under native/,
// native/sources.json, binding.gyp, and the package version (compiled into info().version).
// `npm run prebuildify` links it into each prebuild as a string (scripts/binary.cjs reads it back
// from ELF, PE and Mach-O alike), and test/native/prebuild-binaries.test.ts recomputes it from the
// work tree: a prebuild whose fingerprint differs was compiled from other sources.
const { createHash } = require('node:crypto');
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');

/** Paths (relative to the package root, '/'-separated) that the fingerprint covers, sorted. */
function fingerprintedFiles(root = ROOT) {
  const native = readdirSync(join(root, 'native'), { withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(cc|h|json)$/.test(entry.name))
    .map((entry) => `native/${entry.name}`);
  return [...native, 'binding.gyp'].sort();
}

/** SHA-1 (40 hex digits) over the files and the version. */
function sourcesHash(root = ROOT) {
  const hash = createHash('sha1');
  for (const file of fingerprintedFiles(root)) {
    const content = readFileSync(join(root, file));
    hash.update(`${file}\0${content.length}\0`).update(content);
  }
  hash.update(`version\0${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}`);
  return hash.digest('hex');
}

module.exports = { fingerprintedFiles, sourcesHash };

if (require.main === module) console.log(sourcesHash());
