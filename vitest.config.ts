import { defineConfig } from "vitest/config";

/**
 * Folders whose tests run once, not per backend: one backend's internals, or process-level
 * behaviour. test/api/ and test/tables/ hold the behaviour suites every project runs.
 */
const BACKEND_INDEPENDENT = [
  // The CLI in a child process (on the native backend here): what it reads, writes and exits
  // with does not depend on the backend, whose bits the API suites hold equal on each project.
  // test/tables/same-bits.test.ts runs the CLI on every backend: there the backend is the point.
  "test/cli/**",
  // The addon itself, its builds and its prebuilds.
  "test/native/**",
  // The package as users install, bundle and read it, and how it picks its backend.
  "test/package/**",
  // Worker threads, the worker pool and the JS backend's workers, the soak and the fuzz test:
  // each in child processes or threads that pick their backends themselves.
  "test/process/**",
];

export default defineConfig({
  test: {
    // Native addons and worker threads have a history of crashes in the threads pool.
    pool: "forks",
    reporters: ["default", ["json", { outputFile: ".vitest-results.json" }]],
    testTimeout: 30_000,
    // Every behaviour suite runs on both backends: the environment picks the default backend
    // of every aggregator the tests build (FARFAN_AGGREGATOR_FORCE_JS never loads the addon).
    projects: [
      {
        extends: true,
        test: {
          name: "js",
          include: ["test/**/*.test.ts"],
          exclude: BACKEND_INDEPENDENT,
          env: { FARFAN_AGGREGATOR_FORCE_JS: "1" },
        },
      },
      {
        extends: true,
        test: {
          name: "native",
          include: ["test/**/*.test.ts"],
          env: { FARFAN_AGGREGATOR_BACKEND: "native" },
        },
      },
      // The behaviour suites once more on the native scalar kernel: what a CPU without AVX2
      // runs (`npm run check:qemu` runs the prebuilds on such a CPU).
      {
        extends: true,
        test: {
          name: "native-scalar",
          include: ["test/**/*.test.ts"],
          exclude: BACKEND_INDEPENDENT,
          env: { FARFAN_AGGREGATOR_BACKEND: "native", FARFAN_AGGREGATOR_ISA: "scalar" },
        },
      },
    ],
  },
});
