import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { afterAll, describe, expect, test } from 'vitest';
import {
  CONSOLE_DECLARATIONS,
  estimateCustomMetrics,
  FargateContainerInsightsCollector,
  formatEstimate,
  PROFILE_DECLARATIONS,
  parseFleet,
} from '../src';
import { readTree } from '../tools/folders';
import { parseManifest, validateManifest } from '../tools/manifests';

/** The README's examples work as written: each `ts` block compiles and synthesizes. */
const ROOT = join(__dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

// Inside the project, so the examples resolve cdk8s from its node_modules.
const work = join(ROOT, '.readme-examples');
mkdirSync(work, { recursive: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));

const files = blocks.map((code, i) => {
  const file = join(work, `example-${i}.ts`);
  // The package name resolves to this checkout's sources.
  writeFileSync(file, code.replaceAll("from 'cdk8s-fargate-container-insights'", "from '../src'"));
  return file;
});

describe('README', () => {
  test('has TypeScript examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  test('every example type-checks', () => {
    const tsc = spawnSync(
      'npx',
      ['tsc', '--noEmit', '--strict', '--skipLibCheck', '--target', 'ES2022', '--module', 'Node16', ...files],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
  });

  test.each(files.map((file, i) => [i, file]))('example %i synthesizes a valid collector', (_, file) => {
    const outdir = mkdtempSync(join(tmpdir(), 'readme-'));
    try {
      const run = spawnSync('npx', ['tsx', file], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, CDK8S_OUTDIR: outdir },
      });
      expect(run.status, run.stderr).toBe(0);
      const text = Object.values(readTree(outdir)).join('---\n');
      // A collector in either mode, with its IRSA service account; every object valid.
      expect(text).toMatch(/kind: (StatefulSet|OpenTelemetryCollector)\n/);
      expect(text).toContain('eks.amazonaws.com/role-arn');
      for (const object of parseManifest(text)) validateManifest(object);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('the error example is the message the library gives', () => {
    const shown = /```text\n(ValidationError: .*)\n```/.exec(README)?.[1];
    expect(shown).toBeDefined();
    let message = '';
    try {
      new FargateContainerInsightsCollector(Testing.chart(), 'C', {
        clusterName: 'prod-eu',
        region: 'eu-west-1',
        serviceAccountRoleArn: 'arn:aws:iam::123:role/x',
      });
    } catch (error) {
      message = `${(error as Error).name}: ${(error as Error).message}`;
    }
    expect(message).toBe(shown);
  });
});

describe('README, fleets', () => {
  test('the fleet error example is the message for its input', () => {
    const shown =
      /```text\n(error: \d+ problems in the fleet:[\s\S]*?)\n[^\n]* (?:was|were) left unchanged\.\n```/.exec(
        README,
      )?.[1];
    expect(shown).toBeDefined();
    // The README's clusters file, with the two mistakes it describes on the second cluster.
    const text = [
      'defaults:',
      '  region: eu-west-1',
      'clusters:',
      '  - name: prod-eu',
      '    serviceAccountRoleArn: arn:aws:iam::111122223333:role/prod-eu-adot-collector',
      '  - name: prod-us',
      '    region: us-east',
      '    serviceAccountRoleArn: arn:aws:iam::111122223333:role/prod-us-adot-collector',
      '    replica: 2',
    ].join('\n');
    expect(() => parseFleet(text, 'clusters.yaml')).toThrow(shown?.replace(/^error: /, ''));
  });

  test('the benchmark table has the three sizes the bench script runs', () => {
    const rows = [...README.matchAll(/^\| +(1|100|1000) \| +([\d.]+) s \| +[\d.]+ - [\d.]+ s \| +(\d+) MiB/gm)].map(
      (m) => m[1],
    );
    expect(rows).toStrictEqual(['1', '100', '1000']);
  });
});

describe('README, metric costs', () => {
  test('the cost table is what estimateCustomMetrics gives for each profile and the console declarations alone', () => {
    const cell = ' +([\\d,]+) / \\$([\\d,.]+) +';
    const rows = [
      ...README.matchAll(new RegExp(`^\\| +(\\d+) \\((\\d+)\\) +\\|${cell}\\|${cell}\\|${cell}\\|$`, 'gm')),
    ];
    expect(rows.map((r) => r[1])).toStrictEqual(['10', '100', '1000']);
    const columns = [PROFILE_DECLARATIONS.reference, PROFILE_DECLARATIONS.console, CONSOLE_DECLARATIONS];
    for (const [, pods, namespaces, ...cells] of rows) {
      columns.forEach((declarations, i) => {
        const estimate = estimateCustomMetrics({ declarations, namespaces: Number(namespaces), pods: Number(pods) });
        expect(estimate.customMetrics).toBe(Number(cells[2 * i]?.replaceAll(',', '')));
        expect(estimate.monthlyUsd.toFixed(2)).toBe(cells[2 * i + 1]?.replaceAll(',', ''));
      });
    }
  });

  test('the estimate line is what formatEstimate prints for the default app', () => {
    const input = { declarations: PROFILE_DECLARATIONS.reference, namespaces: 10, pods: 100 };
    expect(README).toContain(formatEstimate(input, estimateCustomMetrics(input)));
  });
});
