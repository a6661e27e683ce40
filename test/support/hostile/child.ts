/**
 * The child process of CaseHost: runs each recipe it is sent and answers with its report, one at
 * a time. A crash here (a segfault in the addon, an ASan report) ends this process only; the
 * host counts it against the case in flight.
 */
import type { CaseReport, Failure } from "./report.js";
import { runCase } from "./run-case.js";
import type { Recipe } from "./recipe.js";

// A promise the package leaves rejected with nobody listening belongs to the case in flight.
let stray: Failure[] = [];
process.on("unhandledRejection", (reason) => {
  stray.push({ kind: "unhandled-rejection", backend: "?", detail: reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason) });
});

function harnessError(error: unknown): CaseReport {
  return { failures: [{ kind: "harness-error", backend: "?", detail: error instanceof Error ? (error.stack ?? error.message) : String(error) }] };
}

process.on("message", (recipe: Recipe) => {
  void runCase(recipe).then(undefined, harnessError).then((report: CaseReport) => {
    // Let rejections of this case surface before answering.
    setImmediate(() => {
      process.send!({ failures: [...report.failures, ...stray] });
      stray = [];
    });
  });
});
