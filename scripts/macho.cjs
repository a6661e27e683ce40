'use strict';
// What a Mach-O addon (the darwin prebuilds) asks of the Mac that loads it, read from the file
// itself (no Apple tools exist on Linux): CPU, file type, minimum macOS, the dylibs it links,
// what it exports (the export trie dyld reads), every symbol dyld binds at load with the library
// it is looked up in (the bind info dyld reads), the undefined symbols nothing binds, and whether its code signature matches its pages (arm64 Macs refuse to map
// unsigned or mis-signed code). Only thin 64-bit little-endian files: what zig writes.
// `npm run check:llvm` holds every fact here but the signature's validity equal to LLVM's
// reading; no LLVM tool checks page hashes, and npm test runs without LLVM.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { cString } = require('./c-string.cjs');

const MH_MAGIC_64 = 0xfeedfacf;
const CPU_TYPES = { 0x01000007: 'x86_64', 0x0100000c: 'arm64' };
const FILE_TYPES = { 1: 'object', 2: 'executable', 6: 'dylib', 8: 'bundle' };
const LC = {
  SYMTAB: 0x2,
  LOAD_DYLIB: 0xc,
  LOAD_WEAK_DYLIB: 0x80000018,
  REEXPORT_DYLIB: 0x8000001f,
  LAZY_LOAD_DYLIB: 0x20,
  LOAD_UPWARD_DYLIB: 0x80000023,
  CODE_SIGNATURE: 0x1d,
  VERSION_MIN_MACOSX: 0x24,
  BUILD_VERSION: 0x32,
  DYLD_INFO: 0x22,
  DYLD_INFO_ONLY: 0x80000022,
  DYLD_EXPORTS_TRIE: 0x80000033,
  DYLD_CHAINED_FIXUPS: 0x80000034,
};
const DYLIB_COMMANDS = new Set([LC.LOAD_DYLIB, LC.LOAD_WEAK_DYLIB, LC.REEXPORT_DYLIB, LC.LAZY_LOAD_DYLIB, LC.LOAD_UPWARD_DYLIB]);
const PLATFORM_MACOS = 1;
const MH_TWOLEVEL = 0x80; // undefined symbols are bound to a library (their ordinal), not searched for
// Special library ordinals of a bind: the image itself, the main executable, a lookup in
// every loaded image (flat namespace: what -undefined dynamic_lookup leaves).
const SPECIAL_ORDINALS = { 0: 'the addon itself', '-1': 'the executable', '-2': 'dynamic lookup', '-3': 'weak lookup' };
// nlist n_type bits: debug entry, type mask, undefined, external.
const N_STAB = 0xe0;
const N_TYPE = 0x0e;
const N_UNDF = 0x0;
const N_EXT = 0x01;
// Code signing (big-endian blobs).
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CS_HASHTYPE_SHA256 = 2;

/** X.Y.Z from the nibble-packed xxxx.yy.zz of a Mach-O version, without a zero patch. */
function version(packed) {
  const parts = [packed >>> 16, (packed >>> 8) & 0xff, packed & 0xff];
  if (parts[2] === 0) parts.pop();
  return parts.join('.');
}

function uleb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [value, at];
  }
}

/** The names in a dyld export trie (terminal nodes), depth first. */
function exportTrie(bytes, start, size) {
  const names = [];
  const visit = (offset, prefix) => {
    let [terminalSize, at] = uleb(bytes, start + offset);
    if (terminalSize > 0) names.push(prefix);
    at += terminalSize;
    const children = bytes[at++];
    for (let i = 0; i < children; i++) {
      const edge = cString(bytes, at);
      at += edge.length + 1;
      let child;
      [child, at] = uleb(bytes, at);
      if (child >= size) throw new Error('export trie child out of range');
      visit(child, prefix + edge);
    }
  };
  if (size > 0) visit(0, '');
  return names.sort();
}

/** Each symbol a dyld bind-opcode stream binds, with its library ordinal (LC_DYLD_INFO). */
function bindOpcodes(bytes, start, size) {
  const bound = [];
  let ordinal = 0;
  let name = '';
  for (let at = start; at < start + size; ) {
    const byte = bytes[at++];
    const imm = byte & 0x0f;
    let skip = 0; // ULEB operands to step over
    switch (byte & 0xf0) {
      case 0x00: // DONE (lazy streams go on after it)
      case 0x50: // SET_TYPE_IMM
      case 0xb0: // DO_BIND_ADD_ADDR_IMM_SCALED
        break;
      case 0x10: // SET_DYLIB_ORDINAL_IMM
        ordinal = imm;
        break;
      case 0x20: // SET_DYLIB_ORDINAL_ULEB
        [ordinal, at] = uleb(bytes, at);
        break;
      case 0x30: // SET_DYLIB_SPECIAL_IMM
        ordinal = imm === 0 ? 0 : (imm | 0xf0) << 24 >> 24;
        break;
      case 0x40: // SET_SYMBOL_TRAILING_FLAGS_IMM
        name = cString(bytes, at);
        at += name.length + 1;
        break;
      case 0x60: // SET_ADDEND_SLEB
      case 0x70: // SET_SEGMENT_AND_OFFSET_ULEB
      case 0x80: // ADD_ADDR_ULEB
      case 0xa0: // DO_BIND_ADD_ADDR_ULEB
        skip = 1;
        break;
      case 0xc0: // DO_BIND_ULEB_TIMES_SKIPPING_ULEB
        skip = 2;
        break;
      case 0x90: // DO_BIND
        break;
      default:
        throw new Error(`bind opcode 0x${byte.toString(16)} not understood`);
    }
    for (; skip > 0; skip--) at = uleb(bytes, at)[1];
    if ([0x90, 0xa0, 0xb0, 0xc0].includes(byte & 0xf0)) bound.push({ name, ordinal });
  }
  return bound;
}

/** Each symbol LC_DYLD_CHAINED_FIXUPS imports, with its library ordinal (DYLD_CHAINED_IMPORT format only). */
function chainedImports(bytes, start) {
  const importsOffset = bytes.readUInt32LE(start + 8);
  const symbolsOffset = bytes.readUInt32LE(start + 12);
  const count = bytes.readUInt32LE(start + 16);
  const format = bytes.readUInt32LE(start + 20);
  if (format !== 1) throw new Error(`chained import format ${format} not understood`);
  return Array.from({ length: count }, (_, i) => {
    const entry = bytes.readUInt32LE(start + importsOffset + i * 4);
    return { name: cString(bytes, start + symbolsOffset + (entry >>> 9)), ordinal: (entry & 0xff) << 24 >> 24 };
  });
}

/** The ad-hoc or real signature's CodeDirectory checked against the file's pages. */
function codeSignature(bytes, dataoff, datasize) {
  const blob = bytes.subarray(dataoff, dataoff + datasize);
  if (blob.readUInt32BE(0) !== CSMAGIC_EMBEDDED_SIGNATURE) return { present: true, valid: false, reason: 'no embedded signature superblob' };
  const count = blob.readUInt32BE(8);
  for (let i = 0; i < count; i++) {
    const offset = blob.readUInt32BE(12 + i * 8 + 4);
    if (blob.readUInt32BE(offset) !== CSMAGIC_CODEDIRECTORY) continue;
    const cd = blob.subarray(offset);
    const hashOffset = cd.readUInt32BE(16);
    const identifier = cString(cd, cd.readUInt32BE(20));
    const nCodeSlots = cd.readUInt32BE(28);
    const codeLimit = cd.readUInt32BE(32);
    const hashSize = cd[36];
    const hashType = cd[37];
    const pageSize = 2 ** cd[39];
    if (hashType !== CS_HASHTYPE_SHA256 || hashSize !== 32) return { present: true, valid: false, reason: `hash type ${hashType}` };
    if (codeLimit !== dataoff) return { present: true, valid: false, reason: `signs ${codeLimit} bytes, the signature starts at ${dataoff}` };
    for (let slot = 0; slot < nCodeSlots; slot++) {
      const page = bytes.subarray(slot * pageSize, Math.min((slot + 1) * pageSize, codeLimit));
      const expected = cd.subarray(hashOffset + slot * hashSize, hashOffset + (slot + 1) * hashSize);
      if (!createHash('sha256').update(page).digest().equals(expected)) return { present: true, valid: false, reason: `page ${slot} does not match its hash` };
    }
    if (nCodeSlots !== Math.ceil(codeLimit / pageSize)) return { present: true, valid: false, reason: `${nCodeSlots} page hashes for ${codeLimit} bytes` };
    return { present: true, valid: true, identifier, pages: nCodeSlots };
  }
  return { present: true, valid: false, reason: 'no code directory' };
}

function inspectMachO(file) {
  const bytes = readFileSync(file);
  if (bytes.readUInt32LE(0) !== MH_MAGIC_64) throw new Error(`${file} is not a thin 64-bit Mach-O file`);
  const cputype = bytes.readUInt32LE(4);
  const result = {
    cpu: CPU_TYPES[cputype] ?? `0x${cputype.toString(16)}`,
    fileType: FILE_TYPES[bytes.readUInt32LE(12)] ?? `type ${bytes.readUInt32LE(12)}`,
    twoLevel: (bytes.readUInt32LE(24) & MH_TWOLEVEL) !== 0,
    minos: null,
    platform: null,
    dylibs: [],
    exports: [],
    undefined: [],
    unbound: [],
    signature: { present: false, valid: false },
  };
  const ncmds = bytes.readUInt32LE(16);
  let bound;
  let symtab;
  let at = 32;
  for (let i = 0; i < ncmds; i++) {
    const cmd = bytes.readUInt32LE(at);
    const size = bytes.readUInt32LE(at + 4);
    const word = (n) => bytes.readUInt32LE(at + 8 + n * 4);
    if (DYLIB_COMMANDS.has(cmd)) result.dylibs.push(cString(bytes, at + word(0)));
    else if (cmd === LC.BUILD_VERSION) {
      result.platform = word(0) === PLATFORM_MACOS ? 'macos' : `platform ${word(0)}`;
      result.minos = version(word(1));
    } else if (cmd === LC.VERSION_MIN_MACOSX) {
      result.platform = 'macos';
      result.minos = version(word(0));
    } else if (cmd === LC.DYLD_EXPORTS_TRIE) result.exports = exportTrie(bytes, word(0), word(1));
    else if (cmd === LC.DYLD_CHAINED_FIXUPS) bound = chainedImports(bytes, word(0));
    else if (cmd === LC.DYLD_INFO || cmd === LC.DYLD_INFO_ONLY) {
      // rebase, bind, weak bind, lazy bind, export: (offset, size) each. Weak binds are looked
      // up by name in every image (C++ weak definitions coalesced across the process).
      bound = [...bindOpcodes(bytes, word(2), word(3)), ...bindOpcodes(bytes, word(6), word(7)), ...bindOpcodes(bytes, word(4), word(5)).map(({ name }) => ({ name, ordinal: -3 }))];
      result.exports = exportTrie(bytes, word(8), word(9));
    } else if (cmd === LC.CODE_SIGNATURE) result.signature = codeSignature(bytes, word(0), word(1));
    else if (cmd === LC.SYMTAB) symtab = { symoff: word(0), nsyms: word(1), stroff: word(2) };
    at += size;
  }
  if (bound === undefined) throw new Error(`${file} has neither LC_DYLD_INFO nor LC_DYLD_CHAINED_FIXUPS`);
  const seen = new Set();
  for (const { name, ordinal } of bound) {
    const from = SPECIAL_ORDINALS[ordinal] ?? result.dylibs[ordinal - 1] ?? `library ordinal ${ordinal}`;
    if (!seen.has(`${name}\0${from}`)) result.undefined.push({ name, from });
    seen.add(`${name}\0${from}`);
  }
  // Undefined in the symbol table yet bound by nothing: code that reads such a symbol directly
  // (not through a bound pointer) gets whatever lies at its unrelocated address.
  const boundNames = new Set(bound.map(({ name }) => name));
  for (let i = 0; symtab && i < symtab.nsyms; i++) {
    const entry = symtab.symoff + i * 16;
    const type = bytes[entry + 4];
    if ((type & N_STAB) !== 0 || (type & N_EXT) === 0 || (type & N_TYPE) !== N_UNDF) continue;
    const name = cString(bytes, symtab.stroff + bytes.readUInt32LE(entry));
    if (!boundNames.has(name)) result.unbound.push(name);
  }
  return result;
}

module.exports = { inspectMachO };
