import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { readTree } from '../tools/folders';
import { projectAt, runAppInProcess } from '../tools/stage';
import { checkCommand, synthCommand } from '../tools/synth-command';
import { ROLE_ARN } from './support/fixtures';

/**
 * `npm run synth` and `npm run check` in a scratch copy of the project, a
 * fresh one for every test, so the real dist/ is never at risk and no test
 * sees another's output: the copy shares node_modules and starts from the
 * committed dist/. The commands run in this process (tools/synth-command.ts,
 * with the app's `runApp` in place of its `npx tsx main.ts`), as they do in
 * their own; a few tests run the real `npm run ...` to prove that wiring.
 */
const ROOT = join(__dirname, '..');
let scratch = '';
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'synth-script-'));
  for (const entry of [
    'cdk8s.yaml',
    'main.ts',
    'package.json',
    'tsconfig.json',
    'src',
    'imports',
    'scripts',
    'tools',
    'dist',
    'prerequisites',
    'examples',
    'test',
    'vitest.config.mts',
    // The app, from source: the command-line package's sources, not its build.
    'packages/cdk8s-fargate-container-insights-cli/src',
    'packages/cdk8s-fargate-container-insights-cli/package.json',
    'packages/cdk8s-fargate-container-insights-cli/clusters.schema.json',
  ]) {
    cpSync(join(ROOT, entry), join(scratch, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

const snapshot = () => readTree(join(scratch, 'dist'));
const prerequisitesSnapshot = () => readTree(join(scratch, 'prerequisites'));

/** What a command printed and how it ended. */
interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm run synth` or `npm run check` in this process, on the scratch project, capturing what they print. */
async function command(script: 'synth' | 'check', env: Record<string, string>): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  const write = process.stdout.write;
  const writeErr = process.stderr.write;
  console.log = (...args: unknown[]) => out.push(`${args.join(' ')}\n`);
  console.error = (...args: unknown[]) => err.push(`${args.join(' ')}\n`);
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    const project = projectAt(scratch, runAppInProcess);
    const status = await (script === 'synth' ? synthCommand(env, project) : checkCommand(env, project));
    return { status, stdout: out.join(''), stderr: err.join('') };
  } finally {
    console.log = log;
    console.error = error;
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
}

/** The real `npm run <script>` in the scratch project, in a process of its own. */
function npmRun(script: 'synth' | 'check', env: Record<string, string>): Run {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['CLUSTER_NAME', 'AWS_REGION', 'COLLECTOR_ROLE_ARN', 'ADOT_VERSION', 'CLUSTERS_FILE'].includes(k),
    ),
  );
  const spawned = spawnSync('npm', ['run', '--silent', script], {
    cwd: scratch,
    env: { ...clean, ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: spawned.status ?? 1, stdout: spawned.stdout, stderr: spawned.stderr };
}

describe('npm run synth', () => {
  test.each<[string, Record<string, string>, string]>([
    [
      'an invalid CLUSTER_NAME',
      { CLUSTER_NAME: 'bad name', AWS_REGION: 'us-east-1', COLLECTOR_ROLE_ARN: 'arn:aws:iam::123456789012:role/r' },
      'Invalid CLUSTER_NAME "bad name"',
    ],
    ['a missing variable', { CLUSTER_NAME: 'prod' }, 'Missing environment variables AWS_REGION and COLLECTOR_ROLE_ARN'],
    [
      'ADOT_VERSION=latest',
      {
        CLUSTER_NAME: 'prod',
        AWS_REGION: 'us-east-1',
        COLLECTOR_ROLE_ARN: 'arn:aws:iam::123456789012:role/r',
        ADOT_VERSION: 'latest',
      },
      'Invalid ADOT_VERSION "latest"',
    ],
    [
      'METRICS_DESTINATION=otlp where CloudWatch has no OTLP metrics endpoint',
      {
        CLUSTER_NAME: 'prod',
        AWS_REGION: 'me-south-1',
        COLLECTOR_ROLE_ARN: 'arn:aws:iam::123456789012:role/r',
        METRICS_DESTINATION: 'otlp',
      },
      'Invalid METRICS_DESTINATION "otlp" in region "me-south-1"',
    ],
    [
      'an unknown APPLICATION_METRICS destination',
      { APPLICATION_METRICS: 'loki' },
      'Invalid APPLICATION_METRICS "loki"',
    ],
    [
      'a region AWS does not have',
      { CLUSTER_NAME: 'prod', AWS_REGION: 'eu-centrall-1', COLLECTOR_ROLE_ARN: 'arn:aws:iam::123456789012:role/r' },
      'Invalid AWS_REGION "eu-centrall-1": expected a region AWS has in partition aws',
    ],
    [
      "a role of another partition than the region's",
      { CLUSTER_NAME: 'prod', AWS_REGION: 'eusc-de-east-1', COLLECTOR_ROLE_ARN: 'arn:aws:iam::123456789012:role/r' },
      'Invalid COLLECTOR_ROLE_ARN "arn:aws:iam::123456789012:role/r": expected an IAM role ARN in AWS_REGION "eusc-de-east-1"\'s partition',
    ],
    [
      'a region where EKS runs no pods on Fargate',
      {
        CLUSTER_NAME: 'prod',
        AWS_REGION: 'us-gov-west-1',
        COLLECTOR_ROLE_ARN: 'arn:aws-us-gov:iam::123456789012:role/r',
      },
      'Invalid AWS_REGION "us-gov-west-1": Amazon EKS runs no pods on AWS Fargate in us-gov-west-1',
    ],
    [
      'a China role for a commercial region',
      { CLUSTER_NAME: 'prod', AWS_REGION: 'us-east-1', COLLECTOR_ROLE_ARN: 'arn:aws-cn:iam::123456789012:role/r' },
      'Invalid COLLECTOR_ROLE_ARN "arn:aws-cn:iam::123456789012:role/r": expected an IAM role ARN in AWS_REGION "us-east-1"\'s partition',
    ],
  ])(
    'with %s exits non-zero with the message and leaves dist/ and prerequisites/ byte-identical',
    async (_, env, message) => {
      const before = snapshot();
      const prerequisitesBefore = prerequisitesSnapshot();
      const run = await command('synth', env);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain(message);
      expect(run.stderr).toContain('dist/ and prerequisites/ were left unchanged.');
      expect(snapshot()).toStrictEqual(before);
      expect(prerequisitesSnapshot()).toStrictEqual(prerequisitesBefore);
      expect(readdirSync(scratch).filter((f) => f.startsWith('.synth-'))).toStrictEqual([]);
    },
  );

  test('on success replaces dist/ whole: files it wrote before and no longer writes go, new manifests come', async () => {
    const prod = {
      CLUSTER_NAME: 'prod-eu',
      AWS_REGION: 'eu-west-1',
      COLLECTOR_ROLE_ARN: ROLE_ARN,
    };
    // The real npm run synth, once: the script, its staging and the app's own process, end to end.
    const real = npmRun('synth', { ...prod, FARGATE_LOGGING: 'true' });
    expect(real.status, real.stderr).toBe(0);
    expect(existsSync(join(scratch, 'dist', 'fargate-logging.k8s.yaml'))).toBe(true);
    const run = await command('synth', prod);
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(join(scratch, 'dist', 'fargate-logging.k8s.yaml'))).toBe(false);
    expect(run.stderr).toContain(
      '   $98.40  Container Insights custom metrics: 8 metrics per cluster × 1 + 8 per namespace × 10 + 8 per workload × 30 = 328 custom metrics.\n',
    );
    // A real cluster without SAMPLE_APP: no sample application, no golang namespace.
    expect(Object.keys(snapshot())).toStrictEqual([
      '.cdk8s-fargate-container-insights',
      'fargate-container-insights.k8s.yaml',
    ]);
    const manifest = readFileSync(join(scratch, 'dist', 'fargate-container-insights.k8s.yaml'), 'utf8');
    expect(manifest).toContain('ClusterName=prod-eu');
    // Every file says it is generated, and how to make it again.
    expect(manifest.split('\n')[0]).toBe(
      '# Generated by cdk8s-fargate-container-insights for cluster "prod-eu": edits are lost. Change the settings and run npm run synth again.',
    );
    expect(manifest).not.toContain('golang');
    expect(readFileSync(join(scratch, 'prerequisites', 'eksctl-cluster-config.yaml'), 'utf8')).not.toContain('golang');
    expect((await command('synth', { ...prod, SAMPLE_APP: 'true' })).status).toBe(0);
    expect(Object.keys(snapshot())).toContain('sample-go-webapp.k8s.yaml');
  });

  test('another app in cdk8s.yaml runs as its command says, in a process of its own, to the same output', async () => {
    const before = snapshot();
    const yaml = join(scratch, 'cdk8s.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('app: npx tsx main.ts', 'app: npx tsx ./main.ts'));
    const project = projectAt(scratch);
    expect(project.run).not.toBe(runAppInProcess);
    const { log, error } = console;
    console.log = () => undefined;
    console.error = () => undefined;
    try {
      expect(await synthCommand({}, project)).toBe(0);
    } finally {
      console.log = log;
      console.error = error;
    }
    // The demo, as committed.
    expect(snapshot()).toStrictEqual(before);
    expect(projectAt(ROOT).run).toBe(runAppInProcess);
  });

  test('refuses a dist/ holding a file it did not write, naming it, and leaves every file byte-identical', async () => {
    writeFileSync(join(scratch, 'dist', 'notes.md'), 'mine\n');
    try {
      const before = snapshot();
      const prerequisitesBefore = prerequisitesSnapshot();
      const run = await command('synth', {});
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(
        'Invalid output of cdk8s.yaml "dist": it holds files this tool did not write (notes.md), which replacing the folder would delete',
      );
      expect(snapshot()).toStrictEqual(before);
      expect(prerequisitesSnapshot()).toStrictEqual(prerequisitesBefore);
      expect(readdirSync(scratch).filter((f) => f.startsWith('.synth-'))).toStrictEqual([]);
    } finally {
      rmSync(join(scratch, 'dist', 'notes.md'));
    }
  });
});

test('METRICS_DESTINATION=otlp: the OTLP pipeline, its estimate instead of the custom metrics, and PutMetricData', async () => {
  const run = await command('synth', {
    CLUSTER_NAME: 'prod-eu',
    AWS_REGION: 'eu-west-1',
    COLLECTOR_ROLE_ARN: ROLE_ARN,
    METRICS_DESTINATION: 'otlp',
  });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stderr).not.toContain('Container Insights custom metrics');
  expect(run.stderr).toContain(
    '       -  OTLP metrics: 161.8 GB ingested a month (74 data points, 36.9 KB, per pod per scrape); not priced:',
  );
  expect(run.stderr).toMatch(/\n +\$[\d.]+ {2}in all, besides what is not priced\.\n/);
  const manifest = readFileSync(join(scratch, 'dist', 'fargate-container-insights.k8s.yaml'), 'utf8');
  expect(manifest).toContain('metrics_endpoint: https://monitoring.eu-west-1.amazonaws.com/v1/metrics');
  expect(manifest).not.toContain('awsemf:\n');
  expect(readFileSync(join(scratch, 'prerequisites', 'eksctl-cluster-config.yaml'), 'utf8')).toContain(
    'cloudwatch:PutMetricData',
  );
});

describe('npm run check', () => {
  const PROD = {
    CLUSTER_NAME: 'prod-eu',
    AWS_REGION: 'eu-west-1',
    COLLECTOR_ROLE_ARN: ROLE_ARN,
  };

  test('exits 0 when dist/ is what the app synthesizes, and writes nothing', async () => {
    expect((await command('synth', PROD)).status).toBe(0);
    const before = snapshot();
    const run = await command('check', PROD);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('dist/ is up to date (1 file), and prerequisites/ (1 file).');
    expect(snapshot()).toStrictEqual(before);
    expect(readdirSync(scratch).filter((f) => f.startsWith('.synth-'))).toStrictEqual([]);
  });

  test('without variables, checks a dist/ against the settings npm run synth recorded in it, and so does npm test', async () => {
    expect((await command('synth', PROD)).status).toBe(0);
    expect(readFileSync(join(scratch, 'dist', '.cdk8s-fargate-container-insights'), 'utf8')).toContain(
      '# setting CLUSTER_NAME="prod-eu"',
    );
    const run = await command('check', {});
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('dist/ is up to date (1 file), and prerequisites/ (1 file).');
    // A user who committed their own cluster's dist/ runs npm test with nothing set: the drift test passes.
    const drift = spawnSync('npx', ['vitest', 'run', 'test/main.test.ts', '-t', 'committed dist'], {
      cwd: scratch,
      // The copy has no jsii packages to build, and this test file reads none.
      env: {
        ...Object.fromEntries(
          Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'CLUSTER_NAME'),
        ),
        SKIP_JSII_BUILD: '1',
      },
      timeout: 240_000,
      encoding: 'utf8',
    });
    expect(drift.status, drift.stdout + drift.stderr).toBe(0);
    expect(drift.stdout).toMatch(/Tests: 1 passed, 0 failed/);
  });

  test('exits 1 with a unified diff when the input changed, and leaves dist/ alone', async () => {
    expect((await command('synth', PROD)).status).toBe(0);
    const before = snapshot();
    const run = await command('check', { ...PROD, AWS_REGION: 'eu-central-1' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('--- dist/fargate-container-insights.k8s.yaml\tcommitted');
    expect(run.stdout).toContain('-        region: eu-west-1');
    expect(run.stdout).toContain('+        region: eu-central-1');
    expect(run.stdout).not.toContain('--- dist/sample-go-webapp');
    // The marker records the settings, so it shows which one changed.
    expect(run.stdout).toContain('-# setting AWS_REGION="eu-west-1"\n+# setting AWS_REGION="eu-central-1"');
    // The eksctl fragment names the region too.
    expect(run.stdout).toContain('+  region: eu-central-1');
    expect(run.stdout).toContain('--- prerequisites/eksctl-cluster-config.yaml\tcommitted');
    expect(run.stderr).toContain('dist/ or prerequisites/ is out of date: 3 file(s) differ');
    expect(snapshot()).toStrictEqual(before);
  });

  test('reports files that only one side has', async () => {
    expect((await command('synth', PROD)).status).toBe(0);
    writeFileSync(join(scratch, 'dist', 'stale.k8s.yaml'), 'kind: Stale\n');
    const run = await command('check', PROD);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('-kind: Stale');
    rmSync(join(scratch, 'dist', 'stale.k8s.yaml'));
  });

  test('exits 2 when the app cannot be synthesized', async () => {
    const run = await command('check', { ...PROD, AWS_REGION: 'nowhere' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Invalid AWS_REGION "nowhere"');
  });
});

describe('with CLUSTERS_FILE (a fleet)', () => {
  const FLEET = { CLUSTERS_FILE: 'examples/fleet/clusters.yaml' };
  const output = join(scratch, 'examples', 'fleet', 'dist');
  const fleetSnapshot = () => readTree(output);

  test('npm run check: the committed example fleet is up to date', async () => {
    // The real npm run check of a fleet: the clusters file through the app's own process, end to end.
    const run = npmRun('check', FLEET);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'examples/fleet/dist/ is up to date (12 files), and examples/fleet/prerequisites/ (6 files).',
    );
  });

  test('npm run synth with an invalid clusters file exits 1 and leaves the fleet output byte-identical', async () => {
    const before = fleetSnapshot();
    const file = join(scratch, 'examples', 'fleet', 'clusters.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('region: us-east-1', 'region: us-east'));
    try {
      const run = await command('synth', FLEET);
      expect(run.status).toBe(1);
      const line = text.split('\n').findIndex((l) => l.includes('region: us-east-1')) + 1;
      expect(run.stderr).toContain(`examples/fleet/clusters.yaml:${line}:13: Invalid clusters[1].region "us-east"`);
      expect(fleetSnapshot()).toStrictEqual(before);
      expect(readdirSync(join(scratch, 'examples', 'fleet')).filter((f) => f.startsWith('.synth-'))).toStrictEqual([]);
    } finally {
      writeFileSync(file, text);
    }
  });

  test('npm run synth rewrites the fleet output and validates every object', async () => {
    const run = await command('synth', FLEET);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('examples/fleet/dist/: 12 files, 47 objects');
  });

  test('CLUSTERS_FILE and CLUSTER_NAME together are an error', async () => {
    const run = await command('synth', { ...FLEET, CLUSTER_NAME: 'x' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Invalid environment: CLUSTERS_FILE and CLUSTER_NAME are both set');
  });
});
