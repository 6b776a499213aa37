import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, "Tests: N passed, N failed, N skipped", that
 * CI systems reading test output recognise whatever the runner, and how many
 * test files failed to run at all. Above it, one line per test skipped with a
 * reason (an optional conformance suite whose files are not there), so a skip
 * is never silent.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const reasons: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') counts.passed++;
        else if (result.state === 'failed') counts.failed++;
        else {
          counts.skipped++;
          if (result.state === 'skipped' && result.note) {
            reasons.push(
              `Skipped: ${module.moduleId.replace(`${process.cwd()}/`, '')} > ${test.fullName}: ${result.note}`,
            );
          }
        }
      }
    }
    // A file that fails to load (a missing fixture, a syntax error) has no
    // tests to count; say so rather than print "0 failed".
    const broken = testModules.filter((module) => module.errors().length > 0).length;
    const files = broken === 0 ? '' : `, ${broken} test file(s) failed to run`;
    for (const reason of reasons) console.log(reason);
    console.log(`Tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped${files}`);
  }
}
