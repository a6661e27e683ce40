'use strict';
// `npm run check:llvm`: every committed prebuild read twice, by this package's own readers
// (scripts/elf.cjs, pe.cjs, macho.cjs, which test/native/prebuild-binaries.test.ts holds to
// scripts/prebuilds.json) and by LLVM's (llvm-readobj, llvm-objdump, llvm-nm); every fact both
// can give must be equal. The readers stay because npm test runs where only Node and npm are;
// this check runs where Debian's llvm is (.ci/run installs it). Not compared, as no LLVM tool
// gives it: whether a Mach-O code signature's page hashes match the pages.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync } = require('node:fs');
const { basename, delimiter, join } = require('node:path');
const elf = require('./elf.cjs');
const { inspectPe } = require('./pe.cjs');
const { inspectMachO } = require('./macho.cjs');

const ROOT = join(__dirname, '..');
const APT = 'apt-get install -y llvm';

/** `name` on PATH, else the newest `name-NN` on PATH or /usr/lib/llvm-NN/bin/name (Debian's versioned installs); null when none. */
function findTool(name) {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const plain = dirs.map((dir) => join(dir, name)).find(existsSync);
  if (plain) return plain;
  const versioned = [];
  for (const dir of dirs) {
    for (const file of existsSync(dir) ? readdirSync(dir) : []) {
      const match = new RegExp(`^${name}-(\\d+)$`).exec(file);
      if (match) versioned.push([Number(match[1]), join(dir, file)]);
    }
  }
  for (const dir of existsSync('/usr/lib') ? readdirSync('/usr/lib') : []) {
    const match = /^llvm-(\d+)$/.exec(dir);
    if (match && existsSync(join('/usr/lib', dir, 'bin', name))) versioned.push([Number(match[1]), join('/usr/lib', dir, 'bin', name)]);
  }
  return versioned.sort((a, b) => a[0] - b[0]).pop()?.[1] ?? null;
}

const TOOLS = Object.fromEntries(['llvm-readobj', 'llvm-objdump', 'llvm-nm'].map((name) => [name, findTool(name)]));

function llvm(tool, args) {
  return execFileSync(TOOLS[tool], args, { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, LC_ALL: 'C' } });
}

/** The values of every `key: value` line (llvm-readobj's LLVM style), trimmed. */
const fields = (text, key) => [...text.matchAll(new RegExp(`^\\s*${key}: (.*)$`, 'gm'))].map((m) => m[1].trim());
/** The inside of each `label {` … `}` block of llvm-readobj's output (to the `}` indented as the label). */
const blocks = (text, label) => [...text.matchAll(new RegExp(`^( *)${label} \\{\\n([\\s\\S]*?)^\\1\\}$`, 'gm'))].map((m) => m[2]);
const sorted = (values) => [...values].sort();

// llvm-readobj's names for the machines the readers name their own way (readelf's for ELF).
const ELF_MACHINES = { EM_X86_64: 'Advanced Micro Devices X86-64', EM_AARCH64: 'AArch64' };
const PE_MACHINES = { IMAGE_FILE_MACHINE_AMD64: 'x86-64', IMAGE_FILE_MACHINE_ARM64: 'arm64', IMAGE_FILE_MACHINE_I386: 'i386' };
const MACHO_FILE_TYPES = { OBJECT: 'object', EXECUTE: 'executable', DYLIB: 'dylib', BUNDLE: 'bundle' };
// llvm-objdump's names for the special library ordinals of a bind, in macho.cjs's words.
const MACHO_SPECIAL_LIBRARIES = { 'this-image': 'the addon itself', 'main-executable': 'the executable', 'flat-namespace': 'dynamic lookup' };

const machineName = (text, names) => {
  const name = /^\s*Machine: (\S+)/m.exec(text)?.[1];
  return names[name] ?? `llvm's ${name}`;
};

const ELF = {
  reader(file) {
    const found = elf.inspect(file);
    return {
      machine: found.machine,
      needed: found.needed,
      'version needs': found.needs,
      exports: found.exports,
      'strong undefined symbols': sorted(found.undefined.map(([name, version]) => (version === null ? name : `${name}@${version}`))),
    };
  },
  llvm(file) {
    const out = llvm('llvm-readobj', ['--file-headers', '--needed-libs', '--version-info', '--dyn-syms', file]);
    const needs = {};
    for (const dependency of blocks(out, 'Dependency')) needs[fields(dependency, 'FileName')[0]] = fields(dependency, 'Name');
    const symbols = blocks(/^DynamicSymbols \[\n([\s\S]*?)^\]$/m.exec(out)[1], 'Symbol').map((block) => ({
      name: fields(block, 'Name')[0].replace(/ \(\d+\)$/, ''),
      binding: fields(block, 'Binding')[0].split(' ')[0],
      undefined: fields(block, 'Section')[0].startsWith('Undefined '),
    }));
    const needed = /NeededLibraries \[\n([^\]]*)\]/.exec(out)[1].split('\n').map((line) => line.trim()).filter(Boolean);
    return {
      machine: machineName(out, ELF_MACHINES),
      needed: sorted(needed),
      'version needs': needs,
      exports: sorted(symbols.filter((s) => ['Global', 'Weak'].includes(s.binding) && !s.undefined).map((s) => s.name.replace(/@.*$/, ''))),
      'strong undefined symbols': sorted(symbols.filter((s) => s.binding === 'Global' && s.undefined).map((s) => s.name.replace(/@+/, '@'))),
    };
  },
};

const PE = {
  reader(file) {
    const found = inspectPe(file);
    return { machine: found.machine, dll: found.dll, imports: found.imports, exports: found.exports };
  },
  llvm(file) {
    const out = llvm('llvm-readobj', ['--file-headers', '--coff-imports', '--coff-exports', file]);
    // Delay-load imports count: Windows loads those DLLs too, and pe.cjs does not read them.
    const imports = {};
    for (const entry of [...blocks(out, 'Import'), ...blocks(out, 'DelayImport')]) {
      imports[fields(entry, 'Name')[0]] = fields(entry, 'Symbol').map((symbol) => {
        const [, name, ordinal] = /^(.*) \((\d+)\)$/.exec(symbol);
        return name === '' ? `#${ordinal}` : name;
      });
    }
    return {
      machine: machineName(out, PE_MACHINES),
      dll: /^\s*IMAGE_FILE_DLL \(/m.test(out),
      imports,
      // Exports by ordinal only have no name; pe.cjs reads names, as N-API finds its entry points by name.
      exports: sorted(blocks(out, 'Export').map((entry) => fields(entry, 'Name')[0]).filter(Boolean)),
    };
  },
};

/** Each row of an llvm-objdump --macho table: its whitespace-separated columns (rows start with segment, section, 0x address). */
const tableRows = (text) => text.split('\n').map((line) => line.trim().split(/\s+/)).filter((cols) => /^0x[0-9A-F]+$/i.test(cols[2] ?? ''));

const MACHO = {
  reader(file) {
    const found = inspectMachO(file);
    return {
      cpu: found.cpu,
      'file type': found.fileType,
      'two-level namespace': found.twoLevel,
      platform: found.platform,
      'minimum OS': found.minos,
      dylibs: found.dylibs,
      exports: found.exports,
      'bound symbols': sorted(found.undefined.map(({ name, from }) => `${name} from ${from}`)),
      'undefined, bound by nothing': sorted(found.unbound),
      'has a code signature': found.signature.present,
    };
  },
  llvm(file) {
    const headers = llvm('llvm-objdump', ['--macho', '--private-headers', file]);
    const [, cputype, , , filetype, , , ...flags] = /^MH_MAGIC_64 .*$/m.exec(headers)[0].split(/\s+/);
    const commands = headers.split(/^Load command \d+$/m).slice(1).map((text) => ({ cmd: /^\s*cmd (\S+)/m.exec(text)[1], text }));
    const dylibs = commands.filter(({ cmd }) => /^LC_(LOAD|LOAD_WEAK|REEXPORT|LAZY_LOAD|LOAD_UPWARD)_DYLIB$/.test(cmd)).map(({ text }) => /^\s*name (.*) \(offset \d+\)$/m.exec(text)[1]);
    const version = llvm('llvm-readobj', ['--macho-version-min', file]);
    const platform = fields(version, 'Platform')[0] ?? (fields(version, 'Cmd')[0] === 'LC_VERSION_MIN_MACOSX' ? 'macos' : null);
    // llvm-objdump names a library by its short name (libSystem for /usr/lib/libSystem.B.dylib).
    const library = (name) => {
      const matches = dylibs.filter((path) => basename(path) === name || basename(path).split('.')[0] === name);
      return MACHO_SPECIAL_LIBRARIES[name] ?? (matches.length === 1 ? matches[0] : `llvm's library ${name}`);
    };
    const bound = [
      ...tableRows(llvm('llvm-objdump', ['--macho', '--bind', file])).map((cols) => [cols[6], library(cols[5])]),
      ...tableRows(llvm('llvm-objdump', ['--macho', '--lazy-bind', file])).map((cols) => [cols[4], library(cols[3])]),
      ...tableRows(llvm('llvm-objdump', ['--macho', '--weak-bind', file])).map((cols) => [cols[5], 'weak lookup']),
    ];
    const boundNames = new Set(bound.map(([name]) => name));
    const undefinedNames = llvm('llvm-nm', ['--undefined-only', '--just-symbol-name', file]).split('\n').filter(Boolean);
    return {
      cpu: cputype.toLowerCase(),
      'file type': MACHO_FILE_TYPES[filetype] ?? `llvm's ${filetype}`,
      'two-level namespace': flags.includes('TWOLEVEL'),
      platform,
      'minimum OS': fields(version, 'Version')[0] ?? null,
      dylibs,
      exports: sorted([...llvm('llvm-objdump', ['--macho', '--exports-trie', file]).matchAll(/^0x[0-9A-F]+\s+(\S+)/gim)].map((m) => m[1])),
      'bound symbols': sorted(new Set(bound.map(([name, from]) => `${name} from ${from}`))),
      'undefined, bound by nothing': sorted(undefinedNames.filter((name) => !boundNames.has(name))),
      'has a code signature': commands.some(({ cmd }) => cmd === 'LC_CODE_SIGNATURE'),
    };
  },
};

const FORMATS = { elf: ELF, pe: PE, macho: MACHO };

/** Object keys in order, so that equal facts print equal. */
const canonical = (value) =>
  JSON.stringify(value, (key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));

/** The fact's two values, or for two lists only what each has that the other lacks. */
function describe(reader, fromLlvm) {
  if (Array.isArray(reader) && Array.isArray(fromLlvm)) {
    const onlyReader = reader.filter((x) => !fromLlvm.includes(x));
    const onlyLlvm = fromLlvm.filter((x) => !reader.includes(x));
    if (onlyReader.length + onlyLlvm.length > 0) return `the reader alone says ${canonical(onlyReader)}, llvm alone ${canonical(onlyLlvm)}`;
  }
  return `the reader says ${canonical(reader)}, llvm says ${canonical(fromLlvm)}`;
}

function main() {
  const missing = Object.entries(TOOLS).filter(([, path]) => path === null).map(([name]) => name);
  if (missing.length > 0) {
    console.error(`check:llvm needs ${missing.join(', ')} (on PATH, or in /usr/lib/llvm-*/bin): ${APT}`);
    process.exit(1);
  }
  console.log(`LLVM's readers: ${Object.values(TOOLS).join(', ')}`);
  let failed = false;
  for (const target of require('./prebuilds.json').targets) {
    const file = join('prebuilds', target.dir, target.file);
    const format = FORMATS[target.format];
    const reader = format.reader(join(ROOT, file));
    const fromLlvm = format.llvm(join(ROOT, file));
    const disagreements = Object.keys(reader).filter((fact) => canonical(reader[fact]) !== canonical(fromLlvm[fact]));
    for (const fact of disagreements) console.error(`FAIL ${file}: ${fact}: ${describe(reader[fact], fromLlvm[fact])}`);
    if (disagreements.length === 0) console.log(`ok ${file}: ${Object.keys(reader).join(', ')}`);
    failed ||= disagreements.length > 0;
  }
  if (failed) process.exit(1);
}

main();
