import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { captureConsole, type Printed } from '../../../test/support/console';
import { ROLE_ARN } from '../../../test/support/fixtures';
import { readTree } from '../../../tools/folders';
import { run } from '../src/cli';
import { OUTPUT_MARKER } from '../src/core/output';

const dir = mkdtempSync(join(tmpdir(), 'cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clustersFile = (names: string[], extra = '') => {
  const path = join(dir, 'clusters.yaml');
  writeFileSync(
    path,
    `defaults: { region: eu-west-1, serviceAccountRoleArn: "${ROLE_ARN}" }\nclusters:\n${names.map((n) => `  - name: ${n}\n`).join('')}${extra}`,
  );
  return path;
};

/** Every file under the output folder with its text. */
const snapshot = readTree;

const { stdout, stderr } = captureConsole();
const printed = (stream: Printed) => stream.text();

describe('cdk8s-fargate-container-insights fleet', () => {
  const out = join(dir, 'dist');

  test('writes the fleet to the output folder beside the file, and says what it wrote', async () => {
    expect(await run(['fleet', clustersFile(['a', 'b'])])).toBe(0);
    expect(readdirSync(out).sort()).toStrictEqual([OUTPUT_MARKER, 'a', 'b']);
    expect(printed(stdout)).toMatch(
      /dist\/: 2 clusters, 4 files; \S*prerequisites\/: 3 files \(\d+\.\d\d s, 1 worker\)\./,
    );
    // Each cluster's eksctl config, and the fleet's overview dashboard.
    expect(readdirSync(join(dir, 'prerequisites')).sort()).toStrictEqual([OUTPUT_MARKER, '_fleet', 'a', 'b']);
  });

  test('replaces the folder whole: a cluster taken out of the file loses its folder', async () => {
    expect(await run(['fleet', clustersFile(['a'])])).toBe(0);
    expect(readdirSync(out).sort()).toStrictEqual([OUTPUT_MARKER, 'a']);
  });

  test('on an invalid file exits 1 with the problem and leaves the output byte-identical', async () => {
    const before = snapshot(out);
    expect(await run(['fleet', clustersFile(['a', 'b'], '    replicas: 0\n')])).toBe(1);
    expect(printed(stderr)).toContain('clusters.yaml:5:15: Invalid clusters[1].replicas 0: expected a whole number');
    expect(snapshot(out)).toStrictEqual(before);
    expect(readdirSync(dir).filter((f) => f.startsWith('.synth-'))).toStrictEqual([]);
  });

  test('when a construct rejects a cluster, exits 1 naming it and leaves the output byte-identical', async () => {
    const before = snapshot(out);
    const file = clustersFile(['a'], '    namespace: golang\n    sampleApp: true\n');
    expect(await run(['fleet', file])).toBe(1);
    expect(printed(stderr)).toContain('clusters[0] (a): Invalid namespace "golang"');
    expect(printed(stderr)).toContain('Nothing was written.');
    expect(snapshot(out)).toStrictEqual(before);
  });

  test('--output and --workers', async () => {
    const other = join(dir, 'other');
    expect(await run(['fleet', clustersFile(['a', 'b', 'c']), '--output', other, '--workers', '2'])).toBe(0);
    expect(readdirSync(other).sort()).toStrictEqual([OUTPUT_MARKER, 'a', 'b', 'c']);
    expect(printed(stdout)).toContain('2 workers');
  });

  test.each([
    [[], 'error: no command given', 'Usage: cdk8s-fargate-container-insights <command> [options] (commands:'],
    [
      ['fleet'],
      'error: missing <clusters.yaml> after fleet',
      'Usage: cdk8s-fargate-container-insights fleet <clusters.yaml>',
    ],
    [['deploy', 'x.yaml'], 'error: unknown command "deploy"; expected one of fleet, check, validate, help', 'Usage:'],
    [['flet', 'x.yaml'], 'error: unknown command "flet"; did you mean "fleet"?', 'Usage:'],
    [['check'], 'error: missing <clusters.yaml> after check', 'Usage: cdk8s-fargate-container-insights check'],
    [['validate', 'a', 'b'], 'error: unexpected argument "b" after <folder>', 'validate <folder>'],
    [
      ['fleet', 'a.yaml', 'b.yaml'],
      'error: unexpected argument "b.yaml" after <clusters.yaml>',
      'fleet <clusters.yaml>',
    ],
    [['fleet', 'x.yaml', '--workers', '0'], 'Invalid --workers "0": expected a whole number from 1 to 64.', 'fleet'],
    [['fleet', 'x.yaml', '--workers', '2x'], 'Invalid --workers "2x": expected a whole number from 1 to 64.', 'fleet'],
    [
      ['fleet', 'x.yaml', '--colour'],
      'error: unknown option "--colour" for fleet; expected one of --output, --prerequisites, --workers',
      'fleet',
    ],
    [
      ['fleet', 'x.yaml', '--ouput', 'd'],
      'error: unknown option "--ouput" for fleet; did you mean "--output"?',
      'fleet',
    ],
    [['fleet', 'x.yaml', '--ouput=d'], 'error: unknown option "--ouput" for fleet; did you mean "--output"?', 'fleet'],
    [
      ['validate', 'x', '--output', 'd'],
      'error: unknown option "--output" for validate; validate takes no options',
      'validate',
    ],
    [['fleet', 'x.yaml', '--output'], 'error: --output needs a value: --output <dir>', 'fleet'],
    [['fleet', 'x.yaml', '--output', 'a', '--output', 'b'], 'error: --output is given twice', 'fleet'],
    [['help', 'flet'], 'error: unknown command "flet"; did you mean "fleet"?', 'Usage:'],
  ])('%j exits 2 with %s and one usage line', async (argv, message, usage) => {
    expect(await run(argv)).toBe(2);
    const text = printed(stderr);
    expect(text).toContain(message);
    expect(text.split('\n')).toHaveLength(2);
    expect(text.split('\n')[1]).toContain(usage);
    expect(text).toMatch(/run 'cdk8s-fargate-container-insights (\w+ )?--help' for more\)$/);
  });

  test.each([
    [['--help']],
    [['-h']],
    [['help']],
    [['fleet', '--help']],
    [['fleet', 'x.yaml', '-h']],
    [['help', 'fleet']],
    [['check', '--help']],
    [['validate', '-h']],
  ])('%j shows help and exits 0', async (argv) => {
    expect(await run(argv)).toBe(0);
    const text = printed(stdout);
    const about = argv.find((a) => ['fleet', 'check', 'validate'].includes(a));
    if (about === undefined) {
      expect(text).toContain('Usage: cdk8s-fargate-container-insights <command> [options]');
      for (const command of ['fleet <clusters.yaml>', 'check <clusters.yaml>', 'validate <folder>', 'help [command]']) {
        expect(text).toContain(`  ${command}`);
      }
    } else {
      expect(text).toContain(`Usage: cdk8s-fargate-container-insights ${about} <`);
      expect(text).toContain('-h, --help');
    }
  });

  test('a clusters path that is a folder: a named error, exit 1, nothing written', async () => {
    expect(await run(['fleet', dir])).toBe(1);
    expect(printed(stderr)).toContain('Invalid clusters file');
    expect(printed(stderr)).not.toContain('unexpected');
  });

  test('a missing clusters file: exit 1, nothing written', async () => {
    expect(await run(['fleet', join(dir, 'missing.yaml')])).toBe(1);
    expect(printed(stderr)).toContain('Cannot read the clusters file');
    expect(printed(stderr)).toContain('Nothing was written.');
  });

  test.each([['--version'], ['-v']])('%s prints the package version', async (flag) => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(await run([flag])).toBe(0);
    expect(printed(stdout)).toBe(`cdk8s-fargate-container-insights ${version}`);
  });
});

describe('cdk8s-fargate-container-insights check', () => {
  test('0 when the folders are what the clusters file synthesizes now; 1 naming what differs; writes nothing', async () => {
    const file = clustersFile(['a', 'b']);
    expect(await run(['fleet', file])).toBe(0);
    const before = snapshot(join(dir, 'dist'));
    expect(await run(['check', file])).toBe(0);
    expect(printed(stdout)).toMatch(/dist\/ and \S*prerequisites\/ are what \S*clusters\.yaml synthesizes now\./);
    // The file changed since: b is gone, a's region moved.
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('region: eu-west-1', 'region: eu-central-1').replace('  - name: b\n', ''),
    );
    stdout.clear();
    expect(await run(['check', file])).toBe(1);
    const report = printed(stdout);
    expect(report).toContain('/a/fargate-container-insights.k8s.yaml: differs from line');
    expect(report).toContain('/b/fargate-container-insights.k8s.yaml: not synthesized any more (committed only)');
    expect(printed(stderr)).toMatch(
      /\d+ files differ from what \S+ synthesizes now: run cdk8s-fargate-container-insights fleet/,
    );
    expect(snapshot(join(dir, 'dist'))).toStrictEqual(before);
  });

  test('2 on a clusters file that is not valid, naming the problem', async () => {
    const file = clustersFile(['Bad_Name!']);
    expect(await run(['check', file])).toBe(2);
    expect(printed(stderr)).toContain('error: ');
  });
});

describe('cdk8s-fargate-container-insights validate', () => {
  const folder = (files: Record<string, string>) => {
    const path = mkdtempSync(join(dir, 'validate-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(path, name), text);
    return path;
  };

  test("0 on the repository's dist/ and example fleet, with the Kubernetes schemas checked", async () => {
    for (const path of [
      join(__dirname, '..', '..', '..', 'dist'),
      join(__dirname, '..', '..', '..', 'examples', 'fleet', 'dist'),
    ]) {
      stdout.clear();
      expect(await run(['validate', path])).toBe(0);
      expect(printed(stdout)).toMatch(
        /\d+ checked \(\d+ against the Kubernetes schemas of kubernetes-models.*\. No problems\.$/,
      );
    }
  });

  test('1 listing each problem: YAML, an object without a name, a schema error, apply order, collector wiring', async () => {
    const config = [
      'receivers: { prometheus: { config: { scrape_configs: [] } } }',
      'processors: { batch: {} }',
      'exporters: { awsemf: {}, debug: {} }',
      'service: { pipelines: { metrics: { receivers: [prometheus], processors: [batch], exporters: [awsemf, otlp] } } }',
      'extra: "a ${1} replacement"',
    ].join('\n');
    const path = folder({
      'a.yaml': [
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: late }\ndata:\n  adot-collector-config: |',
        ...config.split('\n').map((line) => `    ${line}`),
        '---\napiVersion: v1\nkind: Namespace\nmetadata: { name: late }',
        '---\napiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { ports: [{ port: "not a port" }] }',
        '---\nkind: Thing',
      ].join('\n'),
      'b.yaml': 'key: [unclosed\n',
    });
    expect(await run(['validate', path])).toBe(1);
    const report = printed(stdout);
    for (const problem of [
      'a.yaml: ConfigMap late/c comes before Namespace late',
      'a.yaml: Service s: ',
      'a.yaml: an object without apiVersion, kind and metadata.name',
      'pipeline metrics names exporter otlp, which is not defined',
      'exporter debug is defined but no pipeline uses it',
      'pipeline metrics does not start with memory_limiter',
      'an unescaped $ in',
      'b.yaml:',
    ]) {
      expect(report, problem).toContain(problem);
    }
    expect(printed(stderr)).toMatch(/\d+ problems\.$/);
  });

  test('1 for what a strict API server refuses: an unknown kind, unknown fields, a wrong type; skipped kinds named', async () => {
    const path = folder({
      'a.yaml': [
        'apiVersion: v1\nkind: ConfigMapp\nmetadata: { name: typo }',
        '---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, labelz: { a: b } }\ndatta: {}',
        '---\napiVersion: apps/v2\nkind: Deployment\nmetadata: { name: d }',
        '---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: app }\nspec: {}',
      ].join('\n'),
      'collector.yaml': [
        'apiVersion: opentelemetry.io/v1beta1\nkind: OpenTelemetryCollector\nmetadata: { name: o, namespace: x }',
        'spec:\n  replicas: two\n  mode: statefulset\n  modee: deployment',
        '  config:\n    receivers: { otlp: {} }\n    exporters: { debug: {} }',
        '    service: { pipelines: { metrics: { receivers: [otlp], processors: [], exporters: [debug] } } }',
      ].join('\n'),
      'cluster.yaml':
        'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: { name: prod, region: eu-west-1 }',
      'template.json': '{}',
    });
    expect(await run(['validate', path])).toBe(1);
    const report = printed(stdout);
    for (const problem of [
      'a.yaml: ConfigMapp typo: no kind "ConfigMapp" in v1; did you mean "ConfigMap"?',
      'a.yaml: ConfigMap c: unknown field datta',
      'a.yaml: ConfigMap c: unknown field metadata.labelz',
      'a.yaml: Deployment d: no apiVersion "apps/v2" in Kubernetes (group apps)',
      'collector.yaml: OpenTelemetryCollector o: spec.replicas must be a number, not "two"',
      'collector.yaml: OpenTelemetryCollector o: unknown field spec.modee (did you mean mode?)',
      'skipped: a.yaml: Application app (argoproj.io/v1alpha1): a custom resource it has no schema for',
      "skipped: cluster.yaml: ClusterConfig prod (eksctl.io/v1alpha5): eksctl's cluster configuration, for eksctl rather than kubectl",
      'skipped: 1 file that is not Kubernetes manifests (template.json)',
    ]) {
      expect(report, problem).toContain(problem);
    }
    expect(printed(stderr)).toMatch(
      /3 manifest files, 6 objects: 4 checked \(3 against the Kubernetes schemas of kubernetes-models, 1 against the OpenTelemetryCollector CRD of operator v\d+\.\d+\.\d+\), 3 skipped\. 7 problems\.$/,
    );
  });

  test.each([
    ['an empty folder', {}, 'no Kubernetes object to check'],
    ['a folder of files that are not manifests', { 'a.json': '{}', 'b.txt': 'x' }, 'no Kubernetes object to check'],
    [
      'a folder of objects it cannot check',
      { 'a.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }' },
      'no Kubernetes object it could check: every object was skipped',
    ],
  ])('1 for %s: nothing checked is not a pass', async (_, files, message) => {
    expect(await run(['validate', folder(files)])).toBe(1);
    expect(printed(stdout)).toContain(message);
  });

  test('2 without a folder', async () => {
    expect(await run(['validate', join(dir, 'nothing-here')])).toBe(2);
    expect(await run(['validate'])).toBe(2);
  });
});
