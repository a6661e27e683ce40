// Prints "N passed, N failed" from a vitest JSON report; a missing report counts as a failure.
import { readFileSync } from "node:fs";

const file = process.argv[2] ?? ".vitest-results.json";
let report;
try {
  report = JSON.parse(readFileSync(file, "utf8"));
} catch (error) {
  console.log(`no test report at ${file}: ${error.message}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// A test file that fails to load has no test results of its own: count it as one failure.
const brokenFiles = (report.testResults ?? []).filter((f) => f.status === "failed" && f.assertionResults.length === 0);
const failed = (report.numFailedTests ?? 0) + brokenFiles.length;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
