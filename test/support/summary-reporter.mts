import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, "Tests: N passed, N failed, N skipped", that
 * CI systems reading test output recognise whatever the runner, and how many
 * test files failed to run at all.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
    }
    // A file that fails to load (a missing fixture, a syntax error) has no
    // tests to count; say so rather than print "0 failed".
    const broken = testModules.filter((module) => module.errors().length > 0).length;
    const files = broken === 0 ? '' : `, ${broken} test file(s) failed to run`;
    console.log(`Tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped${files}`);
  }
}
