// Prints "N passed, N failed" summed over vitest JSON reports (default .vitest-results.json); a
// missing report counts as a failure. Every failure is named first, with its duration and the
// first line of its message, because CI keeps only the tail of the log.
import { readFileSync } from "node:fs";
import { relative } from "node:path";

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
  failed += report.numFailedTests ?? 0;
  for (const testFile of report.testResults ?? []) {
    const where = relative(process.cwd(), testFile.name);
    // A test file that fails to load has no test results of its own: count it as one failure.
    if (testFile.status === "failed" && testFile.assertionResults.length === 0) {
      failed += 1;
      console.log(`FAILED ${where} (did not load): ${firstLine(testFile.message)}`);
    }
    for (const test of testFile.assertionResults) {
      // The duration shows a timeout, which vitest's JSON reports only as a stack.
      if (test.status === "failed") {
        console.log(`FAILED ${where} > ${test.fullName} (${Math.round(test.duration ?? 0)} ms): ${firstLine(test.failureMessages?.[0])}`);
      }
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

function firstLine(text) {
  return String(text ?? "").split("\n", 1)[0].slice(0, 300);
}
