'use strict';
// `npm run check:musl`: the musl prebuilds' code, run. No musl Node exists on npm or in Debian, so
// the .musl.node files cannot be loaded here (test/native/prebuild-binaries.test.ts checks them as
// files: NEEDED only libc.so, no glibc symbol versions, every undefined symbol musl's or N-API's,
// the two exports). Instead scripts/core-driver.cc, the addon's core (Aggregate, MonteCarlo)
// without N-API, is compiled from the same sources by the same zig with the same flags as the
// prebuilds (scripts/zig-build.cjs) into static musl executables for x86_64 and aarch64, run
// natively and under qemu-aarch64 on every ISA each offers, on 1 and 4 threads, and every output
// byte is compared with what the shipped linux-x64 glibc prebuild computes from the same inputs
// through its aggregate() and monteCarlo(). The ISAs give the same bits by design, so the
// arm64 driver's scalar results must equal them too.
// Needs Debian's qemu-user (.ci/run installs it) and zig (the devDependency).
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, readdirSync } = require('node:fs');
const { join } = require('node:path');
const { argumentsOf, readAbi } = require('./abi.cjs');
const { compileArgs, linkObject, run, stage, workDir, zig } = require('./zig-build.cjs');

const ROOT = join(__dirname, '..');
const EVALUATIONS = 20000;
const MC_EVALUATIONS = 500;
const THREADS = [1, 4];
// The addon's sources minus its N-API glue: what core-driver.cc links against.
const GLUE = ['native/addon.cc', 'native/args.cc'];

/** The same inputs as core-driver.cc, through the glibc prebuild: { "<call>-<isa>-<threads>.bin": bytes }. */
function glibcResults() {
  const addon = require(join(ROOT, 'prebuilds', 'linux-x64', 'farfan-area-aggregator.glibc.node'));
  const n = EVALUATIONS;
  const scores = Float64Array.from({ length: n * 60 }, (_, i) => ((i * 7919) % 3001) / 1000);
  const stds = Float64Array.from({ length: n * 60 }, (_, i) => ((i * 104729) % 401) / 1000);
  const weights = Float64Array.from({ length: 60 }, (_, i) => 1 + (i % 6) * 0.25);
  const thresholds = Float64Array.of(2.55, 2.1, 1.65);
  const bytes = (...columns) => Buffer.concat(columns.map((column) => Buffer.from(column.buffer, column.byteOffset, column.byteLength)));
  const results = {};
  const isas = addon.info().supportedIsas;
  for (const isa of isas) {
    for (const threads of THREADS) {
      const [score, std, ciLow, ciHigh] = [0, 1, 2, 3].map(() => new Float64Array(n * 10));
      const quality = new Uint8Array(n * 10);
      const stats = new Float64Array(readAbi().calls.aggregate.args.find((arg) => arg.name === 'stats').length);
      addon.aggregate(...argumentsOf('aggregate', { scores, stds, weights, evaluations: n, thresholds, score, std, ciLow, ciHigh, quality, stats, isa, threads, check: false }));
      results[`aggregate-${isa}-${threads}.bin`] = bytes(score, std, ciLow, ciHigh, quality);
      const [mcStd, mcLow, mcHigh] = [0, 1, 2].map(() => new Float64Array(MC_EVALUATIONS * 10));
      const first = (column, width) => column.subarray(0, MC_EVALUATIONS * width);
      const mc = { scores: first(scores, 60), stds: first(stds, 60), weights, evaluations: MC_EVALUATIONS, score: first(score, 10), std: mcStd, ciLow: mcLow, ciHigh: mcHigh };
      addon.monteCarlo(...argumentsOf('monteCarlo', { ...mc, stats, firstEvaluation: 0, seed: 3, samples: 200, isa, threads }));
      results[`montecarlo-${isa}-${threads}.bin`] = bytes(mcStd, mcLow, mcHigh);
    }
  }
  return { isas, results };
}

/** core-driver.cc as a static musl executable for `zigTarget`. */
function buildDriver(zigTarget, src) {
  const work = workDir(`core-driver-${zigTarget}`);
  const { sources } = JSON.parse(readFileSync(join(src, 'native', 'sources.json'), 'utf8'));
  const driver = join(work, 'core-driver');
  const core = sources.filter((source) => !GLUE.includes(source));
  run(zig(), [...compileArgs(zigTarget, src, core), `-I${join(src, 'native')}`, join(__dirname, 'core-driver.cc'), linkObject(zigTarget, work), '-static', '-o', driver], { cwd: src });
  return driver;
}

/** Runs `driver` (through `emulator` when given) and compares what it wrote with the glibc prebuild's results. */
function check(label, driver, emulator, expectedIsas, glibc) {
  const out = join(driver, '..', 'out');
  mkdirSync(out, { recursive: true });
  const args = [driver, out, String(EVALUATIONS), String(MC_EVALUATIONS)];
  const started = Date.now();
  const result = spawnSync(emulator ?? args.shift(), args, { encoding: 'utf8', timeout: 900_000 });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`FAIL ${label}: exit ${result.status ?? result.signal} after ${seconds} s\n${result.stderr}`);
    return false;
  }
  const problems = [];
  const isas = result.stdout.trim().split('\n');
  if (JSON.stringify(isas) !== JSON.stringify(expectedIsas)) problems.push(`offers ${isas}, expected ${expectedIsas}`);
  const files = readdirSync(out).sort();
  const expectedFiles = expectedIsas.flatMap((isa) => THREADS.flatMap((threads) => ['aggregate', 'montecarlo'].map((call) => `${call}-${isa}-${threads}.bin`))).sort();
  if (JSON.stringify(files) !== JSON.stringify(expectedFiles)) problems.push(`wrote ${files}, expected ${expectedFiles}`);
  let bytes = 0;
  for (const file of files) {
    const got = readFileSync(join(out, file));
    const expected = glibc.results[file] ?? glibc.results[file.replace(/-[a-z0-9]+-(\d+)\.bin$/, '-scalar-$1.bin')];
    if (!got.equals(expected)) problems.push(`${file} differs from the glibc prebuild's`);
    bytes += got.length;
  }
  if (problems.length > 0) {
    console.error(`FAIL ${label}: ${problems.join('; ')}`);
    return false;
  }
  console.log(`ok   ${label}: ${files.length} calls (${expectedIsas.join(', ')} on ${THREADS.join(' and ')} threads, Aggregate on ${EVALUATIONS} plans and Monte-Carlo on ${MC_EVALUATIONS}), ${bytes} bytes equal to the glibc prebuild's (${seconds} s)`);
  return true;
}

function main() {
  if (!existsSync('/usr/bin/qemu-aarch64')) {
    console.error('check:musl needs qemu-aarch64: apt-get install -y qemu-user');
    process.exit(1);
  }
  const glibc = glibcResults();
  const src = stage();
  const x64 = buildDriver('x86_64-linux-musl', src);
  const arm64 = buildDriver('aarch64-linux-musl', src);
  const results = [
    check('x86_64 musl core, static, native', x64, undefined, glibc.isas, glibc),
    check('aarch64 musl core, static, under qemu-aarch64', arm64, 'qemu-aarch64', ['scalar'], glibc),
  ];
  if (results.includes(false)) process.exit(1);
}

main();
