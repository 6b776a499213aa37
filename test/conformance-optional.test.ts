import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { locateConformanceFolder } from './support/conformance';

/**
 * The conformance suites are optional: without their files they are reported
 * as skipped, with the reason, and the run still passes.
 */
const ROOT = join(__dirname, '..');
const SOURCE = { what: 'the files', variable: 'SOME_DIR', fallback: '../no-such-folder' } as const;

describe('locateConformanceFolder', () => {
  test('the variable, when set, is the only place looked at', () => {
    expect(locateConformanceFolder(SOURCE, { SOME_DIR: ROOT })).toStrictEqual({ dir: ROOT });
    expect(locateConformanceFolder(SOURCE, { SOME_DIR: join(ROOT, 'missing') })).toStrictEqual({
      skipped: `the files not found: SOME_DIR=${join(ROOT, 'missing')} does not exist`,
    });
  });

  test('otherwise the folder beside the repository', () => {
    expect(locateConformanceFolder(SOURCE, {})).toStrictEqual({
      skipped: 'the files not found: no ../no-such-folder beside the repository and SOME_DIR is not set',
    });
    expect(locateConformanceFolder({ ...SOURCE, fallback: 'src' }, {})).toStrictEqual({ dir: join(ROOT, 'src') });
  });
});

test('with their folders hidden, the conformance suites pass and report their skips with the reasons', () => {
  const empty = mkdtempSync(join(tmpdir(), 'no-conformance-'));
  const hidden = { reference: join(empty, 'reference'), crds: join(empty, 'crds') };
  try {
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
    const run = spawnSync('npx', ['vitest', 'run', 'test/conformance/'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, AWS_REFERENCE_DIR: hidden.reference, OPERATOR_CRD_DIR: hidden.crds },
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('Tests: 0 passed, 0 failed, 3 skipped');
    expect(lines.slice(-4, -1).sort()).toStrictEqual([
      `Skipped: test/conformance/aws-reference.test.ts > AWS reference manifests > runs when its files are there: the AWS reference manifests not found: AWS_REFERENCE_DIR=${hidden.reference} does not exist`,
      `Skipped: test/conformance/operator-crds.test.ts > OpenTelemetry Operator CRDs > runs when its files are there: the OpenTelemetry Operator CRDs not found: OPERATOR_CRD_DIR=${hidden.crds} does not exist`,
      `Skipped: test/conformance/operator-crds.test.ts > the generated custom resource types > runs when its files are there: the OpenTelemetry Operator CRDs not found: OPERATOR_CRD_DIR=${hidden.crds} does not exist`,
    ]);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
