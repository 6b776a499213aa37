import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const ROOT = join(__dirname, '..');

/**
 * The files of `npm pack --dry-run`, of the build the test run made before
 * any test file (test/support/build.ts): without the prepack build, which
 * would delete and rewrite lib/ and .jsii while other test files read them.
 */
function packedFiles(workspace?: string): string[] {
  const args = workspace === undefined ? [] : ['-w', workspace];
  const run = spawnSync('npm', ['pack', ...args, '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  const json = run.stdout.slice(run.stdout.search(/^\[/m));
  const [pack] = JSON.parse(json) as Array<{ files: Array<{ path: string }> }>;
  return pack.files.map((f) => f.path).sort();
}

const CLI = 'packages/cdk8s-fargate-container-insights-cli';

test('npm pack ships only the compiled constructs, their types and jsii assembly, the bundled yaml, the README, the guides and the licence', () => {
  const paths = packedFiles();
  expect(paths).toContain('lib/src/index.js');
  expect(paths).toContain('lib/src/index.d.ts');
  expect(paths).toContain('lib/src/collector/fargate-container-insights-collector.d.ts');
  // The custom resource types generated from the operator's CRD.
  expect(paths).toContain('lib/imports/opentelemetry.io.js');
  // The assembly other languages are generated from.
  expect(paths).toContain('.jsii');
  // yaml is bundled, as jsii requires of a dependency that is not a jsii module.
  expect(paths).toContain('node_modules/yaml/package.json');
  // The entry the workspace's own packages import internals from.
  expect(paths).toContain('lib/src/internal.js');
  // The README links to the guides and the API reference, and the licence ships with the code.
  expect(paths).toContain('docs/API.md');
  expect(paths).toContain('LICENSE');
  // The command, the app and the fleet tooling are the command-line package's.
  expect(paths.filter((p) => /^lib\/src\/(cli|app|fleet)\b|clusters\.schema\.json/.test(p))).toStrictEqual([]);
  for (const path of paths.filter((p) => !p.startsWith('node_modules/yaml/'))) {
    expect(path, path).toMatch(
      /^(lib\/([a-z-]+\/)*[a-z0-9.-]+\.(js|d\.ts)|\.jsii|README\.md|docs\/[a-zA-Z-]+\.md|LICENSE|package\.json)$/,
    );
  }
});

test('npm pack of the command-line package ships its compiled command, the worker thread it starts and the clusters file schema', () => {
  const paths = packedFiles(CLI);
  expect(paths).toContain('lib/cli.js');
  expect(paths).toContain('lib/index.d.ts');
  expect(paths).toContain('lib/fleet/fleet-worker.js');
  expect(paths).toContain('clusters.schema.json');
  for (const path of paths) {
    expect(path, path).toMatch(
      /^(lib\/([a-z-]+\/)*[a-z0-9.-]+\.(js|d\.ts)|clusters\.schema\.json|README\.md|package\.json)$/,
    );
  }
});

test('jsii-pacmak builds the JavaScript package from the assembly', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'pacmak-'));
  try {
    // jsii-pacmak packs the package with npm, whose prepack build would rewrite lib/ and .jsii: not during tests.
    const run = spawnSync('npx', ['jsii-pacmak', '--targets', 'js', '--outdir', outdir], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, npm_config_ignore_scripts: 'true' },
    });
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
    expect(readdirSync(join(outdir, 'js'))).toStrictEqual([`${pkg.name}@${pkg.version}.jsii.tgz`]);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}, 480_000);

/**
 * Packs the library (or a workspace package) as the test run built it into `dir`, without the prepack build, so that
 * nothing rewrites lib/ or .jsii while other test files read them.
 */
function packInto(dir: string, workspace?: string): void {
  const args = workspace === undefined ? [] : ['-w', workspace];
  const pack = spawnSync('npm', ['pack', ...args, '--pack-destination', dir, '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(pack.status, pack.stderr).toBe(0);
}

test('installed from its tarballs into a fresh cdk8s app, the command runs fleet, check, validate and --version', () => {
  const project = mkdtempSync(join(tmpdir(), 'installed-'));
  try {
    packInto(project);
    packInto(project, CLI);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      devDependencies: Record<string, string>;
    };
    const tarballs = [`./${pkg.name}-${pkg.version}.tgz`, `./${pkg.name}-cli-${pkg.version}.tgz`];
    // The peers at the versions the library is built with, as a cdk8s app has them.
    const peers = ['cdk8s', 'cdk8s-plus-29', 'constructs'].map((name) => `${name}@${pkg.devDependencies[name]}`);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-cdk8s-app', private: true }));
    const install = spawnSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, ...peers],
      {
        cwd: project,
        encoding: 'utf8',
      },
    );
    expect(install.status, install.stderr).toBe(0);
    const command = (...args: string[]) =>
      spawnSync('npx', ['--no-install', 'cdk8s-fargate-container-insights', ...args], {
        cwd: project,
        encoding: 'utf8',
      });
    expect(command('--version').stdout.trim()).toBe(`cdk8s-fargate-container-insights ${pkg.version}`);
    cpSync(join(ROOT, 'examples', 'fleet', 'clusters.yaml'), join(project, 'clusters.yaml'));
    const fleet = command('fleet', 'clusters.yaml');
    expect(fleet.status, fleet.stderr).toBe(0);
    const check = command('check', 'clusters.yaml');
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toContain('dist/ and prerequisites/ are what clusters.yaml synthesizes now.');
    const validate = command('validate', 'dist');
    expect(validate.status, validate.stdout + validate.stderr).toBe(0);
    // Without kubernetes-models in the app, the schemas are said not to be checked.
    expect(validate.stdout).toContain('not checked against the Kubernetes schemas: install kubernetes-models');
    // Without the companion package (and aws-cdk-lib) the fleet still writes its prerequisites, only no template.
    expect(existsSync(join(project, 'node_modules', 'aws-cdk-lib'))).toBe(false);
    expect(existsSync(join(project, 'prerequisites', 'prod-eu', 'eksctl-cluster-config.yaml'))).toBe(true);
    expect(existsSync(join(project, 'prerequisites', 'prod-eu', 'fargate-container-insights.template.json'))).toBe(
      false,
    );
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}, 600_000);

test("installed from both tarballs into a fresh AWS CDK app, the guide's example synthesizes the stack and the manifests", () => {
  const project = mkdtempSync(join(tmpdir(), 'installed-cdk-'));
  try {
    const workspace = 'packages/cdk8s-fargate-container-insights-aws';
    packInto(project);
    packInto(project, workspace);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
      devDependencies: Record<string, string>;
    };
    const aws = JSON.parse(readFileSync(join(ROOT, workspace, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const peers = [
      ...['cdk8s', 'cdk8s-plus-29', 'constructs'].map((name) => `${name}@${pkg.devDependencies[name]}`),
      `aws-cdk-lib@${aws.devDependencies['aws-cdk-lib']}`,
    ];
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-cdk-app', private: true }));
    const tarballs = [
      `./cdk8s-fargate-container-insights-${pkg.version}.tgz`,
      `./cdk8s-fargate-container-insights-aws-${pkg.version}.tgz`,
    ];
    const install = spawnSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, ...peers],
      {
        cwd: project,
        encoding: 'utf8',
      },
    );
    expect(install.status, install.stderr).toBe(0);
    // The example of docs/prerequisites.md, as a user's app has it.
    const guide = readFileSync(join(ROOT, 'docs', 'prerequisites.md'), 'utf8');
    const example = /```ts\n([\s\S]*?cdk8s-fargate-container-insights-aws[\s\S]*?)```/.exec(guide)?.[1];
    expect(example).toBeDefined();
    writeFileSync(join(project, 'app.ts'), example ?? '');
    const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['app.ts'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, CDK8S_OUTDIR: join(project, 'dist'), CDK_OUTDIR: join(project, 'cdk.out') },
    });
    expect(run.status, run.stderr).toBe(0);
    const template = JSON.parse(
      readFileSync(join(project, 'cdk.out', 'prod-eu-container-insights.template.json'), 'utf8'),
    );
    const types = Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type);
    expect(types).toEqual(
      expect.arrayContaining(['AWS::IAM::Role', 'AWS::Logs::LogGroup', 'AWS::EKS::FargateProfile']),
    );
    expect(readFileSync(join(project, 'dist', 'fargate-container-insights.k8s.yaml'), 'utf8')).toContain(
      'eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/prod-eu-adot-collector',
    );
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}, 600_000);
