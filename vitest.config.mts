import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // The workspace package imports the main package by name: test both from source, one copy of each.
    alias: [
      { find: /^cdk8s-fargate-container-insights$/, replacement: here('./src/index.ts') },
      { find: /^cdk8s-fargate-container-insights\/internal$/, replacement: here('./src/internal.ts') },
      {
        find: /^cdk8s-fargate-container-insights-aws$/,
        replacement: here('./packages/cdk8s-fargate-container-insights-aws/src/index.ts'),
      },
    ],
  },
  test: {
    // Every core: vitest's default leaves one free, which on the documented 2-core machine runs the files one by one.
    maxWorkers: Math.max(2, availableParallelism()),
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    reporters: ['default', './test/support/summary-reporter.mts'],
    // A temporary folder per test file, removed when it ends (cdk8s's Testing leaves folders behind).
    setupFiles: ['./test/support/setup.ts'],
    // The jsii packages, built once before any test file (npm test has built them already).
    globalSetup: ['./test/support/build.ts'],
    // A few tests spawn processes (npm run synth, tsc, npm pack and install): room for a 2-core machine four
    // times over-loaded, as the slowest of them takes about 40 s on one that is idle. Only a cap: nothing waits for it.
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
