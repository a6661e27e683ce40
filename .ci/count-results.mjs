// Prints "N passed, N failed" summed over vitest JSON reports (default .vitest-results.json); a
// missing report counts as a failure.
import { readFileSync } from "node:fs";

const files = process.argv.length > 2 ? process.argv.slice(2) : [".vitest-results.json"];
let passed = 0;
let failed = 0;
for (const file of files) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    console.log(`no test report at ${file}: ${error.message}`);
    failed += 1;
    continue;
  }
  passed += report.numPassedTests ?? 0;
  // A test file that fails to load has no test results of its own: count it as one failure.
  const brokenFiles = (report.testResults ?? []).filter((f) => f.status === "failed" && f.assertionResults.length === 0);
  failed += (report.numFailedTests ?? 0) + brokenFiles.length;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
