import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, type MockInstance, test, vi } from 'vitest';
import { run } from '../src/cli';
import { OUTPUT_MARKER } from '../src/core/output';
import { readTree } from '../tools/folders';
import { ROLE_ARN } from './support/fixtures';

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

let stdout: MockInstance;
let stderr: MockInstance;
beforeEach(() => {
  stdout = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());
const printed = (spy: MockInstance) => spy.mock.calls.map((call) => call.join(' ')).join('\n');

describe('cdk8s-fargate-container-insights fleet', () => {
  const out = join(dir, 'dist');

  test('writes the fleet to the output folder beside the file, and says what it wrote', async () => {
    expect(await run(['fleet', clustersFile(['a', 'b'])])).toBe(0);
    expect(readdirSync(out).sort()).toStrictEqual([OUTPUT_MARKER, 'a', 'b']);
    expect(printed(stdout)).toMatch(
      /dist\/: 2 clusters, 4 files; \S*prerequisites\/: 2 files \(\d+\.\d\d s, 1 worker\)\./,
    );
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
    expect(printed(stderr)).toContain('dist/ and the prerequisites were left unchanged.');
    expect(snapshot(out)).toStrictEqual(before);
  });

  test('--output and --workers', async () => {
    const other = join(dir, 'other');
    expect(await run(['fleet', clustersFile(['a', 'b', 'c']), '--output', other, '--workers', '2'])).toBe(0);
    expect(readdirSync(other).sort()).toStrictEqual([OUTPUT_MARKER, 'a', 'b', 'c']);
    expect(printed(stdout)).toContain('2 workers');
  });

  test.each([
    [[], 'error: no command given'],
    [['fleet'], 'error: missing <clusters.yaml> after fleet'],
    [['deploy', 'x.yaml'], 'error: unknown command "deploy": expected one of fleet, check, validate'],
    [['check'], 'error: missing <clusters.yaml> after check'],
    [['validate', 'a', 'b'], 'error: unexpected argument "b" after the folder'],
    [['fleet', 'a.yaml', 'b.yaml'], 'error: unexpected argument "b.yaml" after the clusters file'],
    [['fleet', 'x.yaml', '--workers', '0'], 'Invalid --workers "0": expected a whole number from 1 to 64.'],
    [['fleet', 'x.yaml', '--colour'], "Unknown option '--colour'"],
  ])('%j exits 2 with %s', async (argv, message) => {
    expect(await run(argv)).toBe(2);
    expect(printed(stderr)).toContain(message);
  });

  test('a missing clusters file: exit 1, nothing written', async () => {
    expect(await run(['fleet', join(dir, 'missing.yaml')])).toBe(1);
    expect(printed(stderr)).toContain('Cannot read the clusters file');
    expect(printed(stderr)).toContain('Nothing was written.');
  });

  test('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(await run(['--version'])).toBe(0);
    expect(printed(stdout)).toBe(`cdk8s-fargate-container-insights ${version}`);
  });

  test('--help', async () => {
    expect(await run(['--help'])).toBe(0);
    expect(printed(stdout)).toContain('Usage: cdk8s-fargate-container-insights <command> [options]');
    for (const command of ['fleet <clusters.yaml>', 'check <clusters.yaml>', 'validate <folder>']) {
      expect(printed(stdout)).toContain(`  ${command}`);
    }
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
    stdout.mockClear();
    expect(await run(['check', file])).toBe(1);
    const report = printed(stdout);
    expect(report).toContain('/a/fargate-container-insights.k8s.yaml: differs from line');
    expect(report).toContain('/b/fargate-container-insights.k8s.yaml: not synthesized any more (committed only)');
    expect(printed(stderr)).toMatch(
      /file\(s\) differ from what \S+ synthesizes now: run cdk8s-fargate-container-insights fleet/,
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
    for (const path of [join(__dirname, '..', 'dist'), join(__dirname, '..', 'examples', 'fleet', 'dist')]) {
      stdout.mockClear();
      expect(await run(['validate', path])).toBe(0);
      expect(printed(stdout)).toMatch(/checked against the Kubernetes schemas of kubernetes-models\. No problems\.$/);
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
    expect(printed(stderr)).toMatch(/problem\(s\)\.$/);
  });

  test('2 without a folder', async () => {
    expect(await run(['validate', join(dir, 'nothing-here')])).toBe(2);
    expect(await run(['validate'])).toBe(2);
  });
});
