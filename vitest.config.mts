import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/summary-reporter.mts'],
    // The synth and README tests spawn processes; give them room on a 2-core machine.
    testTimeout: 60_000,
  },
});
