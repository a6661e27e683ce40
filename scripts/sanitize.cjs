'use strict';
// `npm run test:sanitize`: builds the addon with AddressSanitizer and UndefinedBehaviorSanitizer
// into build-sanitize/ (build/ and the prebuilds are left alone), then runs the suites below on
// the native projects with that addon (FARFAN_AGGREGATOR_ADDON) and g++'s libasan preloaded into
// Node. Fails when vitest fails or when any process wrote a sanitizer report.
const { spawnSync } = require('node:child_process');
const { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

/**
 * What runs under the sanitizers: vitest file filters (a file runs when its path contains one).
 * The native suites, the fuzz test, and the trust boundary's regression tests (memory safety above all).
 */
const SUITES = [
  'test/native/',
  'test/process/fuzz-hostile-inputs.test.ts',
  // The trust-boundary regression tests: hostile columns and buffers, teardown,
  // objects read once, the magnitude bounds, the columns and batch paths.
  'test/api/columns-hostile.test.ts',
  'test/api/columns.test.ts',
  'test/api/read-once.test.ts',
  'test/api/bounds.test.ts',
  'test/api/batch.test.ts',
  'test/process/worker-threads.test.ts',
  // Copy memory kept from one async call for the next, and default outputs handed over and
  // recycled once collected.
  'test/api/reused-copy-memory.test.ts',
  'test/api/default-outputs-recycled.test.ts',
  // Async calls on the addon's own threads, never on libuv's threadpool.
  'test/api/libuv-threadpool-free.test.ts',
  // Buffers checked against the limit of one ArrayBuffer before they are allocated.
  'test/api/buffer-size-limit.test.ts',
  // Many concurrent native calls on one signal, cancelled together.
  'test/api/shared-signal.test.ts',
];
/**
 * Matched above but of no use here: builds.test.ts compiles plain builds of its own and compares
 * them (~1 min); prebuild-binaries.test.ts checks the committed prebuilds, not the sanitized addon.
 */
const EXCLUDED = ['test/native/builds.test.ts', 'test/native/prebuild-binaries.test.ts'];
/** The projects that load the addon (see vitest.config.ts); each suite runs where its project includes it. */
const PROJECTS = ['native', 'native-scalar'];

const ROOT = resolve(__dirname, '..');
const BUILD = join(ROOT, 'build-sanitize');
const ADDON = join(BUILD, 'Release', 'farfan_aggregator.node');

/**
 * - detect_leaks=0: V8 and Node keep much of their heap until exit on purpose; LeakSanitizer
 *   would report those, not ours.
 * - allocator_may_return_null=1: a huge typed array must fail as it does in production (a
 *   RangeError the package turns into a coded error), not as an ASan abort.
 * - abort_on_error=1, halt_on_error=1: the first report kills the process, so the test fails.
 * - log_path: every report is also kept in a file, even from child processes whose stderr a
 *   test captures; this script prints them and fails on any.
 */
function sanitizerEnv(logDir) {
  return {
    LD_PRELOAD: [gxx('libasan.so'), process.env.LD_PRELOAD].filter(Boolean).join(' '),
    ASAN_OPTIONS: `detect_leaks=0:allocator_may_return_null=1:abort_on_error=1:halt_on_error=1:log_path=${join(logDir, 'asan')}`,
    UBSAN_OPTIONS: `print_stacktrace=1:halt_on_error=1:log_path=${join(logDir, 'ubsan')}`,
    FARFAN_AGGREGATOR_ADDON: ADDON,
  };
}

function gxx(file) {
  const found = spawnSync('g++', [`-print-file-name=${file}`], { encoding: 'utf8' }).stdout?.trim();
  if (!found || !found.startsWith('/')) fail(`g++ does not know ${file}: install g++ with its sanitizer runtimes`);
  return found;
}

function fail(message) {
  console.error(`test:sanitize: ${message}`);
  process.exit(1);
}

/**
 * A report from a process no test waited on (a child a test only spawned) fails no test, so it is
 * added to vitest's JSON report as a failed test: .ci/run's "N passed, N failed" counts it too.
 */
function countReportsAsFailures(count) {
  const file = join(ROOT, '.vitest-results.json');
  if (count === 0 || !existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  report.numFailedTests = (report.numFailedTests ?? 0) + count;
  writeFileSync(file, JSON.stringify(report));
}

function run(command, args, env = process.env) {
  return spawnSync(command, args, { cwd: ROOT, env, stdio: 'inherit' }).status ?? 1;
}

const cmakeJs = join(ROOT, 'node_modules', '.bin', 'cmake-js');
if (run(cmakeJs, ['build', '--out', BUILD, `--CDCMAKE_PROJECT_INCLUDE=${join(__dirname, 'sanitize.cmake')}`]) !== 0) {
  fail('the sanitizer build failed');
}

const logDir = mkdtempSync(join(tmpdir(), 'farfan-sanitize-'));
const env = { ...process.env, ...sanitizerEnv(logDir) };
const probe = `const a = require(${JSON.stringify(ADDON)}); if (typeof a.info().version !== 'string') process.exit(1);`;
if (run(process.execPath, ['-e', probe], env) !== 0) fail(`${ADDON} does not load with ${env.LD_PRELOAD} preloaded`);

const vitest = join(ROOT, 'node_modules', '.bin', 'vitest');
const status = run(vitest, ['run', ...PROJECTS.flatMap((p) => ['--project', p]), ...EXCLUDED.flatMap((f) => ['--exclude', f]), ...SUITES], env);

const reports = readdirSync(logDir);
for (const file of reports) {
  console.error(`\n--- sanitizer report ${file}\n${readFileSync(join(logDir, file), 'utf8')}`);
}
rmSync(logDir, { recursive: true, force: true });
countReportsAsFailures(reports.length);
if (reports.length > 0) fail(`${reports.length} sanitizer report(s) above`);
if (status !== 0) fail('the suites failed under the sanitizers');
console.log('test:sanitize: clean (no ASan/UBSan reports)');
