'use strict';
// `npm run abi`: writes the two views of native/abi.json,
// the addon's calls and their arguments in order —
//   native/abi.h                 per call, a C++ enum of argument positions and the table
//                                args.cc checks every argument against;
//   src/backend/native-abi.ts    per call, the request (named fields), the argument tuple and
//                                the function that puts a request's fields in order.
// So an argument is added, moved or renamed in the JSON alone. test/native/abi.test.ts fails
// while either file differs from what this writes. Plain JavaScript code (scripts/check-musl.cjs)
// orders a request with `argumentsOf`.
const { createHash } = require('node:crypto');
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const HEADER = join(ROOT, 'native', 'abi.h');
const MODULE = join(ROOT, 'src', 'backend', 'native-abi.ts');
const GENERATED = 'Generated from native/abi.json by `npm run abi`: edit the JSON, not this file.';

function readAbi(root = ROOT) {
  return JSON.parse(readFileSync(join(root, 'native', 'abi.json'), 'utf8'));
}

/** Names this table: an addon built from another one reports another name, and is refused. */
function abiName(abi) {
  return createHash('sha1').update(JSON.stringify(abi.calls)).digest('hex').slice(0, 16);
}

/** `request`'s fields in the order of `call`'s arguments: the addon's positional arguments. */
function argumentsOf(call, request, abi = readAbi()) {
  return abi.calls[call].args.map((arg) => request[arg.name]);
}

const capitalized = (name) => name[0].toUpperCase() + name.slice(1);

/** The position of the other argument whose length `arg` has ("as starts"), or -1. */
function lengthOf(call, arg) {
  const match = /^as (\w+)$/.exec(String(arg.length));
  return match === null ? -1 : call.args.findIndex((other) => other.name === match[1] && other.type.endsWith('[]'));
}

const CPP_TYPE = { 'float64[]': 'kFloat64Array', 'uint8[]': 'kUint8Array', 'int32[]': 'kInt32Array', integer: 'kInteger', isa: 'kIsa', boolean: 'kBoolean', control: 'kControl' };
const CPP_ROLE = { input: 'kInput', output: 'kOutput', value: 'kValue', result: 'kResult' };
const CPP_LENGTH = { 'n*60': 'kSlots', 'n*10': 'kRows', '60 or n*60': 'kWeights', any: 'kAny' };
/** Lengths counted in n, the argument named `evaluations`. */
const PER_EVALUATION = new Set(['n*60', 'n*10', '60 or n*60']);
const CPP_NULL = { none: 'kNone', engine: 'kEngine' };
const TS_TYPE = { 'float64[]': 'Float64Array', 'uint8[]': 'Uint8Array', 'int32[]': 'Int32Array', integer: 'number', isa: 'NativeIsa', boolean: 'boolean', control: 'Int32Array' };

function check(abi) {
  for (const [callName, call] of Object.entries(abi.calls)) {
    const names = new Set();
    let optionalSeen = false;
    for (const arg of call.args) {
      const where = `native/abi.json: ${callName}.${arg.name}`;
      if (names.has(arg.name)) throw new Error(`${where} is listed twice`);
      names.add(arg.name);
      if (!(arg.type in CPP_TYPE)) throw new Error(`${where}: unknown type ${arg.type}`);
      const isArray = arg.type.endsWith('[]');
      if (isArray !== ('role' in arg)) throw new Error(`${where}: typed arrays, and only they, have a role`);
      if (isArray && !(arg.role in CPP_ROLE)) throw new Error(`${where}: unknown role ${arg.role}`);
      if (isArray && !(typeof arg.length === 'number' || arg.length in CPP_LENGTH || lengthOf(call, arg) >= 0)) throw new Error(`${where}: unknown length ${arg.length}`);
      if ('null' in arg && !(isArray && arg.null in CPP_NULL)) throw new Error(`${where}: only typed arrays may be null, as none or engine`);
      if ((arg.type === 'integer') !== ('min' in arg && 'max' in arg)) throw new Error(`${where}: integers, and only they, have min and max`);
      if (optionalSeen && !arg.optional) throw new Error(`${where}: a required argument after an optional one`);
      optionalSeen ||= Boolean(arg.optional);
      if (typeof arg.doc !== 'string' || arg.doc === '') throw new Error(`${where}: no doc`);
    }
    if ('async' in call && call.async !== false) throw new Error(`native/abi.json: ${callName}.async is false or absent`);
    if (!names.has('evaluations') && call.args.some((arg) => PER_EVALUATION.has(arg.length))) {
      throw new Error(`native/abi.json: ${callName} has lengths in n and no argument named evaluations (n)`);
    }
  }
}

/** `text` as comment lines of at most ~100 columns, each starting with `prefix`. */
function wrap(text, prefix) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && prefix.length + line.length + 1 + word.length > 100) {
      lines.push(prefix + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(prefix + line);
  return lines;
}

function header(abi) {
  const out = [`// ${GENERATED}`, '#pragma once', '', '#include "abi_types.h"', '#include "kernel.h"', '#include "montecarlo.h"', '#include "pool.h"', '', 'namespace farfan {', 'namespace abi {'];
  out.push('', '// The table\'s name, which info() reports: the TypeScript side refuses an addon built from another.', `inline constexpr const char kName[] = "${abiName(abi)}";`);
  const calls = Object.values(abi.calls);
  const maxArgs = Math.max(...calls.map((call) => call.args.length));
  const maxArrays = Math.max(...calls.map((call) => call.args.filter((arg) => arg.role === 'input' || arg.role === 'output').length));
  out.push('', '// The most arguments a call takes, and the most arrays its kernel reads and writes: what args.h and', '// staging.h size their slots by.', `inline constexpr std::size_t kMaxArgs = ${maxArgs};`, `inline constexpr std::size_t kMaxArrays = ${maxArrays};`);
  for (const [name, call] of Object.entries(abi.calls)) {
    const type = capitalized(name);
    const args = call.args;
    out.push('', ...wrap(`${name}: ${call.doc}`, '// '));
    out.push(`enum class ${type}Arg : std::size_t {`);
    args.forEach((arg) => out.push(`  k${capitalized(arg.name)},`));
    out.push('};', `inline constexpr Arg k${type}Args[] = {`);
    for (const arg of args) {
      const isArray = arg.type.endsWith('[]');
      const as = lengthOf(call, arg);
      const length = !isArray ? 'Length::kNone' : typeof arg.length === 'number' ? 'Length::kFixed' : as >= 0 ? 'Length::kAs' : `Length::${CPP_LENGTH[arg.length]}`;
      const fields = [
        `"${arg.name}"`,
        `Type::${CPP_TYPE[arg.type]}`,
        isArray ? `Role::${CPP_ROLE[arg.role]}` : 'Role::kNone',
        length,
        String(typeof arg.length === 'number' ? arg.length : 0),
        String(Math.max(as, 0)),
        'null' in arg ? `Null::${CPP_NULL[arg.null]}` : 'Null::kNever',
        arg.optional ? 'true' : 'false',
        arg.type === 'integer' ? `static_cast<double>(${arg.min})` : '0',
        arg.type === 'integer' ? `static_cast<double>(${arg.max})` : '0',
      ];
      out.push(...wrap(arg.doc, '    // '), `    {${fields.join(', ')}},`);
    }
    const required = args.filter((arg) => !arg.optional).length;
    out.push('};');
    const evaluations = args.findIndex((arg) => arg.name === 'evaluations');
    const asyncName = call.async === false ? 'nullptr' : `"${name}Async"`;
    out.push(`inline constexpr Call k${type}{"${name}", ${asyncName}, k${type}Args, ${args.length}, ${required}, ${evaluations < 0 ? 'kNoArg' : evaluations}};`);
  }
  out.push('', '}  // namespace abi', '}  // namespace farfan', '');
  return out.join('\n');
}

function tsType(arg) {
  const base = TS_TYPE[arg.type];
  return 'null' in arg ? `${base} | null` : arg.optional ? `${base} | undefined` : base;
}

function typescript(abi) {
  const out = [`// ${GENERATED}`, 'import type { NativeIsa } from "./native-addon.js";'];
  out.push('', "/** The table's name: an addon whose info().abi differs was built from another table, and is refused. */", `export const NATIVE_ABI = "${abiName(abi)}";`);
  for (const [name, call] of Object.entries(abi.calls)) {
    const type = `Native${capitalized(name)}`;
    const entries = call.async === false ? `\`${name}\`` : `\`${name}\` and \`${name}Async\``;
    out.push('', '/**', ...wrap(`The arguments of ${entries} by name. ${call.doc}`, ' * '), ' */', `export interface ${type}Request {`);
    for (const arg of call.args) {
      const doc = wrap(arg.doc, '   * ');
      out.push(...(doc.length === 1 && arg.doc.length < 90 ? [`  /** ${arg.doc} */`] : ['  /**', ...doc, '   */']));
      out.push(`  readonly ${arg.name}${arg.optional ? '?' : ''}: ${tsType(arg)};`);
    }
    out.push('}', '', `/** ${type}Request's fields in the order the addon takes them. */`, `export type ${type}Args = [`);
    call.args.forEach((arg) => out.push(`  ${arg.name}${arg.optional ? '?' : ''}: ${tsType(arg)},`));
    out.push('];', '', `/** The addon's arguments for \`request\`. */`, `export function ${name}Args(request: ${type}Request): ${type}Args {`);
    out.push(`  return [${call.args.map((arg) => `request.${arg.name}`).join(', ')}];`, '}');
  }
  out.push('');
  return out.join('\n');
}

/** The two files as they should read: { [path]: text }. */
function generated(root = ROOT) {
  const abi = readAbi(root);
  check(abi);
  return { [HEADER]: header(abi), [MODULE]: typescript(abi) };
}

module.exports = { argumentsOf, generated, readAbi, HEADER, MODULE };

if (require.main === module) {
  for (const [file, text] of Object.entries(generated())) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      // Not written yet.
    }
    if (current !== text) writeFileSync(file, text);
  }
}
