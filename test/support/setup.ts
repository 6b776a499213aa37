import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Each test file gets a temporary folder of its own for everything made in
 * the system's: cdk8s's `Testing.app()` makes a `cdk8s.outdir.*` folder per
 * chart and never removes it, and child processes inherit the setting. The
 * folder goes when the file's tests end, whatever they left in it.
 */
const previous = process.env.TMPDIR;
const scratch = mkdtempSync(join(tmpdir(), 'cdk8s-fargate-container-insights-test-'));
process.env.TMPDIR = scratch;

afterAll(() => {
  if (previous === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previous;
  rmSync(scratch, { recursive: true, force: true });
});
