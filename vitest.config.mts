import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The synth tests spawn the app; give them room on a 2-core machine.
    testTimeout: 60_000,
  },
});
