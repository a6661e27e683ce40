'use strict';
// What a PE addon (the win32 prebuild, a DLL) asks of the Windows that loads it, read from the
// file itself: its machine, whether it is a DLL, each DLL it imports and the functions it takes
// from each, and the names it exports. PE32+ (64-bit) only: what zig writes for x86_64.
// Hand-read because npm test runs without LLVM; `npm run check:llvm` holds every fact here equal
// to llvm-readobj's (delay-load imports, which this does not read, count there as imports).
const { readFileSync } = require('node:fs');
const { cString } = require('./c-string.cjs');

const MACHINES = { 0x8664: 'x86-64', 0xaa64: 'arm64', 0x14c: 'i386' };
const IMAGE_FILE_DLL = 0x2000;
const PE32_PLUS = 0x20b;

function inspectPe(file) {
  const bytes = readFileSync(file);
  const pe = bytes.readUInt32LE(0x3c);
  if (bytes.toString('latin1', 0, 2) !== 'MZ' || bytes.toString('latin1', pe, pe + 4) !== 'PE\0\0') throw new Error(`${file} is not a PE file`);
  const coff = pe + 4;
  const machine = bytes.readUInt16LE(coff);
  const sectionCount = bytes.readUInt16LE(coff + 2);
  const optionalSize = bytes.readUInt16LE(coff + 16);
  const characteristics = bytes.readUInt16LE(coff + 18);
  const optional = coff + 20;
  if (bytes.readUInt16LE(optional) !== PE32_PLUS) throw new Error(`${file} is not PE32+`);
  const sections = Array.from({ length: sectionCount }, (_, i) => {
    const at = optional + optionalSize + i * 40;
    return { virtualAddress: bytes.readUInt32LE(at + 12), size: bytes.readUInt32LE(at + 16), raw: bytes.readUInt32LE(at + 20) };
  });
  /** File offset of a relative virtual address. */
  const offset = (rva) => {
    const section = sections.find((s) => rva >= s.virtualAddress && rva < s.virtualAddress + s.size);
    if (section === undefined) throw new Error(`RVA 0x${rva.toString(16)} is in no section`);
    return rva - section.virtualAddress + section.raw;
  };
  const directory = (index) => ({ rva: bytes.readUInt32LE(optional + 112 + index * 8), size: bytes.readUInt32LE(optional + 116 + index * 8) });

  const exports = [];
  const exportDir = directory(0);
  if (exportDir.rva !== 0) {
    const at = offset(exportDir.rva);
    const names = offset(bytes.readUInt32LE(at + 32));
    for (let i = 0; i < bytes.readUInt32LE(at + 24); i++) exports.push(cString(bytes, offset(bytes.readUInt32LE(names + i * 4))));
  }

  const imports = {};
  const importDir = directory(1);
  for (let at = importDir.rva === 0 ? -1 : offset(importDir.rva); at >= 0; at += 20) {
    const lookup = bytes.readUInt32LE(at) || bytes.readUInt32LE(at + 16); // OriginalFirstThunk, else FirstThunk
    const name = bytes.readUInt32LE(at + 12);
    if (name === 0) break;
    const functions = (imports[cString(bytes, offset(name))] = []);
    for (let thunk = offset(lookup); ; thunk += 8) {
      const entry = bytes.readBigUInt64LE(thunk);
      if (entry === 0n) break;
      functions.push(entry >> 63n ? `#${entry & 0xffffn}` : cString(bytes, offset(Number(entry)) + 2));
    }
  }
  return { machine: MACHINES[machine] ?? `0x${machine.toString(16)}`, dll: (characteristics & IMAGE_FILE_DLL) !== 0, imports, exports: exports.sort() };
}

module.exports = { inspectPe };
